from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from b2b_loyalty.extensions import db
from b2b_loyalty.models.columns import QUANTITY, TIMESTAMP, utcnow

if TYPE_CHECKING:
    from b2b_loyalty.models.discount_schedule import ScheduleVersion
    from b2b_loyalty.models.order import Order


class OrderPricing(db.Model):
    """How an order was priced: the schedule version, the prior volume and the lines.

    Stored as priced, so the price can be explained exactly even after the
    schedule changed or was retired.
    """

    __tablename__ = "order_pricings"
    __account_scope__ = "account_id"

    order_id: Mapped[int] = mapped_column(
        ForeignKey("orders.id", ondelete="CASCADE"), primary_key=True
    )
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    schedule_id: Mapped[int | None] = mapped_column(ForeignKey("discount_schedules.id"))
    prior_volume: Mapped[Decimal] = mapped_column(QUANTITY)
    breakdown: Mapped[dict[str, Any]] = mapped_column(JSON)
    priced_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)

    order: Mapped[Order] = relationship(back_populates="pricing")
    schedule: Mapped[ScheduleVersion | None] = relationship()
