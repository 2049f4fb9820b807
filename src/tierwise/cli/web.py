"""The web commands: ``serve`` and ``users`` (add, list, set, token, tokens, revoke).

Thin like the rest of the CLI: parse, open the workspace, call its users service
(``ws.users``) or :mod:`tierwise.web.app`, print. The ``users`` commands act as the person at
the shell (``--by``, else the user setting, else the login name): while the workspace has no
users that person is a local admin, so the first admin can be created. Passwords are read
from a hidden prompt (twice) or, for scripts, one line of standard input
(``--password-stdin``); never from an option, which would leave them in the shell history.
"""

from __future__ import annotations

import json
import logging
import sys
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table as RichTable

from tierwise.cli.main import app, current_lang, err, open_workspace, out, pick, state
from tierwise.errors import ConfigError, ConflictError

users_app = typer.Typer(
    help="People who sign in to the web app and the API: roles, passwords, tokens.", no_args_is_help=True
)
app.add_typer(users_app, name="users")

By = Annotated[
    str | None,
    typer.Option("--by", help="Who makes the change, a user of the workspace once it has users (default: "
                              "the user setting, else the login name)."),
]
PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from one line of standard input.")
]



def _password(from_stdin: bool, lang: str) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        if not line:
            raise ConfigError("--password-stdin: standard input is empty / 标准输入中没有密码")
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise ConfigError(
            "no terminal to ask for the password: pipe it with --password-stdin / "
            "无法交互输入密码，请使用 --password-stdin"
        )
    first = typer.prompt(pick(lang, "Password", "密码"), hide_input=True)
    again = typer.prompt(pick(lang, "Password again", "再次输入密码"), hide_input=True)
    if first != again:
        raise ConfigError("the two passwords differ / 两次输入的密码不一致")
    return str(first)


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="Sign-in name (letters, digits, . _ - @).")],
    role: Annotated[str, typer.Option("--role", help="admin, manager, rep or viewer.")],
    department: Annotated[str | None, typer.Option("--department", help="A manager's department.")] = None,
    rep_id: Annotated[str | None, typer.Option("--rep-id", help="A rep's code in the reps data.")] = None,
    password_stdin: PasswordStdin = False,
    user_lang: Annotated[str | None, typer.Option(
        "--lang", help="The user's language in the web app: zh or en (default: their browser's, kept "
        "at their first sign-in).")] = None,
    by: By = None,
) -> None:
    """Add a user. The first admin is made this way: there is no default account."""
    lang = current_lang()
    password = _password(password_stdin, lang)
    with open_workspace(by=by) as ws:
        user = ws.users.add(name, role, password=password, department=department, rep_id=rep_id,
                            lang=user_lang)
    scope = user.department or user.rep_id or pick(lang, "all customers", "全部客户")
    out.print(
        pick(
            lang,
            f"added {escape(user.name)} ({user.role}; {escape(scope)})",
            f"已添加 {escape(user.name)}（{user.role}；{escape(scope)}）",
        )
    )


@users_app.command("list")
def users_list(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Every user with role, scope, whether disabled, and live API tokens."""
    lang = current_lang()
    with open_workspace() as ws:
        users = ws.users.list()
    if as_json:
        print(json.dumps(users, ensure_ascii=False))
        return
    table = RichTable(
        *(
            pick(lang, *h)
            for h in (
                ("user", "用户"),
                ("role", "角色"),
                ("department", "部门"),
                ("rep", "业务员"),
                ("language", "语言"),
                ("state", "状态"),
                ("tokens", "令牌"),
            )
        )
    )
    for u in users:
        table.add_row(
            escape(u["name"]),
            u["role"],
            escape(u["department"] or ""),
            escape(u["rep_id"] or ""),
            u["lang"] or pick(lang, "(browser's)", "（按浏览器）"),
            pick(lang, "disabled", "停用") if u["disabled"] else pick(lang, "active", "正常"),
            str(u["tokens"]),
        )
    out.print(table)


@users_app.command("set")
def users_set(
    name: Annotated[str, typer.Argument(help="The user to change.")],
    role: Annotated[str | None, typer.Option("--role", help="New role.")] = None,
    department: Annotated[str | None, typer.Option("--department", help="New department (managers).")] = None,
    rep_id: Annotated[str | None, typer.Option("--rep-id", help="New rep code (reps).")] = None,
    password: Annotated[bool, typer.Option("--password", help="Set a new password (prompted).")] = False,
    password_stdin: PasswordStdin = False,
    disable: Annotated[
        bool | None, typer.Option("--disable/--enable", help="Stop (or allow again) sign-in and tokens.")
    ] = None,
    lang_opt: Annotated[str | None, typer.Option("--language", help="The user's language: en or zh.")] = None,
    by: By = None,
) -> None:
    """Change a user's role and scope, password, language, or disable them."""
    lang = current_lang()
    new_password = _password(password_stdin, lang) if password or password_stdin else None
    with open_workspace(by=by) as ws:
        user = ws.users.change(
            name,
            role=role,
            department=department,
            rep_id=rep_id,
            password=new_password,
            disabled=disable,
            lang=lang_opt,
        )
    out.print(
        pick(lang, f"{escape(user.name)}: {user.role}", f"{escape(user.name)}：{user.role}")
        + (f" ({escape(user.department or user.rep_id or '')})" if user.department or user.rep_id else "")
        + (pick(lang, ", disabled", "，已停用") if user.disabled else "")
    )


@users_app.command("token")
def users_token(
    name: Annotated[str, typer.Argument(help="The user the token acts as.")], by: By = None
) -> None:
    """Print a new API token for NAME (shown once; send it as `Authorization: Bearer TOKEN`)."""
    lang = current_lang()
    with open_workspace(by=by) as ws:
        made = ws.users.token(name)
    token_id, secret = made["token_id"], made["token"]
    print(secret)  # alone on standard output, for TOKEN=$(tierwise users token NAME)
    err.print(
        pick(
            lang,
            f"token {token_id} of {escape(name)}: keep it secret; revoke it with "
            f"`tierwise users revoke {token_id}`",
            f"{escape(name)} 的令牌 {token_id}：请妥善保管；吊销：tierwise users revoke {token_id}",
        ),
        style="dim",
        highlight=False,
    )


@users_app.command("tokens")
def users_tokens(name: Annotated[str | None, typer.Argument(help="Only this user's tokens.")] = None) -> None:
    """API tokens: who, when made, last used, revoked."""
    lang = current_lang()
    with open_workspace() as ws:
        rows = ws.users.tokens(name)
    table = RichTable(
        *(
            pick(lang, *h)
            for h in (
                ("token", "令牌"),
                ("user", "用户"),
                ("created", "创建"),
                ("last used", "最近使用"),
                ("revoked", "吊销"),
            )
        )
    )
    for r in rows:
        table.add_row(
            str(r["token_id"]),
            escape(r["user"]),
            *(str(r[k] or "") for k in ("created_at", "last_used_at", "revoked_at")),
        )
    out.print(table)


@users_app.command("revoke")
def users_revoke(
    token_id: Annotated[int, typer.Argument(help="The token's number (see `users tokens`).")], by: By = None
) -> None:
    """Revoke an API token: it stops working at once."""
    lang = current_lang()
    with open_workspace(by=by) as ws:
        ws.users.revoke(token_id)
    out.print(pick(lang, f"token {token_id} revoked", f"令牌 {token_id} 已吊销"))


@users_app.command("show")
def users_show(
    name: Annotated[str, typer.Argument(help="The user's name.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    by: Annotated[str | None, typer.Option("--by", help="Act as this user.")] = None,
) -> None:
    """One user: role, scope, language, whether disabled."""
    lang = current_lang()
    with open_workspace(by=by) as ws:
        user = ws.users.get(name)
    if as_json:
        print(json.dumps(user.to_json(), ensure_ascii=False))
        return
    scope = user.department or user.rep_id or pick(lang, "all customers", "全部客户")
    state_text = pick(lang, "disabled", "已停用") if user.disabled else pick(lang, "active", "启用")
    out.print(f"{escape(user.name)}  {user.role}  {escape(scope)}  {user.lang}  {state_text}")


@users_app.command("whoami")
def users_whoami(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    by: Annotated[str | None, typer.Option("--by", help="Check this name instead.")] = None,
) -> None:
    """Who the commands act as here, with the role and scope that apply.

    The name is --by, else the user setting, else the login name (a local admin while it is
    no user of the workspace)."""
    lang = current_lang()
    with open_workspace(by=by) as ws:
        user = ws.users.me()
    if as_json:
        print(json.dumps(user.to_json(), ensure_ascii=False))
        return
    scope = user.department or user.rep_id or pick(lang, "all customers", "全部客户")
    out.print(
        pick(lang, f"{escape(user.name)} ({user.role}; {escape(scope)})",
             f"{escape(user.name)}（{user.role}；{escape(scope)}）")
    )


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on (0.0.0.0: every interface).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
) -> None:
    """Serve the web app (at /) and the JSON API (under /api/, OpenAPI at /api/openapi.json).

    The server owns the workspace while it runs: other tierwise commands on the same file go
    through it (a file beside the workspace tells them where), long ones as jobs.
    """
    import uvicorn

    from tierwise.web.app import create_app
    from tierwise.web.handoff import running

    settings = state.settings()
    lang = current_lang()
    other = running(settings)
    if other is not None:
        raise ConflictError(
            f"{settings.db} is already served at {other['url']} (process {other['pid']}); commands work "
            f"through it as they are / 该工作区已由 {other['url']} 的服务器（进程 {other['pid']}）提供服务"
        )
    with open_workspace() as ws:  # a missing or locked workspace fails here, in one red line
        has_admin = ws.users.has_admin()
    if not has_admin:
        out.print(
            pick(
                lang,
                "[yellow]no admin yet[/]: create one with `tierwise users add NAME --role admin`",
                "[yellow]还没有管理员[/]：请先运行 tierwise users add 用户名 --role admin",
            )
        )
    out.print(
        pick(
            lang,
            f"serving {escape(str(settings.db))} on http://{host}:{port}/ (API reference: /api/docs; "
            "Ctrl+C stops)",
            f"正在服务 {escape(str(settings.db))}：http://{host}:{port}/（API 说明：/api/docs；Ctrl+C 停止）",
        )
    )
    # what the server does by itself (dashboards warmed, a job's end) goes to the console
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
    logging.getLogger("tierwise").addHandler(handler)
    logging.getLogger("tierwise").setLevel(logging.INFO)
    # SIGTERM or Ctrl+C: requests get 5 s to finish, then the jobs are cancelled and rolled back
    # forwarded headers believed only from the proxies the settings name (uvicorn's default
    # believes any from 127.0.0.1, and a local client could pose as any address)
    proxies = [p.strip() for p in settings.trusted_proxies.split(",") if p.strip()]
    uvicorn.run(create_app(settings, listen=(host, port)), host=host, port=port, log_level="warning",
                timeout_graceful_shutdown=5, proxy_headers=bool(proxies),
                forwarded_allow_ips=proxies or None)
