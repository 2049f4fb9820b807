"""Reading users' files into the engine as columns plus a source row number.

A reader returns a :class:`Source` whose ``relation`` is SQL for a FROM clause yielding one
column per file header (and ``_row`` for every format but CSV). ``_row`` is the row number
a person sees: in a CSV or sheet the header is row 1; in Parquet and JSON lines the first
record is row 1. CSV is scanned once, straight into the importer's staging table; its row
numbers come from the order rows land there (:meth:`Source.number_rows`), corrected for
records the reader could not split into columns. Those go to ``_tw_bad`` (``_row, raw,
code, detail``) and are rejected with that reason. Nothing is dropped: every record is
staged or in ``_tw_bad``; records with no value at all are counted as ``blank``.
"""

from __future__ import annotations

import codecs
import csv
import mmap
import re
import shutil
import tempfile
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from tierwise.data.values import ident, sql_str
from tierwise.errors import DataError

FORMATS = {
    ".csv": "csv", ".txt": "csv", ".tsv": "csv",
    ".xlsx": "xlsx", ".xlsm": "xlsx",
    ".parquet": "parquet", ".pq": "parquet",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
}
UTF8 = ("utf-8", "utf8", "utf-8-sig", "ascii")


class RetryWithEncoding(Exception):
    """The scan met bytes that are not UTF-8 although the start was: read again as this."""

    def __init__(self, encoding: str) -> None:
        super().__init__(encoding)
        self.encoding = encoding


@dataclass
class Source:
    """What a reader found: headers, their engine types, counts and temp files to remove."""

    path: Path
    format: str
    headers: list[str]
    types: dict[str, str]
    relation: str = ""  # SQL FROM-clause item with one column per header (+ _row)
    numbered_by_scan: bool = False  # CSV: _row is filled by number_rows() after the scan
    read: int = 0  # records with at least one value (accepted or rejected later)
    blank: int = 0  # records with no value at all, not imported
    bad: int = 0  # records the reader could not split (in _tw_bad)
    encoding: str | None = None
    detected: bool = False  # encoding was detected, not declared
    temp_files: list[Path] = field(default_factory=list)
    reject_tables: tuple[str, str] | None = None

    def number_rows(self, con: duckdb.DuckDBPyConnection, stage: str) -> None:
        """CSV only, after the scan filled ``stage``: collect unreadable records into
        ``_tw_bad`` and set ``stage._row`` from scan order, skipping past them."""
        if not self.numbered_by_scan or self.reject_tables is None:
            return
        rej, scan = self.reject_tables
        bad_rows = con.execute(
            f"SELECT line, any_value(error_type)::VARCHAR, any_value(csv_line), "
            f"any_value(error_message) FROM {rej} GROUP BY line ORDER BY line"
        ).fetchall()
        con.execute(f"DROP TABLE IF EXISTS {rej}")
        con.execute(f"DROP TABLE IF EXISTS {scan}")
        if (self.detected and (self.encoding or "") in UTF8
                and any(r[1] == "INVALID ENCODING" for r in bad_rows)):
            raise RetryWithEncoding("gb18030")  # UTF-8 at the start, GBK further on
        no_bad_rows(con)
        if bad_rows:
            con.executemany(
                "INSERT INTO _tw_bad VALUES (?, ?, ?, ?)",
                [(int(line), (raw or "").lstrip("\r\n"), _CSV_ERRORS.get(kind, "bad_line"),
                  self.encoding if kind == "INVALID ENCODING" else msg)
                 for line, kind, raw, msg in bad_rows],
            )
        _number_by_scan_order(con, stage)
        self.bad = len(bad_rows)

    def fill_text(self, con: duckdb.DuckDBPyConnection, stage: str, where: str) -> None:
        """Set ``stage._raw`` (the file's text) for rows matching ``where`` that the scan
        did not keep, by reading the file again; costs nothing when no row matches."""
        todo = con.execute(f"SELECT count(*) FROM {stage} WHERE _raw IS NULL AND ({where})"
                           ).fetchone()
        if not todo or not todo[0]:
            return
        relation = self.relation
        if self.numbered_by_scan:  # CSV: the same scan, numbered the same way
            con.execute(f"CREATE OR REPLACE TEMP TABLE _tw_rescan AS SELECT * FROM {relation}")
            _number_by_scan_order(con, "_tw_rescan")
            relation = "_tw_rescan"
        text = "[" + ", ".join(f"CAST(r.{ident(h)} AS VARCHAR)" for h in self.headers) + "]"
        con.execute(f"UPDATE {stage} s SET _raw = {text} FROM {relation} r "
                    f"WHERE r._row = s._row AND s._raw IS NULL AND ({where})")

    def cleanup(self, con: duckdb.DuckDBPyConnection) -> None:
        temp = con.execute(
            "SELECT table_name, table_type FROM information_schema.tables "
            "WHERE table_catalog = 'temp' AND table_name LIKE '\\_tw\\_%' ESCAPE '\\'"
        ).fetchall()
        for name, kind in sorted(temp, key=lambda r: r[1] != "VIEW"):  # views first
            con.execute(f"DROP {'VIEW' if kind == 'VIEW' else 'TABLE'} IF EXISTS {ident(name)}")
        for path in self.temp_files:
            shutil.rmtree(path, ignore_errors=True)


def _number_by_scan_order(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Set ``table._row`` for rows a CSV scan wrote in file order: record k sits after the
    j unreadable records (in ``_tw_bad``) before it, found by an as-of join on "readable
    records before each unreadable one". The header is row 1.

    Scan order is the table's ``rowid`` order; inside an open transaction DuckDB numbers
    rows from a large base, so positions are ``rowid - min(rowid)`` (checked contiguous).
    """
    span = con.execute(f"SELECT min(rowid), max(rowid), count(*) FROM {table}").fetchone()
    if not span or not span[2]:
        return
    base, last, n = (int(v) for v in span)
    if last - base + 1 != n:  # never seen; refuse rather than misnumber rows
        raise AssertionError(f"{table}: scan order is not contiguous ({base}..{last}, {n} rows)")
    pos = f"(s.rowid - {base})"
    bad = con.execute("SELECT count(*) FROM _tw_bad").fetchone()
    if not bad or not bad[0]:
        con.execute(f"UPDATE {table} s SET _row = {pos} + 2")
        return
    con.execute(
        f"UPDATE {table} s SET _row = {pos} + 2 + coalesce(g.j, 0) FROM "
        f"(SELECT r.rowid AS k, g.j FROM {table} r ASOF LEFT JOIN (SELECT acc_before, "
        f"max(i) AS j FROM (SELECT _row - 1 - row_number() OVER (ORDER BY _row) AS "
        f"acc_before, row_number() OVER (ORDER BY _row) AS i FROM _tw_bad) "
        f"GROUP BY acc_before) g ON r.rowid - {base} + 1 > g.acc_before) g WHERE s.rowid = g.k"
    )


PACKED = (".gz", ".zip")
UNPACK_RATIO, UNPACK_FREE = 100, 2**30  # beyond both: refused as a decompression bomb


def unpack(path: Path) -> Path:
    """The file inside ``path`` (``orders.csv.gz``, or a ``.zip`` holding one file), written to a
    new temporary folder under its own name; at most 100 times the packed size (or 1 GiB)."""
    import gzip
    import tempfile
    import zipfile

    cap = max(UNPACK_FREE, UNPACK_RATIO * path.stat().st_size)
    folder = Path(tempfile.mkdtemp(prefix="tierwise-unpack-"))
    opener: Callable[[], Any]  # a binary file: GzipFile or ZipExtFile
    try:
        if path.suffix.lower() == ".gz":
            name, opener = path.stem, lambda: gzip.open(path, "rb")  # noqa: SIM115 - opened in the with below
        else:
            try:
                archive = zipfile.ZipFile(path)
            except zipfile.BadZipFile:
                raise DataError(f"{path}: not a zip file / 不是有效的 zip 文件") from None
            members = [m for m in archive.infolist() if not m.is_dir()]
            if len(members) != 1:
                names = ", ".join(m.filename for m in members[:5])
                raise DataError(f"{path}: holds {len(members)} files ({names}); zip one file per import / "
                                f"每次导入的 zip 只能包含一个文件")
            name, opener = Path(members[0].filename).name, lambda: archive.open(members[0])
        target = folder / name
        written = 0
        try:
            with opener() as packed, target.open("wb") as out:
                while chunk := packed.read(1 << 20):
                    written += len(chunk)
                    if written > cap:
                        mib = f"{cap // 2**20:,} MiB"
                        raise DataError(f"{path}: unpacks to more than {mib} (100 times its size); unpack "
                                        f"it yourself if that is right / 解压后超过 {mib}")
                    out.write(chunk)
        except (OSError, EOFError) as exc:
            raise DataError(f"{path}: cannot be unpacked ({exc}) / 无法解压") from None
        return target
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def detect_format(path: Path, declared: str | None = None) -> str:
    """The reader for ``path``: declared, else by its extension."""
    if declared:
        return declared
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise DataError(f"{path}: the old .xls format is not read; save it as .xlsx or CSV")
    if suffix not in FORMATS:
        raise DataError(
            f"{path}: cannot tell the format from '{suffix or 'no extension'}'; use one of "
            f"{', '.join(sorted(FORMATS))} or pass --format csv|xlsx|parquet|jsonl"
        )
    return FORMATS[suffix]


def read_source(con: duckdb.DuckDBPyConnection, path: Path, *, fmt: str | None = None,
                encoding: str | None = None, delimiter: str | None = None,
                sheet: str | None = None) -> Source:
    """Prepare ``path`` for a scan (see the module docstring). A ``.gz`` or ``.zip`` file is
    unpacked into a temporary folder first (removed with the source) and read as what it holds."""
    if not path.exists():
        raise DataError(f"{path}: file not found")
    if path.suffix.lower() in PACKED:
        inner = unpack(path)
        try:
            src = read_source(con, inner, fmt=fmt, encoding=encoding, delimiter=delimiter, sheet=sheet)
        except BaseException:
            shutil.rmtree(inner.parent, ignore_errors=True)
            raise
        src.temp_files.append(inner.parent)
        return src
    kind = detect_format(path, fmt)
    readers: dict[str, Callable[[], Source]] = {
        "csv": lambda: _read_csv(con, path, encoding, delimiter),
        "xlsx": lambda: read_xlsx(con, path, sheet),
        "parquet": lambda: _read_parquet(con, path),
        "jsonl": lambda: _read_jsonl(con, path, encoding),
    }
    if kind not in readers:
        raise DataError(f"{path}: unknown format '{kind}'; use csv, xlsx, parquet or jsonl")
    return readers[kind]()


def read_xlsx(con: duckdb.DuckDBPyConnection, path: Path, sheet: str | None) -> Source:
    """The first sheet of ``path`` (or ``sheet``): see :mod:`tierwise.data.sheets`."""
    from tierwise.data.sheets import read_sheet

    return read_sheet(con, path, sheet)


# -- CSV ---------------------------------------------------------------------------------
def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM), UTF-16 by BOM, else GB18030 (a superset of GBK)."""
    with path.open("rb") as fh:
        head = fh.read(1 << 20)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for enc in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(enc)().decode(head, final=False)
            return enc
        except UnicodeDecodeError:
            continue
    raise DataError(f"{path}: the text is neither UTF-8 nor GBK/GB18030; save it as UTF-8 "
                    f"or pass --encoding NAME")


def _encoding_name(name: str) -> str:
    """A declared encoding, checked: an unknown name is the user's error, not a crash."""
    try:
        codecs.lookup(name)
    except LookupError:
        raise DataError(f"unknown encoding '{name}'; use e.g. utf-8, gbk, gb18030 or utf-16") from None
    return name.lower()


def _transcode(path: Path, encoding: str, workdir: Path) -> Path:
    """Copy ``path`` to UTF-8 in ``workdir``, streaming; an undecodable byte is an error."""
    out = workdir / (path.stem + ".utf8.csv")
    decoder = codecs.getincrementaldecoder(encoding)()
    offset = lines = 0
    with path.open("rb") as src, out.open("w", encoding="utf-8", newline="") as dst:
        while chunk := src.read(1 << 22):
            try:
                dst.write(decoder.decode(chunk))
            except UnicodeDecodeError as exc:
                raise _undecodable(path, encoding, chunk, exc.start, offset, lines) from None
            offset += len(chunk)
            lines += chunk.count(b"\n")
        dst.write(decoder.decode(b"", final=True))
    return out


def _undecodable(path: Path, encoding: str, chunk: bytes, at: int, offset: int, lines: int) -> DataError:
    """Where a byte the encoding cannot read is (line, byte), the bytes around it, and the
    likely fix: a file of neither UTF-8 nor GBK is most often a Western Windows export (the
    UCI Online Retail CSV: '£' as byte 0xA3 in Windows-1252)."""
    line = lines + chunk.count(b"\n", 0, at) + 1
    start = chunk.rfind(b"\n", 0, at) + 1
    end = chunk.find(b"\n", at)
    text = chunk[start:end if end >= 0 else min(len(chunk), at + 80)][:200]
    western = text.decode("cp1252", errors="replace").strip()
    return DataError(
        f"{path}: line {line} (byte {offset + at}: 0x{chunk[at]:02X}) is not valid {encoding}. "
        f"Read as Windows-1252 (Western European) the line says: {western!r} — if that is right, "
        f"pass --encoding cp1252; otherwise save the file as UTF-8 or pass its --encoding / "
        f"第 {line} 行（第 {offset + at} 字节：0x{chunk[at]:02X}）不是有效的 {encoding} 编码。按 "
        f"Windows-1252（西欧）编码读为：{western!r}——如果正确，请加 --encoding cp1252；否则请把文件"
        f"另存为 UTF-8，或用 --encoding 指定其编码"
    )


def _needs_rewrite(path: Path) -> bool:
    """True when the engine's CSV reader would trip over the file's line breaks: an empty
    line between records (DuckDB skips those, which would shift the row numbers we report
    after it), or line endings that change within the file (\\r\\n and bare \\n, e.g. a
    header typed in another editor), which DuckDB's reader refuses outright."""
    if path.stat().st_size == 0:
        return False
    with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        if re.search(rb"\n\r?\n+[^\r\n]", mm) is not None:
            return True
        crlf = mm.find(b"\r\n") >= 0
        return crlf and re.search(rb"(?:^|[^\r])\n", mm) is not None


def _fill_blank_lines(path: Path, delimiter: str, width: int, workdir: Path) -> Path:
    """Rewrite a UTF-8 CSV with one kind of line ending and each blank line as an all-empty
    record, so that record numbers keep counting them. Quoted values (even with blank lines inside) are kept;
    a file whose quoting is broken is returned unchanged."""
    out = workdir / (path.stem + ".filled.csv")
    try:
        with path.open(encoding="utf-8-sig", newline="") as src, \
                out.open("w", encoding="utf-8", newline="") as dst:
            # \r\n makes the writer quote any value holding \r or \n
            writer = csv.writer(dst, delimiter=delimiter, lineterminator="\r\n")
            for row in csv.reader(src, delimiter=delimiter, strict=True):
                writer.writerow(row if row else [""] * width)
    except csv.Error:
        # Malformed quoting: leave the file as it is, so the engine's reader rejects the
        # broken record (row numbers after a blank line may then be one off).
        return path
    return out


# two headers side by side with a run of spaces between them (a column's own name may hold one)
_ALIGNED = re.compile(r"\S {2,}\S")


def _header_line(path: Path, encoding: str, delimiter: str | None) -> tuple[list[str], str]:
    with path.open("rb") as fh:
        sample = fh.readline(1 << 20)  # the header row, whole (a 64 KB sample cut a wide one short)
    if not sample.strip():
        raise DataError(f"{path}: the file is empty; it needs a header row and data rows")
    if len(sample) >= 1 << 20 and not sample.endswith(b"\n"):
        raise DataError(f"{path}: the header row is longer than 1 MiB; it is not a table's header / "
                        f"表头行超过 1 MiB")
    first_bytes = sample.splitlines()[0] if sample.splitlines() else sample
    try:
        first = first_bytes.decode(encoding)
    except UnicodeDecodeError:
        raise DataError(f"{path}: the header row is not valid {encoding}; pass the file's "
                        f"--encoding (e.g. gbk) or save it as UTF-8") from None
    if delimiter is None:
        counts = {d: first.count(d) for d in (",", "\t", ";", "|")}
        if not any(counts.values()) and _ALIGNED.search(first.strip()):
            raise DataError(
                f"{path}: the columns are lined up with spaces (a printed-style text export), not "
                f"separated by commas or tabs, so they cannot be told apart safely — export the data "
                f"from the system as CSV or Excel, or open the file in Excel (Data → Text to Columns → "
                f"Fixed width) and save it as .xlsx / 该文件的各列用空格对齐（打印样式的文本导出），"
                f"而不是用逗号或制表符分隔，无法可靠地拆分各列：请从系统中导出为 CSV 或 Excel，"
                f"或在 Excel 中打开（数据 → 分列 → 固定宽度）后另存为 .xlsx")
        delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    header = next(csv.reader([first], delimiter=delimiter))
    return unique_headers(header, path), delimiter


MAX_COLUMNS = 256  # columns of one file (a table has about 20, the attributes a few dozen)


def unique_headers(header: Sequence[object], path: Path) -> list[str]:
    if len(header) > MAX_COLUMNS:
        raise DataError(f"{path}: {len(header):,} columns; a file has at most {MAX_COLUMNS} (the table's "
                        f"columns and the customers' attributes): drop the others / "
                        f"列数过多（{len(header):,} 列，最多 {MAX_COLUMNS} 列）")
    out: list[str] = []
    for i, h in enumerate(header):
        name = str(h).replace("\ufeff", "").strip() if h is not None else ""
        name = name or f"column {i + 1}"
        while name in out:
            name = f"{name} (2)"
        out.append(name)
    return out


_CSV_ERRORS = {
    "TOO MANY COLUMNS": "too_many_columns",
    "MISSING COLUMNS": "missing_columns",
    "UNQUOTED VALUE": "unterminated_quote",
    "INVALID ENCODING": "bad_encoding",
}


def _read_csv(con: duckdb.DuckDBPyConnection, path: Path, encoding: str | None,
              delimiter: str | None) -> Source:
    workdir = Path(tempfile.mkdtemp(prefix="tierwise-"))
    enc = _encoding_name(encoding) if encoding else detect_encoding(path)
    src = Source(path, "csv", [], {}, encoding=enc, detected=encoding is None,
                 temp_files=[workdir], numbered_by_scan=True)
    readable = path if enc in UTF8 else _transcode(path, enc, workdir)
    headers, delim = _header_line(readable, "utf-8-sig", delimiter)
    if _needs_rewrite(readable):
        readable = _fill_blank_lines(readable, delim, len(headers), workdir)
    tag = uuid.uuid4().hex[:8]
    src.reject_tables = (f"_tw_rej_{tag}", f"_tw_scan_{tag}")
    columns = "{" + ", ".join(f"{sql_str(f'c{i}')}: 'VARCHAR'" for i in range(len(headers))) + "}"
    scan = (
        f"read_csv({sql_str(str(readable))}, columns={columns}, header=true, "
        f"delim={sql_str(delim)}, quote='\"', escape='\"', auto_detect=false, "
        f"store_rejects=true, rejects_table='{src.reject_tables[0]}', "
        f"rejects_scan='{src.reject_tables[1]}', max_line_size=10000000)"
    )
    try:  # fail early, with the file's name, on what the scan itself cannot start
        con.execute(f"SELECT * FROM {scan} LIMIT 0")
    except duckdb.Error as exc:
        raise DataError(f"{path}: cannot be read as CSV: {exc}") from None
    cols = ", ".join(f"c{i} AS {ident(h)}" for i, h in enumerate(headers))
    src.relation = f"(SELECT NULL::BIGINT AS _row, {cols} FROM {scan})"
    src.headers, src.types = headers, dict.fromkeys(headers, "VARCHAR")
    return src


# -- Parquet -----------------------------------------------------------------------------
def _read_parquet(con: duckdb.DuckDBPyConnection, path: Path) -> Source:
    try:
        described = con.execute(
            f"DESCRIBE SELECT * FROM read_parquet({sql_str(str(path))})"
        ).fetchall()
    except duckdb.Error as exc:
        raise DataError(f"{path}: cannot be read as Parquet: {exc}") from None
    headers = [str(r[0]) for r in described]
    unique_headers(headers, path)  # the count checked; Parquet's names are unique already
    types = {str(r[0]): str(r[1]) for r in described}
    cols = ", ".join(ident(h) for h in headers)
    relation = (f"(SELECT file_row_number + 1 AS _row, {cols} "
                f"FROM read_parquet({sql_str(str(path))}, file_row_number=true))")
    no_bad_rows(con)
    return Source(path, "parquet", headers, types, relation=relation)


# -- JSON lines --------------------------------------------------------------------------
def _read_jsonl(con: duckdb.DuckDBPyConnection, path: Path, encoding: str | None) -> Source:
    workdir = Path(tempfile.mkdtemp(prefix="tierwise-"))
    enc = _encoding_name(encoding) if encoding else detect_encoding(path)
    readable = path if enc in UTF8 else _transcode(path, enc, workdir)
    with readable.open("rb") as fh:
        if fh.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"["):
            shutil.rmtree(workdir, ignore_errors=True)
            raise DataError(f"{path}: this is a JSON array; tierwise reads JSON lines "
                            f"(one object per line). Convert it, e.g. with `jq -c '.[]'`")
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE _tw_lines AS SELECT NULL::BIGINT AS _row, line FROM "
        f"read_csv({sql_str(str(readable))}, columns={{'line': 'VARCHAR'}}, header=false, "
        f"delim='\\x01', quote='', escape='', auto_detect=false, max_line_size=10000000)"
    )
    # file order: lines as numbered (rowids start at a large base inside a transaction)
    con.execute("UPDATE _tw_lines SET _row = rowid - (SELECT min(rowid) FROM _tw_lines) + 1")
    # CASE, not AND: json_type raises on text that is not JSON, and AND evaluates both sides
    ok = "CASE WHEN json_valid(line) THEN json_type(line) = 'OBJECT' ELSE false END"
    keys = [str(r[0]) for r in con.execute(
        f"SELECT k FROM (SELECT unnest(json_keys(line)) AS k, _row FROM _tw_lines WHERE {ok}) "
        f"GROUP BY k ORDER BY min(_row), k"
    ).fetchall()]
    headers = unique_headers(list(keys), path)
    cols = ", ".join(
        f"line ->> {sql_str('$.' + json_key(k))} AS {ident(h)}" for k, h in zip(keys, headers,
                                                                               strict=True))
    relation = (f"(SELECT _row{', ' if cols else ''}{cols} "
                f"FROM _tw_lines WHERE line IS NOT NULL AND {ok})")
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _tw_bad AS SELECT _row, line AS raw, 'bad_json' AS code, "
        f"NULL::VARCHAR AS detail FROM _tw_lines WHERE line IS NOT NULL AND NOT ({ok})"
    )
    counts = con.execute("SELECT count(*) FILTER (WHERE line IS NULL) FROM _tw_lines").fetchone()
    bad = con.execute("SELECT count(*) FROM _tw_bad").fetchone()
    blank = int(counts[0]) if counts else 0
    return Source(path, "jsonl", headers, dict.fromkeys(headers, "VARCHAR"), relation=relation,
                  blank=blank, bad=int(bad[0]) if bad else 0, encoding=enc, temp_files=[workdir])


def json_key(key: str) -> str:
    """A JSON object key as a quoted JSONPath member."""
    return '"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'


def no_bad_rows(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE OR REPLACE TEMP TABLE _tw_bad (_row BIGINT, raw VARCHAR, code VARCHAR, "
                "detail VARCHAR)")
