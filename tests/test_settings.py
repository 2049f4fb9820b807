"""Settings: every one documented, read from TIERWISE_* variables, bad values refused."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from conftest import run_cli
from tierwise.errors import ConfigError
from tierwise.settings import Settings
from tierwise.workspace import Workspace


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in Settings.model_fields:
        monkeypatch.delenv(f"TIERWISE_{name.upper()}", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    return monkeypatch


@pytest.mark.parametrize("name", list(Settings.model_fields))
def test_every_setting_has_a_description(name: str) -> None:
    description = Settings.model_fields[name].description
    assert description and len(description.strip()) >= 10, f"setting {name!r} is undocumented"


def test_describe_lists_every_setting_with_its_help() -> None:
    described = Settings.describe()
    assert [d[0] for d in described] == list(Settings.model_fields)
    assert dict((n, d) for n, d, _ in described) == {
        "db": "tierwise.duckdb", "lang": "en", "memory_limit": "auto", "threads": "",
        "engine": "duckdb", "spark_master": "local[2]", "spark_lake": "", "time_unit": "days", "currency": "",
        "btyd_days": "purchases", "payment_terms_days": "30", "stability_basis": "month",
        "loyalty_weights": "tenure=0.25,repeat=0.25,stability=0.25,recency=0.25",
        "clv_months": "12", "clv_discount_rate": "0.01", "user": "", "provisional_months": "6",
        "warm": "True", "schedule": "monthly", "pool_recycle": "True", "digest_at": "08:00",
        "smtp_host": "", "smtp_port": "25", "smtp_user": "", "smtp_password": "", "smtp_from": "",
        "smtp_starttls": "False", "credit_grace_days": "0",
        "followup_max_days_back": "30", "trusted_proxies": ""}
    assert all(help_text.strip() for _, _, help_text in described)


def test_defaults(clean_env: pytest.MonkeyPatch) -> None:
    s = Settings.from_env()
    assert (s.db, s.lang, s.memory_limit, s.threads) == (Path("tierwise.duckdb"), "en", "auto", None)
    assert set(s.engine_config()) <= {"memory_limit"}  # auto: half the machine's memory


def test_from_env_reads_tierwise_variables(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    clean_env.setenv("TIERWISE_DB", str(tmp_path / "x.duckdb"))
    clean_env.setenv("TIERWISE_LANG", "zh")
    clean_env.setenv("TIERWISE_MEMORY_LIMIT", "512MB")
    clean_env.setenv("TIERWISE_THREADS", "3")
    s = Settings.from_env()
    assert (s.db, s.lang, s.memory_limit, s.threads) == (tmp_path / "x.duckdb", "zh", "512MB", 3)


@pytest.mark.parametrize(("tierwise_lang", "lang", "expected"), [
    ("zh_CN.UTF-8", "C", "zh"), ("ZH", "C", "zh"), ("en", "zh_CN.UTF-8", "en"), ("en_US", "C", "en"),
    (None, "zh_CN.UTF-8", "zh"), (None, "en_GB.UTF-8", "en"), (None, None, "en"), ("", "zh_TW", "zh"),
])
def test_language_from_tierwise_lang_then_lang(clean_env: pytest.MonkeyPatch, tierwise_lang: str | None,
                                               lang: str | None, expected: str) -> None:
    for var, value in (("TIERWISE_LANG", tierwise_lang), ("LANG", lang)):
        if value is None:
            clean_env.delenv(var, raising=False)
        else:
            clean_env.setenv(var, value)
    assert Settings.from_env().lang == expected


def test_empty_variables_mean_the_default(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("TIERWISE_DB", "")
    clean_env.setenv("TIERWISE_THREADS", "")
    s = Settings.from_env()
    assert (s.db, s.threads) == (Path("tierwise.duckdb"), None)


def test_overrides_win_over_the_environment(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    clean_env.setenv("TIERWISE_DB", str(tmp_path / "env.duckdb"))
    clean_env.setenv("TIERWISE_LANG", "zh")
    s = Settings.from_env(db=tmp_path / "opt.duckdb", lang="en", memory_limit=None)
    assert (s.db, s.lang, s.memory_limit) == (tmp_path / "opt.duckdb", "en", "auto")


def test_bad_value_in_environment_is_a_config_error(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("TIERWISE_THREADS", "many")
    with pytest.raises(ConfigError, match=r"^setting threads: .*\(set TIERWISE_THREADS or the matching "
                                          r"option; see `tierwise settings`\)$"):
        Settings.from_env()


def test_bad_override_is_a_config_error(clean_env: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigError, match="setting lang"):
        Settings.from_env(lang="fr")
    with pytest.raises(ConfigError, match="setting colour"):
        Settings.from_env(colour="red")


def test_settings_are_frozen() -> None:
    s = Settings()
    with pytest.raises(ValueError, match="frozen"):
        s.lang = "zh"  # type: ignore[misc]


@pytest.mark.parametrize(("var", "value"), [("TIERWISE_MEMORY_LIMIT", "lots"), ("TIERWISE_THREADS", "-2")])
def test_unusable_setting_is_an_error_line_not_a_traceback(tmp_path: Path, var: str, value: str) -> None:
    db = tmp_path / "w.duckdb"
    Workspace.open(Settings(db=db), create=True).close()
    r = run_cli("--db", db, "status", env={var: value})
    assert r.returncode == 1, r.stdout
    assert r.stderr.startswith("Error:"), r.stderr[-500:]
    assert "Traceback" not in r.stderr


def test_a_memory_limit_too_low_to_open_the_workspace_says_so(tmp_path: Path) -> None:
    """DuckDB's out-of-memory text says "block": it was once taken for a lock held by another
    command. It names the setting and the fix."""
    from tierwise.errors import WorkspaceError

    db = tmp_path / "w.duckdb"
    Workspace.open(Settings(db=db), create=True).close()
    with pytest.raises(WorkspaceError, match=r"within memory_limit 1B .*raise it \(--memory-limit") as got:
        Workspace.open(Settings(db=db, memory_limit="1B"))
    assert "another" not in str(got.value) and "内存上限 1B 过低" in str(got.value)


@pytest.mark.parametrize("bad", ["tenur=1", "tenure", "tenure=x", "tenure=-1", "tenure=0,recency=0"])
def test_bad_loyalty_weights_are_refused(clean_env: pytest.MonkeyPatch, bad: str) -> None:
    clean_env.setenv("TIERWISE_LOYALTY_WEIGHTS", bad)
    with pytest.raises(ConfigError, match="loyalty_weights"):
        Settings.from_env()


def test_loyalty_weights_from_env(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("TIERWISE_LOYALTY_WEIGHTS", "tenure=1, recency=3")
    assert Settings.from_env().loyalty_weight_map() == {"tenure": 1.0, "recency": 3.0}


def test_auto_memory_limit_holds_imports_to_1gb_and_metrics_to_the_engine_default(
        clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from conftest import write_csv
    from tierwise.data.importer import ImportOptions

    def limit(ws: Workspace) -> str:
        return str(ws.db.con.execute("SELECT current_setting('memory_limit')").fetchone()[0])

    with Workspace.open(Settings(db=tmp_path / "a.duckdb"), create=True) as ws:
        default = limit(ws)
        seen: list[str] = []
        f = write_csv(tmp_path / "c.csv", [["customer_id"], ["C1"]])
        ws.imports.file("customers", f, ImportOptions(progress=lambda _s: seen.append(limit(ws))))
        assert set(seen) == {"953.6 MiB"}, seen  # how DuckDB spells 1GB
        assert default != "953.6 MiB" and limit(ws) == default
        plain = duckdb.connect().execute("SELECT current_setting('memory_limit')").fetchone()
        assert plain is not None and default != plain[0]  # half the memory, not DuckDB's 80%
    with Workspace.open(Settings(db=tmp_path / "b.duckdb", memory_limit="512MB"), create=True) as ws:
        mine = limit(ws)
        assert mine == "244.1 MiB"  # a limit the user set is the process's: the engine gets half
        seen.clear()
        ws.imports.file("customers", f, ImportOptions(progress=lambda _s: seen.append(limit(ws))))
        assert set(seen) == {"244.1 MiB"}, seen  # importing too: the engine's half, like every stage
        assert limit(ws) == mine


@pytest.mark.parametrize(("text", "expected"), [
    ("2GB", 2 * 10**9), ("2 GiB", 2 * 2**30), ("1.5gb", 1_500_000_000), ("512MiB", 512 * 2**20),
    ("4000KB", 4_000_000), ("auto", None), (" AUTO ", None)])
def test_a_memory_limit_is_read_in_duckdbs_units_and_the_engine_gets_half(
        text: str, expected: int | None) -> None:
    s = Settings(memory_limit=text)
    assert s.memory_bytes() == expected
    if expected is not None:
        assert s.engine_config()["memory_limit"] == f"{expected // 2} bytes"
