"""The workspace itself: row counts, settings and the canonical tables' reference."""

from __future__ import annotations

from typing import Any

from tierwise.services.base import Service, helper, operation

SECRET_SETTINGS = ("smtp_password",)


class System(Service):
    """What the workspace holds and how it is set up."""

    @operation(cli="status", api="GET /api/status")
    def status(self) -> dict[str, int]:
        """Rows in each canonical table."""
        self._require("settings.read")
        return self.db.counts()

    @helper("init and import say which schema version the workspace has")
    def schema_version(self) -> int:
        """The schema version of the workspace (migrated to the current one when opened)."""
        return self.db.schema_version()

    @operation(cli="doctor", api="POST /api/doctor")
    def doctor(self, *, fix: bool = False) -> dict[str, Any]:
        """Find ids stored before imports normalised them (``17850.0`` beside ``17850``: two
        customers, order lines inserted twice) and, with ``fix``, rewrite them and drop the rows
        that then duplicate a key, keeping the one imported last; one transaction, each customer
        merged or renamed audited (admins). Without ``fix`` nothing changes."""
        from tierwise.data.doctor import diagnose, mend

        self._require("imports.run")
        found = mend(self.db, actor=self.actor.name) if fix else diagnose(self.db)
        return found.to_json()

    @operation(cli="settings", api="GET /api/settings")
    def settings_list(self) -> list[dict[str, Any]]:
        """Every setting: its value in force, its default and what it does; a secret (the mail
        server's password) only says whether it is set."""
        self._require("settings.read")
        values = self.settings.model_dump(mode="json")
        for secret in SECRET_SETTINGS:
            values[secret] = "(set)" if values.get(secret) else ""
        return [
            {"name": name, "value": values.get(name), "default": default, "meaning": meaning}
            for name, default, meaning in type(self.settings).describe()
        ]

    @operation(cli="tables", api="GET /api/tables")
    def tables(self, lang: str | None = None) -> list[dict[str, Any]]:
        """The canonical tables an import fills: each with its key, what it holds, and its
        columns (name, SQL type, required, meaning in ``lang``, the headers recognised)."""
        from tierwise.store.schema import TABLES

        self._require("settings.read")
        zh = self._lang(lang) == "zh"
        return [
            {
                "name": table.name,
                "key": list(table.key),
                "meaning": table.help_zh if zh else table.help_en,
                "columns": [
                    {"name": col.name, "type": col.sql_type, "required": col.required,
                     "meaning": col.help_zh if zh else col.help_en, "headers": list(col.aliases)}
                    for col in table.columns
                ],
            }
            for table in TABLES.values()
        ]

    @operation(cli="tables", api="GET /api/tables")
    def tables_markdown(self, lang: str | None = None) -> str:
        """:meth:`tables` as the Markdown ``docs/tables.md`` is generated from
        (``tierwise tables --markdown``; ``format=markdown`` in the API)."""
        from tierwise.store.schema import table_markdown

        self._require("settings.read")
        return table_markdown(self._lang(lang))
