"""The ``import_entities`` hook: a plugin's entity is imported like the core's own."""

from __future__ import annotations

import types

import pytest
from flask_wtf import FlaskForm
from wtforms import DateField, StringField
from wtforms.validators import InputRequired

from b2b_loyalty.imports.account_lookup import ACCOUNT_FIELDS, ACCOUNT_KEYS, AccountLookup
from b2b_loyalty.imports.entity_support import form_problems, rejected
from b2b_loyalty.imports.form_rows import FormRowValidator
from b2b_loyalty.imports.registry import EXTENSION_KEY, ImportEntityConflict, import_entities
from b2b_loyalty.plugin_api import (
    ImportEntity,
    ImportField,
    ImportRowOutcome,
    hookimpl,
)
from b2b_loyalty.plugin_host import plugin_host
from tests.test_imports_support import (
    csv_bytes,
    run_import,
)

pytest_plugins = ["tests.test_imports_support"]

SEEN: list = []


class ContractForm(FlaskForm):
    number = StringField("Number", validators=[InputRequired("Give the contract number.")])
    start_date = DateField("Start", validators=[InputRequired("Give the start date.")])


def apply_contract_rows(rows, context):  # noqa: ANN001, ANN201
    validator = FormRowValidator(ContractForm)
    fields = {f.key: f for f in CONTRACTS.fields}
    accounts = AccountLookup()
    for row in rows:
        account_id, problem = accounts.find(row.values)
        data, errors = validator.validate(
            {k: row.values.get(k, "") for k in ("number", "start_date")}
        )
        problems = form_problems(errors, fields) + ([problem] if problem else [])
        if problems:
            yield rejected(row, problems)
            continue
        if not context.dry_run:
            SEEN.append((account_id, data["number"], data["start_date"]))
        yield ImportRowOutcome(row.row_number, "create", account_id=account_id)


CONTRACTS = ImportEntity(
    name="contracts",
    title="Contracts",
    fields=(
        *ACCOUNT_FIELDS,
        ImportField("number", "Contract number", required=True, synonyms=("№ договора",)),
        ImportField("start_date", "Start date", required=True, format_hint="YYYY-MM-DD"),
    ),
    apply_rows=apply_contract_rows,
    weight=60,
    natural_key="Account and contract number.",
    mapped_one_of=(ACCOUNT_KEYS,),
)


def _plugin(*entities: ImportEntity):  # noqa: ANN202
    module = types.SimpleNamespace()
    module.import_entities = hookimpl(lambda: list(entities))
    return module


@pytest.fixture
def app(make_app):
    """The core alone: the bundled plugins declare real entities (contracts,
    interactions) that would clash with this file's fake ones."""
    app = make_app(B2B_LOYALTY_PLUGINS="none")
    with app.app_context():
        yield app


@pytest.fixture
def with_contracts(imports_app):
    manager_ = plugin_host(imports_app).manager
    manager_.register(_plugin(CONTRACTS), name="fake_contracts")
    manager_.check_pending()  # the hook name matches its specification
    imports_app.extensions.pop(EXTENSION_KEY, None)
    SEEN.clear()
    return imports_app


def test_core_entities_come_through_the_hook_in_weight_order(imports_app):
    assert list(import_entities()) == ["accounts", "stakeholders", "orders", "wallet-estimates"]


def test_a_plugin_entity_is_listed_checked_and_committed(with_contracts, maria, make_account):
    make_account(maria, "Acme Industrial")
    assert list(import_entities())[-1] == "contracts"
    data = csv_bytes(
        [
            ["Клиент", "№ договора", "Start date"],
            ["Acme Industrial", "C-1", "2024-01-01"],
            ["Nobody Ltd", "C-2", "2024-01-01"],
            ["Acme Industrial", "", "soon"],
        ]
    )
    _, report = run_import(maria, "contracts", "c.csv", data, commit=True, skip=True)
    assert (report.created, report.rejected) == (1, 2)
    assert [(r.row, r.column, r.message) for r in report.rejections] == [
        (3, "Клиент", "Unknown account or not yours: Nobody Ltd."),
        (4, "№ договора", "Give the contract number."),
        (4, "Start date", "Not a valid date value. Expected YYYY-MM-DD."),
    ]
    assert [number for _, number, _ in SEEN] == ["C-1"]  # written once: not in the dry run


def test_two_plugins_declaring_one_name_stop_with_both_names(imports_app):
    plugin_host(imports_app).manager.register(_plugin(CONTRACTS, CONTRACTS), name="twice")
    imports_app.extensions.pop(EXTENSION_KEY, None)
    with pytest.raises(
        ImportEntityConflict, match="'contracts' is declared by both twice and twice"
    ):
        import_entities()


def test_an_entity_that_loses_rows_is_caught(imports_app, maria):
    lossy = ImportEntity(
        name="lossy",
        title="Lossy",
        fields=(ImportField("name", "Name"),),
        apply_rows=lambda rows, context: [],
    )
    plugin_host(imports_app).manager.register(_plugin(lossy), name="lossy_plugin")
    imports_app.extensions.pop(EXTENSION_KEY, None)
    with pytest.raises(RuntimeError, match="0 outcomes for 1 rows"):
        run_import(maria, "lossy", "l.csv", csv_bytes([["Name"], ["x"]]))
