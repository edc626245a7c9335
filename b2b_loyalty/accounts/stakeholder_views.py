"""Add, edit and delete the people at a client."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from b2b_loyalty.accounts.child_views import ChildKind, delete_child, edit_child
from b2b_loyalty.accounts.forms import StakeholderForm
from b2b_loyalty.api.serializers import stakeholder_json
from b2b_loyalty.services import stakeholders as service


def _prepare(form: StakeholderForm, account, item) -> None:  # noqa: ANN001
    form.set_colleague_choices(account.stakeholders, exclude_id=item.id if item else None)


KIND = ChildKind(
    noun=_l("person"),
    form_class=StakeholderForm,
    get=service.get_stakeholder,
    create=service.create_stakeholder,
    update=service.update_stakeholder,
    delete=service.delete_stakeholder,
    describe=lambda s: s.name,
    prepare_form=_prepare,
    anchor="people",
    snapshot=stakeholder_json,
)


def edit(account_id: int, item_id: int | None = None):  # noqa: ANN201
    return edit_child(KIND, account_id, item_id)


def delete(account_id: int, item_id: int):  # noqa: ANN201
    return delete_child(KIND, account_id, item_id)
