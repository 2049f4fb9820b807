"""Data in: files (a path at the shell, an upload in the web app) and databases, imported
into the canonical tables so that rows read = accepted + rejected."""

from __future__ import annotations

import dataclasses
import re
import secrets
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from tierwise.errors import NotFoundError
from tierwise.progress import report
from tierwise.services.base import Service, helper, operation

if TYPE_CHECKING:
    from tierwise.data.database import DatabaseSource
    from tierwise.data.importer import ImportOptions, ImportSummary

UPLOAD_FOLDER = "uploads"
QUEUE_OVER = 10_000  # a payment import paying for more customers refreshes tasks as a job


class Imports(Service):
    """Importing (admins; at the shell, whoever acts)."""

    @helper("a check before the upload form is shown")
    def require_allowed(self) -> None:
        """Raise ForbiddenError unless the actor may import (before showing an upload form)."""
        self._require("imports.run")

    @operation(cli="import", api="POST /api/imports")
    def file(self, table: str, path: Path, options: ImportOptions | None = None) -> ImportSummary:
        """Import ``path`` into canonical ``table``; see :mod:`tierwise.data.importer`."""
        from tierwise.data.importer import ImportOptions, import_file

        self._require("imports.run")
        opts = options or ImportOptions(lang=self._lang(None))
        if opts.by is None:
            opts = dataclasses.replace(opts, by=self.actor.name)
        if opts.progress is None:  # a job's progress: the importer's steps as messages
            opts = dataclasses.replace(opts, progress=lambda step: report(None, step))
        summary = import_file(self.db, table, Path(path), opts)
        self._keep_tasks_current(summary)
        return summary

    @operation(cli="import", api="POST /api/imports")
    def upload(self, table: str, filename: str, stream: BinaryIO, options: ImportOptions) -> ImportSummary:
        """Keep an uploaded file beside the workspace (``uploads/``), then import it as :meth:`file`."""
        return self.file(table, self.keep_upload(filename, stream), options)

    @helper("the web app keeps the upload in the request, then imports it as a job")
    def keep_upload(self, filename: str, stream: BinaryIO) -> Path:
        """Save an uploaded file beside the workspace (``uploads/``, a safe name); its path."""
        self._require("imports.run")
        name = Path(filename or "upload").name
        stem = re.sub(r"[^\w.-]+", "_", Path(name).stem)[:60] or "upload"
        folder = self.db.path.parent / UPLOAD_FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / (
            f"{datetime.now():%Y%m%d-%H%M%S}-{secrets.token_hex(3)}-{stem}{Path(name).suffix.lower()}"
        )
        with target.open("wb") as fh:
            while chunk := stream.read(1 << 20):
                fh.write(chunk)
        return target

    @operation(
        cli="import", api=None,
        why="a database URL typed into a web form would let the server reach any host or file",
    )
    def database(
        self, table: str, source: DatabaseSource, options: ImportOptions | None = None
    ) -> ImportSummary:
        """Import a table or query of another database (``--from-db``) into ``table``."""
        from tierwise.data.database import import_database
        from tierwise.data.importer import ImportOptions

        self._require("imports.run")
        opts = options or ImportOptions(lang=self._lang(None))
        if opts.by is None:
            opts = dataclasses.replace(opts, by=self.actor.name)
        summary = import_database(self.db, table, source, opts)
        self._keep_tasks_current(summary)
        return summary

    def _keep_tasks_current(self, summary: ImportSummary) -> None:
        """After payments came in, the credit hold and collection tasks of the customers they
        paid for follow at once (a hold the payment clears closes): :data:`BATCH` customers per
        transaction. An import paying for more than :data:`QUEUE_OVER` customers queues a task
        refresh in the server instead; at the shell it refreshes those two kinds for everyone
        in one run (far quicker than thousands of batches)."""
        from tierwise.playbook import task_store as ts

        if summary.table != "payments" or summary.dry_run or summary.import_id is None:
            return
        if not (summary.inserted or summary.updated) or not ts.tasks_kept(self.db):
            return  # nothing changed, or no tasks kept yet: nothing to keep current
        paid = [r[0] for r in self.db.con.execute(
            "SELECT DISTINCT customer_id FROM payments WHERE import_id = ? AND customer_id IS NOT NULL "
            "ORDER BY customer_id", [summary.import_id]).fetchall()]
        if len(paid) <= QUEUE_OVER:
            ts.refresh_in_batches(self.db, paid, kinds=ts.CREDIT_KINDS)
        elif not ts.classified(self.db) or self._ws.jobs._queue("tasks", days=ts.EVENT_DAYS) is None:
            ts.refresh_everyone(self.db, kinds=ts.CREDIT_KINDS)  # at the shell (or nothing to classify by)

    @operation(
        cli=None, api="GET /api/imports/{import_id}/rejected",
        why="at the shell the rejected rows are written beside the input file, and the import names it",
    )
    def rejected_file(self, import_id: int) -> Path:
        """The rejected-rows file of an import (admins)."""
        self._require("imports.run")
        row = self.db.con.execute(
            "SELECT rejected_file FROM imports WHERE import_id = ?", [import_id]
        ).fetchone()
        if row is None or not row[0] or not Path(row[0]).exists():
            raise NotFoundError(
                f"import {import_id} has no rejected rows file / 导入 {import_id} 没有被拒行文件"
            )
        return Path(row[0])
