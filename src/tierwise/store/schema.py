"""Canonical tables of a workspace: their columns, types, keys and header aliases.

Inside tierwise every column has one fixed snake_case name. Users' headers (English or
Chinese, any case) are matched against ``aliases`` at the edge, in :mod:`tierwise.data`.
The README's table reference is generated from these specs (``tierwise tables --markdown``),
so this module is the single place a column is defined.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from tierwise.store.keys import KEY, KEYED_TABLES

Kind = Literal["id", "text", "timestamp", "date", "money", "number", "integer", "activity_kind"]

SQL_TYPES: dict[Kind, str] = {
    "id": "VARCHAR",
    "text": "VARCHAR",
    "timestamp": "TIMESTAMP",
    "date": "DATE",
    "money": "DECIMAL(18,2)",
    "number": "DECIMAL(18,4)",
    "integer": "BIGINT",
    "activity_kind": "VARCHAR",
}

ACTIVITY_KINDS: dict[str, tuple[str, ...]] = {
    # canonical kind: accepted spellings (compared lower-cased and trimmed)
    "visit": ("visit", "拜访", "上门", "走访", "面访", "面谈", "见面", "meeting", "meet"),
    "call": ("call", "phone", "电话", "致电", "来电", "去电", "电访", "phone call"),
    "message": ("message", "msg", "微信", "短信", "邮件", "消息", "email", "e-mail", "sms",
                "wechat", "qq", "留言"),
    "care": ("care", "关怀", "问候", "慰问", "回访", "生日关怀", "节日关怀"),
    "complaint": ("complaint", "投诉", "客诉", "抱怨"),
    "other": ("other", "其他", "其它"),
}


@dataclass(frozen=True)
class Column:
    """One canonical column: its name inside tierwise, kind, and the headers that mean it."""

    name: str
    kind: Kind
    help_en: str
    help_zh: str
    required: bool = False
    aliases: tuple[str, ...] = ()

    @property
    def sql_type(self) -> str:
        return SQL_TYPES[self.kind]


@dataclass(frozen=True)
class Table:
    """A canonical table: columns, the key rows are upserted by, and whether extra
    attribute columns a user brings are kept (dimension tables) or reported as ignored."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    help_en: str
    help_zh: str
    keeps_extra_columns: bool = False
    # key columns that tierwise generates when a file does not have them (see importer)
    generated_key: tuple[str, ...] = field(default=())

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def references_customers(self) -> bool:
        return self.name != "customers" and "customer_id" in self.names


C = Column

CUSTOMER_ID = C("customer_id", "id", "Customer code, unique per customer.", "客户编号，每个客户唯一。",
                True, ("客户编号", "客户id", "客户代码", "客户编码", "客户号", "客户", "customer",
                       "customer id", "customer code", "cust id", "client id", "会员编号", "会员id"))
REP_ID = C("rep_id", "id", "Sales rep who owns the record.", "负责的业务员编号。",
           False, ("业务员", "销售员", "业务员编号", "销售员编号", "负责人", "客户经理", "销售代表",
                   "跟进人", "sales rep", "rep", "salesperson", "owner", "account manager"))
DEPARTMENT = C("department", "text", "Department (sales team).", "部门（销售团队）。",
               False, ("部门", "销售部门", "事业部", "dept", "team", "sales team"))
OUTLET = C("outlet", "text", "Outlet, branch or shop.", "门店、网点或分公司。",
           False, ("门店", "网点", "分店", "店铺", "分公司", "branch", "store", "shop"))

CUSTOMERS = Table(
    "customers",
    (
        CUSTOMER_ID,
        C("name", "text", "Customer name.", "客户名称。", False,
          ("客户名称", "客户名", "名称", "公司名称", "单位名称", "customer name", "company", "client")),
        C("type", "text", "Business type (trading, construction, retail ...).",
          "业务类型（贸易、工程、零售等）。", False,
          ("客户类型", "类型", "行业", "业务类型", "customer type", "business type", "industry")),
        C("region", "text", "Region or city.", "区域或城市。", False,
          ("区域", "地区", "城市", "省份", "片区", "area", "city", "province")),
        DEPARTMENT,
        OUTLET,
        REP_ID,
        C("created_date", "date", "Date the customer was created (first contact).",
          "客户建档日期（首次接触）。", False,
          ("建档日期", "创建日期", "注册日期", "开户日期", "入库日期", "created", "created at",
           "signup date", "registration date")),
        C("credit_limit", "money", "Credit limit (授信额度), in yuan.", "授信额度（元）。", False,
          ("授信额度", "信用额度", "额度", "credit line", "limit")),
        C("payment_terms_days", "integer", "Days of credit given on an order (账期).",
          "账期天数。", False, ("账期", "账期天数", "付款期限", "信用期", "payment terms", "terms")),
    ),
    key=("customer_id",),
    help_en="One row per customer or prospect; extra columns a file brings are kept as attributes.",
    help_zh="每个客户或潜在客户一行；文件中的其他列作为客户属性保留。",
    keeps_extra_columns=True,
)

ORDERS = Table(
    "orders",
    (
        C("order_id", "id", "Order or invoice number.", "订单号或单据号。", False,
          ("订单号", "单号", "订单编号", "单据号", "单据编号", "销售单号", "发票号", "order",
           "order no", "order number", "invoice", "invoice no", "invoice number")),
        C("line_no", "integer", "Line number within the order.", "订单内行号。", False,
          ("行号", "明细行号", "序号", "line", "line number", "item no")),
        CUSTOMER_ID,
        C("order_date", "timestamp", "Date (and time) of the order.", "下单日期（及时间）。", True,
          ("下单日期", "订单日期", "日期", "下单时间", "销售日期", "开单日期", "单据日期", "交易日期",
           "date", "order date", "order time", "invoice date", "sale date")),
        C("amount", "money", "Net amount of the line; negative for a return or credit note.",
          "本行净金额；退货或红冲为负数。", True,
          ("金额", "销售额", "销售金额", "订单金额", "成交金额", "实收金额", "价税合计", "总额",
           "amount", "sales", "revenue", "total", "net amount", "line amount")),
        C("product_id", "id", "Product code.", "产品编号。", False,
          ("产品编号", "商品编号", "物料编号", "产品编码", "商品编码", "存货编码", "sku", "product",
           "product code", "item", "item code", "stock code")),
        C("quantity", "number", "Quantity; negative for a return.", "数量；退货为负数。", False,
          ("数量", "销量", "件数", "qty", "quantity", "units")),
        C("unit_price", "number", "Price per unit.", "单价。", False,
          ("单价", "售价", "含税单价", "price", "unit price")),
        C("cost", "money", "Cost of goods for the line.", "本行商品成本。", False,
          ("成本", "成本金额", "销售成本", "cogs", "cost of goods")),
        C("due_date", "date", "Date payment for the line is due.", "本行应收款到期日。", False,
          ("到期日", "应收日期", "付款到期日", "账期到期日", "due", "due date", "payment due")),
        OUTLET,
        REP_ID,
        DEPARTMENT,
    ),
    key=("order_id", "line_no"),
    help_en="Order lines (one row per product of an invoice); returns are negative amounts.",
    help_zh="订单明细（一张单据的每个产品一行）；退货金额为负。",
    generated_key=("order_id", "line_no"),
)

PAYMENTS = Table(
    "payments",
    (
        C("payment_id", "id", "Payment or receipt number.", "回款单号。", True,
          ("回款单号", "收款单号", "回款编号", "收款编号", "流水号", "payment", "payment no",
           "receipt", "receipt no")),
        CUSTOMER_ID,
        C("payment_date", "timestamp", "Date the payment was received.", "回款日期。", True,
          ("回款日期", "收款日期", "到账日期", "付款日期", "日期", "date", "paid date",
           "received date")),
        C("amount", "money", "Amount received.", "回款金额。", True,
          ("回款金额", "收款金额", "到账金额", "金额", "amount", "paid", "paid amount")),
        C("order_id", "id", "Order the payment is for, if known.", "对应订单号（如有）。", False,
          ("订单号", "单号", "对应订单", "order", "order no", "invoice", "invoice no")),
    ),
    key=("payment_id",),
    help_en="Payments received (回款).",
    help_zh="回款记录。",
    generated_key=("payment_id",),
)

ACTIVITIES = Table(
    "activities",
    (
        C("activity_id", "id", "Follow-up record number.", "跟进记录编号。", True,
          ("跟进编号", "记录编号", "跟进记录编号", "activity", "record id")),
        CUSTOMER_ID,
        C("activity_date", "timestamp", "Date of the follow-up.", "跟进日期。", True,
          ("跟进日期", "跟进时间", "拜访日期", "联系日期", "日期", "date", "contact date")),
        C("kind", "activity_kind",
          "visit, call, message, care, complaint or other (Chinese words accepted).",
          "拜访、电话、消息、关怀、投诉或其他（可用中文）。", True,
          ("跟进方式", "方式", "类型", "跟进类型", "联系方式", "type", "channel", "activity type")),
        REP_ID,
        C("outcome", "text", "Result of the follow-up.", "跟进结果。", False,
          ("结果", "跟进结果", "result")),
        C("note", "text", "Free text.", "备注。", False,
          ("备注", "内容", "跟进内容", "说明", "notes", "comment", "remark")),
    ),
    key=("activity_id",),
    help_en="Follow-ups with customers: visits, calls, messages, care touches, complaints.",
    help_zh="客户跟进：拜访、电话、消息、关怀、投诉。",
    generated_key=("activity_id",),
)

REPS = Table(
    "reps",
    (
        C("rep_id", "id", "Rep code.", "业务员编号。", True,
          ("业务员编号", "员工编号", "工号", "销售员编号", "业务员", "销售员", "rep", "employee id")),
        C("name", "text", "Rep name.", "姓名。", False, ("姓名", "业务员姓名", "名字", "rep name")),
        DEPARTMENT,
        OUTLET,
        C("manager_id", "id", "The rep's manager (a rep_id).", "上级主管（业务员编号）。", False,
          ("主管", "上级", "经理", "主管编号", "manager", "supervisor")),
        C("capacity", "integer", "How many customer-equivalents the rep can look after.",
          "可负责的客户当量。", False, ("容量", "负责客户数", "客户容量", "max customers")),
    ),
    key=("rep_id",),
    help_en="Sales reps and their managers.",
    help_zh="业务员及其主管。",
    keeps_extra_columns=True,
)

PRODUCTS = Table(
    "products",
    (
        C("product_id", "id", "Product code.", "产品编号。", True,
          ("产品编号", "商品编号", "物料编号", "产品编码", "商品编码", "存货编码", "sku", "product",
           "product code", "item code")),
        C("name", "text", "Product name.", "产品名称。", False,
          ("产品名称", "商品名称", "品名", "物料名称", "product name", "item name")),
        C("category", "text", "Product category.", "产品类别。", False,
          ("类别", "品类", "分类", "产品类别", "商品类别", "category", "class")),
        C("consumption_days", "integer", "Typical days until a unit is used up.",
          "一个单位通常用完的天数。", False,
          ("消耗周期", "使用周期", "消耗天数", "补货周期", "consumption cycle", "usage days")),
    ),
    key=("product_id",),
    help_en="Products, with how long a unit typically lasts.",
    help_zh="产品，以及一个单位通常能用多久。",
    keeps_extra_columns=True,
)

TARGETS = Table(
    "targets",
    (
        C("month", "date", "The month of the target (any day of it; 2026-01-01).",
          "目标所属月份（该月任一天，如 2026-01-01）。", True,
          ("月份", "月", "目标月份", "期间", "month", "period")),
        C("rep_id", "id", "The rep the target is for (empty: a department's or the company's).",
          "目标所属业务员（空：部门或全公司目标）。", False,
          ("业务员编号", "业务员", "销售员", "工号", "rep", "salesperson")),
        DEPARTMENT,
        C("class", "text", "Only customers of this class of the main grade (its id or name; empty: all).",
          "仅限主等级中该类别的客户（类别编号或名称；空：全部）。", False,
          ("客户类别", "客户等级", "类别", "等级", "customer class", "tier", "grade")),
        C("revenue", "money", "Revenue target.", "销售额目标。", False,
          ("销售额目标", "销售目标", "目标销售额", "业绩目标", "revenue target", "sales target")),
        C("revenue_stretch", "money", "Stretch revenue target.", "销售额挑战目标。", False,
          ("销售额挑战目标", "挑战销售额", "挑战目标", "冲刺目标", "stretch revenue", "revenue stretch")),
        C("new_customers", "integer", "New customers target (first order in the month).",
          "新客户目标（当月首次下单）。", False,
          ("新客户目标", "新增客户目标", "新客户", "new customers", "new customers target")),
        C("new_customers_stretch", "integer", "Stretch new customers target.", "新客户挑战目标。", False,
          ("新客户挑战目标", "新增客户挑战目标", "new customers stretch")),
        C("visits", "integer", "Visits target.", "拜访目标。", False,
          ("拜访目标", "拜访次数目标", "拜访", "visits", "visits target")),
        C("visits_stretch", "integer", "Stretch visits target.", "拜访挑战目标。", False,
          ("拜访挑战目标", "visits stretch")),
    ),
    key=("month", "rep_id", "department", "class"),
    help_en="Monthly targets per rep, department or class; a file replaces the targets of the months it "
            "names.",
    help_zh="按业务员、部门或客户类别的月度目标；导入的文件替换其所含月份的全部目标。",
)

TABLES: dict[str, Table] = {t.name: t for t in (CUSTOMERS, ORDERS, PAYMENTS, ACTIVITIES, REPS, PRODUCTS,
                                                TARGETS)}
FIRST_TABLES = ("customers", "orders", "payments", "activities", "reps", "products")  # schema version 1

# Columns tierwise adds to every table; they never come from a file.
IMPORT_ID = "import_id"
CREATED_BY_IMPORT = "created_by_import"  # customers only: created because an order named it


def system_columns(table: Table) -> list[tuple[str, str]]:
    """(name, SQL type) of the columns tierwise maintains itself in ``table``."""
    cols = [(IMPORT_ID, "BIGINT")]
    if table.name == "customers":
        cols.append((CREATED_BY_IMPORT, "BOOLEAN"))
    return cols


def own_columns(table: Table) -> set[str]:
    """The columns of ``table`` tierwise keeps itself: :func:`system_columns`, and the customer
    key of a table found by it (added by schemas 10 and 19: store/migrations.py)."""
    return {name for name, _ in system_columns(table)} | ({KEY} if table.name in KEYED_TABLES else set())


def extra_columns(table: Table, columns: Iterable[str]) -> list[str]:
    """Of ``columns`` (a stored table's), those neither canonical nor tierwise's own: for the
    customers, the attributes the files brought."""
    own = set(table.names) | own_columns(table)
    return [c for c in columns if c not in own]


def table_markdown(lang: str = "en") -> str:
    """The table reference as Markdown (README and docs are generated from this)."""
    out: list[str] = []
    for table in TABLES.values():
        out.append(f"### `{table.name}`\n")
        out.append((table.help_zh if lang == "zh" else table.help_en) + "\n")
        out.append(f"Key: `{', '.join(table.key)}`.\n")
        out.append("| column | type | required | meaning | headers recognised (besides the name) |")
        out.append("|---|---|---|---|---|")
        for col in table.columns:
            meaning = col.help_zh if lang == "zh" else col.help_en
            aliases = ", ".join(col.aliases)
            out.append(f"| `{col.name}` | {col.sql_type} | {'yes' if col.required else ''} "
                       f"| {meaning} | {aliases} |")
        out.append("")
    return "\n".join(out)
