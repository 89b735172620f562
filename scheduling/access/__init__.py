"""Accounts, roles and permissions (checked here, in the service layer), and the audit log."""

from scheduling.access.accounts import (
    InvalidPerson,
    SignInFailed,
    authenticate,
    create_account,
    hash_password,
    set_password,
    sign_in,
    update_person,
)
from scheduling.access.actor import Actor, NotAllowed, actor_for, can, require
from scheduling.access.audit import AuditFilter, audit, audit_entries, audit_row, snapshot
from scheduling.access.permissions import ALL, BUILTIN_ROLES, STRUCTURE
from scheduling.access.retention import (
    InvalidRetention,
    audit_retention_days,
    purge_audit_logs,
    set_audit_retention,
)
from scheduling.access.roles import (
    RoleError,
    assign_role,
    create_role,
    delete_role,
    ensure_builtin_roles,
    update_role,
)
from scheduling.access.sessions import (
    create_console_session,
    issue_console_token,
    read_console_token,
    revoke_console_session,
    session_holder,
)

__all__ = [
    "ALL",
    "BUILTIN_ROLES",
    "STRUCTURE",
    "Actor",
    "AuditFilter",
    "InvalidPerson",
    "InvalidRetention",
    "NotAllowed",
    "RoleError",
    "SignInFailed",
    "actor_for",
    "assign_role",
    "audit",
    "audit_entries",
    "audit_retention_days",
    "audit_row",
    "authenticate",
    "can",
    "create_account",
    "create_console_session",
    "create_role",
    "delete_role",
    "ensure_builtin_roles",
    "hash_password",
    "issue_console_token",
    "purge_audit_logs",
    "read_console_token",
    "require",
    "revoke_console_session",
    "session_holder",
    "set_audit_retention",
    "set_password",
    "sign_in",
    "snapshot",
    "update_person",
    "update_role",
]
