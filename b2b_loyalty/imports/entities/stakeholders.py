"""Importing the people at accounts: validated by StakeholderForm, reports-to checked for loops.

A person is matched within their account by e-mail (ignoring case); without
an e-mail, by name. "Reports to" names another person at the same account, by
e-mail or name, stored already or on another row of the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from b2b_loyalty.domain.decision_circles import INFLUENCE_MAX, INFLUENCE_MIN, BuyingRole, Stance
from b2b_loyalty.domain.org_chart import reports_to_creates_cycle
from b2b_loyalty.extensions import db
from b2b_loyalty.imports.account_lookup import ACCOUNT_FIELDS, ACCOUNT_KEYS, AccountLookup
from b2b_loyalty.imports.cell_values import name_key, vocabulary_value, yes_no
from b2b_loyalty.imports.entity_support import form_problems, given, rejected
from b2b_loyalty.imports.form_rows import FormRowValidator
from b2b_loyalty.plugin_api.types import (
    ImportContext,
    ImportEntity,
    ImportField,
    ImportProblem,
    ImportRow,
    ImportRowOutcome,
)

FIELDS = (
    *ACCOUNT_FIELDS,
    ImportField(
        "name",
        "Name",
        required=True,
        synonyms=("Full name", "Person", "Contact", "Contact name", "ФИО", "Имя", "Контакт"),
        example="Anna Petrova",
    ),
    ImportField(
        "title",
        "Title",
        synonyms=("Job title", "Position", "Должность"),
        example="Head of purchasing",
    ),
    ImportField(
        "department",
        "Department",
        synonyms=("Dept", "Division", "Отдел", "Подразделение"),
        example="Purchasing",
    ),
    ImportField(
        "email",
        "E-mail",
        synonyms=("Email address", "Mail", "Почта", "Эл. почта", "Электронная почта"),
        example="anna.petrova@example.com",
    ),
    ImportField(
        "phone",
        "Phone",
        synonyms=("Telephone", "Tel", "Mobile", "Телефон", "Мобильный"),
        example="+7 495 123-45-67",
    ),
    ImportField(
        "circle",
        "Circle",
        required=True,
        synonyms=("Decision circle", "Круг", "Круг принятия решений"),
        example="1",
        format_hint="1 (decision makers), 2 (support functions) or 3 (influencers)",
        choices=("1", "2", "3"),
    ),
    ImportField(
        "buying_role",
        "Buying role",
        synonyms=("Role in purchase", "Роль", "Роль в закупке"),
        example="economic_buyer",
        choices=tuple(r.value for r in BuyingRole),
    ),
    ImportField(
        "stance",
        "Stance",
        synonyms=("Attitude", "Отношение", "Позиция"),
        example="supporter",
        choices=tuple(s.value for s in Stance),
    ),
    ImportField(
        "influence",
        "Influence (1–5)",
        synonyms=("Influence", "Влияние"),
        example="4",
        format_hint=f"a whole number from {INFLUENCE_MIN} to {INFLUENCE_MAX}",
    ),
    ImportField(
        "active",
        "Still at the company",
        synonyms=("Active", "Works there", "Активен", "Работает"),
        example="yes",
        format_hint="yes or no",
        choices=("yes", "no"),
    ),
    ImportField(
        "reports_to",
        "Reports to",
        synonyms=("Manager", "Boss", "Руководитель", "Подчиняется"),
        format_hint="e-mail or name of another person at the same account",
    ),
    ImportField(
        "notes",
        "Notes",
        synonyms=(
            "Note",
            "Comment",
            "Comments",
            "Примечание",
            "Примечания",
            "Комментарий",
            "Комментарии",
            "Заметка",
            "Заметки",
        ),
    ),
)
FORM_KEYS = (
    "name",
    "title",
    "department",
    "email",
    "phone",
    "circle",
    "buying_role",
    "stance",
    "influence",
    "notes",
)
DEFAULTS = {"stance": Stance.NEUTRAL.value, "influence": 3, "active": True}
_WHOLE_NUMBER = re.compile(r"(\d+)\.0*")
Handle = tuple[str, int]  # ("id", stakeholder id) or ("row", row number of a new person)


@dataclass
class _Person:
    row: ImportRow
    account_id: int
    existing: Any
    columns: dict[str, Any]
    manager_text: str
    manager: Handle | None = None
    problems: list[ImportProblem] = field(default_factory=list)

    @property
    def handle(self) -> Handle:
        return (
            ("id", self.existing.id) if self.existing is not None else ("row", self.row.row_number)
        )


class _StakeholderRows:
    def __init__(self, context: ImportContext) -> None:
        from b2b_loyalty.accounts.forms import StakeholderForm

        self.context = context
        self.fields = {f.key: f for f in FIELDS}
        self.validator = FormRowValidator(StakeholderForm)
        self.accounts = AccountLookup()
        self.people: dict[int, list[Any]] = {}
        self.seen: dict[tuple, int] = {}

    def people_at(self, account_id: int) -> list[Any]:
        from b2b_loyalty.models import Stakeholder

        if account_id not in self.people:
            self.people[account_id] = list(
                db.session.scalars(select(Stakeholder).where(Stakeholder.account_id == account_id))
            )
        return self.people[account_id]

    def person(self, row: ImportRow) -> _Person | list[ImportProblem]:
        values = row.values
        account_id, problem = self.accounts.find(values)
        if problem:
            return [problem]
        email, name = values.get("email", ""), values.get("name", "")
        existing, problem = _find_person(self.people_at(account_id), email, name)
        if problem:
            return [problem]
        key = (
            (account_id, "email", email.casefold())
            if email
            else (account_id, "name", name_key(name))
        )
        if key in self.seen:
            return [
                ImportProblem(
                    "email" if email else "name", f"Row {self.seen[key]} is the same person."
                )
            ]
        texts = given(values, FORM_KEYS)
        if existing is None:
            texts.setdefault("name", "")
            texts.setdefault("circle", "")
        for whole in ("circle", "influence"):
            if whole in texts and (match := _WHOLE_NUMBER.fullmatch(texts[whole])):
                texts[whole] = match.group(1)
        for vocabulary in ("buying_role", "stance"):
            if vocabulary in texts:
                texts[vocabulary] = vocabulary_value(texts[vocabulary])
        data, errors = self.validator.validate(texts)
        problems = form_problems(errors, self.fields)
        columns = {k: (v.strip() or None) if isinstance(v, str) else v for k, v in data.items()}
        if values.get("active"):
            active = yes_no(values["active"])
            if active is None:
                problems.append(ImportProblem("active", "Write yes or no."))
            columns["active"] = active
        if problems:
            return problems
        self.seen[key] = row.row_number
        if existing is None:
            columns = {**DEFAULTS, **columns}
        return _Person(row, account_id, existing, columns, values.get("reports_to", ""))


def _find_person(people: list[Any], email: str, name: str) -> tuple[Any, ImportProblem | None]:
    if email:
        for person in people:
            if person.email and person.email.casefold() == email.casefold():
                return person, None
        # A person imported before without an e-mail gets it now.
        unmailed = [p for p in people if not p.email and name_key(p.name) == name_key(name)]
        return (unmailed[0] if len(unmailed) == 1 else None), None
    if not name:
        return None, None
    same = [p for p in people if name_key(p.name) == name_key(name)]
    if len(same) > 1:
        return None, ImportProblem(
            "name", f"Several people at this account are named {name}; add their e-mail."
        )
    return (same[0] if same else None), None


def _resolve_managers(plans: list[_Person], people: dict[int, list[Any]]) -> None:
    """Point each person's reports-to at a stored or new person; reject loops and strangers."""
    index: dict[int, dict[str, Handle | None]] = {}

    def add(account_id: int, label: str | None, handle: Handle) -> None:
        if label:
            known = index.setdefault(account_id, {})
            known[label] = handle if known.get(label, handle) == handle else None

    manager_of: dict[Handle, Handle | None] = {}
    for account_id, stored in people.items():
        for person in stored:
            manager_of[("id", person.id)] = (
                ("id", person.reports_to_id) if person.reports_to_id else None
            )
            add(account_id, (person.email or "").casefold(), ("id", person.id))
            add(account_id, name_key(person.name), ("id", person.id))
    for plan in plans:
        add(plan.account_id, (plan.columns.get("email") or "").casefold(), plan.handle)
        add(plan.account_id, name_key(plan.columns.get("name") or ""), plan.handle)
    for plan in plans:
        if not plan.manager_text:
            continue
        known = index.get(plan.account_id, {})
        label = plan.manager_text.casefold() if "@" in plan.manager_text else None
        target = known.get(label or name_key(plan.manager_text))
        if target is None:
            message = "Reports-to must be another person at the same account."
            if (label or name_key(plan.manager_text)) in known:
                message = f"Several people are called {plan.manager_text}; use their e-mail."
            plan.problems.append(ImportProblem("reports_to", message))
        elif target == plan.handle:
            plan.problems.append(
                ImportProblem("reports_to", "A person cannot report to themselves.")
            )
        elif reports_to_creates_cycle(plan.handle, target, manager_of):  # type: ignore[arg-type]
            plan.problems.append(
                ImportProblem(
                    "reports_to", "This reports-to line would make a loop in the org chart."
                )
            )
        else:
            plan.manager = target
            manager_of[plan.handle] = target
    # A manager whose own row is rejected will not exist: reject who reports to them.
    rejected_rows = {p.handle for p in plans if p.problems and p.handle[0] == "row"}
    while rejected_rows:
        newly = set()
        for plan in plans:
            if not plan.problems and plan.manager in rejected_rows:
                plan.problems.append(
                    ImportProblem(
                        "reports_to", f"Reports to row {plan.manager[1]}, which is rejected."
                    )
                )
                if plan.handle[0] == "row":
                    newly.add(plan.handle)
        rejected_rows = newly


def _action(plan: _Person) -> str:
    if plan.existing is None:
        return "create"
    changed = any(getattr(plan.existing, k) != v for k, v in plan.columns.items())
    if plan.manager_text:
        manager_id = plan.manager[1] if plan.manager and plan.manager[0] == "id" else None
        changed = changed or plan.manager is None or manager_id != plan.existing.reports_to_id
    return "update" if changed else "unchanged"


def apply_stakeholder_rows(
    rows: Iterable[ImportRow], context: ImportContext
) -> Iterator[ImportRowOutcome]:
    from b2b_loyalty.models import Stakeholder

    run = _StakeholderRows(context)
    results: list[_Person | ImportRowOutcome] = []
    for row in rows:
        result = run.person(row)
        results.append(rejected(row, result) if isinstance(result, list) else result)
    plans = [r for r in results if isinstance(r, _Person)]
    _resolve_managers(plans, run.people)
    actions = {plan.row.row_number: _action(plan) for plan in plans if not plan.problems}
    if not context.dry_run:
        created: dict[int, Any] = {}
        with db.session.no_autoflush:
            for plan in plans:
                action = actions.get(plan.row.row_number)
                if action == "create":
                    person = Stakeholder(account_id=plan.account_id, **plan.columns)
                    db.session.add(person)
                    created[plan.row.row_number] = person
                elif action == "update":
                    for key, value in plan.columns.items():
                        setattr(plan.existing, key, value)
        db.session.flush()
        for plan in plans:
            if plan.row.row_number in actions and plan.manager is not None:
                person = created.get(plan.row.row_number, plan.existing)
                kind, ident = plan.manager
                person.reports_to_id = ident if kind == "id" else created[ident].id
        db.session.flush()
    for result in results:
        if isinstance(result, _Person):
            if result.problems:
                yield rejected(result.row, result.problems)
            else:
                action = actions[result.row.row_number]
                yield ImportRowOutcome(result.row.row_number, action, account_id=result.account_id)
        else:
            yield result


STAKEHOLDERS = ImportEntity(
    name="stakeholders",
    title="Stakeholders",
    fields=FIELDS,
    apply_rows=apply_stakeholder_rows,
    weight=20,
    natural_key=(
        "The account and the person's e-mail (ignoring case); without an e-mail, "
        "the account and the name. Empty cells leave the stored value as it is."
    ),
    description="The people at your accounts, with their decision-maker circle.",
    mapped_one_of=(ACCOUNT_KEYS,),
)
