"""Settings as data, each with its help text (``tierwise settings`` lists them).

Values come from, in order: command-line options, ``TIERWISE_*`` environment variables,
then the defaults below. A test fails when a setting has no description.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from tierwise.errors import ConfigError
from tierwise.schedule import parse_schedule

# The parts of the loyalty score (weights: the loyalty_weights setting).
LOYALTY_PARTS = ("tenure", "repeat", "stability", "recency")


def parse_weights(text: str) -> dict[str, float]:
    """Parse ``tenure=0.25,repeat=0.25,...`` into weights; unknown parts or a zero sum are errors."""
    weights: dict[str, float] = {}
    for item in filter(None, (p.strip() for p in text.split(","))):
        name, sep, number = item.partition("=")
        name = name.strip()
        if not sep or name not in LOYALTY_PARTS:
            raise ValueError(
                f"{item!r}: write name=weight with name one of {', '.join(LOYALTY_PARTS)}"
            )
        try:
            weights[name] = float(number)
        except ValueError:
            raise ValueError(f"{item!r}: the weight must be a number") from None
        if weights[name] < 0:
            raise ValueError(f"{item!r}: weights cannot be negative")
    if sum(weights.values()) <= 0:
        raise ValueError("at least one weight must be above 0")
    return weights


def _physical_memory() -> int | None:
    """Bytes of physical memory, where the platform says (Linux, macOS)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return None


CURRENCIES = {"CNY": "¥", "USD": "$", "GBP": "£", "EUR": "€", "JPY": "JP¥", "HKD": "HK$", "TWD": "NT$",
              "SGD": "S$", "AUD": "A$", "CAD": "C$", "KRW": "₩", "INR": "₹", "CHF": "CHF ", "MYR": "RM",
              "THB": "฿", "VND": "₫", "RUB": "₽"}
"""The currencies a workspace may keep its money in (ISO 4217 code → symbol)."""
_CURRENCY = ["CNY"]  # the open workspace's: one per process (the CLI's, the server's)


def use_currency(code: str) -> None:
    """Write money in ``code`` from now on (:meth:`tierwise.store.database.Database.open`)."""
    if code not in CURRENCIES:
        raise ValueError(f"currency {code!r}: one of {', '.join(CURRENCIES)}")
    _CURRENCY[0] = code


def currency() -> str:
    """The code of the currency money is written in (CNY unless the workspace says otherwise)."""
    return _CURRENCY[0]


class Settings(BaseModel):
    """Process-wide settings. Build with :meth:`from_env`; never read at import time."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    db: Path = Field(
        Path("tierwise.duckdb"),
        description="Workspace database file (DuckDB). Env: TIERWISE_DB; option: --db.",
    )
    lang: Literal["en", "zh"] = Field(
        "en",
        description="Language of labels and messages: en or zh. Env: TIERWISE_LANG, else LANG.",
    )
    memory_limit: str = Field(
        "auto",
        pattern=r"(?i)^\s*(auto|\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB))\s*$",
        description="Most memory a tierwise process may hold, e.g. 2GB, 8GB: the engine (DuckDB) gets "
        "half of it before spilling to disk, because its operators hold "
        "memory outside its own limit (about 1 GiB more at 10M customers). auto: 1GB for the engine "
        "while importing (as fast as more, and the import stays small), half the machine's memory "
        "otherwise. "
        "Env: TIERWISE_MEMORY_LIMIT.",
    )
    IMPORT_MEMORY_LIMIT: ClassVar[str] = "1GB"
    ENGINE_SHARE: ClassVar[float] = 0.5
    """The engine's part of a memory limit the user set. DuckDB bounds only its buffer pool: a
    window's partitions, sort runs and hash tables hold more beside it (measured at 10M customers
    under 2GB: the process at 2.9-3.5 GiB with the engine at its 1.9 GiB; under 1GB, 2.0 GiB), and
    DuckDB's own guide advises 50-60% of the memory a process may use."""

    def engine_config(self) -> dict[str, object]:
        """DuckDB connection options from these settings.

        A limit the user set is the whole process's: the engine gets :attr:`ENGINE_SHARE` of it,
        the rest is for what the engine holds outside its buffer pool and for Python. ``auto``
        gives the engine half the machine's memory (DuckDB alone would take 80%), leaving room for
        the web server and whatever else runs beside it; the metrics stay on the engine (Python
        holds bounded batches), so a low limit holds too.
        """
        config: dict[str, object] = {}
        if (limit := self.memory_bytes()) is not None:
            config["memory_limit"] = f"{max(1, int(limit * self.ENGINE_SHARE))} bytes"
        elif (total := _physical_memory()) is not None:
            config["memory_limit"] = f"{total // 2 // 2**20}MB"
        if self.threads:
            config["threads"] = self.threads
        return config

    def memory_bytes(self) -> int | None:
        """The memory limit the user set, in bytes (units as DuckDB reads them: KB = 1000 bytes,
        KiB = 1024); None for auto."""
        text = self.memory_limit.strip()
        if text.lower() == "auto":
            return None
        number = text.rstrip("BbKkMmGgTtIi ")
        unit = text[len(number):].strip().upper()
        scale = {"B": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12,
                 "KIB": 2**10, "MIB": 2**20, "GIB": 2**30, "TIB": 2**40}[unit]
        return int(float(number) * scale)

    threads: int | None = Field(
        None,
        ge=1,
        description="Engine worker threads; empty means one per core. Env: TIERWISE_THREADS.",
    )

    engine: Literal["duckdb", "spark"] = Field(
        "duckdb",
        description="Engine that computes metrics and classes: duckdb (embedded, default) or spark "
        "(the lake tables of spark_lake, the others copied from the workspace). Env: TIERWISE_ENGINE; "
        "option: --engine.",
    )
    spark_master: str = Field(
        "local[2]",
        description="Spark master URL for --engine spark, e.g. local[4], spark://host:7077, yarn, or a "
        "Spark Connect URL sc://host:15002. Env: TIERWISE_SPARK_MASTER.",
    )
    spark_lake: Path | None = Field(
        None,
        description="YAML file mapping canonical tables to the company's Spark tables, lake paths or "
        "queries for --engine spark (see the README, 'Spark and a data lake'). Env: TIERWISE_SPARK_LAKE.",
    )
    time_unit: Literal["days", "weeks"] = Field(
        "days",
        description="Time unit of the BTYD columns recency and T and of the CLV fit: days, or "
        "weeks (= days / 7). Env: TIERWISE_TIME_UNIT; option: --time-unit.",
    )
    currency: str | None = Field(
        None,
        description="The currency the workspace's amounts are in (ISO code: CNY, USD, GBP, EUR, HKD, "
        "JPY, ...), kept in the workspace once given (default CNY): the symbol every output writes "
        "money with; fixed amounts in scheme YAML (the VIP line of 5,000,000) are in it too. Nothing is "
        "converted: give the company's own currency. Env: TIERWISE_CURRENCY; option: init --currency.",
    )
    btyd_days: Literal["purchases", "any"] = Field(
        "purchases",
        description="Which days count as purchases in the BTYD columns (frequency, recency, T, "
        "monetary_value) and the CLV fit: purchases = days whose lines net above zero (a day of "
        "returns or of a cancelled order is not a purchase); any = every day with an order line, "
        "lifetimes' convention (summary_data_from_transaction_data). Env: TIERWISE_BTYD_DAYS.",
    )
    payment_terms_days: int = Field(
        30,
        ge=0,
        description="Days of credit (账期) for an order without a due date whose customer has no "
        "payment terms. Env: TIERWISE_PAYMENT_TERMS_DAYS.",
    )
    stability_basis: Literal["month", "quarter"] = Field(
        "month",
        description="Whether the stability metric measures revenue variation over months or "
        "quarters. Env: TIERWISE_STABILITY_BASIS.",
    )
    loyalty_weights: str = Field(
        "tenure=0.25,repeat=0.25,stability=0.25,recency=0.25",
        description="Weights of the loyalty score's parts (tenure, repeat, stability, recency), "
        "as name=weight pairs; they are scaled to sum to 1. Env: TIERWISE_LOYALTY_WEIGHTS.",
    )
    clv_months: int = Field(
        12,
        ge=1,
        le=120,
        description="CLV horizon in months (also the horizon of expected_purchases). "
        "Env: TIERWISE_CLV_MONTHS.",
    )
    clv_discount_rate: float = Field(
        0.01,
        ge=0,
        lt=1,
        description="Monthly discount rate for CLV (0.01 a month is about 12.7% a year). "
        "Env: TIERWISE_CLV_DISCOUNT_RATE.",
    )

    user: str | None = Field(
        None,
        description="Who is acting, for the audit trail (overrides, approvals, credit limits, "
        "flags); empty means the login name. Commands that change things also take --by. "
        "Env: TIERWISE_USER.",
    )
    provisional_months: int = Field(
        6,
        ge=0,
        le=60,
        description="A customer whose first order is younger than this many months at the "
        "as-of date gets provisional classes, reviewed when the age is reached; 0 turns "
        "provisional grades off. Env: TIERWISE_PROVISIONAL_MONTHS.",
    )
    warm: bool = Field(
        True,
        description="While `tierwise serve` runs, compute each person's dashboard when it starts "
        "and whenever the data or the people change, so that no first click waits for it "
        "(seconds at a million customers); false keeps a starting server quiet. Env: TIERWISE_WARM.",
    )
    schedule: str = Field(
        "monthly",
        description="Evaluation rhythm for `tierwise classify --due`: monthly, monthly:DD (from "
        "day DD of each month), quarterly, or yearly:MM-DD..MM-DD (a fixed window each year, "
        "e.g. yearly:03-25..03-30). Env: TIERWISE_SCHEDULE.",
    )
    pool_recycle: bool = Field(
        True,
        description="Recycle neglected customers to the public pool (公海) by their class's pool rule "
        "(`pool:` in a scheme's playbook): the owner is warned by a task, then the schedule moves the "
        "customer to the pool once a day while `tierwise serve` runs (or `tierwise pool recycle "
        "--apply`). false: no warnings and no recycling; claims and releases still work. "
        "Env: TIERWISE_POOL_RECYCLE.",
    )
    digest_at: str = Field(
        "08:00",
        pattern=r"^(off|([01][0-9]|2[0-3]):[0-5][0-9])$",
        description="When the server sends each rep's daily digest (tasks due, credit holds, pool "
        "warnings) to their channel (`tierwise digest set`): HH:MM, once a day after the day's tasks; "
        "off: only `tierwise digest send`. Env: TIERWISE_DIGEST_AT.",
    )
    smtp_host: str = Field("", description="Mail server for e-mailed digests; empty: no e-mail. Env: "
                                           "TIERWISE_SMTP_HOST.")
    smtp_port: int = Field(25, ge=1, le=65535, description="Its port. Env: TIERWISE_SMTP_PORT.")
    smtp_user: str = Field("", description="Its user, when it asks for one. Env: TIERWISE_SMTP_USER.")
    smtp_password: str = Field("", description="That user's password (set it in the environment: "
                                               "TIERWISE_SMTP_PASSWORD).")
    smtp_from: str = Field("", description="The sender address. Env: TIERWISE_SMTP_FROM.")
    smtp_starttls: bool = Field(False, description="Upgrade the connection with STARTTLS. Env: "
                                                   "TIERWISE_SMTP_STARTTLS.")
    credit_grace_days: int = Field(
        0,
        ge=0,
        description="Days an invoice may be overdue before the customer's new orders are held "
        "(credit check and credit holds). Env: TIERWISE_CREDIT_GRACE_DAYS.",
    )
    followup_max_days_back: int = Field(
        30,
        ge=0,
        description="How many days back a follow-up may be dated when it is logged (older ones are "
        "refused: they would close tasks long gone). Env: TIERWISE_FOLLOWUP_MAX_DAYS_BACK.",
    )
    trusted_proxies: str = Field(
        "",
        pattern=r"^[0-9A-Fa-f.:/,* ]*$",
        description="Addresses of the reverse proxies in front of `tierwise serve` whose "
        "X-Forwarded-For / X-Forwarded-Proto headers are believed (comma-separated, e.g. "
        "127.0.0.1); empty: none, the client's address is the connection's, so a header cannot "
        "dodge the sign-in limits. Env: TIERWISE_TRUSTED_PROXIES.",
    )

    @field_validator("schedule")
    @classmethod
    def _check_schedule(cls, value: str) -> str:
        parse_schedule(value)
        return value

    @field_validator("currency")
    @classmethod
    def _check_currency(cls, value: str | None) -> str | None:
        if value is None:
            return None
        code = value.strip().upper()
        if code not in CURRENCIES:
            raise ValueError(f"currency {value!r}: give an ISO code, one of {', '.join(CURRENCIES)} / "
                             f"货币请用代码，如 CNY、USD、GBP")
        return code

    @field_validator("loyalty_weights")
    @classmethod
    def _check_weights(cls, value: str) -> str:
        parse_weights(value)
        return value

    def loyalty_weight_map(self) -> dict[str, float]:
        """``loyalty_weights`` as a mapping of part to weight."""
        return parse_weights(self.loyalty_weights)

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Settings from ``TIERWISE_*`` variables, with ``overrides`` (non-None) on top."""
        values: dict[str, object] = {}
        for name in cls.model_fields:
            env = os.environ.get(f"TIERWISE_{name.upper()}")
            if env not in (None, ""):
                values[name] = env
        if "lang" not in values:
            lang = os.environ.get("LANG", "")
            values["lang"] = "zh" if lang.lower().startswith("zh") else "en"
        elif isinstance(values["lang"], str):
            values["lang"] = "zh" if values["lang"].lower().startswith("zh") else "en"
        values.update({k: v for k, v in overrides.items() if v is not None})
        try:
            return cls.model_validate(values)
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(p) for p in first["loc"])
            raise ConfigError(
                f"setting {field}: {first['msg']} (set TIERWISE_{field.upper()} or the "
                f"matching option; see `tierwise settings`)"
            ) from None

    @classmethod
    def describe(cls) -> list[tuple[str, str, str]]:
        """(name, default, description) of every setting, for docs and ``tierwise settings``."""
        return [
            (name, "" if f.default is None else str(f.default), f.description or "")
            for name, f in cls.model_fields.items()
        ]
