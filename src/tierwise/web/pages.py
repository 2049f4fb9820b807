"""The web pages: server-rendered Jinja2 over the facade (:class:`tierwise.Workspace`) acting as
the signed-in person, plain forms, no
script except the charts (Vega, served from the package). Sign-in with a session cookie;
every form that changes something carries the session's CSRF token.
"""

from __future__ import annotations

import contextlib
import dataclasses
import re
import secrets
import threading
from collections import OrderedDict
from collections.abc import Iterator
from datetime import date
from typing import Annotated, Any
from urllib.parse import quote, unquote, urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tierwise.access.roles import can
from tierwise.access.users import User, adopt_language, authenticate, end_session, session_user, start_session
from tierwise.errors import AuthError, ConfigError, DataError, ForbiddenError, NotFoundError, TierwiseError
from tierwise.i18n import ACTIVITY_LABELS
from tierwise.metrics.frame import window_text
from tierwise.schemes.fmt import CLASS_CODE, class_text, money
from tierwise.services.customers import SORTS
from tierwise.web.api import WorkspaceDep, export_response
from tierwise.web.ids import segment
from tierwise.web.session import PRE_COOKIE, SESSION_COOKIE, check_csrf, pre_token, set_cookie
from tierwise.workspace import Workspace

router = APIRouter(include_in_schema=False)
FLASH_COOKIE = "tw_flash"
PAGE_SIZE = 50
_charts_lock = threading.Lock()
_charts_cache: OrderedDict[tuple[Any, ...], dict[str, Any]] = OrderedDict()
CHART_CACHE_SIZE = 64  # scopes × languages kept; a rep's charts are small, the company's larger


def _environment() -> Any:
    from jinja2 import Environment, PackageLoader, select_autoescape

    return Environment(
        loader=PackageLoader("tierwise.web", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


_ENV = _environment()
_ENV.globals["money"] = money  # the workspace currency, the sign before the symbol: -¥138
_ENV.filters["seg"] = segment  # an id as one path segment: SH/2023/001 -> SH%2F2023%2F001


LANG_COOKIE = "tw_lang"  # the language of the signed-in user (or the switch), for pages without one


def _lang_of(request: Request, user: User | None) -> str:
    """The signed-in user's language; before sign-in (or while a user has none), the one asked
    for (``?lang=``, the switch's cookie), else the browser's first preference."""
    if user is not None and user.lang in ("en", "zh"):
        return user.lang
    wanted = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    if wanted in ("en", "zh"):
        return wanted
    return "zh" if "zh" in request.headers.get("accept-language", "").lower()[:5] else "en"


def render(
    request: Request, template: str, *, user: User | None = None, status: int = 200, **context: Any
) -> HTMLResponse:
    """A page in the user's language, with the flash message of the last action, if any."""
    lang = _lang_of(request, user)
    flash = request.cookies.get(FLASH_COOKIE)
    names: dict[str, dict[str, Any]] = context.pop("names", None) or {}
    html = _ENV.get_template(template).render(
        request=request,
        user=user,
        lang=lang,
        html_lang="zh-CN" if lang == "zh" else "en",
        t=lambda en, zh: zh if lang == "zh" else en,
        csrf=getattr(request.state, "csrf", ""),
        flash=unquote(flash) if flash else None,
        path=request.url.path,
        form_key=lambda: secrets.token_urlsafe(12),  # one per form drawn: see idempotency_key
        # names a person reads, never ids: a class's label ("知己客户", "主要客户（B）"), a
        # scheme's title, a follow-up kind, a window ("近12个月")
        class_text=lambda class_id, label: class_text(class_id, label, lang),
        class_name=lambda scheme, class_id: names.get(scheme, {}).get("classes", {}).get(class_id, class_id),
        class_short=lambda scheme, class_id: class_id if CLASS_CODE.fullmatch(class_id or "") else
        names.get(scheme, {}).get("labels", {}).get(class_id, class_id),
        scheme_title=lambda scheme: names.get(scheme, {}).get("title", scheme),
        is_code=lambda class_id: bool(CLASS_CODE.fullmatch(class_id or "")),
        activity_kind=lambda kind: ACTIVITY_LABELS.get(kind, (kind, kind))[lang == "zh"],
        activity_kinds=[(k, v[lang == "zh"]) for k, v in ACTIVITY_LABELS.items()],
        window=lambda text: window_text(text, lang) if text else "",
        **context,
    )
    response = HTMLResponse(html, status_code=status)
    if flash:
        response.delete_cookie(FLASH_COOKIE, path="/")
    return response


def scheme_names(ws: Workspace, listed: list[dict[str, Any]] | None = None) -> dict[str, dict[str, Any]]:
    """Each scheme's title and its classes' names in the actor's language, for :func:`render`'s
    ``names`` (pages show these, not ids); ``listed``: ``ws.schemes.list()`` when the page has
    it already."""
    lang = ws.lang()
    return {s["name"]: {"title": s["title"],
                        "classes": {c["id"]: class_text(c["id"], c["label"], lang) for c in s["classes"]},
                        "labels": {c["id"]: c["label"] for c in s["classes"]}}
            for s in (ws.schemes.list() if listed is None else listed)}


def redirect(request: Request, to: str, flash: str | None = None) -> RedirectResponse:
    response = RedirectResponse(to, status_code=303)
    if flash:
        set_cookie(response, request, FLASH_COOKIE, quote(flash), max_age=60)
    return response


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    user = getattr(request.state, "user", None)
    message = in_language(message, _lang_of(request, user))
    return render(request, "error.html.j2", user=user, status=status, status_code=status, message=message)


_CJK = re.compile(r"[\u3400-\u9fff]")


def in_language(message: str, lang: str) -> str:
    """The reader's half of a message written "English / 中文" (errors are raised in both), or
    the message as it is when it is not such a pair."""
    english, sep, chinese = message.rpartition(" / ")
    if not sep or not _CJK.search(chinese) or _CJK.search(english):
        return message
    return chinese if lang == "zh" else english


# -- who is signed in -------------------------------------------------------------------
def _page_user(request: Request, ws: WorkspaceDep) -> User:
    sid = request.cookies.get(SESSION_COOKIE)
    found = session_user(ws.db, sid) if sid else None
    if found is None:
        raise AuthError("sign in / 请登录")
    user, request.state.csrf = found
    if user.lang is None:  # never chosen (signed in before languages were kept): the browser's
        user = dataclasses.replace(user, lang=_lang_of(request, None))
    request.state.user = user
    return user


PageUser = Annotated[User, Depends(_page_user)]


def _acting(ws: WorkspaceDep, user: PageUser) -> Workspace:
    return ws.acting_as(user)


Acting = Annotated[Workspace, Depends(_acting)]
Csrf = Annotated[str, Form()]


def _pick(ws: Workspace, en: str, zh: str) -> str:
    return zh if ws.lang() == "zh" else en


# -- sign in and out, language ----------------------------------------------------------
def _safe_next(target: str | None) -> str:
    return target if target and target.startswith("/") and not target.startswith("//") else "/"


@router.get("/login")
def login_page(request: Request, next: str | None = None) -> HTMLResponse:
    response = render(request, "login.html.j2", pre=pre_token(request), next=_safe_next(next), error=None)
    pre_token(request, response)
    return response


@router.post("/login")
def login(
    request: Request,
    ws: WorkspaceDep,
    name: Annotated[str, Form()],
    password: Annotated[str, Form()],
    csrf: Csrf,
    next: Annotated[str, Form()] = "/",
    lang: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request.cookies.get(PRE_COOKIE), csrf)
    limiter = request.app.state.limiter
    client = request.client.host if request.client else "unknown"
    limiter.check(name, client)
    user = authenticate(ws.db, name.strip(), password)
    if user is None:
        limiter.fail(name, client)
        error = "wrong name or password / 用户名或密码错误"
        return render(
            request,
            "login.html.j2",
            status=401,
            pre=pre_token(request),
            next=_safe_next(next),
            error=error,
            name=name,
        )
    limiter.succeed(name, client)
    if user.lang is None:  # never chosen: keep the language this sign-in page was read in
        user = adopt_language(ws.db, user.name, lang)
    sid, _ = start_session(ws.db, user.name)
    response = RedirectResponse(_safe_next(next), status_code=303)
    set_cookie(response, request, SESSION_COOKIE, sid, max_age=12 * 3600)
    # the user's language for what no page dependency renders (an unknown address)
    set_cookie(response, request, LANG_COOKIE, _lang_of(request, user), max_age=12 * 3600)
    response.delete_cookie(PRE_COOKIE, path="/")
    return response


@router.post("/logout")
def logout(request: Request, ws: WorkspaceDep, user: PageUser, csrf: Csrf) -> Response:
    check_csrf(request.state.csrf, csrf)
    end_session(ws.db, request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post("/language")
def language(
    request: Request,
    ws: WorkspaceDep,
    user: PageUser,
    csrf: Csrf,
    lang: Annotated[str, Form()],
    back: Annotated[str, Form()] = "/",
) -> Response:
    """Switch the page language; remembered on the user."""
    check_csrf(request.state.csrf, csrf)
    ws.acting_as(user).users.set_language(lang)
    response = redirect(request, _safe_next(back))
    set_cookie(response, request, LANG_COOKIE, lang, max_age=12 * 3600)
    return response


# -- dashboard --------------------------------------------------------------------------
def _charts(ws: Workspace, lang: str, current: tuple[Any, ...]) -> dict[str, Any]:
    """Tier mix and Pareto specs of the current classification for the user's scope, cached
    per ``current`` (each scheme's current snapshot), scope and language."""
    from tierwise.reports.chart_data import NotAvailable
    from tierwise.reports.html import locales

    key = (str(ws.db.path), current, ws.actor.scope, ws.actor.role, lang)
    with _charts_lock:
        if key in _charts_cache:
            _charts_cache.move_to_end(key)
            return _charts_cache[key]
    specs: dict[str, Any] = {}
    for name in ("tier-mix", "pareto"):
        try:
            spec = ws.reports.chart(name, format="json", lang=lang).spec
            specs[name] = {k: v for k, v in spec.items() if k != "title"}  # the section heading carries it
        except NotAvailable as exc:
            specs[name] = {"missing": str(exc)}
    out = {"specs": specs, "locale": locales(lang)}
    with _charts_lock:
        _charts_cache[key] = out
        while len(_charts_cache) > CHART_CACHE_SIZE:
            _charts_cache.popitem(last=False)
    return out


def dashboard_data(ws: Workspace, lang: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """What the dashboard page shows ``ws.actor`` in ``lang``: the dashboard and its charts (both
    kept by their caches; the server's warmer calls this before anyone asks)."""
    data = ws.reports.dashboard(lang=lang)
    current = tuple((t["scheme"], t["snapshot_id"]) for t in data["tiers"])
    charts = _charts(ws, lang, current) if data["snapshot_id"] else {"specs": {}, "locale": {}}
    return data, charts


@router.get("/", response_class=HTMLResponse)
def dashboard_page(request: Request, ws: Acting) -> HTMLResponse:
    from tierwise.reports.html import json_for_script

    data, charts = dashboard_data(ws, ws.lang())
    waiting = ws.approvals.list(mine=True) if can(ws.actor, "customers.read") else []
    return render(
        request,
        "dashboard.html.j2",
        user=ws.actor,
        data=data,
        waiting=waiting,
        can_read=can(ws.actor, "customers.read"),
        specs=json_for_script(charts["specs"]),
        locale=json_for_script(charts["locale"]),
    )


# -- customers --------------------------------------------------------------------------
def _filters(request: Request) -> dict[str, Any]:
    q = request.query_params
    out = {k: (q.get(k) or None) for k in ("q", "scheme", "rep_id", "department", "region", "tag")}
    out["klass"] = q.get("class") or None
    if out["klass"] and ":" in out["klass"] and not out["scheme"]:  # picked from a scheme's group
        out["scheme"], out["klass"] = out["klass"].split(":", 1)
    sort = q.get("sort") or "customer_id"
    out["sort"] = sort if sort.lstrip("-") in SORTS else "customer_id"
    return out


@router.get("/customers", response_class=HTMLResponse)
def customers_page(
    request: Request, ws: Acting, page: Annotated[int, Query(ge=1, le=1_000_000)] = 1
) -> HTMLResponse:
    filters = _filters(request)
    error = None
    try:
        result = ws.customers.list(**filters, page=page, page_size=PAGE_SIZE)
    except ForbiddenError:  # a viewer: no customer records (403), not an empty list
        raise
    except TierwiseError as exc:  # a filter that cannot apply: say so above an empty list
        error, result = str(exc), {"items": [], "total": 0, "page": 1, "page_size": PAGE_SIZE}
    listed = ws.schemes.list()
    schemes = [s for s in listed if s["snapshot_id"]]
    shown = ws.reports.list_schemes()  # by the schemes' roles: main grade, value × loyalty, credit, stage
    query = {("class" if k == "klass" else k): v for k, v in filters.items() if v}
    return render(
        request,
        "customers.html.j2",
        user=ws.actor,
        result=result,
        filters=filters,
        schemes=schemes,
        shown=shown,
        names=scheme_names(ws, listed),
        error=error,
        sorts=SORTS,
        query=query,
        urlencode=urlencode,
        pages=max(1, -(-result["total"] // PAGE_SIZE)),
    )


@router.get("/customers/export")
def customers_export(request: Request, ws: Acting, format: str = "csv") -> Response:
    return export_response(ws, _filters(request), "xlsx" if format == "xlsx" else "csv")


@router.get("/customers/{customer_id:cid}", response_class=HTMLResponse)
def customer_page(request: Request, ws: Acting, customer_id: str) -> HTMLResponse:
    return _customer_html(request, ws, customer_id)


def _customer_html(request: Request, ws: Acting, customer_id: str, failed: dict[str, Any] | None = None,
                   status: int = 200) -> HTMLResponse:
    """The customer page; ``failed``: a form of it sent back (its name, the message, the values
    typed), shown beside that form with the values kept."""
    data = ws.customers.get(customer_id)
    listed = ws.schemes.list()
    schemes = {s["name"]: s for s in listed}
    pooled = None
    if data["customer"]["rep_id"] is None and can(ws.actor, "pool.read"):
        pooled = next(iter(ws.pool.list(customer_id=customer_id, page_size=1)["items"]), None)
    browsing = pooled is not None and ws.actor.role == "rep"  # a pool customer: look, claim, nothing else
    return render(
        request,
        "customer.html.j2",
        status=status,
        user=ws.actor,
        d=data,
        schemes=schemes,
        names=scheme_names(ws, listed),
        shown=ws.reports.list_schemes(),
        can_propose=can(ws.actor, "overrides.propose") and not browsing,
        browsing=browsing,
        can_limit=can(ws.actor, "credit.limit"),
        can_decide=can(ws.actor, "overrides.decide"),
        pooled=pooled,
        can_release=can(ws.actor, "pool.release"),
        today=date.today().isoformat(),
        failed=failed,
    )


@contextlib.contextmanager
def _form(request: Request, ws: Acting, customer_id: str, form: str,
          values: dict[str, str]) -> Iterator[None]:
    """A customer-page form's action: a wrong value (a limit of "二万", a date of 2026-02-31)
    comes back as the page with the message beside the form and what was typed kept (400),
    not an error page that loses it."""
    try:
        yield
    except (ConfigError, DataError) as exc:
        if isinstance(exc, NotFoundError):
            raise
        raise _FormFailed(_customer_html(request, ws, customer_id, {"form": form, "message": str(exc),
                                                                     "values": values}, status=400)) from exc


class _FormFailed(Exception):
    def __init__(self, page: HTMLResponse) -> None:
        self.page = page


def _valid_day(text: str) -> str:
    """``text`` when it is a day a date field can show again, else "" (the field shows today)."""
    try:
        return date.fromisoformat(text).isoformat() if text else ""
    except ValueError:
        return ""


def _form_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        raise ConfigError(f"date {text!r}: a day as YYYY-MM-DD / 日期应为 YYYY-MM-DD 格式的有效日期"
                          ) from None


@router.post("/customers/{customer_id:cid}/activities")
def customer_activity(
    request: Request,
    ws: Acting,
    customer_id: str,
    csrf: Csrf,
    kind: Annotated[str, Form()],
    note: Annotated[str, Form()] = "",
    day: Annotated[str, Form()] = "",
    back: Annotated[str, Form()] = "",
    idempotency_key: Annotated[str | None, Form(max_length=64)] = None,
) -> Response:
    check_csrf(request.state.csrf, csrf)
    try:
        kept = {"kind": kind, "note": note, "day": _valid_day(day)}
        with _form(request, ws, customer_id, "log-activity", kept):
            on = _form_date(day)
            # the form carries a key made when the page was drawn: a double click logs it once
            done = ws.activities.add(customer_id, kind, day=on, note=note or None,
                                     idempotency_key=idempotency_key)
    except _FormFailed as failed:
        return failed.page
    closed = len(done["closed"])
    flash = _pick(ws, f"follow-up logged; {closed} task(s) closed", f"已记录跟进；关闭 {closed} 项任务")
    return redirect(request, _safe_next(back or f"/customers/{segment(customer_id)}"), flash)


@router.post("/customers/{customer_id:cid}/overrides")
def customer_override(
    request: Request,
    ws: Acting,
    customer_id: str,
    csrf: Csrf,
    target: Annotated[str, Form(description="scheme:class")],
    reason: Annotated[str, Form()],
    until: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request.state.csrf, csrf)
    scheme, _, klass = target.partition(":")
    try:
        with _form(request, ws, customer_id, "propose-override", {"target": target, "reason": reason,
                                                                   "until": _valid_day(until)}):
            o = ws.overrides.propose(customer_id, scheme, klass, reason=reason, until=_form_date(until))
    except _FormFailed as failed:
        return failed.page
    if o.approval is not None:  # an approval chain: who decides first
        a = o.approval
        n, path, step, who = o.override_id, a["path"], a["next"], a["next_who"]
        flash = _pick(ws, f"override {n} proposed: {path}; first {step} ({who})",
                      f"已提交调整 {n}，审批链：{path}；先由{step}（{who}）审批")
    else:
        flash = _pick(ws, f"override {o.override_id} proposed: a manager approves it",
                      f"已提交调整 {o.override_id}，等待经理批准")
    return redirect(request, f"/customers/{segment(customer_id)}", flash)


@router.post("/customers/{customer_id:cid}/credit-limit")
def customer_credit_limit(
    request: Request,
    ws: Acting,
    customer_id: str,
    csrf: Csrf,
    limit: Annotated[str, Form()],
    reason: Annotated[str, Form()],
) -> Response:
    check_csrf(request.state.csrf, csrf)
    try:
        with _form(request, ws, customer_id, "credit-limit", {"limit": limit, "reason": reason}):
            done = ws.credit.set_limit(customer_id, limit, reason=reason)
    except _FormFailed as failed:
        return failed.page
    if done.get("pending"):  # above a chain's amount: it waits for the chain
        a = done["pending"]
        flash = _pick(ws, f"the limit waits for approval {a['approval_id']}: {a['path']}",
                      f"授信额度待审批（审批单 {a['approval_id']}）：{a['path']}")
        return redirect(request, f"/customers/{segment(customer_id)}", flash)
    shown = money(done["new"], 2) if done["new"] is not None else _pick(ws, "no limit", "不限")
    flash = _pick(ws, f"credit limit set to {shown}; its credit tasks re-checked",
                  f"授信额度已设为 {shown}；信用任务已重新核对")
    job = done.get("reevaluation")
    if job:  # the classes follow as soon as the job is done (jobs page)
        flash += _pick(ws, f"; re-evaluation queued (job #{job['job_id']})",
                       f"；已排队重新评估（任务 #{job['job_id']}）")
    return redirect(request, f"/customers/{segment(customer_id)}", flash)


@router.post("/overrides/{override_id}/{decision}")
def override_decision(
    request: Request,
    ws: Acting,
    override_id: int,
    decision: str,
    csrf: Csrf,
    note: Annotated[str, Form()] = "",
    back: Annotated[str, Form()] = "/",
) -> Response:
    check_csrf(request.state.csrf, csrf)
    if decision == "approve":
        o = ws.overrides.approve(override_id, note=note or None)
        flash = _pick(ws, f"override {override_id} approved", f"已批准调整 {override_id}")
    elif decision == "reject":
        o = ws.overrides.reject(override_id, reason=note)
        flash = _pick(ws, f"override {override_id} rejected", f"已驳回调整 {override_id}")
    else:
        raise AuthError("unknown decision")
    return redirect(request, _safe_next(back or f"/customers/{segment(o.customer_id)}"), flash)


# -- tasks ------------------------------------------------------------------------------
@router.get("/tasks", response_class=HTMLResponse)
def tasks_page(
    request: Request,
    ws: Acting,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    rep_id: str | None = None,
    kind: str | None = None,
) -> HTMLResponse:
    from tierwise.playbook.tasks import KINDS

    result = ws.tasks.list(
        rep_id=rep_id or None, kind=kind or None, lang=ws.lang(), page=page, page_size=100
    )
    return render(
        request,
        "tasks.html.j2",
        user=ws.actor,
        result=result,
        kinds=KINDS,
        today=date.today(),
        rep_id=rep_id or "",
        kind=kind or "",
        pages=max(1, -(-result["total"] // 100)),
    )


# -- API reference ----------------------------------------------------------------------
def _type_of(schema: dict[str, Any] | None) -> str:
    if not schema:
        return ""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "enum" in schema:
        return " | ".join(map(str, schema["enum"]))
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return " or ".join(_type_of(s) for s in schema[key])
    if schema.get("type") == "array":
        return f"list of {_type_of(schema.get('items'))}"
    return str(schema.get("format") or schema.get("type") or "")


def api_docs(doc: dict[str, Any]) -> HTMLResponse:
    return HTMLResponse(_ENV.get_template("api_docs.html.j2").render(doc=doc, type_of=_type_of))


# -- static -----------------------------------------------------------------------------
@router.get("/static/app.css")
def app_css() -> Response:
    from importlib import resources

    text = resources.files("tierwise.web").joinpath("static/app.css").read_text(encoding="utf-8")
    return Response(text, media_type="text/css", headers={"Cache-Control": "max-age=3600"})


@router.get("/static/vega.js")
def vega_js() -> Response:
    from tierwise.reports.html import vega_bundle

    return Response(vega_bundle(), media_type="text/javascript", headers={"Cache-Control": "max-age=86400"})
