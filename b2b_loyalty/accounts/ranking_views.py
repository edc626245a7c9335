"""Add, edit and delete where the client ranks us among its suppliers."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from b2b_loyalty.accounts.child_views import ChildKind, delete_child, edit_child
from b2b_loyalty.accounts.forms import SupplierRankingForm
from b2b_loyalty.services import supplier_rankings as service

KIND = ChildKind(
    noun=_l("supplier ranking"),
    form_class=SupplierRankingForm,
    get=service.get_supplier_ranking,
    create=service.create_supplier_ranking,
    update=service.update_supplier_ranking,
    delete=service.delete_supplier_ranking,
    describe=lambda r: f"{r.year}: {r.rank} / {r.supplier_count}",
    anchor="wallet",
)


def edit(account_id: int, item_id: int | None = None):  # noqa: ANN201
    return edit_child(KIND, account_id, item_id)


def delete(account_id: int, item_id: int):  # noqa: ANN201
    return delete_child(KIND, account_id, item_id)
