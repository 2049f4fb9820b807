"""Parsing values as they really come, as DuckDB SQL expressions.

Every builder takes a SQL expression for a cleaned text value (``NULL`` when empty) and
returns a SQL expression for the typed value, ``NULL`` when it cannot be parsed. Parsing
runs inside the engine, vectorised: no Python loop touches a row.

The reasons a value is rejected are listed in :data:`REASONS`, in English and Chinese; the
same templates are used for the rejected-rows file (through SQL ``printf``) and on screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from tierwise.data.csvsafe import unquoted_sql
from tierwise.store.schema import ACTIVITY_KINDS, Kind

DateOrder = Literal["YMD", "DMY", "MDY"]

# Tokens a cell may hold that mean "no value".
NULL_TOKENS = ("", "null", "none", "nan", "n/a", "#n/a", "na", "nil", "—")

# Reason code -> (English, Chinese); {value} is the bad value, {detail} extra context.
REASONS: dict[str, tuple[str, str]] = {
    "missing": ("a value is required here", "此列必须有值"),
    "no_customer": (
        "no customer code: the row cannot be tied to a customer — fill it in (walk-in sales may share "
        "one code, e.g. WALKIN) or leave the row out",
        "缺少客户编码：无法归属到客户——请补上编码（散客可共用一个编码，如“散客”），或不导入此行",
    ),
    "bad_date": ("'{value}' is not a date (expected e.g. 2024-03-05)",
                 "'{value}' 不是日期（应如 2024-03-05）"),
    "ambiguous_date": (
        "'{value}' could be day-first or month-first: declare it with --date-order DMY or MDY",
        "'{value}' 无法判断日/月顺序：请用 --date-order DMY 或 MDY 指明",
    ),
    "implausible_date": ("'{value}' is outside 1900–2100: check the year",
                         "'{value}' 不在 1900–2100 年之间：请检查年份"),
    "bad_number": ("'{value}' is not a number (expected e.g. 1234.50, ¥1,234.50 or (120.00))",
                   "'{value}' 不是数字（应如 1234.50、¥1,234.50 或 (120.00)）"),
    "decimal_comma": (
        "'{value}' looks like a decimal comma: pass --decimal-comma if the file writes 1.234,50",
        "'{value}' 像是以逗号作小数点：如文件写作 1.234,50，请加 --decimal-comma",
    ),
    "too_large": ("'{value}' is too large (amounts: at most 16 digits before the decimal point; "
                  "quantities and prices: at most 14)",
                  "'{value}' 数值过大（金额整数部分最多 16 位；数量和单价最多 14 位）"),
    "bad_integer": ("'{value}' is not a whole number", "'{value}' 不是整数"),
    "negative": ("'{value}' must not be negative", "'{value}' 不能为负数"),
    "not_positive": ("'{value}' must be greater than zero", "'{value}' 必须大于零"),
    "bad_kind": (
        "'{value}' is not a known kind: use visit, call, message, care, complaint or other "
        "(or 拜访/电话/微信/关怀/投诉/其他), or map it under values: in --mapping",
        "'{value}' 不是已知的跟进方式：请用 拜访/电话/微信/关怀/投诉/其他"
        "（或 visit/call/message/care/complaint/other），或在 --mapping 的 values: 中映射",
    ),
    "bad_value": ("'{value}' does not fit the existing column type {detail}",
                  "'{value}' 与已有列的类型 {detail} 不符"),
    "duplicate_key": ("key '{value}' repeats row {detail} of this file; the later row is rejected",
                      "键 '{value}' 与本文件第 {detail} 行重复；后出现的行被拒绝"),
    "unknown_customer": (
        "customer '{value}' is not in the workspace: import customers first or drop --strict",
        "客户 '{value}' 不在工作区中：请先导入客户，或去掉 --strict",
    ),
    "no_amount": ("no amount, and no quantity and unit price to compute it from",
                  "没有金额，也没有可计算金额的数量和单价"),
    # rows the file reader itself could not split into columns
    "too_many_columns": ("row has more values than the header has columns (a stray delimiter? "
                         "quote values that contain it)",
                         "该行的值比表头的列多（多了分隔符？含分隔符的值需加引号）"),
    "missing_columns": ("row has fewer values than the header has columns",
                        "该行的值比表头的列少"),
    "unterminated_quote": ("a quote is not closed; the reader took the rest of the text as one "
                           "value: close or remove the quote",
                           "引号未闭合，其后的内容被读成一个值：请补全或删除引号"),
    "bad_encoding": ("row has bytes that are not valid {detail}: save the file as UTF-8 or "
                     "pass --encoding", "该行含有非 {detail} 编码的字节：请另存为 UTF-8 或指定 --encoding"),
    "bad_line": ("row cannot be read: {detail}", "该行无法读取：{detail}"),
    "bad_json": ("line is not a JSON object", "该行不是 JSON 对象"),
}


def reason_text(code: str, lang: str, value: object = "", detail: object = "") -> str:
    """The reason ``code`` in ``lang`` with its value and detail filled in."""
    en, zh = REASONS[code]
    return (zh if lang == "zh" else en).format(value=value, detail=detail)


def reason_sql(code_sql: str, value_sql: str, detail_sql: str, lang: str) -> str:
    """SQL expression giving the reason text for each row from its code, value and detail."""
    branches = []
    for code, (en, zh) in REASONS.items():
        template = (zh if lang == "zh" else en).replace("%", "%%")
        template = template.replace("{value}", "%1$s").replace("{detail}", "%2$s")
        branches.append(
            f"WHEN {sql_str(code)} THEN printf({sql_str(template)}, "
            f"coalesce({value_sql}, ''), coalesce({detail_sql}, ''))"
        )
    return f"CASE {code_sql} {' '.join(branches)} END"


def sql_str(text: str) -> str:
    """``text`` as a SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def ident(name: str) -> str:
    """``name`` as a quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


@dataclass(frozen=True)
class ValueRules:
    """How a file writes its values (declared by the user; never guessed per row)."""

    date_order: DateOrder | None = None  # for 05/03/2024; None rejects such dates as ambiguous
    decimal_comma: bool = False  # 1.234,50 means 1234.50

    def __post_init__(self) -> None:
        if self.date_order not in (None, "YMD", "DMY", "MDY"):
            raise ValueError(self.date_order)


_SPACE = " \t\r\n\u00a0\u3000"
_TRAILING = _SPACE  # every space-like end: a cell typed in Excel may end in a tab, a quoted one in \r


def clean_text(expr: str) -> str:
    """Trim and turn the tokens of :data:`NULL_TOKENS` (any case) into NULL; an apostrophe
    before a formula's first character (``'=1+2``: how a rejected-rows file keeps formula-like
    text from running in a spreadsheet, :mod:`tierwise.data.csvsafe`) is read off.

    This runs on every cell of a file, so the common case (no space at either end, not
    starting like a null token or with an apostrophe) is settled by cheap checks of the first
    and last character; only the rest pays for trimming and lower-casing.
    """
    x = f"CAST({expr} AS VARCHAR)"
    # list_contains, not IN: DuckDB turns a long IN list into a join that runs on every
    # row, even inside a CASE branch no row takes.
    tokens = "[" + ", ".join(sql_str(t) for t in NULL_TOKENS) + "]"
    variants = "[" + ", ".join(sql_str(v) for v in _case_variants(NULL_TOKENS)) + "]"
    firsts = sorted({ord(t[0]) for t in NULL_TOKENS if t} | {ord(t[0].upper()) for t in NULL_TOKENS if t})
    trimmed = f"trim({x}, {sql_str(_SPACE)})"
    edges_clean = (  # any space-like first character; the usual trailing ones
        f"ascii({x}) > 32 AND ascii({x}) <> 39 AND ascii({x}) <> 160 AND ascii({x}) <> 12288 AND NOT ("
        + " OR ".join(f"ends_with({x}, {sql_str(c)})" for c in _TRAILING) + ")"
    )
    maybe_token = " OR ".join(f"ascii({x}) = {c}" for c in firsts)
    plain = f"CASE WHEN ({maybe_token}) AND list_contains({variants}, {x}) THEN NULL ELSE {x} END"
    return (
        f"CASE WHEN {x} IS NULL THEN NULL WHEN {edges_clean} THEN {plain} "
        f"WHEN list_contains({tokens}, lower({trimmed})) THEN NULL "
        f"ELSE nullif(trim({unquoted_sql(trimmed)}, {sql_str(_SPACE)}), '') END"
    )


def _case_variants(words: tuple[str, ...]) -> list[str]:
    """Every upper/lower-case spelling of each word (null tokens are short: ~60 in all)."""
    import itertools

    out: set[str] = set()
    for word in words:
        choices = [(c.lower(), c.upper()) if c.isalpha() else (c,) for c in word]
        out.update("".join(p) for p in itertools.product(*choices))
    return sorted(out)


# Formats tried after the fast ISO cast, year first (unambiguous).
_YEAR_FIRST = [
    "%Y/%m/%d", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y.%m.%d", "%Y.%m.%d %H:%M:%S",
    "%Y-%m-%d %H:%M", "%Y年%m月%d日", "%Y年%m月%d日 %H:%M:%S", "%Y年%m月%d日 %H:%M",
    "%Y年%m月%d号", "%Y-%m-%dT%H:%M:%S.%f", "%Y/%m/%d %H:%M:%S.%f",
]
_DAY_FIRST = ["%d/%m/%Y", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d.%m.%Y", "%d-%m-%Y"]
_MONTH_FIRST = ["%m/%d/%Y", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%m.%d.%Y", "%m-%d-%Y"]
_DMY_PATTERN = r"\d{1,2}[/.-]\d{1,2}[/.-]\d{4}( .*)?"
_SERIAL_PATTERN = r"\d{5}(\.\d+)?"


def _formats(fmts: list[str]) -> str:
    return "[" + ", ".join(sql_str(f) for f in fmts) + "]"


def parse_timestamp(s: str, rules: ValueRules) -> str:
    """Timestamp from ISO dates, 2024/3/5, 20240305, 2024年3月5日, Excel serials and,
    when declared, day-first or month-first dates."""
    slow = [
        f"try_strptime({s}, {_formats(_YEAR_FIRST)})",
        f"CASE WHEN regexp_full_match({s}, '\\d{{8}}') THEN try_strptime({s}, '%Y%m%d') END",
        # Excel serial day numbers 20000-80000 (1954-2119), fraction = time of day
        f"CASE WHEN regexp_full_match({s}, '{_SERIAL_PATTERN}') "
        f"AND TRY_CAST({s} AS DOUBLE) BETWEEN 20000 AND 80000 "
        f"THEN TIMESTAMP '1899-12-30' + to_microseconds("
        f"CAST(round(TRY_CAST({s} AS DOUBLE) * 86400) AS BIGINT) * 1000000) END",
    ]
    if rules.date_order == "DMY":
        slow.append(f"try_strptime({s}, {_formats(_DAY_FIRST)})")
    elif rules.date_order == "MDY":
        slow.append(f"try_strptime({s}, {_formats(_MONTH_FIRST)})")
    # CASE, unlike coalesce, only evaluates the slow forms for rows the ISO cast missed.
    fast = f"TRY_CAST({s} AS TIMESTAMP)"
    return f"CASE WHEN {fast} IS NOT NULL THEN {fast} ELSE coalesce({', '.join(slow)}) END"


def date_problem(s: str, parsed: str, rules: ValueRules) -> str:
    """SQL giving the reason code when a date text ``s`` did not parse to ``parsed``."""
    ambiguous = (
        f"WHEN {parsed} IS NULL AND regexp_full_match({s}, '{_DMY_PATTERN}') "
        f"THEN 'ambiguous_date' " if rules.date_order is None else ""
    )
    return (
        f"CASE {ambiguous}WHEN {parsed} IS NULL THEN 'bad_date' "
        f"WHEN year({parsed}) NOT BETWEEN 1900 AND 2100 THEN 'implausible_date' END"
    )


_CURRENCY = r"[¥￥$€£\s\x{00a0}\x{3000}']|RMB|CNY|USD|元"
_FULLWIDTH = ("０１２３４５６７８９．，－（）＋", "0123456789.,-()+")


def _number_text(s: str, rules: ValueRules) -> str:
    """Normalised number text: currency and spaces gone, (x) and trailing minus negative."""
    t = f"translate({s}, '{_FULLWIDTH[0]}', '{_FULLWIDTH[1]}')"
    t = f"regexp_replace({t}, {sql_str(_CURRENCY)}, '', 'g')"
    # (120.00) and 120.00- are negative
    t = f"regexp_replace({t}, '^\\((.*)\\)$|^(.*)-$', '-\\1\\2')"
    if rules.decimal_comma:
        grouped = r"^[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$"
        return (
            f"CASE WHEN regexp_full_match({t}, {sql_str(grouped)}) "
            f"THEN replace(replace({t}, '.', ''), ',', '.') END"
        )
    grouped = r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$|^[+-]?\.\d+$"
    return f"CASE WHEN regexp_full_match({t}, {sql_str(grouped)}) THEN replace({t}, ',', '') END"


def to_decimal(x: str, sql_type: str) -> str:
    """``TRY_CAST(x AS sql_type)`` of number text ``x``; a text with an exponent (``8.881784e-16``,
    ``1.5E3``, as float columns are exported) goes through DOUBLE, rounded to the type's scale:
    DuckDB 1.5 casts some such texts straight to ±0.01 (``-6e-5`` → -0.01), which made a
    rounding residue a purchase."""
    scale = int(sql_type.rstrip(")").split(",")[1]) if "," in sql_type else 0
    return (f"CASE WHEN contains({x}, 'e') OR contains({x}, 'E') "
            f"THEN TRY_CAST(round(TRY_CAST({x} AS DOUBLE), {scale}) AS {sql_type}) "
            f"ELSE TRY_CAST({x} AS {sql_type}) END")


_WIDE = "".join(chr(c) for r in ((0xFF10, 0xFF1A), (0xFF21, 0xFF3B), (0xFF41, 0xFF5B)) for c in range(*r))
_NARROW = "".join(chr(c - 0xFEE0) for c in map(ord, _WIDE))


def parse_id(s: str) -> str:
    """An id as every format writes it alike (``s`` is already trimmed, full-width spaces
    included): full-width digits and letters as ASCII (１７８５０ → 17850), and the ``.0`` of
    an integral number dropped — a float column exported to CSV, Parquet or JSON writes
    17850.0 where xlsx writes 17850, and they must be one customer."""
    def integral(t: str) -> str:
        return (f"CASE WHEN contains({t}, '.') AND regexp_full_match({t}, '[0-9]+\\.0+') "
                f"THEN split_part({t}, '.', 1) ELSE {t} END")

    # translate() with these 78 characters costs 2 µs a value (21 s for 10M order lines'
    # customer ids): only a text with a character beyond ASCII (more bytes than characters)
    # can hold a full-width one
    wide = integral(f"translate({s}, {sql_str(_WIDE)}, {sql_str(_NARROW)})")
    return f"CASE WHEN strlen({s}) = length({s}) THEN {integral(s)} ELSE {wide} END"


def parse_decimal(s: str, sql_type: str, rules: ValueRules) -> str:
    """Decimal from 1234.5, ¥1,234.50, (120.00), 1 234,50 (declared), full-width digits.

    The plain form is cast directly; only other texts go through the clean-up.
    """
    slow = f"TRY_CAST({_number_text(s, rules)} AS {sql_type})"
    fast = to_decimal(s, sql_type)
    plain = f"{fast} IS NOT NULL"
    if rules.decimal_comma:  # 1.234 means 1234 there: only dot-free texts may go direct
        plain = f"NOT contains({s}, '.') AND NOT contains({s}, ',') AND {plain}"
    # CASE, unlike coalesce, only evaluates the clean-up for rows the plain cast missed.
    return f"CASE WHEN {plain} THEN {fast} ELSE {slow} END"


def number_problem(s: str, parsed: str, rules: ValueRules) -> str:
    """Reason code when number text ``s`` did not parse."""
    hint = (
        f"WHEN regexp_full_match({s}, '-?\\d{{1,3}}(\\.\\d{{3}})*,\\d{{1,2}}') THEN 'decimal_comma' "
        if not rules.decimal_comma else ""
    )
    return (
        f"CASE WHEN {parsed} IS NOT NULL THEN NULL {hint}"
        f"WHEN TRY_CAST({_number_text(s, rules)} AS DOUBLE) IS NOT NULL THEN 'too_large' "
        f"ELSE 'bad_number' END"
    )


def parse_integer(s: str, rules: ValueRules) -> str:
    """Whole number (also from 12.0 or 1,200); 1.5 does not parse."""
    fast = f"TRY_CAST({s} AS BIGINT)"  # rounds 1.5 to 2: only for texts without a point
    dec = parse_decimal(s, "DECIMAL(38,6)", rules)
    slow = f"(SELECT CASE WHEN d = trunc(d) THEN TRY_CAST(d AS BIGINT) END FROM (SELECT {dec} AS d))"
    return (f"CASE WHEN NOT contains({s}, '.') AND {fast} IS NOT NULL THEN {fast} "
            f"ELSE {slow} END")


def parse_activity_kind(s: str, extra: dict[str, str] | None = None) -> str:
    """Canonical activity kind from English or Chinese spellings (and user mappings)."""
    pairs: list[tuple[str, str]] = []
    for kind, words in ACTIVITY_KINDS.items():
        pairs += [(w.lower(), kind) for w in words]
    pairs += [(k.strip().lower(), v) for k, v in (extra or {}).items()]
    branches = " ".join(f"WHEN {sql_str(w)} THEN {sql_str(k)}" for w, k in pairs)
    return f"CASE lower({s}) {branches} END"


def fast_value(kind: Kind, x: str, rules: ValueRules, sql_type: str) -> str | None:
    """The cheap parse of raw cell ``x`` (a plain cast), NULL when the cell needs the
    other forms; None for kinds that have no such cast (text)."""
    if kind in ("timestamp", "date"):
        return f"TRY_CAST({x} AS TIMESTAMP)"
    if kind in ("money", "number"):
        cast = to_decimal(x, sql_type)
        if rules.decimal_comma:  # 1.234 means 1234 there: only texts without . or , go direct
            return f"CASE WHEN NOT contains({x}, '.') AND NOT contains({x}, ',') THEN {cast} END"
        return cast
    if kind == "integer":  # TRY_CAST rounds 1.5 to 2: only for texts without a point
        return f"CASE WHEN NOT contains({x}, '.') THEN TRY_CAST({x} AS BIGINT) END"
    return None


def parse_value(kind: Kind, x: str, rules: ValueRules, sql_type: str,
                kinds: dict[str, str] | None = None) -> str:
    """Typed value of the raw cell ``x`` for a column of ``kind``.

    The plain form is cast straight from ``x`` (:func:`fast_value`); only cells that fail
    it are cleaned (:func:`clean_text`) and tried in the other forms. Nesting matters: the
    engine inlines sub-selects, so the clean-up must sit inside the fallback branch.
    """
    s = clean_text(x)
    fast = fast_value(kind, x, rules, sql_type)
    if kind in ("timestamp", "date"):
        ts = f"CASE WHEN {fast} IS NOT NULL THEN {fast} ELSE {parse_timestamp(s, rules)} END"
        return ts if kind == "timestamp" else f"CAST({ts} AS DATE)"
    if kind in ("money", "number"):
        return f"CASE WHEN {fast} IS NOT NULL THEN {fast} ELSE {parse_decimal(s, sql_type, rules)} END"
    if kind == "integer":
        return f"CASE WHEN {fast} IS NOT NULL THEN {fast} ELSE {parse_integer(s, rules)} END"
    if kind == "activity_kind":
        return parse_activity_kind(s, kinds)
    if kind == "id":
        return parse_id(s)
    return s


def value_problem(kind: Kind, s: str, parsed: str, rules: ValueRules) -> str | None:
    """Reason code (SQL) for a present value that did not parse; None for text columns."""
    if kind in ("timestamp", "date"):
        return date_problem(s, parsed, rules)
    if kind in ("money", "number"):
        return number_problem(s, parsed, rules)
    if kind == "integer":
        return f"CASE WHEN {parsed} IS NULL THEN 'bad_integer' END"
    if kind == "activity_kind":
        return f"CASE WHEN {parsed} IS NULL THEN 'bad_kind' END"
    return None
