"""Accounts, roles, API tokens, sessions and the append-only audit log (stored in the project's
DuckDB file). The web layer (digecon.api.security) asks this package who a request is and
whether that role may do an action."""

from .auditlog import ACTION_ZH as AUDIT_ACTION_ZH
from .auditlog import ChainReport, audit, entries, export, verify_chain
from .manage import (
    Account,
    AccountError,
    authenticate,
    create_account,
    get_account,
    list_accounts,
    set_disabled,
    set_password,
)
from .roles import ACTION_ZH, ROLE_ZH, Principal
from .tokens import (
    TokenInfo,
    TokenRejected,
    end_session,
    issue_token,
    list_tokens,
    open_session,
    revoke_token,
    session_principal,
    token_principal,
)

__all__ = [
    "ACTION_ZH", "AUDIT_ACTION_ZH", "ROLE_ZH", "Account", "AccountError", "ChainReport",
    "Principal", "TokenInfo", "TokenRejected", "audit", "authenticate", "create_account",
    "end_session", "entries", "export", "get_account", "issue_token", "list_accounts",
    "list_tokens", "open_session", "revoke_token", "session_principal", "set_disabled",
    "set_password", "token_principal", "verify_chain",
]
