"""The workspace database: canonical tables, schema versions, connections."""
