"""Schema versions of the workspace database, applied in order inside one transaction.

Version N's function takes the database from N-1 to N. Never edit a released step: add one.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb

from tierwise.store.keys import FACT_TABLES, in_range_sql, key_ranges, key_sql
from tierwise.store.schema import FIRST_TABLES, TABLES, Table, system_columns


def _create(con: duckdb.DuckDBPyConnection, table: Table) -> None:
    cols = [f'"{c.name}" {c.sql_type}' for c in table.columns]
    cols += [f'"{n}" {typ}' for n, typ in system_columns(table)]
    con.execute(f'CREATE TABLE "{table.name}" ({", ".join(cols)})')


def _v1(con: duckdb.DuckDBPyConnection) -> None:
    """Canonical tables, the import log and the key-value metadata table."""
    for name in FIRST_TABLES:
        _create(con, TABLES[name])
    con.execute("CREATE SEQUENCE import_seq START 1")
    con.execute(
        """CREATE TABLE imports (
            import_id BIGINT PRIMARY KEY, table_name VARCHAR, file VARCHAR, format VARCHAR,
            encoding VARCHAR, started_at TIMESTAMP, finished_at TIMESTAMP, rows_read BIGINT,
            accepted BIGINT, inserted BIGINT, updated BIGINT, unchanged BIGINT,
            rejected BIGINT, customers_created BIGINT, rejected_file VARCHAR, options JSON)"""
    )


def _v2(con: duckdb.DuckDBPyConnection) -> None:
    """Classification snapshots: one row per run, one per scheme in it, one per class given."""
    con.execute("CREATE SEQUENCE snapshot_seq START 1")
    con.execute(
        """CREATE TABLE snapshots (snapshot_id BIGINT PRIMARY KEY, as_of DATE,
            created_at TIMESTAMP, engine VARCHAR, customers BIGINT)"""
    )
    con.execute(
        """CREATE TABLE snapshot_schemes (snapshot_id BIGINT, scheme VARCHAR, "window" VARCHAR,
            spec_hash VARCHAR, spec_yaml VARCHAR, origin VARCHAR, population BIGINT,
            PRIMARY KEY (snapshot_id, scheme))"""
    )
    con.execute(
        """CREATE TABLE classes (snapshot_id BIGINT, scheme VARCHAR, customer_id VARCHAR,
            class VARCHAR, score DOUBLE, reason_en VARCHAR, reason_zh VARCHAR)"""
    )


def _v3(con: duckdb.DuckDBPyConnection) -> None:
    """Grading over time: per-snapshot customer facts (revenue, first order, provisional
    grades), manual overrides (with their proposal and approval), and the audit trail."""
    con.execute("ALTER TABLE snapshots ADD COLUMN provisional_months INTEGER")
    con.execute("ALTER TABLE snapshots ADD COLUMN trigger VARCHAR")
    # set when an override holds the class: the class computed, and the override
    con.execute("ALTER TABLE classes ADD COLUMN computed_class VARCHAR")
    con.execute("ALTER TABLE classes ADD COLUMN override_id BIGINT")
    con.execute(
        """CREATE TABLE snapshot_customers (snapshot_id BIGINT, "window" VARCHAR,
            customer_id VARCHAR, status VARCHAR, revenue DECIMAL(18,2), order_count BIGINT,
            first_order_date DATE, last_order_date DATE, outstanding DECIMAL(18,2),
            overdue_amount DECIMAL(18,2), provisional_until DATE)"""
    )
    con.execute("CREATE SEQUENCE override_seq START 1")
    con.execute(
        """CREATE TABLE overrides (override_id BIGINT PRIMARY KEY, customer_id VARCHAR,
            scheme VARCHAR, class VARCHAR, reason VARCHAR, until DATE, status VARCHAR,
            proposed_by VARCHAR, proposed_at TIMESTAMP, decided_by VARCHAR,
            decided_at TIMESTAMP, decision_note VARCHAR)"""
    )
    con.execute("CREATE SEQUENCE audit_seq START 1")
    con.execute(
        """CREATE TABLE audit (audit_id BIGINT PRIMARY KEY, changed_at TIMESTAMP, actor VARCHAR,
            action VARCHAR, customer_id VARCHAR, scheme VARCHAR, subject VARCHAR,
            old_value VARCHAR, new_value VARCHAR, reason VARCHAR, hash VARCHAR)"""
    )


def _v4(con: duckdb.DuckDBPyConnection) -> None:
    """Tasks from the playbooks: kept so a task keeps its id, and closes with the activity
    that did it."""
    con.execute(
        """CREATE TABLE tasks (task_id VARCHAR PRIMARY KEY, kind VARCHAR, customer_id VARCHAR,
            customer_name VARCHAR, rep_id VARCHAR, department VARCHAR, due_date DATE,
            since_date DATE, priority INTEGER, overdue_days INTEGER, scheme VARCHAR,
            class VARCHAR, reason_en VARCHAR, reason_zh VARCHAR, status VARCHAR,
            raised_on DATE, created_at TIMESTAMP, closed_on DATE, closed_by_activity VARCHAR)"""
    )


def _v5(con: duckdb.DuckDBPyConnection) -> None:
    """People who sign in to the web app and the API: users with a role (and the department
    or rep they are scoped to), revocable API tokens and web sessions, both kept as hashes."""
    con.execute("CREATE SEQUENCE user_seq START 1")
    con.execute(
        """CREATE TABLE users (user_id BIGINT PRIMARY KEY, name VARCHAR UNIQUE, role VARCHAR,
            department VARCHAR, rep_id VARCHAR, password_hash VARCHAR, lang VARCHAR,
            disabled BOOLEAN, created_at TIMESTAMP, created_by VARCHAR)"""
    )
    con.execute("CREATE SEQUENCE token_seq START 1")
    con.execute(
        """CREATE TABLE api_tokens (token_id BIGINT PRIMARY KEY, user_name VARCHAR,
            token_hash VARCHAR UNIQUE, created_at TIMESTAMP, last_used_at TIMESTAMP,
            revoked_at TIMESTAMP)"""
    )
    con.execute(
        """CREATE TABLE web_sessions (session_hash VARCHAR PRIMARY KEY, user_name VARCHAR,
            csrf VARCHAR, created_at TIMESTAMP, expires_at TIMESTAMP)"""
    )


def _v6(con: duckdb.DuckDBPyConnection) -> None:
    """Background jobs (classify, tasks, reports, imports, metrics): who asked for what, when,
    how far it got and how it ended. A job whose process died stays ``running`` until the next
    server start marks it ``failed``."""
    con.execute("CREATE SEQUENCE job_seq START 1")
    con.execute(
        """CREATE TABLE jobs (job_id BIGINT PRIMARY KEY DEFAULT nextval('job_seq'), kind VARCHAR,
            operation VARCHAR, params JSON, actor VARCHAR, origin VARCHAR, state VARCHAR,
            progress DOUBLE, message VARCHAR, created_at TIMESTAMP, started_at TIMESTAMP,
            finished_at TIMESTAMP, result JSON, error VARCHAR)"""
    )


def _v7(con: duckdb.DuckDBPyConnection) -> None:
    """Tasks kept current by events: an index on the tasks' customer, so that a follow-up
    finds its customer's tasks without reading them all (a few ms at millions of tasks), and
    the idempotency keys of write requests (a double click on "log follow-up"): the first
    result, kept a day, is what a repeat of the same key by the same actor gets back."""
    con.execute("CREATE INDEX tasks_customer ON tasks (customer_id)")
    con.execute(
        """CREATE TABLE idempotency_keys (actor VARCHAR, operation VARCHAR, key VARCHAR,
            created_at TIMESTAMP, result JSON, PRIMARY KEY (actor, operation, key))"""
    )


def _v8(con: duckdb.DuckDBPyConnection) -> None:
    """Fast pages at a million customers.

    Each class row keeps its customer's revenue in the scheme's window (written with the
    snapshot; here filled in for the snapshots already stored), so the customers and revenue
    per class are one pass over the classes (100 ms instead of 1.2 s for 19 schemes at 1M
    customers) rather than a join with every customer's facts.

    One customer's rows are found without reading the table: indexes on the customer of the
    customers, order lines, payments, follow-ups, classes and snapshot facts, for the customer
    page, a follow-up and the tasks an event refreshes (a customer's classes take 1 ms instead
    of 250 ms). The price is paid when rows are written: a full classification or a 10M-line
    import takes longer (see the README). DuckDB uses such an index for a lone
    ``customer_id = ?`` on the table, so the queries filter by it first (``MATERIALIZED``).
    """
    con.execute("ALTER TABLE classes ADD COLUMN revenue DECIMAL(18,2)")
    con.execute("""UPDATE classes c SET revenue = f.revenue
                   FROM snapshot_schemes x, snapshot_customers f
                   WHERE x.snapshot_id = c.snapshot_id AND x.scheme = c.scheme
                     AND f.snapshot_id = c.snapshot_id AND f."window" = x."window"
                     AND f.customer_id = c.customer_id""")
    for table in ("customers", "orders", "payments", "activities", "classes", "snapshot_customers"):
        con.execute(f"CREATE INDEX {table}_customer ON {table} (customer_id)")


def _v9(con: duckdb.DuckDBPyConnection) -> None:
    """The per-snapshot tables found by a sorted key instead of an index (see store/keys.py).

    At a million customers the ``customer_id`` indexes of ``classes`` and ``snapshot_customers``
    made each classification 11 s slower to save and re-running one for the same as-of date
    (which replaces the snapshot's 14M rows) take five minutes. Each row now carries its
    customer's ``customer_key`` and a snapshot's rows are written in key order; the rows
    already stored are rewritten in that order here (once).
    """
    for table in ("classes", "snapshot_customers"):
        _rewrite_keyed(con, table, "snapshot_id")


def _v10(con: duckdb.DuckDBPyConnection) -> None:
    """The order lines, payments and follow-ups found by the sorted key too (store/keys.py).

    Their ``customer_id`` indexes held 2.1 GB of memory for 103M order lines until an import
    committed (no such import could finish under a 2 GB limit) and slowed every import. Each
    row now carries ``customer_key``, an import writes its new rows in key order, and the rows
    already stored are rewritten in that order here (once), a batch of import at a time.
    """
    for table in FACT_TABLES:
        _rewrite_keyed(con, table, "import_id")


def _v11(con: duckdb.DuckDBPyConnection) -> None:
    """Reasons stored as the values they quote, written out when read (schemes/why.py).

    At a million customers the written-out reasons were 1.5 GB of a snapshot's 1.8 GB. New
    class rows keep ``why`` (numbers) and ``why_text`` (texts), and the snapshot keeps each
    scheme's templates (``snapshot_schemes.reasons``); ``reason_en`` / ``reason_zh`` remain for
    the rows that carry their own text (an override of a customer outside the population) and
    for the rows stored before this version, which are read as they are.
    """
    con.execute("ALTER TABLE classes ADD COLUMN why DOUBLE[]")
    con.execute("ALTER TABLE classes ADD COLUMN why_text VARCHAR[]")
    con.execute("ALTER TABLE snapshot_schemes ADD COLUMN reasons VARCHAR")


def _v12(con: duckdb.DuckDBPyConnection) -> None:
    """A snapshot keeps each customer's credit figures as they were (the credit forms of the
    workbook read them instead of computing the metrics again: 14 s of the report at a million
    customers, minutes at ten million). ``snapshots.credit_facts`` says a snapshot has them:
    those stored before this version are read by computing the figures, as before."""
    for column, kind in CREDIT_FACTS:
        con.execute(f"ALTER TABLE snapshot_customers ADD COLUMN {column} {kind}")
    con.execute("ALTER TABLE snapshots ADD COLUMN credit_facts BOOLEAN")


def _v13(con: duckdb.DuckDBPyConnection) -> None:
    """The public pool (公海) and who owns a customer since when (playbook/pool.py).

    ``pool``: the customers nobody owns now (their ``rep_id`` is empty), since when, whose they
    were, the rule that recycled them (or ``release`` / ``import``) and until when their previous
    owner may not claim them back. ``owners``: the day a customer's owner last changed in
    tierwise (a handover, a claim, an import that moved it): a neglect clock starts there, so a
    customer just claimed is not recycled for its old owner's silence. One row per customer in
    each; small tables, written by a person's action or the daily recycling. ``file_rep``: the
    rep the customers file named when tierwise changed the owner; a re-import naming that rep
    again leaves tierwise's owner in place (data/importer.py)."""
    con.execute(
        """CREATE TABLE pool (customer_id VARCHAR, since DATE, previous_rep VARCHAR,
            previous_department VARCHAR, scheme VARCHAR, class VARCHAR, how VARCHAR,
            cooldown_until DATE, reason_en VARCHAR, reason_zh VARCHAR, file_rep VARCHAR)"""
    )
    con.execute("CREATE TABLE owners (customer_id VARCHAR, rep_id VARCHAR, since DATE, how VARCHAR, "
                "file_rep VARCHAR)")


def _v14(con: duckdb.DuckDBPyConnection) -> None:
    """Approval chains (access/approvals.py): a request (an override proposed, a credit limit
    above an amount) waits step by step; ``chain`` keeps the chain as it was when the request
    was made (a later edit of the chains does not move a request already under way), ``step``
    the steps approved so far; each decision is a row of ``approval_steps``."""
    con.execute(
        """CREATE TABLE approvals (approval_id BIGINT, kind VARCHAR, ref VARCHAR, customer_id VARCHAR,
            chain JSON, step INTEGER, status VARCHAR, requested_by VARCHAR, requested_at TIMESTAMP,
            summary_en VARCHAR, summary_zh VARCHAR, payload JSON)"""
    )
    con.execute(
        """CREATE TABLE approval_steps (approval_id BIGINT, step_no INTEGER, title VARCHAR,
            decided_by VARCHAR, decided_at TIMESTAMP, decision VARCHAR, note VARCHAR)"""
    )


def _v15(con: duckdb.DuckDBPyConnection) -> None:
    """Monthly targets per rep, department or class (``tierwise import targets``), for the
    variance report (reports/targets.py)."""
    _create(con, TABLES["targets"])


def _v16(con: duckdb.DuckDBPyConnection) -> None:
    """Daily digests (playbook/digest.py): where each rep gets theirs (a WeCom or DingTalk robot's
    webhook, its signing secret, or an e-mail address), and the log of what was sent."""
    con.execute(
        """CREATE TABLE digest_channels (rep_id VARCHAR, channel VARCHAR, address VARCHAR, secret VARCHAR,
            changed_by VARCHAR, changed_at TIMESTAMP)"""
    )
    con.execute(
        """CREATE TABLE digest_log (sent_at TIMESTAMP, day DATE, rep_id VARCHAR, channel VARCHAR,
            sent_to VARCHAR, status VARCHAR, error VARCHAR, tasks INTEGER)"""
    )


def _v17(con: duckdb.DuckDBPyConnection) -> None:
    """Credit decisions by hand (playbook/credit_decisions.py): a release letting an order of up
    to ``amount`` ship despite a credit hold until ``until``, or the refusal of an order; either
    ``pending`` under an approval chain, then ``active`` or ``rejected``."""
    con.execute(
        """CREATE TABLE credit_decisions (decision_id BIGINT, kind VARCHAR, customer_id VARCHAR,
            amount DECIMAL(18,2), until DATE, reason VARCHAR, status VARCHAR, requested_by VARCHAR,
            requested_at TIMESTAMP, decided_by VARCHAR, decided_at TIMESTAMP)"""
    )


def _v18(con: duckdb.DuckDBPyConnection) -> None:
    """The tasks found by the sorted key too (store/keys.py), without an index.

    Their two ART indexes (the task id as primary key, the customer) had to be whole in memory
    when a sync committed: the 38M tasks of ten million customers could not be kept under a 2 GB
    limit (at a million customers the same failed under 200 MB). Each row now carries
    ``customer_key``, a sync writes the tasks it opens in key order, and the task ids stay unique
    by how they are written (one writer of the tasks at a time: playbook/task_store.py). The
    rows already stored are rewritten in that order here (once), a day they were raised at a time.
    """
    _rewrite_keyed(con, "tasks", "raised_on")


def _v19(con: duckdb.DuckDBPyConnection) -> None:
    """The customers found by the sorted key too (store/keys.py), without an index.

    Their ``customer_id`` index held 408 MiB at ten million customers, memory DuckDB cannot spill:
    in a process that had imported or looked them up (the web server, a monthly cycle), an import
    of 103M order lines under the engine's half of a 2 GB limit ran out. Each row now carries
    ``customer_key``; an import writes the customers it adds in key order (those a file of orders
    names too). The rows already stored are rewritten in that order here (once), an import at a
    time.
    """
    _rewrite_keyed(con, "customers", "import_id")


CREDIT_FACTS = (("max_days_overdue", "BIGINT"), ("invoices_due", "BIGINT"), ("on_time_ratio", "DOUBLE"),
                ("credit_limit", "DECIMAL(18,2)"), ("credit_utilization", "DOUBLE"))
"""The credit figures a snapshot keeps per customer besides ``outstanding`` and ``overdue_amount``."""


def _rewrite_keyed(con: duckdb.DuckDBPyConnection, table: str, batch: str) -> None:
    """``table`` as a new table (its ``customer_id`` index gone) with ``customer_key`` added,
    its rows written in key order within each value of ``batch``."""
    keyed, new = f"_tw_keyed_{table}", f"_tw_new_{table}"
    # a new table rather than deleting from the old one: its index would be kept up to date
    # row by row until the commit (14 min for 13.7M class rows instead of about a minute)
    con.execute(f"CREATE TABLE {new} AS SELECT *, NULL::UBIGINT AS customer_key FROM {table} LIMIT 0")
    con.execute(f"CREATE TEMP TABLE {keyed} AS SELECT *, {key_sql('customer_id')} AS customer_key "
                f"FROM {table}")
    # a batch and a key range at a time, as they are written: bounded sorts
    batches = con.execute(f"SELECT {batch}, count(*) FROM {keyed} GROUP BY ALL ORDER BY 1 NULLS FIRST")
    for value, rows in batches.fetchall():
        for low, high in key_ranges(int(rows)):
            con.execute(f"INSERT INTO {new} SELECT * FROM {keyed} WHERE {batch} IS NOT DISTINCT FROM ? AND "
                        f"{in_range_sql('customer_key', low, high)} ORDER BY customer_key", [value])
    con.execute(f"DROP TABLE {keyed}")
    con.execute(f"DROP TABLE {table}")  # and its index
    con.execute(f"ALTER TABLE {new} RENAME TO {table}")


MIGRATIONS: list[Callable[[duckdb.DuckDBPyConnection], None]] = [
    _v1, _v2, _v3, _v4, _v5, _v6, _v7, _v8, _v9, _v10, _v11, _v12, _v13, _v14, _v15, _v16, _v17, _v18, _v19]
SCHEMA_VERSION = len(MIGRATIONS)
