"""Add, edit and delete wallet estimates."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from b2b_loyalty.accounts.child_views import ChildKind, delete_child, edit_child
from b2b_loyalty.accounts.forms import WalletEstimateForm
from b2b_loyalty.queries.accounts import all_categories
from b2b_loyalty.services import wallet_estimates as service


def _prepare(form: WalletEstimateForm, account, item) -> None:  # noqa: ANN001
    form.set_category_choices(all_categories())
    del form.category


KIND = ChildKind(
    noun=_l("wallet estimate"),
    form_class=WalletEstimateForm,
    get=service.get_wallet_estimate,
    create=service.create_wallet_estimate,
    update=service.update_wallet_estimate,
    delete=service.delete_wallet_estimate,
    describe=lambda w: f"{w.year} {w.category.name if w.category else ''}".strip(),
    prepare_form=_prepare,
    anchor="wallet",
)


def edit(account_id: int, item_id: int | None = None):  # noqa: ANN201
    return edit_child(KIND, account_id, item_id)


def delete(account_id: int, item_id: int):  # noqa: ANN201
    return delete_child(KIND, account_id, item_id)
