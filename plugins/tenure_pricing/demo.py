"""Demo contracts and an approved tenure schedule for ``b2b-loyalty demo``.

Deterministic: every date is a fixed number of months from the first day of
the month of ``as_of`` (so any day of one month gives the very same data), or
from 1 January of its year for the account renewed every January. Nothing is
random. Accounts missing from the demo are skipped. The caller commits.

The histories show each case the screens explain: long tenure, a gap inside
the grace, a gap beyond it (tenure restarted), a contract ending within the
next weeks with and without a drafted renewal, one renewing automatically, a
client whose contract lapsed, a contract that starts next month, and two
membership fees (one paying off, one not).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from b2b_loyalty.domain.roles import Role
from b2b_loyalty.domain.schedule_workflow import ScheduleStatus
from b2b_loyalty.extensions import db
from b2b_loyalty.models import Account, User
from b2b_loyalty.services import audit
from plugins.tenure_pricing.domain.calendar_months import add_months
from plugins.tenure_pricing.domain.contracts import ContractStatus, end_from_term
from plugins.tenure_pricing.models import TenureContract, TenureSchedule, TenureScheduleTier
from plugins.tenure_pricing.queries import AUDIT_ENTITY
from plugins.tenure_pricing.services.tenure_schedules import snapshot

DEMO_DOMAIN = "demo.b2b-loyalty.example"
ANNUAL_VALUE_BY_SIZE = {
    "1-49": Decimal(14000),
    "50-249": Decimal(42000),
    "250-999": Decimal(96000),
    "1000-4999": Decimal(240000),
    "5000+": Decimal(620000),
}


@dataclass(frozen=True)
class _History:
    """Consecutive contracts: the first starts ``start`` months from the anchor month.

    ``terms``: months of each contract; ``gaps``: days between contract i and
    i+1 (0 = the next starts the day after); ``last_status``: status of the last
    contract when it has not ended yet; ``draft_renewal``: add a draft for the
    term after the last one.
    """

    account: str
    prefix: str
    start: int
    terms: tuple[int, ...]
    gaps: tuple[int, ...] = ()
    auto_renew: bool = False
    last_status: ContractStatus = ContractStatus.ACTIVE
    draft_renewal: bool = False
    fee: Decimal | None = None
    fee_percent: Decimal | None = None
    calendar_years: bool = False
    document: str = ""


HISTORIES: tuple[_History, ...] = (
    # Framework agreement renewed every January: four calendar-year contracts.
    _History("Hartmann Präzisionstechnik GmbH", "HPT", -3, (12, 12, 12, 12), calendar_years=True),
    # Three years with a 12-day gap within the grace, renews automatically, card pays off.
    _History(
        "Nordwind Logistik AG",
        "NWL",
        -34,
        (12, 12, 12),
        gaps=(12, 0),
        auto_renew=True,
        fee=Decimal(4800),
        fee_percent=Decimal(4),
    ),
    # A 45-day gap beyond the grace: tenure restarted with the second contract.
    _History("St. Aurelia Klinikverbund gGmbH", "SAK", -40, (12, 36), gaps=(45,)),
    # Over five years: the top tenure tier.
    _History("ООО «Северсталь-Логистика»", "SSL", -70, (24, 24, 36)),
    # Ends within two months; renewal preview with the list-price cap.
    _History("Medicor Hospital Group N.V.", "MHG", -34, (36,), document="DMS-2023-0412"),
    # Declining and at risk: ends within the month, nothing drafted.
    _History("Vattenfors Kraftvärme AB", "VKV", -23, (12, 12)),
    # Q2 renewal already drafted.
    _History("Pomorskie Zakłady Spożywcze S.A.", "PZS", -22, (12, 12), draft_renewal=True),
    _History(
        "Alpenmarkt Handels GmbH", "AMH", -47, (24, 24), draft_renewal=True, document="AM-RV-07"
    ),
    # A membership fee that the client's orders do not repay.
    _History("Brightway Stores plc", "BWS", -14, (24,), fee=Decimal(60000), fee_percent=Decimal(5)),
    # Lost client: the contract ended five months ago.
    _History("Polar Cold Chain Oy", "PCC", -29, (12, 12)),
    # Signed, starting next month.
    _History("Moravia Automotive Components a.s.", "MAC", 1, (24,)),
    _History("Tecnomarine Cantieri S.p.A.", "TMC", -26, (12, 12, 12), auto_renew=True),
    _History("Van der Berg Distributie B.V.", "VDB", -9, (12,)),
    _History("ПАО «Волгаэнергосеть»", "VES", -50, (36, 24)),
)

DEMO_TIERS = ((0, "0"), (12, "2"), (36, "4"), (60, "6"))


def _contracts_for(history: _History, account: Account, as_of: date) -> list[TenureContract]:
    anchor = (
        date(as_of.year + history.start, 1, 1)
        if history.calendar_years
        else add_months(as_of.replace(day=1), history.start)
    )
    value = ANNUAL_VALUE_BY_SIZE.get(account.size_band or "", Decimal(50000))
    contracts = []
    start = anchor
    count = len(history.terms)
    for i, term in enumerate(history.terms):
        end = end_from_term(start, term)
        last = i == count - 1
        status = ContractStatus.EXPIRED if end < as_of else history.last_status
        annual = (value * (Decimal(1) + Decimal(3 * i) / 100)).quantize(Decimal(1))
        contracts.append(
            TenureContract(
                account_id=account.id,
                number=f"{history.prefix}-{start.year}-{i + 1:02d}",
                start_date=start,
                end_date=end,
                term_months=term,
                auto_renew=history.auto_renew and last,
                status=status.value,
                annual_value=annual,
                list_annual_value=(annual * Decimal("1.06")).quantize(Decimal(1)),
                membership_fee=history.fee if last else None,
                membership_discount_percent=history.fee_percent if last else None,
                document_ref=history.document or f"DOC/{history.prefix}/{start.year}",
            )
        )
        gap = history.gaps[i] if i < len(history.gaps) else 0
        start = end + timedelta(days=gap + 1)
    if history.draft_renewal:
        last = contracts[-1]
        contracts.append(
            TenureContract(
                account_id=account.id,
                number=f"{history.prefix}-{start.year}-{count + 1:02d}",
                start_date=start,
                end_date=end_from_term(start, last.term_months),
                term_months=last.term_months,
                auto_renew=False,
                status=ContractStatus.DRAFT.value,
                annual_value=(last.annual_value * Decimal("1.03")).quantize(Decimal(1)),
                list_annual_value=last.list_annual_value,
                notes="Renewal offer sent, awaiting signature.",
            )
        )
    return contracts


def _schedule(as_of: date) -> None:
    users = {
        u.role: u
        for u in db.session.scalars(
            select(User)
            .where(User.email.like(f"%@{DEMO_DOMAIN}"), User.role.in_(["finance", "admin"]))
            .order_by(User.id)
        )
    }
    drafter, approver = users.get(Role.FINANCE.value), users.get(Role.ADMIN.value)
    if drafter is None or approver is None:
        return
    now = datetime.now(UTC)
    version = TenureSchedule(
        version=1,
        stacking="additive",
        max_total_percent=Decimal(10),
        grace_days=30,
        renewal_uplift_percent=Decimal(3),
        status=ScheduleStatus.DRAFT.value,
        effective_from=date(as_of.year - 6, 1, 1),
        change_note="Tenure rewards for framework clients, funded by their regular payments.",
        created_by_id=drafter.id,
        tiers=[
            TenureScheduleTier(position=i, from_months=m, percent=Decimal(p))
            for i, (m, p) in enumerate(DEMO_TIERS)
        ],
    )
    db.session.add(version)
    db.session.flush()
    audit.record(drafter, AUDIT_ENTITY, version.id, "created", after=snapshot(version))
    version.status, version.submitted_at = ScheduleStatus.PENDING_APPROVAL.value, now
    audit.record(drafter, AUDIT_ENTITY, version.id, "submitted")
    version.status = ScheduleStatus.APPROVED.value
    version.decided_by_id, version.decided_at = approver.id, now
    version.decision_comment = "Margin impact checked: capped at 10 % in total."
    audit.record(
        approver,
        AUDIT_ENTITY,
        version.id,
        "approved",
        after=snapshot(version),
        comment=version.decision_comment,
    )


def build_demo_contracts(as_of: date) -> None:
    """Add the demo's tenure schedule and contracts (the caller commits)."""
    _schedule(as_of)
    accounts = {
        a.name: a
        for a in db.session.scalars(
            select(Account).where(Account.name.in_([h.account for h in HISTORIES]))
        )
    }
    for history in HISTORIES:
        account = accounts.get(history.account)
        if account is not None:
            db.session.add_all(_contracts_for(history, account, as_of))
