"""Files as they come from outside (issue 20): CamelCase headers (the UCI Online Retail export),
a day/month order the file's own dates prove, gzip and zip files, and a dry run that writes
nothing at all."""

from __future__ import annotations

import gzip
import zipfile
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import do_import, run_cli, write_csv
from tierwise.errors import DataError
from tierwise.workspace import Workspace

RETAIL = ["InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID",
          "Country"]
UK = "United Kingdom"
LINES = [["536365", "85123A", "WHITE HANGING HEART", "6", "12/1/2010 8:26", "2.55", "17850.0", UK],
         ["536365", "71053", "WHITE METAL LANTERN", "6", "12/1/2010 8:26", "3.39", "17850.0", UK],
         ["536366", "22633", "HAND WARMER UNION JACK", "6", "12/23/2010 8:28", "1.85", "13047", UK]]


def test_online_retail_as_exported(ws: Workspace, tmp_path: Path) -> None:
    """CamelCase headers are recognised, the amount is quantity × unit price, lines are
    numbered, 17850.0 is customer 17850, and 12/23/2010 proves the file is month-first."""
    summary = do_import(ws, "orders", write_csv(tmp_path / "retail.csv", [RETAIL, *LINES]))
    assert (summary.accepted, summary.rejected) == (3, 0)
    assert summary.columns == {"InvoiceNo": "order_id", "StockCode": "product_id", "Quantity": "quantity",
                               "InvoiceDate": "order_date", "UnitPrice": "unit_price",
                               "CustomerID": "customer_id"}
    assert summary.ignored_columns == ["Description", "Country"]
    assert summary.date_order_inferred == ("MDY", "12/23/2010 8:28")
    rows = ws.db.con.execute("SELECT order_id, customer_id, order_date, amount FROM orders "
                             "ORDER BY order_date, amount").fetchall()
    assert rows == [("536365", "17850", datetime(2010, 12, 1, 8, 26), Decimal("15.30")),
                    ("536365", "17850", datetime(2010, 12, 1, 8, 26), Decimal("20.34")),
                    ("536366", "13047", datetime(2010, 12, 23, 8, 28), Decimal("11.10"))]


def test_a_western_windows_export_names_its_line_and_encoding(ws: Workspace, tmp_path: Path) -> None:
    """The Online Retail CSV as Kaggle ships it is Windows-1252 ('£' is byte 0xA3), neither
    UTF-8 nor GBK: the error names the line, shows it read as Windows-1252 and the option to
    pass; with that option every line is read."""
    lines = [*LINES] * 20_000 + [["539492", "gift_0001_40", "Gift Voucher £40.00", "1", "12/20/2010 10:14",
                                  "34.04", "17850", UK]]
    f = write_csv(tmp_path / "data.csv", [RETAIL, *lines], encoding="cp1252")
    assert f.stat().st_size > 1 << 20  # the first megabyte is ASCII: detected as GB18030
    with pytest.raises(DataError, match=r"line 60002 \(byte \d+: 0xA3\) is not valid gb18030") as err:
        do_import(ws, "orders", f)
    assert "Gift Voucher £40.00" in str(err.value) and "--encoding cp1252" in str(err.value)
    assert ws.db.counts()["orders"] == 0
    summary = do_import(ws, "orders", f, encoding="cp1252")
    assert (summary.read, summary.accepted) == (60_001, 60_001)


def test_day_first_proven_and_contradictions_stay_ambiguous(ws: Workspace, tmp_path: Path) -> None:
    head = ["order_id", "customer_id", "order_date", "amount"]
    day_first = [["A", "C1", "05/03/2024", "1"], ["B", "C1", "23/03/2024", "2"]]
    summary = do_import(ws, "orders", write_csv(tmp_path / "d.csv", [head, *day_first]))
    assert summary.date_order_inferred == ("DMY", "23/03/2024") and summary.rejected == 0
    assert ws.db.con.execute("SELECT order_date FROM orders WHERE order_id = 'A'").fetchone() == (
        datetime(2024, 3, 5),)
    both = [["C", "C1", "05/03/2024", "1"], ["D", "C1", "23/03/2024", "2"], ["E", "C1", "03/23/2024", "3"]]
    mixed = do_import(ws, "orders", write_csv(tmp_path / "m.csv", [head, *both]))
    assert mixed.date_order_inferred is None  # the file contradicts itself: nothing is guessed
    assert mixed.rejected == 3 and mixed.top_reasons[0]["reason"].startswith("'05/03/2024' could be")


@pytest.mark.parametrize("packing", ["gz", "zip"])
def test_packed_files(ws: Workspace, tmp_path: Path, packing: str) -> None:
    plain = write_csv(tmp_path / "retail.csv", [RETAIL, *LINES])
    if packing == "gz":
        packed = tmp_path / "retail.csv.gz"
        packed.write_bytes(gzip.compress(plain.read_bytes()))
    else:
        packed = tmp_path / "retail.zip"
        with zipfile.ZipFile(packed, "w") as z:
            z.write(plain, "retail.csv")
    plain.unlink()
    assert do_import(ws, "orders", packed).accepted == 3
    with zipfile.ZipFile(tmp_path / "two.zip", "w") as z:
        z.writestr("a.csv", "x\n")
        z.writestr("b.csv", "y\n")
    with pytest.raises(DataError, match="holds 2 files"):
        do_import(ws, "orders", tmp_path / "two.zip")


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    bad = [*LINES, ["536367", "84879", "BIRD", "x", "12/1/2010 8:34", "1.69", "13047", UK]]
    path = write_csv(tmp_path / "retail.csv", [RETAIL, *bad])
    db = tmp_path / "new.duckdb"
    r = run_cli("--db", db, "import", "orders", path, "--dry-run")
    assert r.returncode == 0, r.stderr
    assert "rejected" in r.stdout and "dry run: nothing was written" in r.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["retail.csv"]  # no workspace, no rejected file


def test_a_whitespace_aligned_text_says_how_to_save_it(ws: Workspace, tmp_path: Path) -> None:
    """A printed-style export (columns lined up with spaces) cannot be split safely: the error
    says so and how to save it, in both languages, instead of "no customer_id column"; a file
    whose one header holds single spaces is not taken for one."""
    aligned = tmp_path / "orders.txt"
    aligned.write_text("客户编号    下单日期      金额\nC001        2024-03-01   1,200.00\n"
                       "C002        2024-03-02      35.50\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"orders\.txt: the columns are lined up with spaces.*Fixed width"
                                        r".*各列用空格对齐.*另存为 \.xlsx"):
        do_import(ws, "orders", aligned)
    assert ws.db.con.execute("SELECT count(*) FROM orders").fetchone() == (0,)
    one = tmp_path / "ids.txt"
    one.write_text("Kunden Nummer\nC001\n", encoding="utf-8")
    with pytest.raises(DataError, match="customer_id") as found:
        do_import(ws, "customers", one)
    assert "lined up" not in str(found.value)
