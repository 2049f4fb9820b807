"""Property test: messy CSV files (every value form, garbage, missing values, random text
with quotes, delimiters and newlines, blank lines, ragged rows, three encodings) import with
every record accounted for, at the right row, for the right reason, with the right values."""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st

from conftest import do_import, read_rejected
from tierwise.settings import Settings
from tierwise.workspace import Workspace

HEADERS = {"en": ["order_id", "line_no", "customer_id", "order_date", "amount", "note"],
           "zh": ["订单号", "行号", "客户编号", "下单日期", "金额", "备注"]}
COLUMNS = ["order_id", "line_no", "customer_id", "order_date", "amount", "note"]
SPACE = " \t\r\n\u00a0\u3000"
EPOCH = dt.datetime(1899, 12, 30)
FULLWIDTH = str.maketrans("0123456789.,-", "０１２３４５６７８９．，－")


@dataclass(frozen=True)
class Cell:
    text: str  # as written to the file
    code: str | None  # reason code when the value is rejected, None when it is fine
    value: object = None  # the stored value when fine


@pytest.fixture(scope="module")
def shared_ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    ws = Workspace.open(Settings(db=tmp_path_factory.mktemp("hyp") / "w.duckdb"), create=True)
    yield ws
    ws.close()


# -- strategies ------------------------------------------------------------------------
SPECIAL = list(',"\n\r\t ;，“”中文客户￥¥')
random_text = st.text(  # any character, but delimiters, quotes, line breaks and Chinese often
    alphabet=st.one_of(st.characters(exclude_categories=("Cs", "Cc", "Cn", "Co")),
                       st.sampled_from(SPECIAL), st.sampled_from(SPECIAL)),
    max_size=8,
)
missing = st.sampled_from(["", " ", "NULL", "n/a", "—", "\u3000"])
garbage = random_text.map(lambda t: "x" + t)


def _date_forms(d: dt.datetime) -> list[tuple[str, dt.datetime]]:
    serial = (d - EPOCH).days
    return [(d.strftime("%Y-%m-%d"), d), (f"{d.year}/{d.month}/{d.day}", d), (d.strftime("%Y%m%d"), d),
            (f"{d.year}年{d.month}月{d.day}日", d), (str(serial), d),
            (f"{serial}.5", d + dt.timedelta(hours=12)),
            (d.strftime("%Y-%m-%d") + " 13:45:10", d.replace(hour=13, minute=45, second=10))]


@st.composite
def date_cell(draw: st.DrawFn) -> Cell:
    kind = draw(st.sampled_from(["ok", "ok", "ok", "ambiguous", "implausible", "bad", "missing"]))
    if kind == "ok":
        day = draw(st.dates(dt.date(1960, 1, 1), dt.date(2090, 12, 31)))
        text, value = draw(st.sampled_from(_date_forms(dt.datetime(day.year, day.month, day.day))))
        return Cell(text, None, value)
    if kind == "ambiguous":
        return Cell(draw(st.sampled_from(["05/03/2024", "3/5/2024", "12.11.2023"])), "ambiguous_date")
    if kind == "implausible":
        return Cell(draw(st.sampled_from(["1850-01-01", "2101-06-30", "1899/12/31"])), "implausible_date")
    if kind == "bad":
        return Cell(draw(garbage), "bad_date")
    return Cell(draw(missing), "missing")


@st.composite
def amount_cell(draw: st.DrawFn) -> Cell:
    kind = draw(st.sampled_from(["ok", "ok", "ok", "ok", "comma", "large", "bad", "missing"]))
    if kind == "ok":
        value = Decimal(draw(st.integers(-10**9, 10**9))) / 100
        grouped = f"{abs(value):,.2f}"
        if value < 0:
            forms = [str(value), f"({grouped})", f"{abs(value)}-", str(value).translate(FULLWIDTH),
                     f"-¥{grouped}"]
        else:
            forms = [str(value), f"¥{grouped}", f"￥{grouped}", str(value).translate(FULLWIDTH),
                     f"{value}元", f"RMB {grouped}", f" {value} "]
        return Cell(draw(st.sampled_from(forms)), None, value.quantize(Decimal("0.01")))
    if kind == "comma":
        return Cell(draw(st.sampled_from(["12,5", "1.234,50", "-3,75"])), "decimal_comma")
    if kind == "large":
        return Cell("12345678901234567", "too_large")
    if kind == "bad":
        return Cell(draw(garbage), "bad_number")
    return Cell(draw(missing), "no_amount")


order_id_cell = st.one_of(
    st.sampled_from(["A", "B", "单1"]).map(lambda t: Cell(t, None, t)),
    missing.map(lambda t: Cell(t, "missing")),
)
line_no_cell = st.one_of(
    st.sampled_from(["1", "2"]).map(lambda t: Cell(t, None, int(t))),
    st.sampled_from(["1", "2"]).map(lambda t: Cell(t, None, int(t))),
    garbage.map(lambda t: Cell(t, "bad_integer")),
    missing.map(lambda t: Cell(t, "missing")),
)
customer_cell = st.one_of(
    random_text.map(lambda t: Cell("C" + t, None, ("C" + t).strip(SPACE))),
    missing.map(lambda t: Cell(t, "no_customer")),
)
note_cell = random_text.map(lambda t: Cell(t, None))


@dataclass(frozen=True)
class Record:
    cells: tuple[Cell, ...]
    shape: int  # 0: as the header; +1: one value too many; -1/-2: values missing
    blank_before: int  # empty lines written before this record


record = st.builds(
    Record,
    st.tuples(order_id_cell, line_no_cell, customer_cell, date_cell(), amount_cell(), note_cell),
    st.sampled_from([0] * 12 + [1, -1, -2]),
    st.sampled_from([0] * 6 + [1, 2]),
)


# -- the oracle ------------------------------------------------------------------------
def _fields(rec: Record) -> list[str]:
    fields = [c.text for c in rec.cells]
    if rec.shape > 0:
        fields.append("extra")
    elif rec.shape < 0:
        fields = fields[: rec.shape]
        if not any(fields):
            fields[0] = "x"
    return fields


def _expect(records: list[Record], headers: list[str]) -> tuple[dict[int, tuple[str, str]], list[tuple], int]:
    """Expected {row: (column header, code)}, accepted (key, customer, date, amount) and blanks."""
    rejected: dict[int, tuple[str, str]] = {}
    accepted: dict[tuple[object, object], tuple[int, tuple]] = {}
    row, blank = 1, 0
    for rec in records:
        row += rec.blank_before + 1
        blank += rec.blank_before
        fields = _fields(rec)
        if not any(fields):
            blank += 1
            continue
        if rec.shape != 0:
            rejected[row] = ("", "too_many_columns" if rec.shape > 0 else "missing_columns")
            continue
        failed = next(((headers[i], c.code) for i, c in enumerate(rec.cells) if c.code), None)
        if failed:
            rejected[row] = failed
            continue
        order_id, line_no, customer, date, amount, _ = rec.cells
        key = (order_id.value, line_no.value)
        if key in accepted:
            rejected[row] = (f"{headers[0]}, {headers[1]}", "duplicate_key")
            continue
        accepted[key] = (row, (order_id.value, line_no.value, customer.value, date.value, amount.value))
    return rejected, [v[1] for v in accepted.values()], blank


def _write(path: Path, headers: list[str], records: list[Record], encoding: str) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(headers)
    for rec in records:
        buf.write("\r\n" * rec.blank_before)
        writer.writerow(_fields(rec))
    path.write_bytes(buf.getvalue().encode(encoding))


# Each example is a real import (a fraction of a second), so shrinking a failure could take
# minutes: it is left out, and the failing file is printed instead.
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          phases=(Phase.explicit, Phase.generate), database=None)
@given(records=st.lists(record, min_size=1, max_size=30),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "gbk"]),
       lang=st.sampled_from(["en", "zh"]))
def test_messy_csv_accounts_for_every_record(shared_ws: Workspace, records: list[Record], encoding: str,
                                            lang: str) -> None:
    ws = shared_ws
    for table in ("orders", "customers", "imports"):
        ws.db.con.execute(f"DELETE FROM {table}")
    headers = HEADERS["zh" if encoding == "gbk" else lang]
    text_rows = [_fields(r) for r in records]
    try:
        "".join(h for h in headers).encode(encoding)
        for fields in text_rows:
            "".join(fields).encode(encoding)
    except UnicodeEncodeError:
        encoding = "utf-8"
    expected_rejects, expected_rows, expected_blank = _expect(records, headers)
    n_records = sum(1 for f in text_rows if any(f))

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "messy.csv"
        _write(path, headers, records, encoding)
        note(f"{encoding} file:\n{path.read_bytes().decode(encoding)!r}")
        s = do_import(ws, "orders", path)

        assert s.read == n_records
        assert s.read == s.accepted + s.rejected
        assert s.blank == expected_blank
        assert s.accepted == len(expected_rows)
        assert s.inserted == s.accepted
        if s.rejected:
            _, rows = read_rejected(path.with_name("messy.rejected.csv"))
            assert s.rejected_file == str(path.with_name("messy.rejected.csv"))
        else:
            rows = []
            assert s.rejected_file is None
            assert not path.with_name("messy.rejected.csv").exists()
    assert len(rows) == s.rejected
    numbers = [int(r["tierwise_row"]) for r in rows]
    assert len(set(numbers)) == len(numbers)
    last_row = 1 + len(records) + sum(r.blank_before for r in records)
    assert all(2 <= n <= last_row for n in numbers)
    got = {int(r["tierwise_row"]): (r["tierwise_column"], r["tierwise_code"]) for r in rows}
    assert got == expected_rejects

    # rejected rows keep the values the file had (rows the reader could split)
    row_of = {}
    row = 1
    for rec in records:
        row += rec.blank_before + 1
        row_of[row] = rec
    for r in rows:
        if r["tierwise_column"] and r["tierwise_code"] != "duplicate_key":
            rec = row_of[int(r["tierwise_row"])]
            assert [r[h] for h in headers] == [c.text for c in rec.cells]

    stored = ws.db.con.execute(
        "SELECT order_id, line_no, customer_id, order_date, amount FROM orders").fetchall()
    assert sorted(stored, key=repr) == sorted(expected_rows, key=repr)
    customers = {c[2] for c in expected_rows}
    assert s.customers_created == len(customers)
    assert {r[0] for r in ws.db.con.execute("SELECT customer_id FROM customers").fetchall()} == customers
