"""Why an account needs attention: the rule behind the dashboard's attention list.

An account needs attention when its lifecycle stage is *at risk* or *lost
candidate* (the stage's own reason says why), or when its share of wallet fell
by more than ``SHARE_FALL_POINTS`` percentage points against the previous
period. Each reason is a sentence the list shows as it is.
"""

from __future__ import annotations

from decimal import Decimal

from b2b_loyalty.domain.lifecycle import LifecycleStage, LifecycleStatus

# A fall of more than this many percentage points puts an account on the list.
SHARE_FALL_POINTS = Decimal(5)
_WATCHED_STAGES = (LifecycleStage.AT_RISK, LifecycleStage.LOST_CANDIDATE)


def needs_attention(stage: LifecycleStage, share_change_points: Decimal | None) -> bool:
    """Whether :func:`attention_reasons` has anything to say, without writing it."""
    return stage in _WATCHED_STAGES or _share_fell(share_change_points)


def _share_fell(share_change_points: Decimal | None) -> bool:
    return share_change_points is not None and share_change_points < -SHARE_FALL_POINTS


def attention_reasons(
    lifecycle: LifecycleStatus,
    share_before: Decimal | None,
    share_now: Decimal | None,
    share_change_points: Decimal | None,
) -> list[str]:
    """The reasons, in this order: the lifecycle stage, then the share of wallet."""
    reasons = []
    if lifecycle.stage in _WATCHED_STAGES:
        reasons.append(f"{lifecycle.stage.value.replace('_', ' ')}: {lifecycle.reason}")
    if _share_fell(share_change_points):
        reasons.append(
            f"share of wallet fell {abs(share_change_points)} points "
            f"({share_before} % → {share_now} %)"
        )
    return reasons
