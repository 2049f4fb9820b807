"""The scheme commands: ``schemes list|show|validate|new|save``, ``classify``, ``classes export``,
``snapshots`` and ``migration``.

Thin like the rest of the CLI: parse, open the workspace, call the core, print.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table as RichTable

from tierwise.cli.main import (
    AsOf,
    app,
    current_lang,
    open_workspace,
    out,
    parse_date,
    pick,
    run_job,
    state,
)
from tierwise.errors import ConfigError

if TYPE_CHECKING:
    from tierwise.workspace import Workspace

schemes_app = typer.Typer(help="Classification schemes: the built-in presets and your own YAML files.",
                          no_args_is_help=True)
app.add_typer(schemes_app, name="schemes")
classes_app = typer.Typer(help="Stored classes: list or export them.", no_args_is_help=True)
app.add_typer(classes_app, name="classes")
By = Annotated[str | None, typer.Option("--by", help="Who is acting (default: the user setting, else "
                                                     "your login name).")]


def _workspace_or_none() -> Workspace | None:
    """The workspace when its file exists (the scheme commands also work without one)."""
    settings = state.settings()
    if not Path(settings.db).exists():
        return None
    return open_workspace()


def _is_file(name: str) -> bool:
    """Whether a scheme argument names a YAML file (read here) rather than a scheme."""
    return Path(name).suffix.lower() in (".yaml", ".yml") or Path(name).exists()


@schemes_app.command("list")
def schemes_list(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Every scheme (presets and the workspace's schemes/ folder) and whether its data is present."""
    lang = current_lang()
    ws = _workspace_or_none()
    if ws is None:
        from tierwise.schemes import registry

        rows = registry.catalog_rows(state.settings().db, None, lang)
    else:
        with ws:
            rows = ws.schemes.list(lang=lang)
    for r in rows:
        del r["classes"]
    if as_json:
        print(json.dumps(rows, ensure_ascii=False))
        return
    table = RichTable(*(pick(lang, *h) for h in (("scheme", "方案"), ("method", "方法"), ("kind", "类型"),
                                                   ("title", "名称"), ("data", "数据"), ("from", "来源"))))
    for r in rows:
        style = "" if r["data_present"] is not False else "dim"
        table.add_row(r["name"], r["method"] or "", r["kind"], escape(r["title"]), escape(r["data"]),
                      escape(pick(lang, "preset", "内置") if r["origin"] == "preset" else r["origin"]),
                      style=style)
    out.print(table)


@schemes_app.command("show")
def schemes_show(name: Annotated[str, typer.Argument(help="Scheme name or YAML file.")]) -> None:
    """Print a scheme's YAML exactly as you would edit it."""
    ws = None if _is_file(name) else _workspace_or_none()
    if ws is None:  # a local file, or no workspace: the presets
        from tierwise.schemes import registry

        text = registry.resolve(name, state.settings().db).text
    else:
        with ws:
            text = ws.schemes.text(name)["text"]
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


@schemes_app.command("validate")
def schemes_validate(path: Annotated[Path, typer.Argument(help="The scheme YAML file to check.")]) -> None:
    """Check a scheme file: its shape, and its columns against the workspace if there is one."""
    from tierwise.schemes import registry

    lang = current_lang()
    file = registry.resolve(str(path), state.settings().db)
    ws = _workspace_or_none()
    if ws is None:
        spec = file.spec()
        result: dict[str, Any] = {"name": spec.name, "kind": spec.kind, "classes": len(spec.classes),
                                  "notes": []}
    else:
        with ws:
            result = ws.schemes.check(None, file.text, origin=file.origin)
    notes: list[str] = result["notes"]
    counts = f"{result['kind']}, {result['classes']} " + pick(lang, "classes", "个类别")
    out.print(pick(lang, f"[green]ok[/]: {escape(result['name'])} ({counts})",
                    f"[green]通过[/]：{escape(result['name'])}（{counts}）"))
    if ws is None:
        out.print(pick(lang, "no workspace: column names were not checked against data",
                        "无工作区：未按数据检查列名"))
    for note in notes:
        out.print(f"[yellow]{pick(lang, 'note', '说明')}[/]: {escape(note)}")


@schemes_app.command("new")
def schemes_new(
    name: Annotated[str, typer.Argument(help="Name of the new scheme (lower case, digits, _).")],
    from_: Annotated[str, typer.Option("--from", help="The preset (or scheme) to copy.")],
    force: Annotated[bool, typer.Option(help="Overwrite an existing file.")] = False,
    by: By = None,
) -> None:
    """Copy a preset into the workspace's schemes/ folder for editing (same name overrides it)."""
    lang = current_lang()
    with open_workspace(by=by) as ws:
        target = ws.schemes.new(name, from_, force=force)["path"]
    out.print(pick(lang, f"wrote {target}; edit it, then `tierwise schemes validate {target}`",
                    f"已写入 {target}；编辑后运行 tierwise schemes validate {target}"))


@schemes_app.command("save")
def schemes_save(
    name: Annotated[str, typer.Argument(help="Name of the scheme (lower case, digits, _).")],
    file: Annotated[Path, typer.Argument(help="The scheme YAML file to check and save.")],
    by: By = None,
) -> None:
    """Check FILE, then save it into the workspace's schemes/ folder as NAME (admins; audited).
    It applies from the next classification."""
    lang = current_lang()
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{file}: no such scheme file / 找不到方案文件 {file}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{file}: not UTF-8 text; save the scheme file as UTF-8 / 请用 UTF-8 保存") \
            from None
    with open_workspace(by=by) as ws:
        saved = ws.schemes.save(name, text)
    path, kind, count = escape(saved["path"]), saved["kind"], saved["classes"]
    out.print(pick(lang, f"[green]saved[/] {path} ({kind}, {count} classes); the next classification uses it",
                    f"[green]已保存[/] {path}（{kind}，{count} 个类别）；下次分类时生效"))
    for note in saved["notes"]:
        out.print(f"[yellow]{pick(lang, 'note', '说明')}[/]: {escape(note)}")


@app.command()
def classify(
    as_of: AsOf = None,
    scheme: Annotated[list[str] | None, typer.Option(
        "--scheme", help="Scheme name or YAML file; repeat for several (default: every scheme "
                         "whose data is present).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    due: Annotated[bool, typer.Option("--due", help="Only if an evaluation is due by the schedule setting "
                                                    "(for a daily cron line); otherwise say when the next "
                                                    "one is.")] = False,
) -> None:
    """Classify customers by the schemes and store the result as a snapshot."""
    from tierwise.schemes.fmt import fmt_literal, money_kind
    from tierwise.services.snapshots import Scheduled

    lang = current_lang()
    day = parse_date(as_of, "--as-of")
    with open_workspace() as ws:
        answer = run_job(ws, "classify", scheme or None, as_of=day, due=due)
    if as_json:
        print(json.dumps(answer.to_json(), ensure_ascii=False))
        return
    if isinstance(answer, Scheduled):
        out.print(pick(lang, answer.due.reason_en, answer.due.reason_zh))
        if answer.result is None:
            return
        result = answer.result
    else:
        result = answer
    out.print(pick(lang, f"[bold]Snapshot {result.snapshot_id}[/], as of {result.as_of} "
                          f"({result.engine}, {result.seconds:.1f} s)",
                    f"[bold]快照 {result.snapshot_id}[/]，评估日 {result.as_of}（{result.engine}，"
                    f"{result.seconds:.1f} 秒）"))
    for res in result.schemes.values():
        total_c = sum(v["customers"] for v in res.classes.values()) or 1
        total_r = sum(v["revenue"] for v in res.classes.values())
        table = RichTable(*(pick(lang, *h) for h in (("class", "类别"), ("label", "名称"),
                                                       ("customers", "客户数"), ("share", "占比"),
                                                       ("revenue", "销售额"),
                                                       ("revenue share", "销售额占比"))),
                          title=f"{res.name} — {escape(res.title.get(lang))} ({res.window})",
                          title_justify="left")
        for class_id, v in res.classes.items():
            share = v["revenue"] / total_r if total_r > 0 else None
            rev_share = "—" if share is None else f"{share + 0.0:.1%}".replace("-0.0%", "0.0%")
            money = fmt_literal(v["revenue"], money_kind(), lang)
            table.add_row(class_id, escape(res.labels[class_id].get(lang)), f"{v['customers']:,}",
                          f"{v['customers'] / total_c:.1%}", money, rev_share)
        out.print(table)
        for note in res.notes:
            out.print(f"  [yellow]{pick(lang, 'note', '说明')}[/]: {escape(note)}")
    for text in result.notes:
        out.print(f"[yellow]{pick(lang, 'note', '说明')}[/]: {escape(text.get(lang))}")
    for name, why in result.skipped.items():
        out.print(pick(lang, f"[dim]skipped {name}: {escape(why)}[/]",
                        f"[dim]跳过 {name}：{escape(why)}[/]"))


@classes_app.command("export")
def classes_export(
    out_file: Annotated[Path, typer.Option("--out", help="FILE.csv, FILE.parquet or FILE.xlsx.")],
    scheme: Annotated[str | None, typer.Option(help="Only this scheme.")] = None,
    snapshot: Annotated[int | None, typer.Option(help="Snapshot id (default: the latest).")] = None,
) -> None:
    """Write customer_id, scheme, class, labels and reason (in --lang) of a snapshot."""
    from tierwise.schemes.store import write_export

    lang = current_lang()
    if out_file.suffix.lower() not in (".csv", ".parquet", ".xlsx"):
        raise ConfigError(f"{out_file}: write .csv, .parquet or .xlsx / 输出文件请用 .csv、.parquet 或 .xlsx")
    with open_workspace() as ws:
        table = ws.snapshots.export_classes(snapshot_id=snapshot, scheme=scheme, lang=lang)
    write_export(table, out_file)
    out.print(pick(lang, f"wrote {table.num_rows:,} rows to {out_file}",
                    f"已写入 {table.num_rows:,} 行：{out_file}"))


@app.command()
def snapshots(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    current: Annotated[bool, typer.Option("--current", help="Each scheme's current snapshot and roles "
                                                           "instead.")] = False,
) -> None:
    """The stored classification snapshots, newest first (--current: which one each scheme reads)."""
    lang = current_lang()
    with open_workspace() as ws:
        now = ws.snapshots.current() if current else None
        rows = [] if current else ws.snapshots.list()
    if now is not None:
        if as_json:
            print(json.dumps(now, ensure_ascii=False))
            return
        table = RichTable(*(pick(lang, *h) for h in (("scheme", "方案"), ("snapshot", "快照"),
                                                       ("as of", "评估日"), ("roles", "用途"))))
        for name, s in now["schemes"].items():
            table.add_row(name, str(s["snapshot_id"]), s["as_of"], ", ".join(s["roles"]))
        out.print(table)
        out.print(pick(lang, f"key figures read snapshot {now['snapshot_id']} ({now['window']})",
                       f"关键指标读取快照 {now['snapshot_id']}（{now['window']}）"))
        return
    if as_json:
        print(json.dumps(rows, ensure_ascii=False))
        return
    table = RichTable(*(pick(lang, *h) for h in (("snapshot", "快照"), ("as of", "评估日"),
                                                   ("run at", "运行时间"), ("engine", "引擎"),
                                                   ("assignments", "分类记录"), ("schemes", "方案"))))
    for r in rows:
        table.add_row(str(r["snapshot_id"]), r["as_of"], r["created_at"], r["engine"],
                      f"{r['assignments']:,}", ", ".join(r["schemes"]))
    out.print(table)


@app.command()
def migration(
    scheme: Annotated[str, typer.Option(help="The scheme whose classes moved.")],
    from_: Annotated[int | None, typer.Option("--from", help="Earlier snapshot id (default: the one "
                                                            "before --to).")] = None,
    to: Annotated[int | None, typer.Option(help="Later snapshot id (default: the latest).")] = None,
    out_file: Annotated[Path | None, typer.Option("--out", help="Write the movers to FILE.csv, "
                                                             ".parquet or .xlsx.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the matrix as JSON.")] = False,
) -> None:
    """Tier migration of a scheme between two snapshots: the matrix, upgrades, downgrades."""
    import pyarrow as pa

    from tierwise.schemes.store import write_export

    lang = current_lang()
    if out_file is not None and out_file.suffix.lower() not in (".csv", ".parquet", ".xlsx"):
        raise ConfigError(f"{out_file}: write .csv, .parquet or .xlsx / 输出文件请用 .csv、.parquet 或 .xlsx")
    with open_workspace() as ws:
        result = ws.snapshots.migration(scheme, start=from_, end=to)
    if out_file is not None:
        names = ("customer_id", "from", "to", "direction")
        write_export(pa.table({k: pa.array([m[k] for m in result.movers], pa.string()) for k in names}),
                     out_file, sheet="movers")
    if as_json:
        print(json.dumps(result.to_json(), ensure_ascii=False))
        return
    cols = [*result.classes, "(out)"]
    (d0, d1), (s0, s1) = result.dates, (result.start, result.end)
    corner = pick(lang, f"from {s0} ({d0}) \\ to {s1} ({d1})", f"快照 {s0}（{d0}）→ {s1}（{d1}）")
    table = RichTable(corner, *cols, title=scheme, title_justify="left")
    for row, counts in result.matrix.items():
        table.add_row(row, *(f"{counts[c]:,}" for c in cols))
    out.print(table)
    _print_migration_revenue(result, cols, lang)
    out.print(pick(lang, f"upgrades {result.upgrades:,}, downgrades {result.downgrades:,}, "
                          f"other moves {len(result.movers) - result.upgrades - result.downgrades:,}",
                    f"升级 {result.upgrades:,}，降级 {result.downgrades:,}，"
                    f"进出 {len(result.movers) - result.upgrades - result.downgrades:,}"))
    if out_file is not None:
        out.print(pick(lang, f"movers written to {out_file}", f"变动客户已写入 {out_file}"))


def _print_migration_revenue(result: Any, cols: list[str], lang: str) -> None:
    """Revenue of each cell's customers in the later window, and each row's revenue before and
    after: where the money went when customers moved."""
    from tierwise.schemes.fmt import fmt_literal, money_kind

    for en, zh in result.notes:
        out.print(f"[yellow]{pick(lang, 'note', '说明')}[/]: {escape(pick(lang, en, zh))}")
    cells = [c for row in result.revenue.values() for c in row.values()]
    if not cells or (cells[0]["after"] is None and not result.notes):
        out.print(pick(lang, "[dim]revenue: not stored for these snapshots (made before schema version 3); "
                              "classify again to get it[/]", "[dim]这些快照未保存销售额，请重新分类[/]"))
        return
    money = lambda v: "—" if v is None else fmt_literal(v, money_kind(), lang)  # noqa: E731
    heads = (pick(lang, "later revenue", "后期销售额"),
             *cols, pick(lang, "earlier", "前期合计"), pick(lang, "later", "后期合计"),
             pick(lang, "change", "变化"))
    table = RichTable(*heads, title=pick(lang, f"{result.scheme}: revenue", f"{result.scheme}：销售额"),
                      title_justify="left")
    for row, cells in result.revenue.items():
        before = sum(c["before"] or 0.0 for c in cells.values())
        after = sum(c["after"] or 0.0 for c in cells.values())
        known = all(c["before"] is not None for c in cells.values()) and all(
            c["after"] is not None for c in cells.values())
        table.add_row(row, *(money(cells[c]["after"]) for c in cols),
                      money(before) if all(c["before"] is not None for c in cells.values()) else "—",
                      money(after) if all(c["after"] is not None for c in cells.values()) else "—",
                      f"{(after - before) / before:+.1%}" if known and before > 0 else "—")
    out.print(table)
