"""The admin's settings for engagement tracking, with documented defaults.

Each setting is an ``ENGAGEMENT_*`` configuration key (see the plugin's
``configure_app``); a deployment sets it in the environment under the same
name. Mappings are written ``meeting=5,call=3`` (types) or ``30,91,182``
(one value per circle, first circle first).

Defaults and why:

- ``ENGAGEMENT_HALF_LIFE_DAYS`` = 90: a touch point counts half as much after a
  quarter, a quarter as much after half a year.
- ``ENGAGEMENT_TYPE_WEIGHTS``: meeting 5, event / client day 4, call 3, gift 2,
  complaint 2, survey 1, e-mail 1, other 1 (points per touch, before decay): a
  meeting last week counts far more than an e-mail last year.
- ``ENGAGEMENT_CADENCE_DAYS`` = 30, 91, 182: first circle monthly, second
  quarterly, third twice a year; an account may override each circle.
- ``ENGAGEMENT_MAX_TOUCHES_PER_MONTH`` = 8, 4, 2: B2B clients tolerate far fewer
  contacts than consumers, the outer circles least.
- ``ENGAGEMENT_MULTI_THREAD_DAYS`` = 90: the window of "people engaged lately".
- ``ENGAGEMENT_BLOCKER_MIN_INFLUENCE`` = 4: a blocker this influential is an alert.
- ``ENGAGEMENT_KEY_MIN_INFLUENCE`` = 4: anyone this influential is a key person.
- ``ENGAGEMENT_LEFT_ALERT_DAYS`` = 365: a key person who left is an alert while
  our last contact with them is at most this old.
- ``ENGAGEMENT_NPS_WINDOW_DAYS`` = 365: the answers the current NPS is built from.
- ``ENGAGEMENT_NPS_PERIOD_DAYS`` = 180 and ``ENGAGEMENT_NPS_DROP_POINTS`` = 10: NPS
  "falls" when the last period's is that many points below the period before.
- ``ENGAGEMENT_WEEK_DAYS`` = 7: "my week" lists next steps due within this many days.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from decimal import Decimal, InvalidOperation
from typing import Any

from plugins.engagement.domain.vocabulary import CIRCLES, InteractionType

DEFAULT_TYPE_WEIGHTS: dict[str, Decimal] = {
    InteractionType.MEETING.value: Decimal(5),
    InteractionType.EVENT.value: Decimal(4),
    InteractionType.CALL.value: Decimal(3),
    InteractionType.GIFT.value: Decimal(2),
    InteractionType.COMPLAINT.value: Decimal(2),
    InteractionType.SURVEY.value: Decimal(1),
    InteractionType.EMAIL.value: Decimal(1),
    InteractionType.OTHER.value: Decimal(1),
}
DEFAULT_CADENCE_DAYS: dict[int, int] = {1: 30, 2: 91, 3: 182}
DEFAULT_MAX_TOUCHES_PER_MONTH: dict[int, int] = {1: 8, 2: 4, 3: 2}


class SettingsError(ValueError):
    """A setting has a value that makes no sense; the message names the key."""


@dataclass(frozen=True)
class EngagementSettings:
    half_life_days: int = 90
    type_weights: Mapping[str, Decimal] = field(default_factory=lambda: dict(DEFAULT_TYPE_WEIGHTS))
    cadence_days: Mapping[int, int] = field(default_factory=lambda: dict(DEFAULT_CADENCE_DAYS))
    max_touches_per_month: Mapping[int, int] = field(
        default_factory=lambda: dict(DEFAULT_MAX_TOUCHES_PER_MONTH)
    )
    multi_thread_days: int = 90
    blocker_min_influence: int = 4
    key_min_influence: int = 4
    left_alert_days: int = 365
    nps_window_days: int = 365
    nps_period_days: int = 180
    nps_drop_points: int = 10
    week_days: int = 7

    def weight_of(self, interaction_type: str) -> Decimal:
        return self.type_weights.get(interaction_type, Decimal(0))


# Setting attribute -> configuration key.
CONFIG_KEYS: dict[str, str] = {
    f.name: "ENGAGEMENT_" + f.name.upper() for f in fields(EngagementSettings)
}


def default_config() -> dict[str, Any]:
    """The configuration keys with their default values (plain ints and dicts)."""
    defaults = EngagementSettings()
    return {key: getattr(defaults, name) for name, key in CONFIG_KEYS.items()}


def _positive_int(key: str, value: Any, *, minimum: int = 1, maximum: int = 100_000) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise SettingsError(f"{key} must be a whole number, got {value!r}") from None
    if not minimum <= number <= maximum:
        raise SettingsError(f"{key} must be between {minimum} and {maximum}, got {number}")
    return number


def _pairs(key: str, value: Any) -> dict[str, str]:
    if isinstance(value, Mapping):
        return {str(k): str(v) for k, v in value.items()}
    result = {}
    for part in str(value).split(","):
        name, sep, number = part.partition("=")
        if not sep:
            raise SettingsError(f"{key} must look like 'meeting=5,call=3', got {value!r}")
        result[name.strip()] = number.strip()
    return result


def parse_type_weights(key: str, value: Any) -> dict[str, Decimal]:
    """Weights per interaction type; unknown types refused, missing types keep their default."""
    weights = dict(DEFAULT_TYPE_WEIGHTS)
    known = {t.value for t in InteractionType}
    for name, text in _pairs(key, value).items():
        if name not in known:
            raise SettingsError(f"{key}: unknown interaction type {name!r}")
        try:
            weight = Decimal(text)
        except InvalidOperation:
            raise SettingsError(f"{key}: weight of {name} must be a number") from None
        if not weight.is_finite() or weight < 0 or weight > 1000:
            raise SettingsError(f"{key}: weight of {name} must be between 0 and 1000")
        weights[name] = weight
    return weights


def parse_per_circle(key: str, value: Any, *, maximum: int) -> dict[int, int]:
    """One whole number per circle: ``30,91,182`` or a mapping ``{1: 30, ...}``."""
    if isinstance(value, Mapping):
        items = {int(k): v for k, v in value.items()}
    else:
        parts = [p.strip() for p in str(value).split(",")]
        if len(parts) != len(CIRCLES):
            raise SettingsError(f"{key} needs one value per circle (3), got {value!r}")
        items = dict(zip(CIRCLES, parts, strict=True))
    if set(items) != set(CIRCLES):
        raise SettingsError(f"{key} needs a value for circles 1, 2 and 3")
    return {c: _positive_int(key, items[c], maximum=maximum) for c in CIRCLES}


def settings_from_config(config: Mapping[str, Any]) -> EngagementSettings:
    """Build and check the settings from configuration keys; missing keys keep defaults."""
    defaults = default_config()

    def get(name: str) -> Any:
        key = CONFIG_KEYS[name]
        return config.get(key, defaults[key])

    k = CONFIG_KEYS
    return EngagementSettings(
        half_life_days=_positive_int(k["half_life_days"], get("half_life_days"), maximum=3650),
        type_weights=parse_type_weights(k["type_weights"], get("type_weights")),
        cadence_days=parse_per_circle(k["cadence_days"], get("cadence_days"), maximum=3650),
        max_touches_per_month=parse_per_circle(
            k["max_touches_per_month"], get("max_touches_per_month"), maximum=1000
        ),
        multi_thread_days=_positive_int(k["multi_thread_days"], get("multi_thread_days")),
        blocker_min_influence=_positive_int(
            k["blocker_min_influence"], get("blocker_min_influence"), maximum=5
        ),
        key_min_influence=_positive_int(
            k["key_min_influence"], get("key_min_influence"), maximum=5
        ),
        left_alert_days=_positive_int(k["left_alert_days"], get("left_alert_days")),
        nps_window_days=_positive_int(k["nps_window_days"], get("nps_window_days")),
        nps_period_days=_positive_int(k["nps_period_days"], get("nps_period_days")),
        nps_drop_points=_positive_int(k["nps_drop_points"], get("nps_drop_points"), maximum=200),
        week_days=_positive_int(k["week_days"], get("week_days"), maximum=366),
    )
