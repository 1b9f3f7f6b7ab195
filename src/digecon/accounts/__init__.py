"""Accounts, roles, API tokens, sessions and the append-only audit log (stored in the project's
DuckDB file). The web layer (digecon.api.security) asks this package who a request is and
whether that role may do an action."""

__all__: list[str] = []
