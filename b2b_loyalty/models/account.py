from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Column, Date, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from b2b_loyalty.extensions import db
from b2b_loyalty.models.columns import TIMESTAMP, row_version_column, utcnow
from b2b_loyalty.models.user import User

if TYPE_CHECKING:
    from b2b_loyalty.models.order import Order
    from b2b_loyalty.models.stakeholder import Stakeholder
    from b2b_loyalty.models.supplier_ranking import SupplierRanking
    from b2b_loyalty.models.wallet_estimate import WalletEstimate

# Users who work on an account besides its owner; they get the owner's access.
account_team = Table(
    "account_team",
    db.metadata,
    Column("account_id", ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
)

SIZE_BANDS = ("1-49", "50-249", "250-999", "1000-4999", "5000+")


class Account(db.Model):
    """A corporate client: an organisation and, through stakeholders, its people."""

    __tablename__ = "accounts"
    # Tells access.py which column ties a row to an account (here: its own id).
    __account_scope__ = "self"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    tax_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    industry: Mapped[str | None] = mapped_column(String(100), index=True)
    region: Mapped[str | None] = mapped_column(String(100), index=True)
    size_band: Mapped[str | None] = mapped_column(String(20))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    notes: Mapped[str | None] = mapped_column(Text)
    # Lifecycle "closed" is set by hand: the client ceased to exist.
    closed_on: Mapped[date | None] = mapped_column(Date)
    closed_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow, onupdate=utcnow)
    # Optimistic locking: an edit names the version it started from (API ``version``).
    row_version: Mapped[int] = row_version_column()
    __mapper_args__ = {"version_id_col": row_version}

    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
    team: Mapped[list[User]] = relationship(secondary=account_team, order_by=User.name)
    stakeholders: Mapped[list[Stakeholder]] = relationship(
        back_populates="account", cascade="all, delete-orphan", passive_deletes=True
    )
    orders: Mapped[list[Order]] = relationship(
        back_populates="account", cascade="all, delete-orphan", passive_deletes=True
    )
    wallet_estimates: Mapped[list[WalletEstimate]] = relationship(
        back_populates="account", cascade="all, delete-orphan", passive_deletes=True
    )
    supplier_rankings: Mapped[list[SupplierRanking]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="SupplierRanking.year.desc()"
    )

    def __repr__(self) -> str:
        return f"<Account {self.id} {self.name!r}>"
