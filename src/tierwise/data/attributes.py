"""Setting a customer attribute by hand, such as the manager flags the B2B levels read
(``flag``: strategic / key / distinguished / model / free, ``annual_agreement``), with an
audit row. Canonical columns come from the customers file (and ``credit_limit`` from
``tierwise credit limit``); a re-import only overwrites an attribute when its file has that
column."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tierwise.errors import ConfigError, DataError
from tierwise.store.audit import record
from tierwise.store.keys import has_customer, one_customer_args, one_customer_sql
from tierwise.store.schema import CUSTOMERS, extra_columns

if TYPE_CHECKING:
    from tierwise.store.database import Database


def set_attribute(ws: Database, customer: str, attribute: str, value: str | None, *, by: str,
                  reason: str) -> tuple[str | None, str | None]:
    """Set ``attribute`` of ``customer`` to ``value`` (None clears it), adding the attribute
    column when the workspace has none yet; returns (old, new)."""
    if not reason or not reason.strip():
        raise ConfigError("give the reason with --reason: the change goes into the audit trail / "
                          "请用 --reason 说明原因")
    if not re.match(r"^[a-z][a-z0-9_]*$", attribute):
        raise ConfigError(f"attribute {attribute!r}: use lower-case letters, digits and _ / "
                          f"属性名只能用小写字母、数字和下划线")
    if attribute == "credit_limit":
        raise ConfigError("credit_limit: use `tierwise credit limit CUSTOMER AMOUNT --reason ...` / "
                          "授信额度请用 credit limit")
    if attribute == "rep_id":
        raise ConfigError(f"rep_id: hand the customer over with `tierwise handover --customer {customer} "
                          "--to REP --apply --reason ...` (its open tasks follow, audited) / "
                          "更换业务员请用 tierwise handover（待办任务随之转移，并记入审计）")
    if not extra_columns(CUSTOMERS, [attribute]):
        raise ConfigError(f"{attribute} is a column of your customers file: change it there and import it "
                          f"again / {attribute} 来自客户文件，请修改文件后重新导入")
    con = ws.con
    columns = {r[0]: r[1] for r in con.execute(
        "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'customers' AND "
        "schema_name = 'main'").fetchall()}
    if attribute in columns and columns[attribute] != "VARCHAR":
        raise ConfigError(f"{attribute} holds {columns[attribute]} values; set it through the customers file "
                          f"/ 该属性不是文本，请通过客户文件导入")
    with ws.transaction():
        mine, args = one_customer_sql(), one_customer_args(customer)
        if not has_customer(con, customer):
            raise DataError(f"no customer {customer!r} / 没有客户 {customer!r}")
        old = None
        if attribute in columns:
            row = con.execute(f'SELECT "{attribute}" FROM customers WHERE {mine}', args).fetchone()
            old = row[0] if row else None
        else:
            con.execute(f'ALTER TABLE customers ADD COLUMN "{attribute}" VARCHAR')
        con.execute(f'UPDATE customers SET "{attribute}" = ? WHERE {mine}', [value, *args])
        record(con, actor=by, action="customer.attribute", customer_id=customer, subject=attribute, old=old,
               new=value, reason=reason.strip())
    return old, value
