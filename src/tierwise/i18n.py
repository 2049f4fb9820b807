"""Labels and messages for people, in English and Simplified Chinese.

Text shown to people is looked up here by key, so every message exists in both languages.
The language comes from ``TIERWISE_LANG`` (``en`` or ``zh``), else from ``LANG``.
"""

from __future__ import annotations

import os
from typing import Literal

Lang = Literal["en", "zh"]

ACTIVITY_LABELS: dict[str, tuple[str, str]] = {  # each follow-up kind as people read it
    "visit": ("visit", "拜访"), "call": ("call", "电话"), "message": ("message", "消息"),
    "care": ("care", "关怀"), "complaint": ("complaint", "投诉"), "other": ("other", "其他"),
}

MESSAGES: dict[str, tuple[str, str]] = {
    # import summary
    "import.title": ("Import of {file} into {table}", "导入 {file} → {table}"),
    "import.read": ("rows read", "读取行数"),
    "import.accepted": ("accepted", "接受"),
    "import.inserted": ("inserted", "新增"),
    "import.updated": ("updated", "更新"),
    "import.unchanged": ("unchanged", "未变"),
    "import.rejected": ("rejected", "拒绝"),
    "import.short.read": ("read", "读取"),
    "import.short.accepted": ("accepted", "接受"),
    "import.short.inserted": ("new", "新增"),
    "import.short.updated": ("updated", "更新"),
    "import.short.rejected": ("rejected", "拒绝"),
    "import.row": ("first at row {row}", "首见于第 {row} 行"),
    "import.first": ("First: row {row}, column {column}: {reason}",
                     "第一处：第 {row} 行，{column} 列：{reason}"),
    "import.missing_column": (
        "{source}: no column for {table}.{column} ({meaning}). The file's headers are: {headers}. "
        "Name a column one of: {known}, or map it with --mapping "
        "(columns: {{YOUR HEADER: {column}}}).{hint}",
        "{source}：缺少 {table}.{column} 列（{meaning}）。文件的表头是：{headers}。"
        "请把某列命名为以下之一：{known}，或用 --mapping 映射"
        "（columns: {{你的表头: {column}}}）。{hint}",
    ),
    "import.closest": (" Closest: {pairs}.", "最接近：{pairs}。"),
    "import.blank": ("empty rows (skipped, not counted as read)", "空行（跳过，不计入读取行数）"),
    "import.customers_created": (
        "customers created by import",
        "因导入而新建的客户",
    ),
    "import.credit_limits_changed": (
        "credit limits changed on existing customers (audited)",
        "已有客户的授信额度被修改（已记入审计）",
    ),
    "import.source": ("read from the database", "数据库来源"),
    "import.rejected_file": ("rejected rows written to", "被拒绝的行已写入"),
    "import.date_order": (
        "day/month order read from the file: {order} ({example} can only be read that way)",
        "从文件判断日/月顺序：{order}（{example} 只能这样解读）",
    ),
    "import.ignored": (
        "columns not imported (map them with --mapping): {cols}",
        "未导入的列（可用 --mapping 映射）：{cols}",
    ),
    "import.mapped": ("column mapping", "列映射"),
    "import.dry_run": ("dry run: nothing was written", "试运行：未写入任何数据"),
    "import.top_reasons": ("most common reasons", "主要拒绝原因"),
    "import.encoding": ("encoding", "编码"),
    "import.strict_failed": (
        "{file}: {n} row(s) would be rejected, so nothing was imported (--strict). "
        "Fix them (see {rejected}) or import without --strict.",
        "{file}：有 {n} 行会被拒绝，因此未导入任何数据（--strict）。"
        "请修正这些行（见 {rejected}），或去掉 --strict 再导入。",
    ),
    # workspace
    "ws.created": ("Created workspace {path} (schema version {version})",
                   "已创建工作区 {path}（结构版本 {version}）"),
    "ws.exists": ("Workspace {path} is ready (schema version {version})",
                  "工作区 {path} 已就绪（结构版本 {version}）"),
    "status.table": ("table", "表"),
    "status.rows": ("rows", "行数"),
    # metrics and CLV
    "metrics.title": ("Metrics {frame}", "客户指标：{frame}"),
    "metrics.frame": ("as of {as_of}, window {window} ({start} – {as_of})",
                      "评估日 {as_of}，窗口 {window}（{start} – {as_of}）"),
    "metrics.customers": ("customers", "客户数"),
    "metrics.buyer": ("buyers (purchase in the window)", "成交客户（窗口内有购买）"),
    "metrics.lapsed": ("lapsed (no purchase in the window)", "流失中（窗口内无购买）"),
    "metrics.returns_only": ("returns or cancelled orders only (never a purchase)",
                             "仅退货或整单取消（从未购买）"),
    "metrics.prospect": ("prospects (no order)", "潜在客户（没有订单）"),
    "metrics.engine": ("engine", "计算引擎"),
    "metrics.written": ("written to {path}", "已写入 {path}"),
    "metrics.column": ("column", "列名"),
    "metrics.unit": ("unit", "单位"),
    "metrics.definition": ("definition", "定义"),
    "clv.title": ("CLV models fitted on {n} customers, as of {as_of} (time unit: {unit})",
                  "CLV 模型：{n} 个客户，评估日 {as_of}（时间单位：{unit}）"),
    "clv.model": ("model", "模型"),
    "clv.parameter": ("parameter", "参数"),
    "clv.value": ("value", "值"),
    "clv.loglik": ("log-likelihood", "对数似然"),
    "clv.not_fitted": ("not fitted: {why}", "未拟合：{why}"),
    # demo
    "demo.generated": ("Generated demo company: {customers} customers, {orders} order lines",
                       "已生成演示公司：{customers} 个客户，{orders} 条订单明细"),
}


def current_lang() -> Lang:
    """The language for people-facing text: ``TIERWISE_LANG``, else ``LANG``, else English."""
    value = os.environ.get("TIERWISE_LANG") or os.environ.get("LANG") or "en"
    return "zh" if value.lower().startswith("zh") else "en"


def t(key: str, lang: str | None = None, **params: object) -> str:
    """Return the message ``key`` in ``lang`` (default: :func:`current_lang`), formatted."""
    en, zh = MESSAGES[key]
    text = zh if (lang or current_lang()).startswith("zh") else en
    return text.format(**params) if params else text
