"""Importing interactions from spreadsheets, through the core's ``import_entities`` hook.

A row names its account (by tax id, else by name, as every import does), the
kind of interaction, its date, the people at the client who took part (by
e-mail or name at that account, several separated by ";") and what was said.

Upsert key: account + date + type + summary (the summary compared ignoring
case and runs of spaces). A row matching a stored interaction updates it;
empty cells leave the stored values as they are, so the people and the
summary of a stored interaction are only replaced by what the file gives.
The rows go through the plugin's own InteractionForm and then the same rules
the pages and the API apply (``services.interactions._validated``: known type
and channel, no future date, people of this account, next step before its due
date). Writes go to the session with an audit entry each, never committed here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from b2b_loyalty.extensions import db
from b2b_loyalty.imports.account_lookup import ACCOUNT_FIELDS, ACCOUNT_KEYS, AccountLookup
from b2b_loyalty.imports.cell_values import name_key, vocabulary_value
from b2b_loyalty.imports.entity_support import form_problems, formula_problems, given, rejected
from b2b_loyalty.imports.form_rows import FormRowValidator
from b2b_loyalty.plugin_api.types import (
    ImportContext,
    ImportEntity,
    ImportField,
    ImportProblem,
    ImportRow,
    ImportRowOutcome,
)
from b2b_loyalty.services.errors import ValidationFailed
from plugins.engagement.domain.vocabulary import (
    CHANNEL_LABELS,
    INTERACTION_TYPE_LABELS,
    Channel,
    InteractionType,
)

NAME = "interactions"
SEPARATOR = ";"
FORM_KEYS = (
    "type",
    "date",
    "channel",
    "summary",
    "outcome",
    "next_step",
    "next_step_due",
)
# Labels and a few Russian words a spreadsheet may use instead of the stored values.
TYPE_ALIASES = {
    **{vocabulary_value(label): t.value for t, label in INTERACTION_TYPE_LABELS.items()},
    "event": "event",
    "client_day": "event",
    "встреча": "meeting",
    "звонок": "call",
    "письмо": "email",
    "мероприятие": "event",
    "подарок": "gift",
    "опрос": "survey",
    "жалоба": "complaint",
    "другое": "other",
}
CHANNEL_ALIASES = {
    **{vocabulary_value(label): c.value for c, label in CHANNEL_LABELS.items()},
    "video_call": "video",
    "e_mail": "email",
    "letter": "letter",
    "post": "letter",
}

FIELDS = (
    *ACCOUNT_FIELDS,
    ImportField(
        "type",
        "Type",
        required=True,
        synonyms=("Interaction type", "Kind", "Тип", "Вид", "Тип контакта"),
        example="meeting",
        choices=tuple(t.value for t in InteractionType),
    ),
    ImportField(
        "date",
        "Date",
        required=True,
        synonyms=("Occurred on", "When", "Дата", "Дата контакта"),
        example="2024-03-15",
        format_hint="YYYY-MM-DD, not in the future",
    ),
    ImportField(
        "stakeholders",
        "People at the client",
        required=True,
        synonyms=(
            "Stakeholders",
            "Participants",
            "Attendees",
            "People",
            "Contacts",
            "Участники",
            "Контакты",
        ),
        example="anna.petrova@example.com; Ivan Sidorov",
        format_hint="e-mail or name of people at the account, separated by ';'",
    ),
    ImportField(
        "channel",
        "Channel",
        synonyms=("Medium", "Канал"),
        example="in_person",
        choices=tuple(c.value for c in Channel),
    ),
    ImportField(
        "summary",
        "Summary",
        required=True,
        synonyms=("Subject", "Topic", "About", "Тема", "Содержание", "Описание"),
        example="Quarterly review of deliveries",
    ),
    ImportField(
        "outcome",
        "Outcome",
        synonyms=("Result", "Результат", "Итог"),
        example="Agreed to trial the new range",
    ),
    ImportField(
        "next_step",
        "Next step",
        synonyms=("Follow-up", "Follow up", "Следующий шаг"),
        example="Send the trial offer",
    ),
    ImportField(
        "next_step_due",
        "Next step due",
        synonyms=("Due", "Due date", "Follow-up due", "Срок", "Срок следующего шага"),
        example="2024-03-31",
        format_hint="YYYY-MM-DD, not before the interaction's date",
    ),
)
# The service names the people field after the form's ``stakeholder_ids``.
FIELD_OF_ERROR = {"stakeholder_ids": "stakeholders", "our_people_ids": "stakeholders"}


@dataclass
class _Plan:
    row: ImportRow
    account: Any
    existing: Any
    values: dict[str, Any]


class _InteractionRows:
    def __init__(self, context: ImportContext) -> None:
        from plugins.engagement.web.forms import InteractionForm

        self.context = context
        self.today = date.today()
        self.fields = {f.key: f for f in FIELDS}
        self.validator = FormRowValidator(InteractionForm)
        self.accounts = AccountLookup()
        self.people: dict[int, list[Any]] = {}
        self.stored: dict[int, dict[tuple, list[Any]]] = {}
        self.seen: dict[tuple, int] = {}

    def people_at(self, account_id: int) -> list[Any]:
        from b2b_loyalty.models import Stakeholder

        if account_id not in self.people:
            self.people[account_id] = list(
                db.session.scalars(select(Stakeholder).where(Stakeholder.account_id == account_id))
            )
        return self.people[account_id]

    def stored_at(self, account_id: int) -> dict[tuple, list[Any]]:
        from plugins.engagement.models import Interaction

        if account_id not in self.stored:
            found: dict[tuple, list[Any]] = {}
            interactions = db.session.scalars(
                select(Interaction)
                .where(Interaction.account_id == account_id)
                .options(
                    selectinload(Interaction.participants), selectinload(Interaction.colleagues)
                )
                .order_by(Interaction.id)
            )
            for interaction in interactions:
                key = (interaction.occurred_on, interaction.type, name_key(interaction.summary))
                found.setdefault(key, []).append(interaction)
            self.stored[account_id] = found
        return self.stored[account_id]

    def plan(self, row: ImportRow) -> _Plan | list[ImportProblem]:
        from b2b_loyalty.models import Account
        from plugins.engagement.services.interactions import _validated

        values = row.values
        account_id, problem = self.accounts.find(values)
        problems = [problem] if problem else []
        problems += formula_problems(values, ("date", "next_step_due"))
        texts = given(values, FORM_KEYS)
        for required in ("type", "date", "summary"):
            texts.setdefault(required, "")
        if texts["type"]:
            texts["type"] = vocabulary_value(texts["type"], TYPE_ALIASES)
        if "channel" in texts:
            texts["channel"] = vocabulary_value(texts["channel"], CHANNEL_ALIASES)
        data, errors = self.validator.validate(texts)
        problems += form_problems(errors, self.fields)
        if account_id is None:
            return problems
        people_ids = self._people(account_id, values.get("stakeholders", ""), problems)
        if problems:
            return problems
        key = (account_id, data["date"], data["type"], name_key(data["summary"]))
        if key in self.seen:
            return [
                ImportProblem(
                    "summary",
                    f"Row {self.seen[key]} has the same account, date, type and summary.",
                )
            ]
        matches = self.stored_at(account_id).get(key[1:], [])
        if len(matches) > 1:
            return [
                ImportProblem(
                    "summary",
                    "Several stored interactions have this date, type and summary; "
                    "change them on the account's page.",
                )
            ]
        existing = matches[0] if matches else None
        form_data = _merged(existing, data, texts, people_ids)
        account = db.session.get(Account, account_id)
        try:
            with db.session.no_autoflush:
                checked = _validated(account, form_data, self.today)
        except ValidationFailed as failed:
            return [
                ImportProblem(FIELD_OF_ERROR.get(name, name), messages[0])
                for name, messages in failed.fields.items()
                if messages
            ]
        self.seen[key] = row.row_number
        return _Plan(row, account, existing, checked)

    def _people(self, account_id: int, text: str, problems: list[ImportProblem]) -> list[int]:
        """The ids of the people a cell names at the account; a problem for each unknown one."""
        people = self.people_at(account_id)
        ids: list[int] = []
        for label in (part.strip() for part in text.split(SEPARATOR)):
            if not label:
                continue
            if "@" in label:
                same = [p for p in people if p.email and p.email.casefold() == label.casefold()]
            else:
                same = [p for p in people if name_key(p.name) == name_key(label)]
            if not same:
                problems.append(
                    ImportProblem("stakeholders", f"Not a person at this account: {label}.")
                )
            elif len(same) > 1:
                problems.append(
                    ImportProblem(
                        "stakeholders",
                        f"Several people at this account are named {label}; use their e-mail.",
                    )
                )
            else:
                ids.append(same[0].id)
        return ids


def _merged(
    existing: Any, data: dict[str, Any], texts: dict[str, str], people_ids: list[int]
) -> dict[str, Any]:
    """The form data of the row: the stored interaction's values overlaid with the given cells."""
    merged: dict[str, Any] = {}
    if existing is not None:
        merged = {
            "type": existing.type,
            "date": existing.occurred_on,
            "stakeholder_ids": existing.stakeholder_ids,
            "our_people_ids": sorted(u.id for u in existing.colleagues),
            "channel": existing.channel,
            "summary": existing.summary,
            "outcome": existing.outcome,
            "next_step": existing.next_step,
            "next_step_due": existing.next_step_due,
        }
    for key in FORM_KEYS:
        if texts.get(key) and not (existing is not None and key == "summary"):
            merged[key] = data.get(key)
    if people_ids:
        merged["stakeholder_ids"] = people_ids
    return merged


def _action(plan: _Plan) -> str:
    from plugins.engagement.services.interactions import snapshot

    if plan.existing is None:
        return "create"
    before = snapshot(plan.existing)
    after = {
        **before,
        "type": plan.values["type"],
        "date": plan.values["occurred_on"],
        "stakeholder_ids": plan.values["stakeholder_ids"],
        "channel": plan.values["channel"],
        "outcome": plan.values["outcome"],
        "next_step": plan.values["next_step"],
        "next_step_due": plan.values["next_step_due"],
    }
    return "unchanged" if after == before else "update"


def _write(plan: _Plan, action: str, context: ImportContext) -> None:
    from b2b_loyalty.services import audit
    from plugins.engagement import queries
    from plugins.engagement.models import Interaction
    from plugins.engagement.services.interactions import AUDITED, _apply, snapshot

    actor = context.actor
    actor_id = actor.id if actor is not None else None
    if action == "create":
        interaction = Interaction(
            account_id=plan.account.id, created_by_id=actor_id, updated_by_id=actor_id
        )
        _apply(interaction, plan.account, plan.values)
        db.session.add(interaction)
        db.session.flush()
        audit.record(
            actor,
            queries.AUDIT_ENTITY,
            interaction.id,
            "create",
            after=snapshot(interaction),
            comment="import",
        )
    elif action == "update":
        interaction = plan.existing
        before = snapshot(interaction)
        _apply(interaction, plan.account, plan.values)
        after = snapshot(interaction)
        changed = [k for k in AUDITED if before[k] != after[k]]
        interaction.updated_by_id = actor_id
        audit.record(
            actor,
            queries.AUDIT_ENTITY,
            interaction.id,
            "update",
            before={k: before[k] for k in changed},
            after={k: after[k] for k in changed},
            comment="import",
        )


def apply_interaction_rows(
    rows: Iterable[ImportRow], context: ImportContext
) -> Iterator[ImportRowOutcome]:
    run = _InteractionRows(context)
    results: list[_Plan | ImportRowOutcome] = []
    for row in rows:
        result = run.plan(row)
        results.append(rejected(row, result) if isinstance(result, list) else result)
    for result in results:
        if not isinstance(result, _Plan):
            yield result
            continue
        action = _action(result)
        if not context.dry_run:
            with db.session.no_autoflush:
                _write(result, action, context)
        yield ImportRowOutcome(result.row.row_number, action, account_id=result.account.id)
    if not context.dry_run:
        db.session.flush()


INTERACTIONS = ImportEntity(
    name=NAME,
    title="Interactions",
    fields=FIELDS,
    apply_rows=apply_interaction_rows,
    weight=50,
    natural_key=(
        "Account, date, type and summary (the summary ignoring case and spaces). "
        "Empty cells leave the stored value as it is; the people given replace those stored."
    ),
    description="Meetings, calls and other touch points with the people at your accounts.",
    mapped_one_of=(ACCOUNT_KEYS,),
)
