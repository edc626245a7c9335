"""Small immutable values that hooks return; the core sorts and renders them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class PluginManifest:
    """Who a plugin is and what it needs, declared by its ``plugin_manifest`` hook.

    ``depends``: names of plugins that must be enabled too (load order follows).
    ``migrations``: the folder of the plugin's own Alembic branch, if it has tables:
    ``<plugin package>/migrations/versions``, with ``branch_labels = ("<name>",)``
    on its first revision and ``depends_on`` the core revision it needs.
    """

    name: str
    title: str
    version: str = "0.1.0"
    depends: tuple[str, ...] = ()
    migrations: str | None = None
    description: str = ""


@dataclass(frozen=True)
class NavItem:
    """An entry of the main navigation. Lower ``weight`` comes first."""

    label: str
    endpoint: str
    weight: int = 100
    url_kwargs: dict[str, Any] = field(default_factory=dict)
    # Roles (Role values) allowed to see the entry; None means every signed-in user.
    roles: frozenset[str] | None = None


@dataclass(frozen=True)
class AccountPanel:
    """A panel of the account page: a template and its context, rendered by the core."""

    key: str
    title: str
    template: str
    weight: int = 100
    context: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class QuoteContext:
    """What a price adjustment sees: the volume price and who it is for."""

    account_id: int | None
    category_id: int | None
    quantity: Decimal | None
    list_total: Decimal
    volume_discount_percent: Decimal
    currency: str
    as_of: date
    # The volume discount in money, exact to the cent (the percent above is rounded).
    volume_discount_total: Decimal | None = None


@dataclass(frozen=True)
class PriceAdjustment:
    """A pricing stage after the volume discount (e.g. tenure); ``stage`` orders them.

    ``percent`` is a further discount in percent of the list price; ``explanation``
    is the line the quote breakdown shows.
    """

    stage: int
    key: str
    label: str
    percent: Decimal
    explanation: str = ""
    details: dict[str, Any] = field(default_factory=dict)


# What a ReviewColumn holds; exports format each kind as a real spreadsheet number,
# percent or date (never text).
REVIEW_COLUMN_KINDS = ("text", "money", "percent", "date", "integer", "number")


@dataclass(frozen=True)
class ReviewColumn:
    """A column of a ReviewSheet: its header and the kind of its values.

    - ``text``: ``str`` (user text is neutralised by the exporter so a spreadsheet
      never evaluates it as a formula);
    - ``money``: ``Decimal`` in the deployment's base currency, exact to the cent;
    - ``percent``: a *fraction* as ``Decimal`` (``Decimal("0.25")`` is 25 %);
    - ``date``: ``datetime.date``; ``integer``: ``int``; ``number``: ``Decimal``/``int``.

    ``None`` is an empty cell in any column.
    """

    header: str
    kind: str = "text"

    def __post_init__(self) -> None:
        if self.kind not in REVIEW_COLUMN_KINDS:
            raise ValueError(
                f"column kind {self.kind!r} is not one of {', '.join(REVIEW_COLUMN_KINDS)}"
            )


@dataclass(frozen=True)
class ReviewSheet:
    """Tabular data of a review section, for the spreadsheet export: one sheet.

    ``title`` names the sheet (``Stakeholders``, ``Contracts``; at most 31
    characters are kept); ``rows`` are tuples of plain values in column order.
    """

    title: str
    columns: tuple[ReviewColumn, ...]
    rows: tuple[tuple[Any, ...], ...] = ()


@dataclass(frozen=True)
class ReviewSection:
    """A section of an account review; lower ``weight`` comes first.

    ``template``/``context`` render the section in the printed review (see the
    ``review_sections`` hook); ``sheets`` carry the same facts as tables for the
    spreadsheet export (optional: a section without sheets is only printed).
    """

    key: str
    title: str
    weight: int
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    sheets: tuple[ReviewSheet, ...] = ()


@dataclass(frozen=True)
class PageAction:
    """A button a plugin adds to a core page (a download, a link); lower ``weight`` first.

    ``url`` is ready to use (built with ``url_for``); ``kind`` is ``download``
    (a file) or ``link`` (a page); ``icon`` is a short hint of what comes back
    (``pdf``, ``xlsx``) shown beside the label.
    """

    label: str
    url: str
    kind: str = "download"
    icon: str = ""
    weight: int = 100
    title: str = ""


@dataclass(frozen=True)
class AccountAlert:
    """A warning sign on an account (e.g. only one person engaged)."""

    account_id: int
    key: str
    message: str
    severity: str = "warning"  # info | warning | critical
    source: str = "core"


@dataclass(frozen=True)
class AccountFact:
    """A fact a plugin knows about an account, for the core's metrics.

    Well-known keys the core reads (others are ignored):
    - ``last_interaction_on`` (``date``): the latest recorded touch point, used
      by the lifecycle stage ("no order and no interaction for two cycles");
    - ``complaints_12m`` (``int``): complaints in the trailing 12 months, used by
      the "difficult" segment rule.
    """

    account_id: int
    key: str
    value: Any
    explanation: str = ""
    source: str = ""


@dataclass(frozen=True)
class HealthMeasure:
    """One graded measure of an account's health, 0–100 (higher is healthier).

    ``key`` names the measure (``engagement_coverage``, ``nps``, ...); an admin
    sets its weight in the health score (unknown keys get ``default_weight``).
    ``explanation`` says what was counted, e.g. "4 of 9 known people engaged".
    """

    account_id: int
    key: str
    label: str
    score: Decimal
    explanation: str
    default_weight: Decimal = Decimal(1)
    source: str = ""


# --- Spreadsheet import (the ``import_entities`` hook) -------------------------------

# What an import does with one row, in the order reports list them.
IMPORT_ACTIONS = ("create", "update", "unchanged", "reject")


@dataclass(frozen=True)
class ImportField:
    """One column an import understands.

    ``key`` is what ``ImportRow.values`` is keyed by; use the name of the field in
    the entity's WTForms form, so the form's messages land on the right column.
    ``label`` is the header of the template workbook; ``synonyms`` are other
    headers that map to this field (matched ignoring case, spaces and
    punctuation; the key and the label always match). ``example`` fills the
    template's example row, ``format_hint`` says how to write the value and
    ``choices`` lists the accepted values, if the field has a fixed vocabulary.
    """

    key: str
    label: str
    required: bool = False
    synonyms: tuple[str, ...] = ()
    example: str = ""
    format_hint: str = ""
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportRow:
    """One data row of a file: its row number in the file and the text of each mapped field.

    ``values`` holds a stripped string for every field a column is mapped to
    (``""`` for an empty cell); fields no column is mapped to are absent. Cells
    are never evaluated: a formula arrives as its text (``"=SUM(A1:A3)"``), dates
    typed as dates as ``YYYY-MM-DD``, numbers as their decimal text.
    """

    row_number: int
    values: dict[str, str]


@dataclass(frozen=True)
class ImportProblem:
    """Why a row is rejected: the field (an ImportField key, ``""`` for the row) and a message."""

    field: str
    message: str


@dataclass(frozen=True)
class ImportRowOutcome:
    """What an import does, or would do, with one row; ``action`` is one of IMPORT_ACTIONS.

    A rejected row carries at least one ImportProblem. ``account_id`` is the
    account the row belongs to, when known (reports group by it).
    """

    row_number: int
    action: str
    problems: tuple[ImportProblem, ...] = ()
    account_id: int | None = None


@dataclass(frozen=True)
class ImportContext:
    """Who imports and how, as an entity's ``apply_rows`` sees it.

    ``actor`` is the User importing, whose access rules already filter every ORM
    query (None: a command-line import without ``--owner``, which sees every
    account). ``owner`` is the User that new accounts go to (None: the actor).
    With ``dry_run`` the core rolls the transaction back afterwards whatever
    happens; an entity may skip its writes then, but must report the same outcomes.
    """

    actor: Any
    owner: Any
    dry_run: bool
    base_currency: str


@dataclass(frozen=True)
class ImportEntity:
    """Something the import can create or update from spreadsheet rows.

    ``name`` is what the command line and URLs use (``accounts``,
    ``wallet-estimates``; lower case, digits and ``-``); ``title`` is shown to
    users; lower ``weight`` comes first in lists; ``natural_key`` tells users
    how rows are matched to existing records, so a second import of the same
    file changes nothing. ``mapped_one_of`` lists groups of field keys of which
    at least one must be mapped (an account by name *or* by tax id).
    ``apply_rows(rows, context)`` is described in the ``import_entities`` hook
    specification.
    """

    name: str
    title: str
    fields: tuple[ImportField, ...]
    apply_rows: Callable[[Iterable[ImportRow], ImportContext], Iterable[ImportRowOutcome]]
    weight: int = 100
    natural_key: str = ""
    description: str = ""
    mapped_one_of: tuple[tuple[str, ...], ...] = ()
