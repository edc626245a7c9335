"""Volume discount schedules: the value objects and their validation.

A schedule is a list of tiers. A tier runs from its ``from_`` (inclusive) to the
next tier's ``from_`` (exclusive); the last tier is open-ended. The first tier
starts at 0 so that every volume has a rate.

* ``basis`` says what the volume is measured in: units (``quantity``) or list
  money value (``amount``).
* ``mode`` says how a rate applies: ``incremental`` (each tier's rate only to the
  volume inside that tier, like income tax brackets) or ``all_units`` (the tier
  reached sets one rate for the whole volume).
* ``scope`` says which volume positions an order in the tiers: the order alone
  (``per_order``) or the client's cumulative volume of a period, so tiers reached
  by earlier orders carry into later ones.

A ``DiscountSchedule`` validates itself when it is built and then never changes,
so pricing code trusts it and does not re-validate on every quote.
``parse_schedule`` builds one from raw JSON-ish input and reports every problem at
once, keyed by field path, for an API or a form to show next to the field.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum, StrEnum

from b2b_loyalty.domain.money import ZERO, minor_unit_exponent, to_decimal

HUNDRED = Decimal(100)


class Basis(StrEnum):
    """What a tier bound measures: units bought, or list money value bought."""

    QUANTITY = "quantity"
    AMOUNT = "amount"


class Mode(StrEnum):
    """How a tier's rate applies: to the volume inside the tier, or to all of it."""

    INCREMENTAL = "incremental"
    ALL_UNITS = "all_units"


class Scope(StrEnum):
    """Which volume positions an order in the tiers."""

    PER_ORDER = "per_order"
    CUMULATIVE_CALENDAR_YEAR = "cumulative_calendar_year"
    CUMULATIVE_ROLLING_12_MONTHS = "cumulative_rolling_12_months"

    @property
    def is_cumulative(self) -> bool:
        """True when earlier orders of the period count towards the tier reached."""
        return self is not Scope.PER_ORDER


class ScheduleValidationError(ValueError):
    """Invalid schedule or pricing input, with every problem keyed by field path.

    ``field_errors`` maps a path such as ``"tiers.1.from"`` to human messages, so
    an API can answer with all of them at once and a form can show each next to
    its field.
    """

    def __init__(self, field_errors: Mapping[str, Sequence[str]]) -> None:
        self.field_errors: dict[str, list[str]] = {k: list(v) for k, v in field_errors.items()}
        summary = "; ".join(
            f"{path}: {message}"
            for path, messages in self.field_errors.items()
            for message in messages
        )
        super().__init__(summary or "invalid input")


@dataclass(frozen=True, slots=True)
class Tier:
    """One step of a schedule: from volume ``from_`` on, ``percent`` off (0-100).

    ``from_`` is in units (quantity basis) or money (amount basis); ``percent`` is
    in percent, so ``Decimal('5')`` means 5 % off.
    """

    from_: Decimal
    percent: Decimal


@dataclass(frozen=True, slots=True)
class DiscountSchedule:
    """A validated, immutable volume discount schedule.

    Raises ``ScheduleValidationError`` on construction, listing every invalid
    field. ``basis``/``mode``/``scope`` may be given as their enum or its string
    value, and ``tiers`` as any sequence of ``Tier`` or ``{"from", "percent"}``
    mappings; they are stored as enums and a tuple of ``Tier``.
    """

    basis: Basis
    mode: Mode
    tiers: tuple[Tier, ...]
    scope: Scope = Scope.PER_ORDER
    currency: str = "EUR"
    # Derived once at construction so that pricing a quote is only arithmetic:
    # tier starts (for bisect), tier ends (None = open-ended), percents, rates as
    # fractions (percent / 100), and the currency's rounding quantum.
    bounds: tuple[Decimal, ...] = field(init=False, repr=False, compare=False)
    uppers: tuple[Decimal | None, ...] = field(init=False, repr=False, compare=False)
    percents: tuple[Decimal, ...] = field(init=False, repr=False, compare=False)
    rates: tuple[Decimal, ...] = field(init=False, repr=False, compare=False)
    quantum: Decimal = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        errors: dict[str, list[str]] = {}
        basis = _coerce_enum(Basis, self.basis, "basis", errors)
        mode = _coerce_enum(Mode, self.mode, "mode", errors)
        scope = _coerce_enum(Scope, self.scope, "scope", errors)
        currency = _check_currency(self.currency, errors)
        tiers = _coerce_tiers(self.tiers, errors)
        if errors:
            raise ScheduleValidationError(errors)
        assert tiers is not None  # no errors means tiers were coerced
        # object.__setattr__ because the dataclass is frozen: this is the one place
        # the instance is filled in, before anyone else can see it.
        setter = object.__setattr__
        setter(self, "basis", basis)
        setter(self, "mode", mode)
        setter(self, "scope", scope)
        setter(self, "currency", currency)
        setter(self, "tiers", tiers)
        bounds = tuple(t.from_ for t in tiers)
        setter(self, "bounds", bounds)
        setter(self, "uppers", bounds[1:] + (None,))
        setter(self, "percents", tuple(t.percent for t in tiers))
        setter(self, "rates", tuple(t.percent / HUNDRED for t in tiers))
        setter(self, "quantum", minor_unit_exponent(currency))

    def tier_index_at(self, position: Decimal) -> int:
        """Index of the tier containing volume ``position`` (tiers run [from, next from))."""
        # The first bound is 0, so any position >= 0 lands in a tier.
        return bisect_right(self.bounds, position) - 1


def parse_schedule(
    basis: str,
    mode: str,
    tiers: object,
    scope: str = "per_order",
    currency: str = "EUR",
) -> DiscountSchedule:
    """Build a ``DiscountSchedule`` from raw (JSON) input, reporting all errors at once.

    ``tiers`` is a list of objects like ``{"from": "100", "percent": "5"}``; numbers
    may be strings, ints or Decimals (never floats: their binary value is not the
    number the user typed). Raises ``ScheduleValidationError`` listing every
    problem found, keyed by field path (``"basis"``, ``"tiers.1.from"``, ...).
    """
    # The constructor already collects every problem before raising once.
    return DiscountSchedule(
        basis=basis,  # type: ignore[arg-type]
        mode=mode,  # type: ignore[arg-type]
        tiers=tiers,  # type: ignore[arg-type]
        scope=scope,  # type: ignore[arg-type]
        currency=currency,
    )


# --- helpers -----------------------------------------------------------------


def _add(errors: dict[str, list[str]], path: str, message: str) -> None:
    errors.setdefault(path, []).append(message)


def _coerce_enum(enum_type: type[Enum], value: object, path: str, errors: dict[str, list[str]]):
    """Return ``value`` as a member of ``enum_type`` or record an error and return None."""
    if isinstance(value, enum_type):
        return value
    if isinstance(value, str):
        try:
            return enum_type(value.strip().lower())
        except ValueError:
            pass
    allowed = ", ".join(member.value for member in enum_type)
    _add(errors, path, f"unknown {path} {value!r}; expected one of: {allowed}")
    return None


def _check_currency(value: object, errors: dict[str, list[str]]) -> str | None:
    if isinstance(value, str) and len(value.strip()) == 3 and value.strip().isalpha():
        return value.strip().upper()
    _add(errors, "currency", f"must be a three-letter ISO 4217 code such as EUR (got {value!r})")
    return None


def _number(value: object, path: str, errors: dict[str, list[str]]) -> Decimal | None:
    if type(value) is Decimal and value.is_finite():
        return value
    try:
        return to_decimal(value)
    except ValueError as exc:
        _add(errors, path, str(exc))
        return None


def _parse_tier(raw: object, path: str, errors: dict[str, list[str]]) -> Tier | None:
    """Parse one raw tier; record every problem of it and return None if any."""
    if isinstance(raw, Tier):
        raw = {"from": raw.from_, "percent": raw.percent}
    if not isinstance(raw, Mapping):
        _add(errors, path, "each tier must be an object with 'from' and 'percent'")
        return None
    # "from" is what the JSON API sends; "from_" is accepted for Python callers.
    from_raw = raw.get("from", raw.get("from_"))
    percent_raw = raw.get("percent")
    from_ = percent = None
    if from_raw is None:
        _add(errors, f"{path}.from", "is required: the volume at which this tier starts")
    else:
        from_ = _number(from_raw, f"{path}.from", errors)
    if percent_raw is None:
        _add(errors, f"{path}.percent", "is required: the discount in percent (0-100)")
    else:
        percent = _number(percent_raw, f"{path}.percent", errors)
    if from_ is None or percent is None:
        return None
    return Tier(from_=from_, percent=percent)


def _coerce_tiers(value: object, errors: dict[str, list[str]]) -> tuple[Tier, ...] | None:
    """Turn raw tiers into a tuple of Tiers, recording every problem; None if any."""
    if not isinstance(value, list | tuple):
        _add(errors, "tiers", "must be a list of tiers, each with 'from' and 'percent'")
        return None
    if not value:
        _add(errors, "tiers", "at least one tier is required")
        return None
    parsed = [_parse_tier(item, f"tiers.{index}", errors) for index, item in enumerate(value)]
    # Range and order checks run on every tier that parsed, so one bad tier does
    # not hide the problems of the others; indexes stay those of the input.
    _check_tier_values(parsed, errors)
    if any(tier is None for tier in parsed):
        return None
    return tuple(parsed)  # type: ignore[arg-type]


def _check_tier_values(tiers: Sequence[Tier | None], errors: dict[str, list[str]]) -> None:
    """Record range and order problems of the tiers that parsed (None = did not parse)."""
    first = tiers[0]
    if first is not None and first.from_ != ZERO:
        _add(
            errors,
            "tiers.0.from",
            f"the first tier must start at 0 so every volume has a rate (got {first.from_})",
        )
    for index, tier in enumerate(tiers):
        if tier is None:
            continue
        previous = tiers[index - 1] if index > 0 else None
        if previous is not None and tier.from_ <= previous.from_:
            _add(
                errors,
                f"tiers.{index}.from",
                f"must be greater than the previous tier's start ({previous.from_}); "
                f"tier starts must strictly increase (got {tier.from_})",
            )
        if not ZERO <= tier.percent <= HUNDRED:
            _add(
                errors,
                f"tiers.{index}.percent",
                f"must be between 0 and 100 percent (got {tier.percent})",
            )
