"""Add, edit and delete orders."""

from __future__ import annotations

from flask import render_template
from flask_babel import lazy_gettext as _l

from b2b_loyalty.accounts.child_views import ChildKind, delete_child, edit_child
from b2b_loyalty.accounts.forms import OrderForm
from b2b_loyalty.api.serializers import order_json
from b2b_loyalty.queries.accounts import all_categories
from b2b_loyalty.services import accounts as account_service
from b2b_loyalty.services import orders as service
from b2b_loyalty.web import or_404


def _prepare(form: OrderForm, account, item) -> None:  # noqa: ANN001
    form.set_category_choices(all_categories())
    del form.category  # the page offers a select box; the API also accepts a name


KIND = ChildKind(
    noun=_l("order"),
    form_class=OrderForm,
    get=service.get_order,
    create=service.create_order,
    update=service.update_order,
    delete=service.delete_order,
    describe=lambda o: f"{o.order_date.isoformat()} {o.category.name}",
    prepare_form=_prepare,
    anchor="orders",
    snapshot=order_json,
    form_values=lambda o: {"date": o.order_date},
)


def edit(account_id: int, item_id: int | None = None):  # noqa: ANN201
    return edit_child(KIND, account_id, item_id)


def pricing(account_id: int, item_id: int):  # noqa: ANN201
    """How an order was priced, from the record stored with it (not recomputed)."""
    account = or_404(account_service.get_account, account_id)
    order = or_404(service.get_order, account, item_id)
    return render_template("accounts/order_pricing.html", account=account, order=order)


def delete(account_id: int, item_id: int):  # noqa: ANN201
    return delete_child(KIND, account_id, item_id)
