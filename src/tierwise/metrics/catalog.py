"""Every per-customer metric, defined once: name, unit and exact meaning in English and Chinese.

The metrics table has exactly these columns, in this order (a test checks it against what the
engine computes), and ``docs/metrics.md`` is generated from this list (another test checks
it is current). Words used: *window* = the evaluation window ending on the as-of date;
*history* = everything up to the as-of date; an *order* (a purchase) is an order id whose lines
sum to a positive amount in the window; a *purchase day* is a day whose lines sum above zero.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Metric:
    """One column of the metrics table."""

    name: str
    group: str
    unit: str
    en: str
    zh: str


M = Metric

METRICS: tuple[Metric, ...] = (
    # -- who ---------------------------------------------------------------------------
    M("customer_id", "customer", "id", "Customer code.", "客户编号。"),
    M("name", "customer", "text", "Customer name.", "客户名称。"),
    M("rep_id", "customer", "id", "Owning rep.", "负责业务员。"),
    M("department", "customer", "text", "Department.", "部门。"),
    M("region", "customer", "text", "Region.", "区域。"),
    M("status", "customer", "buyer / lapsed / returns_only / prospect",
      "buyer: at least one purchase (an order netting above zero) in the window; lapsed: purchases "
      "in history but none in the window; returns_only: order lines but never a purchase (only "
      "returns, zero amounts or orders cancelled in full); prospect: no order line ever.",
      "buyer 成交客户：窗口内有购买（订单合计大于零）；lapsed 流失中：历史有购买但窗口内没有；"
      "returns_only 仅退货：有订单明细但从未购买（只有退货、零金额或整单取消）；"
      "prospect 潜在客户：没有任何订单。"),
    # -- value (window) ----------------------------------------------------------------
    M("revenue", "value", "yuan", "Sum of order-line amounts in the window, net of returns "
      "(returns are negative lines).", "窗口内订单明细金额合计，已扣除退货（退货为负数）。"),
    M("gross_sales", "value", "yuan", "Sum of the positive line amounts in the window.",
      "窗口内正数明细金额合计。"),
    M("returns", "value", "yuan", "Sum of the negative line amounts in the window, as a positive "
      "number.", "窗口内负数明细金额合计（取正数）。"),
    M("order_count", "value", "orders", "Orders in the window: order ids whose lines in the window "
      "sum to more than zero.", "窗口内订单数：窗口内明细合计大于零的订单号个数。"),
    M("return_count", "value", "orders", "Order ids in the window whose lines sum to less than zero "
      "(return or credit notes).", "窗口内明细合计小于零的单号个数（退货、红冲）。"),
    M("avg_order_value", "value", "yuan", "revenue / order_count; empty without orders.",
      "revenue / order_count；无订单时为空。"),
    M("gross_profit", "value", "yuan", "Sum of (amount − cost) over the window's lines that have a "
      "cost; empty when none has.", "窗口内有成本的明细的（金额 − 成本）合计；都没有成本时为空。"),
    M("cost_coverage", "value", "ratio 0–1", "Share of the window's lines that have a cost.",
      "窗口内有成本的明细所占比例。"),
    M("revenue_prev", "value", "yuan", "Revenue in the previous window of the same length "
      "(empty for window 'all').", "上一个同样长度窗口的销售额（窗口为 all 时为空）。"),
    M("growth", "value", "ratio", "(revenue − revenue_prev) / revenue_prev; empty when "
      "revenue_prev ≤ 0.", "（revenue − revenue_prev）/ revenue_prev；revenue_prev ≤ 0 时为空。"),
    M("revenue_rank", "value", "rank", "1 = largest revenue among customers with revenue > 0; "
      "ties broken by customer_id. Empty for revenue ≤ 0.",
      "在销售额大于零的客户中的名次，1 为最大；相同时按客户编号。销售额 ≤ 0 时为空。"),
    M("revenue_top_share", "value", "ratio 0–1", "revenue_rank / number of ranked customers: "
      "0.05 means within the top 5% of customers.",
      "revenue_rank / 参与排名的客户数：0.05 表示在前 5% 的客户之内。"),
    M("revenue_share", "value", "ratio 0–1", "revenue / total revenue of ranked customers.",
      "revenue / 参与排名客户的总销售额。"),
    M("revenue_cum_share", "value", "ratio 0–1", "Revenue share of this customer and all ranked "
      "above it (the Pareto curve).", "本客户及排名在前的所有客户的销售额占比（帕累托曲线）。"),
    M("lifetime_revenue", "value", "yuan", "Net line amounts in history.", "历史净销售额。"),
    M("lifetime_orders", "value", "orders", "Order ids in history whose lines sum to more than zero.",
      "历史上明细合计大于零的订单数。"),
    # -- recency and tenure (history) --------------------------------------------------
    M("first_order_date", "recency", "date", "Day of the first purchase.", "首次购买日期。"),
    M("last_order_date", "recency", "date", "Day of the latest purchase.", "最近一次购买日期。"),
    M("recency_days", "recency", "days", "as-of date − last_order_date.", "评估日 − 最近购买日期（天）。"),
    M("tenure_days", "recency", "days", "as-of date − first_order_date.", "评估日 − 首次购买日期（天）。"),
    # -- BTYD (history), as lifetimes.utils.summary_data_from_transaction_data ---------------
    M("frequency", "btyd", "days", "Repeat purchase days: purchase days (days whose lines net above "
      "zero; with the btyd_days setting 'any', every day with an order line, as lifetimes' "
      "summary_data_from_transaction_data with freq='D' counts them), minus one.",
      "重复购买天数：购买日（当天明细合计大于零；btyd_days 设为 any 时为每个有订单明细的日期，"
      "与 lifetimes 的 freq='D' 一致）的天数减一。退货日、整单取消日默认不算购买。"),
    M("recency", "btyd", "days or weeks", "Time from the first to the last purchase day, in the "
      "time_unit setting (weeks = days / 7, lifetimes' freq_multiplier=7).",
      "从第一个到最后一个购买日的时长，单位见 time_unit 设置（周 = 天 / 7）。"),
    M("T", "btyd", "days or weeks", "Time from the first purchase day to the as-of date, in the "
      "same unit.", "从第一个购买日到评估日的时长，单位同上。"),
    M("monetary_value", "btyd", "yuan", "Mean of the purchase days' sums of amounts, leaving out "
      "the first; 0 when frequency is 0.", "除首个购买日外各购买日金额合计的平均值；frequency 为 0 时为 0。"),
    # -- rhythm (window) ----------------------------------------------------------------
    M("active_months", "rhythm", "months", "Months of the window (counted back from the as-of date; "
      "30-day slices for day windows) with a purchase.",
      "窗口内有购买的月数（自评估日往回数的月；按天的窗口为 30 天一段）。"),
    M("active_quarters", "rhythm", "quarters", "Quarters (three such months) of the window with a "
      "purchase.", "窗口内有购买的季度数（三个这样的月为一季）。"),
    M("cv_monthly", "rhythm", "ratio", "Coefficient of variation (population standard deviation / "
      "mean) of revenue over every month of the window, zero months included; empty when revenue "
      "≤ 0.", "窗口内每个月（含零销售月）销售额的变异系数（总体标准差 / 均值）；销售额 ≤ 0 时为空。"),
    M("cv_quarterly", "rhythm", "ratio", "The same over the window's quarters.", "按季度计算的同一指标。"),
    M("repurchase_days", "rhythm", "days", "Median days between consecutive purchase days in history "
      "(the customer's own repurchase cycle); empty with fewer than two purchase days.",
      "历史上相邻两个购买日之间天数的中位数（客户自己的复购周期）；购买日少于两个时为空。"),
    M("stability", "rhythm", "score 0–1", "1 / (1 + cv) of monthly (or, by the stability_basis "
      "setting, quarterly) revenue: 1 = the same revenue every month; 0 when revenue ≤ 0; empty "
      "for customers with no line in the window.",
      "1 / (1 + 变异系数)，按月（或按 stability_basis 设置按季）：每月销售额相同为 1；销售额 ≤ 0 时为 0。"),
    M("loyalty", "rhythm", "score 0–1", "Weighted mean (loyalty_weights setting) of: tenure = "
      "min(tenure_days / 730, 1); repeat = active_months / months in window; stability; recency = "
      "max(0, 1 − recency_days / window days). Empty for prospects.",
      "加权平均（权重见 loyalty_weights 设置）：客户年限 = min(tenure_days / 730, 1)；重复 = "
      "active_months / 窗口月数；稳定性；新近 = max(0, 1 − recency_days / 窗口天数)。潜在客户为空。"),
    # -- credit (history) --------------------------------------------------------------
    M("credit_limit", "credit", "yuan", "The customer's credit limit (授信额度), as imported.",
      "客户授信额度。"),
    M("outstanding", "credit", "yuan", "Order-line amounts minus payments, all up to the as-of date "
      "(negative: paid in advance).", "截至评估日订单金额减回款金额（负数为预付）。"),
    M("overdue_amount", "credit", "yuan", "Unpaid part of orders whose due date is before the as-of "
      "date. Payments and returns pay the oldest orders first; the due date is the order's, else "
      "order date + the customer's payment terms, else + the payment_terms_days setting.",
      "到期日早于评估日的订单中未付的部分。回款和退货先冲最早的订单；到期日取订单的到期日，否则为"
      "下单日 + 客户账期，否则 + payment_terms_days 设置。"),
    M("max_days_overdue", "credit", "days", "Largest (as-of date − due date) over orders with an "
      "unpaid part; 0 when nothing is overdue.",
      "有未付部分的订单中（评估日 − 到期日）的最大值；无逾期为 0。"),
    M("invoices_due", "credit", "orders", "Orders due on or before the as-of date.",
      "到期日不晚于评估日的订单数。"),
    M("on_time_ratio", "credit", "ratio 0–1", "Share of invoices_due fully paid (oldest first) on or "
      "before their due date.", "invoices_due 中在到期日或之前（按先到期先冲）付清的比例。"),
    M("credit_utilization", "credit", "ratio", "outstanding / credit_limit; empty without a limit.",
      "outstanding / credit_limit；无额度时为空。"),
    # -- contact -----------------------------------------------------------------------
    M("last_contact_date", "contact", "date", "Day of the latest activity of any kind in history.",
      "历史上最近一次任何跟进的日期。"),
    M("days_since_contact", "contact", "days", "as-of date − last_contact_date.",
      "评估日 − 最近跟进日期（天）。"),
    M("contacts", "contact", "activities", "Activities of any kind in the window.", "窗口内跟进次数。"),
    M("visits", "contact", "activities", "Visits in the window.", "窗口内拜访次数。"),
    M("calls", "contact", "activities", "Calls in the window.", "窗口内电话次数。"),
    M("messages", "contact", "activities", "Messages (WeChat, SMS, e-mail) in the window.",
      "窗口内消息次数（微信、短信、邮件）。"),
    M("care_touches", "contact", "activities", "Care touches in the window.", "窗口内关怀次数。"),
    M("complaints", "contact", "activities", "Complaints in the window.", "窗口内投诉次数。"),
    # -- lifetime value (fitted; see tierwise.metrics.clv) ------------------------------
    M("p_alive", "clv", "probability", "BG/NBD probability the customer is still active, from "
      "frequency, recency and T. 1 for every customer without a repeat purchase (frequency 0): "
      "the model lets a customer drop out only after a repeat purchase (as lifetimes does), so "
      "read one-time buyers by recency_days instead. Empty when the fit did not converge.",
      "BG/NBD 模型估计的客户仍然活跃的概率。没有复购（frequency 为 0）的客户一律为 1：该模型只在复购之后"
      "才允许客户流失（与 lifetimes 相同），一次性购买的客户请看 recency_days。拟合未收敛时为空。"),
    M("expected_purchases", "clv", "periods with a purchase", "BG/NBD expected purchase periods in "
      "the next clv_months months.", "BG/NBD 预计未来 clv_months 个月内的购买期数。"),
    M("expected_value", "clv", "yuan", "Gamma-Gamma expected average value per purchase period.",
      "Gamma-Gamma 模型估计的每期平均购买金额。"),
    M("clv", "clv", "yuan", "Expected value of the next clv_months months, discounted monthly at "
      "clv_discount_rate (lifetimes' customer_lifetime_value).",
      "未来 clv_months 个月的预期价值，按 clv_discount_rate 每月折现。"),
)

NAMES: tuple[str, ...] = tuple(m.name for m in METRICS)
BY_NAME: dict[str, Metric] = {m.name: m for m in METRICS}
CLV_COLUMNS: tuple[str, ...] = tuple(m.name for m in METRICS if m.group == "clv")


def metrics_markdown(lang: str = "en") -> str:
    """The metric reference as Markdown (``docs/metrics.md`` is generated from this)."""
    out = ["| column | group | unit | definition |", "|---|---|---|---|"]
    for m in METRICS:
        out.append(f"| `{m.name}` | {m.group} | {m.unit} | {m.zh if lang == 'zh' else m.en} |")
    return "\n".join(out) + "\n"


# Short names for people (reasons, table headings): name -> (English, Chinese).
LABELS: dict[str, tuple[str, str]] = {
    "customer_id": ("customer", "客户编号"), "name": ("name", "客户名称"), "rep_id": ("rep", "业务员"),
    "department": ("department", "部门"), "region": ("region", "区域"), "status": ("status", "状态"),
    "revenue": ("revenue", "销售额"), "gross_sales": ("gross sales", "销售总额"),
    "returns": ("returns", "退货额"), "order_count": ("orders", "订单数"),
    "return_count": ("returns", "退货单数"), "avg_order_value": ("average order", "客单价"),
    "gross_profit": ("gross profit", "毛利"), "cost_coverage": ("cost coverage", "成本覆盖率"),
    "revenue_prev": ("previous revenue", "上期销售额"), "growth": ("growth", "增长率"),
    "revenue_rank": ("revenue rank", "销售额排名"), "revenue_top_share": ("top share", "排名百分位"),
    "revenue_share": ("revenue share", "销售额占比"), "revenue_cum_share": ("cumulative share", "累计占比"),
    "lifetime_revenue": ("lifetime revenue", "累计销售额"),
    "lifetime_orders": ("lifetime orders", "累计订单数"),
    "first_order_date": ("first order", "首次购买"), "last_order_date": ("last order", "最近购买"),
    "recency_days": ("days since last order", "距最近购买天数"), "tenure_days": ("tenure", "客户时长"),
    "frequency": ("repeat purchases", "重复购买次数"), "recency": ("BTYD recency", "BTYD 最近期"),
    "T": ("BTYD age", "BTYD 客户年龄"), "monetary_value": ("repeat spend", "重复购买均额"),
    "active_months": ("active months", "活跃月数"), "active_quarters": ("active quarters", "活跃季度数"),
    "cv_monthly": ("monthly variation", "月度变异系数"),
    "cv_quarterly": ("quarterly variation", "季度变异系数"),
    "repurchase_days": ("repurchase cycle", "复购周期"), "stability": ("stability", "稳定性"),
    "loyalty": ("loyalty", "忠诚度"), "credit_limit": ("credit limit", "授信额度"),
    "outstanding": ("outstanding", "应收余额"), "overdue_amount": ("overdue", "逾期金额"),
    "max_days_overdue": ("days overdue", "最长逾期天数"), "invoices_due": ("invoices due", "到期单数"),
    "on_time_ratio": ("on-time ratio", "按期回款率"), "credit_utilization": ("credit used", "额度使用率"),
    "last_contact_date": ("last contact", "最近跟进"),
    "days_since_contact": ("days since contact", "未跟进天数"),
    "contacts": ("contacts", "跟进次数"), "visits": ("visits", "拜访次数"), "calls": ("calls", "电话次数"),
    "messages": ("messages", "消息次数"), "care_touches": ("care touches", "关怀次数"),
    "complaints": ("complaints", "投诉次数"), "p_alive": ("probability active", "活跃概率"),
    "expected_purchases": ("expected purchases", "预期购买次数"),
    "expected_value": ("expected spend", "预期客单"),
    "clv": ("CLV", "客户终身价值"),
    # the customer attributes the presets read: English keeps the column's name (as imported),
    # Chinese says what it is
    "annual_agreement": ("annual_agreement", "年度协议"), "flag": ("flag", "客户标记"),
    "competitive_advantage": ("competitive_advantage", "竞争优势"),
    "created_date": ("created_date", "建档日期"),
    "credit_grade_finance": ("credit_grade_finance", "财务信用评级"),
    "growth_ability": ("growth_ability", "成长能力"), "intent": ("intent", "合作意向"),
    "management_level": ("management_level", "管理水平"), "marketing_level": ("marketing_level", "营销水平"),
    "outlet": ("outlet", "门店"), "payment_terms_days": ("payment_terms_days", "账期天数"),
    "personality": ("personality", "性格类型"), "purchasing_power": ("purchasing_power", "购买力"),
    "scale": ("scale", "规模"), "share_of_wallet": ("share_of_wallet", "份额占比"),
    "type": ("type", "客户类型"), "upcoming_purchases": ("upcoming_purchases", "近期采购计划"),
}
