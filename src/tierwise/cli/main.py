"""The ``tierwise`` command: parse, build the workspace, call it, print.

Errors from the core are :class:`~tierwise.errors.TierwiseError`; they print as one red
``Error: ...`` line and exit 1. ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from pydantic import ValidationError
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table as RichTable

from tierwise.errors import ConfigError, ConflictError, TierwiseError, WorkspaceError, engine_error
from tierwise.i18n import t
from tierwise.settings import Settings

if TYPE_CHECKING:
    from tierwise.workspace import Workspace

app = typer.Typer(
    name="tierwise",
    help="Classify and grade your customers from your own data, and turn each class into work.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# Piped output (CI logs, `| less`) is not squeezed into 80 columns.
# emoji=False: ids such as "care:B:2026-01-10" must not turn into pictures
out = Console(width=None if sys.stdout.isatty() else 120, emoji=False)
err = Console(stderr=True, width=None if sys.stderr.isatty() else 160, emoji=False)


class State:
    """Options given before the command, shared by every command."""

    db: Path | None = None
    lang: str | None = None
    memory_limit: str | None = None
    engine: str | None = None
    debug: bool = False

    def settings(self) -> Settings:
        return Settings.from_env(db=self.db, lang=self.lang, memory_limit=self.memory_limit,
                                 engine=self.engine)


state = State()


@app.callback()
def _root(
    db: Annotated[Path | None, typer.Option(help="Workspace database file "
                                            "[env TIERWISE_DB; default ./tierwise.duckdb].")] = None,
    lang: Annotated[str | None, typer.Option(help="Language for output: en or zh.")] = None,
    memory_limit: Annotated[str | None, typer.Option(
        help="Most memory this process may hold, e.g. 2GB (the engine gets half).")] = None,
    engine: Annotated[str | None, typer.Option(help="duckdb (default) or spark.")] = None,
    debug: Annotated[bool, typer.Option(help="Show tracebacks for errors.")] = False,
) -> None:
    state.db, state.lang, state.memory_limit, state.debug = db, lang, memory_limit, debug
    state.engine = engine


def open_workspace(create: bool = False, by: str | None = None) -> Workspace:
    """The facade over the workspace of ``--db``, acting as ``by`` (``--by``), else the ``user``
    setting, else the login name (see :meth:`Workspace.open`). While ``tierwise serve`` runs on
    it, the same facade reached through that server (:mod:`tierwise.cli.remote`)."""
    from tierwise.web.handoff import running
    from tierwise.workspace import Workspace

    settings = state.settings()
    found = running(settings) if str(settings.db) != ":memory:" else None
    if found is not None:
        from tierwise.cli.remote import RemoteWorkspace
        from tierwise.settings import use_currency

        use_currency(str(found.get("currency") or "CNY"))  # figures printed here: the server's workspace's

        return RemoteWorkspace(settings, found, by)  # type: ignore[return-value]  # the same facade
    return Workspace.open(settings, create=create, by=by)


def run_job(ws: Workspace, kind: str, /, *args: Any, **kwargs: Any) -> Any:
    """Run a long operation (``classify``, ``tasks``, ``report``, ``import``, ``import-db``,
    ``metrics``, ``clv``) as a job with a progress bar on the terminal: here, or in the server
    that owns the workspace (the same bar, fed by the server's progress, in the same language)."""
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from tierwise.services.jobs import KINDS

    spec = KINDS[kind]
    label = pick(current_lang(), spec.en, spec.zh)
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                  console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task(label, total=1.0)

        def on_progress(fraction: float | None, message: str) -> None:
            bar.update(task, completed=fraction if fraction is not None else 0.0,
                       description=f"{label}: {escape(message)}" if message else label)

        return ws.jobs.run(kind, *args, on_progress=on_progress, **kwargs)


def reference_workspace() -> Workspace:
    """The workspace of ``--db`` when it exists, else an empty one in memory: the reference
    commands (``tables``, ``metrics --list``) describe tierwise itself, so they work before any
    workspace is made (docs/tables.md and docs/metrics.md are generated with them)."""
    settings = state.settings()
    if Path(settings.db).exists():
        return open_workspace()
    from tierwise.workspace import Workspace

    return Workspace.open(settings.model_copy(update={"db": Path(":memory:")}), create=True)


def pick(lang: str, en: str, zh: str) -> str:
    """``zh`` in Chinese, else ``en``."""
    return zh if lang == "zh" else en


def current_lang() -> str:
    return state.settings().lang


# -- init / status -----------------------------------------------------------------------
@app.command()
def init(
    currency: Annotated[str | None, typer.Option(
        help="The currency the company's amounts are in (CNY, USD, GBP, EUR, HKD, JPY, ...; default CNY), "
             "kept in the workspace: every output writes money in it.")] = None,
) -> None:
    """Create the workspace database (or migrate an older one in place)."""
    from tierwise.workspace import Workspace

    settings = state.settings()
    existed = Path(settings.db).exists()
    if currency is not None:
        try:
            settings = Settings.model_validate({**settings.model_dump(), "currency": currency})
        except ValidationError as exc:
            raise ConfigError(str(exc.errors()[0]["msg"]).removeprefix("Value error, ")) from None
        with Workspace.open(settings, create=True) as ws:
            version = ws.system.schema_version()
    else:
        with open_workspace(create=True) as ws:
            version = ws.system.schema_version()
    key = "ws.exists" if existed else "ws.created"
    out.print(t(key, settings.lang, path=settings.db, version=version))


@app.command()
def status(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Rows in each table of the workspace."""
    with open_workspace() as ws:
        counts = ws.system.status()
    if as_json:
        print(json.dumps(counts))
        return
    lang = current_lang()
    table = RichTable(t("status.table", lang), t("status.rows", lang))
    for name, n in counts.items():
        table.add_row(name, f"{n:,}")
    out.print(table)


@app.command()
def tables(markdown: Annotated[bool, typer.Option(help="Print as Markdown.")] = False) -> None:
    """The canonical tables: columns, types, required columns and recognised headers."""
    with reference_workspace() as ws:
        if markdown:
            print(ws.system.tables_markdown())
            return
        specs = ws.system.tables()
    for table in specs:
        rich = RichTable(title=f"{table['name']}  (key: {', '.join(table['key'])})", title_justify="left")
        for head in ("column", "type", "required", "headers recognised"):
            rich.add_column(head)
        for col in table["columns"]:
            headers = col["headers"]
            rich.add_row(col["name"], col["type"], "yes" if col["required"] else "",
                         escape(", ".join(headers[:6]) + (" ..." if len(headers) > 6 else "")))
        out.print(rich)


@app.command("settings")
def settings_cmd(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Every setting: the value in force, its default and what it does."""
    with open_workspace() as ws:
        rows = ws.system.settings_list()
    if as_json:
        print(json.dumps(rows, ensure_ascii=False))
        return
    rich = RichTable("setting", "value", "default", "meaning")
    for row in rows:
        value = "" if row["value"] is None else str(row["value"])
        rich.add_row(row["name"], escape(value), escape(row["default"]), escape(row["meaning"]))
    out.print(rich)


# -- import ------------------------------------------------------------------------------
@app.command("import")
def import_cmd(
    table: Annotated[str, typer.Argument(help="customers, orders, payments, activities, reps "
                                              "or products.")],
    file: Annotated[Path | None, typer.Argument(help="CSV (UTF-8 or GBK), .xlsx, Parquet or JSON lines "
                                                     "(or --from-db instead).")] = None,
    mapping: Annotated[Path | None, typer.Option(help="YAML file mapping headers and values.")] = None,
    dry_run: Annotated[bool, typer.Option(help="Check and report; write nothing to the "
                                               "workspace.")] = False,
    strict: Annotated[bool, typer.Option(help="Write nothing if any row would be rejected "
                                              "(exit 1).")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    date_order: Annotated[str | None, typer.Option(help="For dates like 05/03/2024: DMY "
                                                        "(day first) or MDY.")] = None,
    decimal_comma: Annotated[bool | None, typer.Option(
        "--decimal-comma/--decimal-point", help="Numbers written 1.234,50.")] = None,
    encoding: Annotated[str | None, typer.Option(help="Text encoding (default: detected).")] = None,
    delimiter: Annotated[str | None, typer.Option(help="CSV delimiter (default: detected).")] = None,
    sheet: Annotated[str | None, typer.Option(help="Excel sheet (default: the first).")] = None,
    fmt: Annotated[str | None, typer.Option("--format", help="csv, xlsx, parquet or jsonl "
                                                              "(default: by extension).")] = None,
    rejected_out: Annotated[Path | None, typer.Option(help="Where to write rejected rows "
                                                           "(default FILE.rejected.csv).")] = None,
    from_db: Annotated[str | None, typer.Option(
        "--from-db",
        help="Read from a database instead of a file: a SQLAlchemy URL such as sqlite:///erp.db, "
             "mysql+pymysql://user:pw@host/db, postgresql+psycopg://user:pw@host/db. Without FILE "
             "and this option, the TIERWISE_FROM_DB environment variable.")] = None,
    source_table: Annotated[str | None, typer.Option(
        help="With --from-db: the table or view to read.")] = None,
    query: Annotated[str | None, typer.Option(help="With --from-db: the SELECT to run.")] = None,
    by: Annotated[str | None, typer.Option(help="Who imports, a user of the workspace once it has users "
                                                "(default: the user setting, else the login name).")] = None,
) -> None:
    """Import a file (or a database table or query) into a table. Every row is accepted or
    rejected with a reason."""
    from tierwise.data.importer import ImportOptions
    from tierwise.data.values import DateOrder

    order: DateOrder | None = None
    if date_order is not None:
        upper = date_order.upper()
        if upper not in ("YMD", "DMY", "MDY"):
            raise ConfigError(f"--date-order {date_order}: use DMY (day first) or MDY (month first)")
        order = upper  # type: ignore[assignment]  # checked just above
    lang = current_lang()
    options = ImportOptions(
        mapping=mapping, dry_run=dry_run, strict=strict, format=fmt, encoding=encoding,
        delimiter=delimiter, sheet=sheet,
        date_order=order,
        decimal_comma=decimal_comma, rejected_path=rejected_out, lang=lang,
    )
    if file is None and from_db is None and (source_table or query):
        from_db = os.environ.get("TIERWISE_FROM_DB") or None  # keeps the password out of `ps`
    if (file is None) == (from_db is None):
        raise ConfigError("give a FILE or --from-db URL (with --source-table or --query), not both / "
                          "请给出文件，或 --from-db 数据库地址")
    if from_db is None and (source_table or query):
        raise ConfigError("--source-table and --query go with --from-db / "
                          "--source-table 和 --query 需配合 --from-db")
    source = None
    if from_db is not None:
        from tierwise.data.database import DatabaseSource

        source = DatabaseSource(_absolute_file_url(from_db), table=source_table, query=query)
    db = state.settings().db
    created = not db.exists()
    if dry_run and created:  # a check writes nothing, not even a new workspace file
        from tierwise.workspace import Workspace

        scratch = state.settings().model_copy(update={"db": Path(":memory:")})
        ws_cm = Workspace.open(scratch, create=True, by=by)
        created = False
    else:
        ws_cm = open_workspace(create=True, by=by)
    with ws_cm as ws:
        if created and not as_json:
            out.print(t("ws.created", lang, path=db, version=ws.system.schema_version()))
        if source is not None:
            summary = run_job(ws, "import-db", table, source, options)
        else:
            summary = run_job(ws, "import", table, file, options)
    if as_json:
        print(json.dumps(summary.to_json(), ensure_ascii=False, default=str))
    else:
        print_summary(summary, lang)


def _absolute_file_url(url: str) -> str:
    """A file database's URL (``sqlite:///erp.db``) with its path made absolute: a running
    server reads it from its own working folder, not this shell's."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        return url  # the import says what is wrong with it
    name = parsed.database
    if parsed.get_backend_name() not in ("sqlite", "duckdb") or not name or name.startswith(":") \
            or Path(name).is_absolute():
        return url
    return parsed.set(database=str(Path(name).expanduser().absolute())).render_as_string(hide_password=False)


def print_summary(summary: Any, lang: str) -> None:
    """The import summary as a small table, then the most common reasons."""
    lg: Any = lang
    out.print(f"[bold]{escape(t('import.title', lg, file=Path(summary.file).name, table=summary.table))}[/]")
    grid = RichTable(show_header=False)
    grid.add_column(style="bold")
    grid.add_column(justify="right")
    for key in ("read", "accepted", "inserted", "updated", "unchanged", "rejected"):
        value = getattr(summary, key)
        style = "red" if key == "rejected" and value else ""
        grid.add_row(t(f"import.{key}", lg), f"[{style}]{value:,}[/]" if style else f"{value:,}")
    if summary.blank:
        grid.add_row(t("import.blank", lg), f"{summary.blank:,}")
    if summary.customers_created:
        grid.add_row(t("import.customers_created", lg), f"{summary.customers_created:,}")
    if summary.source:
        grid.add_row(t("import.source", lg), escape(summary.source))
    if summary.credit_limits_changed:
        grid.add_row(t("import.credit_limits_changed", lg), f"{summary.credit_limits_changed:,}")
    if summary.encoding:
        grid.add_row(t("import.encoding", lg), summary.encoding)
    out.print(grid)
    if summary.date_order_inferred:
        order, example = summary.date_order_inferred
        out.print(escape(t("import.date_order", lg, order=order, example=example)))
    if summary.ignored_columns:
        out.print(escape(t("import.ignored", lg, cols=", ".join(summary.ignored_columns))))
    if summary.top_reasons:
        out.print(f"[bold]{t('import.top_reasons', lg)}[/]")
        for r in summary.top_reasons:
            where = f"{r['column']}: " if r["column"] else ""
            row = t("import.row", lg, row=r["first_row"])
            out.print(escape(f"  ×{r['count']:,}  {where}{r['reason']}  ({row})"))
    if summary.rejected_file:
        out.print(f"{t('import.rejected_file', lg)}: {escape(summary.rejected_file)}")
    if summary.dry_run:
        out.print(f"[yellow]{t('import.dry_run', lg)}[/]")


def print_imports(summaries: list[Any], lang: str) -> None:
    """Several imports as one table, a row each."""
    lg: Any = lang
    rich = RichTable(box=box.SIMPLE_HEAD, pad_edge=False)
    rich.add_column("file", no_wrap=True)
    rich.add_column("table", no_wrap=True)
    for key in ("read", "accepted", "inserted", "updated", "rejected"):
        rich.add_column(t(f"import.short.{key}", lg), justify="right", no_wrap=True)
    rich.add_column(t("import.encoding", lg), no_wrap=True)
    for s in summaries:
        rich.add_row(Path(s.file).name, s.table, *(f"{getattr(s, k):,}" for k in
                                                   ("read", "accepted", "inserted", "updated",
                                                    "rejected")), s.encoding or s.format)
    out.print(rich)


# -- metrics and CLV ---------------------------------------------------------------------
AsOf = Annotated[str | None, typer.Option(help="As-of date YYYY-MM-DD (default: the latest order "
                                               "date). Nothing after it is seen.")]
TimeUnit = Annotated[str | None, typer.Option(help="BTYD time unit: days or weeks "
                                                   "(default: the time_unit setting).")]


def parse_date(text: str | None, option: str) -> Any:
    from datetime import date

    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ConfigError(
            f"{option} {text!r}: write a date as YYYY-MM-DD / 日期格式应为 YYYY-MM-DD"
        ) from None


@app.command()
def metrics(
    out_file: Annotated[Path | None, typer.Option("--out", help="Write the table to FILE.csv or "
                                                             "FILE.parquet.")] = None,
    as_of: AsOf = None,
    window: Annotated[str, typer.Option(help="Evaluation window: 90d, 6m, 12m, 2y or all.")] = "12m",
    time_unit: TimeUnit = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    list_metrics: Annotated[bool, typer.Option("--list", help="List the metrics and their "
                                                              "definitions instead.")] = False,
    markdown: Annotated[bool, typer.Option(help="With --list: print Markdown.")] = False,
) -> None:
    """Per-customer metrics (value, recency, BTYD, rhythm, credit, contact, CLV); see docs/metrics.md."""
    from tierwise.metrics.table import output_format

    lang = current_lang()
    if out_file is not None:
        output_format(out_file)  # before the work, not after it
    if list_metrics:
        with reference_workspace() as ws:
            if markdown:
                print(ws.metrics.catalog_markdown(lang), end="")
                return
            catalog = ws.metrics.catalog(lang)
        rich = RichTable(*(t(f"metrics.{k}", lang) for k in ("column", "unit", "definition")))
        for metric in catalog:
            rich.add_row(metric["name"], metric["unit"], metric["definition"])
        out.print(rich)
        return
    with open_workspace() as ws:  # the table stays where it is computed; the command gets its summary
        summary = run_job(ws, "metrics", as_of=parse_date(as_of, "--as-of"), window=window,
                          time_unit=time_unit, out=out_file)
    summary = {key: summary[key] for key in ("as_of", "window", "window_start", "engine", "customers",
                                             "by_status", "clv", "notes")}
    if as_json:
        summary["out"] = str(out_file) if out_file else None
        print(json.dumps(summary, ensure_ascii=False))
        return
    frame = t("metrics.frame", lang, as_of=summary["as_of"], window=summary["window"],
              start=summary["window_start"])
    out.print(f"[bold]{escape(t('metrics.title', lang, frame=frame))}[/]")
    grid = RichTable(show_header=False)
    grid.add_column(style="bold")
    grid.add_column(justify="right")
    grid.add_row(t("metrics.customers", lang), f"{summary['customers']:,}")
    for status_name in ("buyer", "lapsed", "returns_only", "prospect"):
        grid.add_row(t(f"metrics.{status_name}", lang), f"{summary['by_status'].get(status_name, 0):,}")
    grid.add_row(t("metrics.engine", lang), summary["engine"])
    out.print(grid)
    for note in summary["notes"]:
        out.print(f"[yellow]{pick(lang, 'note', '说明')}[/]: {escape(note[lang if lang == 'zh' else 'en'])}")
    print_clv({"as_of": summary["as_of"], **summary["clv"]}, lang)
    if out_file is not None:
        out.print(t("metrics.written", lang, path=out_file))


clv_app = typer.Typer(help="Customer lifetime value models (BG/NBD and Gamma-Gamma).",
                      no_args_is_help=True)
app.add_typer(clv_app, name="clv")


@clv_app.command("fit")
def clv_fit(
    as_of: AsOf = None,
    time_unit: TimeUnit = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the parameters as JSON.")] = False,
) -> None:
    """Fit BG/NBD and Gamma-Gamma on the purchase history up to --as-of and print the parameters."""
    with open_workspace() as ws:
        fit = run_job(ws, "clv", as_of=parse_date(as_of, "--as-of"), time_unit=time_unit)
    if as_json:
        print(json.dumps(fit, ensure_ascii=False))
        return
    print_clv(fit, current_lang())


def print_clv(fit: dict[str, Any], lang: str) -> None:
    """The fitted CLV parameters (``ClvFit.to_json()`` with ``as_of``) as a table, or just the
    reasons when nothing could be fitted."""
    for problem in fit["problems"]:
        out.print(f"[yellow]{escape(t('clv.not_fitted', lang, why=problem))}[/]")
    if not fit.get("bgnbd"):
        return
    n = fit["bgnbd"]["customers"]
    title = t("clv.title", lang, n=f"{n:,}", as_of=fit["as_of"], unit=fit["time_unit"])
    out.print(f"[bold]{escape(title)}[/]")
    rich = RichTable(t("clv.model", lang), t("clv.parameter", lang), t("clv.value", lang))
    for model, key, params in (("BG/NBD", "bgnbd", ("r", "alpha", "a", "b")),
                               ("Gamma-Gamma", "gamma_gamma", ("p", "q", "v"))):
        values = fit.get(key)
        if not values:
            continue
        for name in params:
            rich.add_row(model, name, f"{values[name]:.4f}")
        rich.add_row(model, t("clv.loglik", lang), f"{values['log_likelihood']:,.2f}")
    out.print(rich)


# -- demo --------------------------------------------------------------------------------
@app.command()
def demo(
    customers: Annotated[int, typer.Option(help="How many customers to generate.")] = 20_000,
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same data.")] = 7,
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for the demo's files.")] = Path(
        "demo"),
    replace: Annotated[bool, typer.Option(help="Replace an existing workspace at --db.")] = False,
) -> None:
    """Generate a demo company into a fresh workspace and import it like user files."""
    from tierwise.demo.generator import generate_demo_files
    from tierwise.web.handoff import running

    settings = state.settings()
    db = Path(settings.db)
    other = running(settings)
    if other is not None:
        raise ConflictError(
            f"{db} is served at {other['url']} (process {other['pid']}): stop that server before "
            f"replacing its workspace with the demo / 该工作区正由服务器使用，请先停止服务器再重建演示数据"
        )
    if db.exists():
        if not replace:
            raise WorkspaceError(
                f"{db} already exists; the demo writes a fresh workspace: pass --replace "
                f"to overwrite it, or choose another --db")
        db.unlink()
        Path(str(db) + ".wal").unlink(missing_ok=True)
    data_dir = out_dir / "data"
    if data_dir.exists():
        shutil.rmtree(data_dir)
    lang = current_lang()
    with out.status("generating demo company"):
        files = generate_demo_files(data_dir, customers=customers, seed=seed)
    from tierwise.data.importer import ImportOptions

    summaries = []
    with open_workspace(create=True) as ws:
        for table, path in files.items():
            with out.status(f"importing {path.name} → {table}"):
                summaries.append(ws.imports.file(table, path, ImportOptions(lang=lang)))
        counts = ws.system.status()
    print_imports(summaries, lang)
    out.print(t("demo.generated", lang,
                customers=f"{counts['customers']:,}", orders=f"{counts['orders']:,}"))
    out.print(f"workspace: {db}")


# -- entry point -------------------------------------------------------------------------
def main() -> None:
    """Console entry point: run the app, turning user errors into one red line."""
    from tierwise.cli.help_text import command_for

    try:
        command_for(app)(prog_name="tierwise")  # usage errors (exit 2) and --help, in the run's language
    except Exception as exc:
        meant = exc if isinstance(exc, TierwiseError) else engine_error(exc)  # a full disk, say
        if meant is None or state.debug or "--debug" in sys.argv:
            raise
        err.print(f"[red]Error:[/red] {escape(str(meant))}", highlight=False, soft_wrap=True)
        sys.exit(1)
