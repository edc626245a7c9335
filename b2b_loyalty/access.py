"""Record-level access, enforced in one place for every ORM query.

An account manager reaches only the accounts they own or are on the team of,
and only the rows that hang off those accounts. Rather than trusting every
view, API route, export and search to remember a filter, a ``do_orm_execute``
listener adds the rule to *every* ORM SELECT, UPDATE and DELETE the session
runs (``with_loader_criteria``), including lazy and eager relationship loads.
Report queries of thousands of rows run on the session's connection instead
(``scoped_rows``), with the very options the listener would add.

A model opts in by naming the column that ties it to an account:
``__account_scope__ = "account_id"`` (or ``"self"`` on Account itself); with
``__account_scope_nullable__ = True`` rows without an account stay visible. Plugin
models do the same and are covered without the plugin doing anything else.

Who is asking is stored in ``session.info["access_scope"]`` by the request
hooks (web and API). Inside a request with no scope set, nothing is visible
(deny by default). Outside a request (CLI commands, migrations, tests' set-up)
there is no user, so nothing is filtered unless a command sets a scope.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from flask import has_request_context
from sqlalchemy import Row, Select, event, false, or_, select, union
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from b2b_loyalty.domain.roles import Role, sees_all_accounts
from b2b_loyalty.extensions import db

SCOPE_KEY = "access_scope"
SKIP_SCOPE_OPTION = "skip_access_scope"


@dataclass(frozen=True)
class AccessScope:
    """Who the queries run for: a user id and whether they see every account."""

    user_id: int | None
    sees_all: bool

    @classmethod
    def for_user(cls, user) -> AccessScope:  # noqa: ANN001 - a User or AnonymousUserMixin
        if not getattr(user, "is_authenticated", False):
            return cls(user_id=None, sees_all=False)
        return cls(user_id=user.id, sees_all=sees_all_accounts(Role(user.role)))


UNRESTRICTED = AccessScope(user_id=None, sees_all=True)


def set_access_scope(scope: AccessScope, session: Session | None = None) -> None:
    (session or db.session).info[SCOPE_KEY] = scope


def current_access_scope(session: Session | None = None) -> AccessScope | None:
    return (session or db.session).info.get(SCOPE_KEY)


def sees_every_account(session: Session | None = None) -> bool:
    """Whether the session's queries reach every account: a user who sees all, or code
    outside a request with no scope set (CLI, set-up). A query may then leave out an
    account filter that would keep every row anyway."""
    scope = _effective_scope(session or db.session)
    return scope is None or scope.sees_all


def visible_account_ids(user_id: int | None):
    """SELECT of the account ids ``user_id`` owns or is on the team of.

    Written against the tables, not the mapped classes, so the listener's own
    criteria do not recurse into it. A UNION of the two, not ``owner_id = u OR id IN
    (team)``: PostgreSQL estimates such an OR at half the table and plans a 250-account
    manager's aggregates as scans of the whole company's rows; each side of the
    union is estimated from its own index statistics.
    """
    from b2b_loyalty.models.account import Account, account_team

    accounts = Account.__table__
    if user_id is None:
        return select(accounts.c.id).where(false())
    owned = select(accounts.c.id).where(accounts.c.owner_id == user_id)
    on_team = select(account_team.c.account_id).where(account_team.c.user_id == user_id)
    return union(owned, on_team)


def account_scoped_classes() -> list[tuple[type, str]]:
    """Every mapped class that declares ``__account_scope__`` (core and plugins)."""
    found = []
    for mapper in db.Model.registry.mappers:
        column = getattr(mapper.class_, "__account_scope__", None)
        if column:
            found.append((mapper.class_, column))
    return found


def _criteria_options(scope: AccessScope) -> tuple:
    return _built_criteria_options(scope, tuple(account_scoped_classes()))


# Built once per user and set of scoped classes, not for every statement: an account
# page runs thirty statements and each would otherwise build some twenty criteria.
# The options are immutable SQL constructs, safe to share between requests.
@lru_cache(maxsize=512)
def _built_criteria_options(scope: AccessScope, classes: tuple[tuple[type, str], ...]) -> tuple:
    visible = visible_account_ids(scope.user_id)
    options = []
    for cls, column in classes:
        key = cls.id if column == "self" else getattr(cls, column)
        criterion = key.in_(visible)
        if getattr(cls, "__account_scope_nullable__", False):
            # A row with no account (a company-wide default) is visible to all.
            criterion = or_(key.is_(None), criterion)
        options.append(with_loader_criteria(cls, criterion, include_aliases=True))
    return tuple(options)


def _effective_scope(session: Session) -> AccessScope | None:
    scope = session.info.get(SCOPE_KEY)
    if scope is None and has_request_context():
        return AccessScope(user_id=None, sees_all=False)
    return scope


def _rule_options(session: Session, execution_options: Mapping) -> tuple:
    """The ``with_loader_criteria`` options a statement gets for the session's viewer
    (none for one who sees every account, or with ``SKIP_SCOPE_OPTION``)."""
    # Uniqueness checks must see every account (a tax id is unique across the
    # whole portfolio); they return a yes/no, never rows, to the user.
    if execution_options.get(SKIP_SCOPE_OPTION):
        return ()
    scope = _effective_scope(session)
    if scope is None or scope.sees_all:
        return ()
    return _criteria_options(scope)


@event.listens_for(Session, "do_orm_execute")
def _apply_record_level_access(state: ORMExecuteState) -> None:
    # Refreshing columns of an object already loaded (after a commit) must not be
    # filtered: the object was visible when it was loaded.
    if state.is_column_load:
        return
    if not (state.is_select or state.is_update or state.is_delete):
        return
    options = _rule_options(state.session, state.execution_options)
    if options:
        state.statement = state.statement.options(*options)


def scoped_rows(statement: Select, session: Session | None = None) -> Sequence[Row]:
    """Run a SELECT of columns of mapped classes with the rule above, as plain rows.

    For report queries that return thousands of rows: through the session, the ORM
    re-packs every row it reads (a dashboard's ten thousand accounts, several times),
    while the same statement on the session's connection returns the driver's rows.
    The listener does not run there, so the statement gets the very options it would
    add; they take effect because the statement is compiled as an ORM one (its columns
    are mapped attributes), subqueries included. A statement of bare ``Table``
    columns would escape them, here as through the session: keep to mapped classes.
    The session is flushed first, as it would autoflush before a query. The rows are
    fetched at once: iterating a result fetches them one call to the driver each."""
    session = session or db.session
    options = _rule_options(session, statement.get_execution_options())
    if options:
        statement = statement.options(*options)
    if session.autoflush:
        session.flush()
    return session.connection().execute(statement).all()


def scoped_get(model: type, ident: int):  # noqa: ANN201
    """Load ``model`` by primary key *through SQL*, so the access rule always applies.

    ``Session.get`` may answer from the identity map without a query, skipping
    the criteria; a SELECT never does.
    """
    from b2b_loyalty.db_limits import is_db_id

    if not is_db_id(ident):
        return None
    row = db.session.scalar(select(model).where(model.id == ident))
    if row is None:
        _note_if_hidden_by_the_rule(model, ident)
    return row


def _note_if_hidden_by_the_rule(model: type, ident: int) -> None:
    """A row that exists but the rule hid is a denial, for the audit log (auth/denials.py)."""
    scope = _effective_scope(db.session)
    if scope is None or scope.sees_all or not has_request_context():
        return
    exists = db.session.scalar(
        select(model.id).where(model.id == ident).execution_options(**{SKIP_SCOPE_OPTION: True})
    )
    if exists is not None:
        from b2b_loyalty.auth.denials import note_access_denied

        note_access_denied(model.__tablename__, ident)
