"""The raw scheme: the pydantic model of a scheme YAML file, exactly as a person writes it.

A scheme names its classes (best first), says who it looks at (``population``) over which
``window``, and how customers are assigned, by one of five ``kind``\\ s:

``rank_tiers``
    tiers by top share of customers, or of cumulative value, on any metric (ABC);
``thresholds``
    ordered rules, first match wins, exactly one ``otherwise`` (spend tiers, B2B levels);
``matrix``
    two axes cut high/low by median, mean, a quantile or a fixed value; a class per cell;
``scorecard``
    weighted, normalised indicators give a 0–100 score; grades by score cut;
``rfm``
    recency / frequency / monetary scores by quantile, mean or fixed cuts, then rules.

``roles`` say what the reports use a scheme for (:data:`ROLES`): the Pareto chart reads the
scheme holding ``pareto``, whatever its name, so a copied or renamed ABC keeps its charts.

Conditions and metrics are small expressions (:mod:`tierwise.schemes.expr`). This module
only checks the file's shape and the rules that need no data (tiers in order, one fallback,
weights that add up); :mod:`tierwise.schemes.compiler` checks names against the workspace.
Every error names the file, the field path and the fix (:func:`load_spec`).
"""

from __future__ import annotations

import difflib
import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    model_validator,
)

from tierwise.metrics.frame import Window
from tierwise.store.schema import TABLES


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Text(Model):
    """A text in both languages."""

    zh: str
    en: str

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


def _share(value: Any) -> Any:
    """``"5%"``, ``5%`` or ``0.05`` → 0.05."""
    if isinstance(value, str):
        text = value.strip()
        if text.endswith("%"):
            try:
                return float(text[:-1]) / 100
            except ValueError:
                raise ValueError(f"{value!r} is not a percentage like 5%") from None
    return value


Share = Annotated[float, BeforeValidator(_share), Field(gt=0, le=1)]

_CUT = re.compile(r"^(median|mean|p(\d{1,2}(?:\.\d+)?))$")


def _cut(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("a cut is median, mean, pNN (a percentile such as p80) or a number")
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        text = value.strip().lower().replace(",", "")
        if _CUT.match(text):
            return text
        try:
            return float(text)
        except ValueError:
            pass
    raise ValueError(f"{value!r}: a cut is median, mean, pNN (a percentile such as p80) or a number")


Cut = Annotated[float | str, BeforeValidator(_cut)]
"""Where an axis or a grade is cut: ``median``, ``mean``, ``pNN`` or a fixed number."""

_ID = r"^[A-Za-z_][A-Za-z0-9_]*$"

_RATIO = re.compile(r"^1\s*:\s*(\d+)(?:\s*[-–~]\s*(\d+))?$")


# what a class's playbook asks of credit, the mildest first (playbook/credit_actions.py applies it)
CreditAction = Literal["none", "watch", "collect", "hold_over_limit", "cash_only"]


TASK_CREDIT_ACTIONS = ("collect", "hold_over_limit", "cash_only")  # the credit actions that make tasks
CREDIT_PLAN: dict[str, tuple[str, str]] = {
    "watch": ("watch credit use and payments", "关注额度使用与回款"),
    "collect": ("collect overdue payments", "催收逾期款"),
    "hold_over_limit": ("no shipping beyond the credit limit; set one",
                        "超过授信额度不再发货（未设额度须设定）"),
    "cash_only": ("cash before shipping", "款到发货"),
}


class PoolRule(Model):
    """When a customer of the class goes back to the public pool (公海) and how the pool's
    customers of the class are claimed (:mod:`tierwise.playbook.pool`)."""

    recycle_after_days: int | None = Field(
        None, gt=0, le=3650, description="Back to the pool after this many days without a follow-up "
                                         "(or an order, see recycle_without) since the rep got it.")
    recycle_without: Literal["follow_up", "order"] = Field(
        "follow_up", description="What resets the clock: a follow-up (visit, call, message, care) or an "
                                 "order.")
    warn_before_days: int = Field(7, ge=0, le=365, description="The owner is warned (a task) this many "
                                                              "days before the customer is recycled.")
    escalate_before_days: int | None = Field(
        None, gt=0, le=365, description="The owner's manager is told (a task) this many days before.")
    claim_limit_per_day: int | None = Field(None, gt=0, le=10_000, description="Customers of the class one "
                                                                              "rep may claim per day.")
    cooldown_days: int = Field(0, ge=0, le=3650, description="Days before the previous owner may claim "
                                                             "the customer again.")
    max_customers_per_rep: int | None = Field(None, gt=0, le=1_000_000, description="Customers of the class "
                                                                                   "one rep may own.")

    @model_validator(mode="after")
    def _check(self) -> PoolRule:
        if self.recycle_after_days is not None and self.warn_before_days >= self.recycle_after_days:
            raise ValueError(f"warn_before_days {self.warn_before_days} must be less than recycle_after_days "
                             f"{self.recycle_after_days}: the warning comes before the customer is recycled")
        if self.escalate_before_days is not None and self.escalate_before_days >= self.warn_before_days:
            raise ValueError(f"escalate_before_days {self.escalate_before_days} must be less than "
                             f"warn_before_days {self.warn_before_days}: the rep is warned before the "
                             "manager")
        return self

    def plan(self) -> list[tuple[str, str]]:
        """The rule in words, (English, Chinese) per item."""
        out: list[tuple[str, str]] = []
        if self.recycle_after_days:
            n, w = self.recycle_after_days, self.warn_before_days
            what = ("a follow-up", "跟进") if self.recycle_without == "follow_up" else ("an order", "下单")
            out.append((f"back to the public pool after {n} days without {what[0]} (warned {w} days before)",
                        f"{n} 天未{what[1]}收回公海（提前 {w} 天提醒）"))
            if self.escalate_before_days:
                e = self.escalate_before_days
                out.append((f"the manager told {e} days before", f"提前 {e} 天通知主管"))
        if self.claim_limit_per_day:
            out.append((f"a rep claims at most {self.claim_limit_per_day} a day from the pool",
                        f"每位业务员每天最多从公海领取 {self.claim_limit_per_day} 个"))
        if self.cooldown_days:
            out.append((f"the previous owner may claim it again after {self.cooldown_days} days",
                        f"原负责人 {self.cooldown_days} 天内不可重新领取"))
        if self.max_customers_per_rep:
            n = self.max_customers_per_rep
            out.append((f"at most {n} per rep", f"每位业务员最多 {n} 个"))
        return out


class Playbook(Model):
    """What the sales team does with a class (the tasks read this)."""

    strategy: Text | None = None
    actions: list[Text] = []
    service_ratio: str | None = Field(
        None, description="Customers of this class one rep looks after: 1:1, 1:2, 1:3-5.")
    visit_every_days: int | None = Field(None, gt=0)
    call_every_days: int | None = Field(None, gt=0)
    manager_visit_every_days: int | None = Field(None, gt=0)
    care_after_purchase_days: list[int] = Field(
        [], description="Care touches this many days after each purchase (333: 3, 21, 90).")
    complaint_priority: int | None = Field(None, ge=1, le=9, description="1 = handled first.")
    priority: int | None = Field(None, ge=1, le=9, description="Task priority of the class, 1 = first.")
    credit_action: CreditAction | None = None
    review_after_days: int | None = Field(
        None, gt=0, description="A grade review task this many days after the customer entered the class.")
    remind: bool = Field(False, description="Raise a reminder task for every customer of this class "
                                            "(the M13 reminder states), done by a contact after it.")
    advice_only: bool = Field(False, description="The strategy is advice for the rep (how to talk, what to "
                                                 "offer): no task comes from this class, and pages say so.")
    pool: PoolRule | None = Field(None, description="The public pool (公海): when a neglected customer "
                                                    "of the class is recycled, and how it is claimed.")

    @model_validator(mode="after")
    def _check(self) -> Playbook:
        if self.advice_only and self.makes_tasks():
            raise ValueError("advice_only: true, yet the playbook asks for tasks ("
                             + ", ".join(en for en, _ in self.plan()) + "); keep one or the other")
        if self.service_ratio is not None and not _RATIO.match(self.service_ratio.strip()):
            raise ValueError(f"service_ratio {self.service_ratio!r}: write 1:N or 1:N-M, e.g. 1:3-5")
        days = self.care_after_purchase_days
        if any(d <= 0 for d in days) or days != sorted(days):
            raise ValueError("care_after_purchase_days: list positive days in increasing order, "
                             "e.g. [3, 21, 90]")
        return self

    def makes_tasks(self) -> bool:
        """Whether tasks come from this playbook (cadences, care, reminders, reviews, or a credit
        action that holds, collects or asks for a limit)."""
        return bool(self.visit_every_days or self.call_every_days or self.manager_visit_every_days
                    or self.care_after_purchase_days or self.remind or self.review_after_days
                    or self.credit_action in TASK_CREDIT_ACTIONS
                    or bool(self.pool is not None and self.pool.recycle_after_days))

    def plan(self) -> list[tuple[str, str]]:
        """What the playbook has the team do, (English, Chinese) per item: the tasks it makes,
        then what it asks of credit."""
        out: list[tuple[str, str]] = []
        if self.visit_every_days:
            out.append((f"visit every {self.visit_every_days} days", f"每 {self.visit_every_days} 天拜访"))
        if self.call_every_days:
            out.append((f"call every {self.call_every_days} days", f"每 {self.call_every_days} 天电话联系"))
        if self.manager_visit_every_days:
            n = self.manager_visit_every_days
            out.append((f"a manager's visit every {n} days", f"主管每 {n} 天拜访"))
        if self.care_after_purchase_days:
            days = "/".join(str(d) for d in self.care_after_purchase_days)
            out.append((f"care touches {days} days after a purchase", f"购买后第 {days} 天关怀"))
        if self.remind:
            out.append(("a reminder to follow up", "跟进提醒"))
        if self.review_after_days:
            n = self.review_after_days
            out.append((f"a grade review {n} days after entering the class", f"进入本类 {n} 天后复评"))
        if self.credit_action in CREDIT_PLAN:
            out.append(CREDIT_PLAN[self.credit_action])
        if self.pool is not None:
            out.extend(self.pool.plan())
        return out

    def customers_per_rep(self) -> tuple[int, int] | None:
        """(fewest, most) customers of this class one rep carries, from ``service_ratio``."""
        if self.service_ratio is None:
            return None
        match = _RATIO.match(self.service_ratio.strip())
        assert match is not None
        low = int(match.group(1))
        return low, int(match.group(2) or low)


class ClassSpec(Model):
    """One class: its id (used in files and the API), labels, description and playbook."""

    id: str = Field(pattern=_ID)
    label: Text
    description: Text | None = None
    playbook: Playbook | None = None


class Indicator(Model):
    """One weighted indicator of a score."""

    by: str
    weight: float = Field(gt=0)
    scale: Literal["minmax", "rank"] | tuple[float, float] = "minmax"
    better: Literal["higher", "lower"] = "higher"
    missing: float = Field(0.0, ge=0, le=1, description="Points (0–1) given when the value is empty.")
    label: Text | None = Field(None, description="How reasons name ``by`` when it is an expression, "
                               "e.g. {zh: 逾期占比, en: overdue share}; a metric's own name otherwise.")


class ScoreSpec(Model):
    """A 0–100 score: the weighted sum of normalised indicators (weights add up to 100)."""

    name: str = Field(pattern=_ID)
    label: Text | None = None
    indicators: list[Indicator] = Field(min_length=1, max_length=100)

    @model_validator(mode="after")
    def _weights(self) -> ScoreSpec:
        total = sum(i.weight for i in self.indicators)
        if abs(total - 100) > 1e-6:
            raise ValueError(
                f"the weights of score {self.name!r} add up to {total:g}, not 100: change them so "
                f"they do (e.g. {', '.join(f'{i.by} {i.weight * 100 / total:.0f}' for i in self.indicators)})"
            )
        for i in self.indicators:
            if isinstance(i.scale, tuple) and not i.scale[0] < i.scale[1]:
                raise ValueError(f"indicator {i.by!r}: scale [low, high] needs low < high")
        return self


class Rule(Model):
    """``class`` when the condition holds; the one rule with ``otherwise: true`` catches the rest."""

    class_: str = Field(alias="class", pattern=_ID)
    when: str | None = None
    otherwise: bool = False
    optional: bool = Field(False, description="Skip this rule when a column it reads is absent.")

    @model_validator(mode="after")
    def _one(self) -> Rule:
        if self.otherwise == (self.when is not None):
            raise ValueError(f"rule for {self.class_!r}: give either `when: <condition>` or "
                             f"`otherwise: true`, not both or neither")
        return self


# role: (what reads the scheme holding it, the kinds that can hold it (empty: any))
ROLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "primary_grade": ("the company's main grade: customers per class in the key figures (`tierwise "
                      "overview`), the key-customers card (its first class), the class column of the "
                      "customer form, the first class column of the customer list, the default scheme "
                      "of `tierwise workload`", ()),
    "pareto": ("tiers by revenue rank: the Pareto curve, the tier migration chart and workbook sheet, "
               "the dashboard's top movers", ("rank_tiers",)),
    "matrix": ("a 2 × 2 matrix shown as a table on the dashboard", ("matrix",)),
    "value_loyalty": ("the report's value × loyalty scatter; a column of the customer list", ("matrix",)),
    "contribution_stability": ("the report's contribution × stability scatter", ("matrix",)),
    "rfm": ("the report's RFM heatmap", ("rfm",)),
    "credit": ("the credit rating: the credit-rating form (客户资信等级评估表), the rating column of "
               "the customer form, a column of the customer list", ()),
    "lifecycle": ("the customer's stage: a column of the customer list", ()),
}


def _role(value: str) -> str:
    if value not in ROLES:
        raise ValueError(f"{value!r} is not a role{_did_you_mean(value, list(ROLES))}; roles are "
                         f"{', '.join(ROLES)}")
    return value


Role = Annotated[str, AfterValidator(_role)]


class SchemeBase(Model):
    """What every kind of scheme has."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: Text
    method: str | None = None
    description: Text | None = None
    population: str = Field(
        "buyers", description="buyers, customers (bought ever), lapsed, prospects, all, or a condition.")
    window: str = "12m"
    requires: list[str] = Field([], description="Columns that must hold data, as table.column.")
    scores: list[ScoreSpec] = Field([], max_length=100)
    classes: list[ClassSpec] = Field(min_length=1, max_length=100)
    roles: Annotated[list[Role], BeforeValidator(lambda v: [v] if isinstance(v, str) else v)] = Field(
        [], description="What the reports use the scheme for (see ROLES); one role or a list.")

    @model_validator(mode="after")
    def _common(self) -> SchemeBase:
        Window.parse(self.window)
        kind = getattr(self, "kind", "")
        for i, role in enumerate(self.roles):
            if role in self.roles[:i]:
                raise ValueError(f"roles: {role!r} is listed twice; give each role once")
            kinds = ROLES[role][1]
            if kinds and kind not in kinds:
                raise ValueError(f"roles: {role!r} needs a scheme of kind {' or '.join(kinds)}; this one "
                                 f"is {kind}: remove the role or change the kind")
        ids = [c.id for c in self.classes]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"classes: {', '.join(dupes)} listed twice; give each class once")
        for req in self.requires:
            _check_required(req)
        for used in self.used_classes():
            if used not in ids:
                hint = _did_you_mean(used, ids)
                raise ValueError(f"class {used!r} is used but not listed under classes{hint}")
        return self

    def used_classes(self) -> list[str]:
        return []

    def class_ids(self) -> list[str]:
        return [c.id for c in self.classes]

    def klass(self, class_id: str) -> ClassSpec:
        return next(c for c in self.classes if c.id == class_id)


def _check_required(req: str) -> None:
    """``table.column``: a canonical table, and a canonical column of it (customers may also
    name any attribute column)."""
    if not re.match(r"^[a-z_]+\.[A-Za-z_][A-Za-z0-9_]*$", req):
        raise ValueError(f"requires: {req!r} should be table.column, e.g. orders.cost")
    table, column = req.split(".", 1)
    if table not in TABLES:
        hint = _did_you_mean(table, list(TABLES))
        raise ValueError(f"requires: {req!r}: no table {table!r}{hint}; tables are {', '.join(TABLES)}")
    names = TABLES[table].names
    if table != "customers" and column not in names:
        hint = _did_you_mean(column, names)
        raise ValueError(f"requires: {req!r}: {table} has no column {column!r}{hint}")


def _rules_check(rules: list[Rule], field: str) -> None:
    fallbacks = [i for i, r in enumerate(rules) if r.otherwise]
    if not fallbacks:
        raise ValueError(f"{field}: no `otherwise: true` rule; add one as the last rule, for "
                         f"customers no other rule matches")
    if len(fallbacks) > 1:
        raise ValueError(f"{field}: {len(fallbacks)} `otherwise` rules ({field}[{fallbacks[0]}] and "
                         f"{field}[{fallbacks[1]}]); keep exactly one, as the last rule")
    if fallbacks[0] != len(rules) - 1:
        raise ValueError(f"{field}[{fallbacks[0]}]: the `otherwise` rule must be the last one; "
                         f"rules after it could never match")


class Tier(Model):
    class_: str = Field(alias="class", pattern=_ID)
    top: Share | None = None


class RankTiers(SchemeBase):
    """Tiers by rank: the top share of customers (``basis: customers``) or of cumulative value."""

    kind: Literal["rank_tiers"]
    rank_by: str
    basis: Literal["customers", "value"] = "customers"
    order: Literal["desc", "asc"] = "desc"
    tiers: list[Tier] = Field(min_length=2, max_length=100)

    @model_validator(mode="after")
    def _tiers(self) -> RankTiers:
        *ranked, rest = self.tiers
        if rest.top is not None and rest.top < 1:
            raise ValueError(f"tiers[{len(self.tiers) - 1}]: the last tier takes the rest; "
                             f"remove its `top`")
        for i, tier in enumerate(ranked):
            if tier.top is None:
                raise ValueError(f"tiers[{i}]: give `top` (e.g. top: 5%); only the last tier "
                                 f"takes the rest")
            if i and tier.top <= (ranked[i - 1].top or 0):
                raise ValueError(
                    f"tiers[{i}].top: {tier.top:.0%} is not above tiers[{i - 1}].top "
                    f"({ranked[i - 1].top:.0%}); list tiers from the smallest share to the largest, "
                    f"each top counting from the first customer")
        return self

    @model_validator(mode="after")
    def _pareto(self) -> RankTiers:
        if "pareto" in self.roles and self.rank_by != "revenue":
            raise ValueError(f"roles: 'pareto' draws the Pareto curve of revenue, but this scheme ranks by "
                             f"{self.rank_by!r}: remove the role or rank by revenue")
        return self

    def used_classes(self) -> list[str]:
        return [t.class_ for t in self.tiers]


class Thresholds(SchemeBase):
    """Ordered rules; the first that matches assigns the class."""

    kind: Literal["thresholds"]
    rules: list[Rule] = Field(min_length=1, max_length=100)

    @model_validator(mode="after")
    def _rules(self) -> Thresholds:
        _rules_check(self.rules, "rules")
        return self

    def used_classes(self) -> list[str]:
        return [r.class_ for r in self.rules]


class Axis(Model):
    """One axis of a matrix: ``by`` cut into high (≥ cut) and low."""

    name: str = Field(pattern=_ID)
    by: str
    cut: Cut = "median"
    missing: Literal["low", "high"] = "low"
    label: Text | None = None


CELLS = ("high/high", "high/low", "low/high", "low/low")


class CellRule(Model):
    """A customer of ``cell`` meeting ``when`` goes to ``class`` instead: what a cell means beyond
    its two axes (the seed's 知己 are high value, high loyalty *and* good credit)."""

    cell: str
    when: str
    class_: str = Field(alias="class", pattern=_ID)
    requires: list[str] = Field([], description="table.column that must hold data for the rule to apply "
                                                "(payments.amount: without payments, credit is unknown, "
                                                "not bad).")

    @model_validator(mode="after")
    def _required(self) -> CellRule:
        for req in self.requires:
            _check_required(req)
        return self


class Matrix(SchemeBase):
    """Two axes; ``cells`` maps ``first/second`` (high or low each) to a class; ``unless``
    moves the customers of a cell meeting a condition to another class (first rule first)."""

    kind: Literal["matrix"]
    axes: list[Axis] = Field(min_length=2, max_length=2)
    cells: dict[str, str]
    unless: list[CellRule] = []

    @model_validator(mode="after")
    def _cells(self) -> Matrix:
        if self.axes[0].name == self.axes[1].name:
            raise ValueError("axes: give the two axes different names")
        unknown = [k for k in self.cells if k not in CELLS]
        if unknown:
            raise ValueError(f"cells: {unknown[0]!r} is not a cell; cells are {', '.join(CELLS)} "
                             f"({self.axes[0].name}/{self.axes[1].name})")
        missing = [k for k in CELLS if k not in self.cells]
        if missing:
            raise ValueError(f"cells: {', '.join(missing)} missing; give a class for each of "
                             f"{', '.join(CELLS)}")
        for i, rule in enumerate(self.unless):
            if rule.cell not in CELLS:
                raise ValueError(f"unless[{i}].cell: {rule.cell!r} is not a cell; cells are "
                                 f"{', '.join(CELLS)}")
        return self

    def used_classes(self) -> list[str]:
        return list(self.cells.values()) + [r.class_ for r in self.unless]


class Grade(Model):
    class_: str = Field(alias="class", pattern=_ID)
    min: Cut | None = None
    otherwise: bool = False

    @model_validator(mode="after")
    def _one(self) -> Grade:
        if self.otherwise == (self.min is not None):
            raise ValueError(f"grade {self.class_!r}: give either `min: <score>` or `otherwise: true`")
        return self


class GradeCap(Model):
    """A grade kept elsewhere (finance's own) that caps the scored grade: for each of its values,
    the best grade the score may give; a blank or unlisted value caps nothing. Read from a
    customer attribute when the workspace has it (without it the score alone decides)."""

    by: str = Field(pattern=_ID, description="The customer attribute, e.g. credit_grade_finance.")
    label: Text = Field(description="How reasons name it, e.g. {zh: 财务评级, en: finance grade}.")
    best: dict[str, str] = Field(min_length=1, description="Its value → the best grade allowed.")


class Scorecard(SchemeBase):
    """A weighted score and grades by score, highest first."""

    kind: Literal["scorecard"]
    score: ScoreSpec
    grades: list[Grade] = Field(min_length=2)
    cap: GradeCap | None = None

    @model_validator(mode="after")
    def _grades(self) -> Scorecard:
        *cut, rest = self.grades
        if not rest.otherwise or any(g.otherwise for g in cut):
            raise ValueError("grades: exactly one grade, the last, has `otherwise: true`")
        if self.cap is not None:
            ids = [g.class_ for g in self.grades]
            wrong = sorted({v for v in self.cap.best.values() if v not in ids})
            if wrong:
                raise ValueError(f"cap.best: {', '.join(wrong)} is not one of the grades "
                                 f"({', '.join(ids)})")
        fixed = [g.min for g in cut if isinstance(g.min, float)]
        if len(fixed) == len(cut) and fixed != sorted(fixed, reverse=True):
            raise ValueError("grades: list them from the highest `min` to the lowest")
        return self

    def used_classes(self) -> list[str]:
        return [g.class_ for g in self.grades]


class RfmDimension(Model):
    by: str
    better: Literal["higher", "lower"] = "higher"
    cuts: list[float] | None = Field(None, description="Fixed cuts, ascending; default: by `bins`.")


class Rfm(SchemeBase):
    """R, F and M scores (1 = worst), then ordered rules on ``r``, ``f``, ``m`` and ``fm``."""

    kind: Literal["rfm"]
    bins: int | Literal["mean", "median"] = 5
    recency: RfmDimension = RfmDimension(by="recency_days", better="lower", cuts=None)
    frequency: RfmDimension = RfmDimension(by="order_count", cuts=None)
    monetary: RfmDimension = RfmDimension(by="revenue", cuts=None)
    rules: list[Rule] = Field(min_length=1, max_length=100)

    @model_validator(mode="after")
    def _rfm(self) -> Rfm:
        if isinstance(self.bins, int) and not 2 <= self.bins <= 10:
            raise ValueError("bins: use 2 to 10 quantile bins, or mean / median for high-low")
        for dim in (self.recency, self.frequency, self.monetary):
            if dim.cuts is not None and dim.cuts != sorted(set(dim.cuts)):
                raise ValueError(f"{dim.by}: cuts must be increasing, e.g. [30, 90, 180, 365]")
        _rules_check(self.rules, "rules")
        return self

    def used_classes(self) -> list[str]:
        return [r.class_ for r in self.rules]


Spec = Annotated[RankTiers | Thresholds | Matrix | Scorecard | Rfm, Field(discriminator="kind")]
KINDS = ("rank_tiers", "thresholds", "matrix", "scorecard", "rfm")
SchemeSpec = RankTiers | Thresholds | Matrix | Scorecard | Rfm


class _Root(BaseModel):
    spec: Spec


# -- loading ---------------------------------------------------------------------------


def _did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


# the loading functions live in spec_load (they read every model above); callers use them here
from tierwise.schemes.spec_load import load_spec, load_stored, load_text, parse_spec, spec_hash  # noqa: E402, F401
