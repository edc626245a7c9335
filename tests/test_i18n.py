"""Numbers, money and dates follow the reader's locale; Cyrillic names survive the round trip."""

from __future__ import annotations

from datetime import date
from decimal import Decimal


def _account_with_order(make_user, make_account, category):
    from b2b_loyalty.services.orders import create_order

    owner = make_user("account_manager")
    account = make_account(owner, "ООО «Северсталь-Логистика»", region="Северо-Запад")
    create_order(
        owner,
        account,
        {
            "date": date.today(),
            "category_id": category.id,
            "quantity": Decimal(1),
            "unit_price": Decimal("1234.5"),
        },
    )
    return owner, account


def test_money_is_formatted_for_an_english_reader(client, login, make_user, make_account, category):
    owner, account = _account_with_order(make_user, make_account, category)
    login(owner)
    page = client.get("/accounts/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "€1,234.50" in page
    assert "ООО «Северсталь-Логистика»" in page
    assert "Северо-Запад" in page


def test_money_is_formatted_for_a_russian_reader(client, login, make_user, make_account, category):
    owner, account = _account_with_order(make_user, make_account, category)
    login(owner)
    page = client.get("/accounts/", headers={"Accept-Language": "ru-RU,ru;q=0.9"}).get_data(
        as_text=True
    )
    assert "1\xa0234,50\xa0€" in page


def test_user_locale_setting_wins_over_the_browser(
    client, login, make_user, make_account, category
):
    from b2b_loyalty.extensions import db

    owner, account = _account_with_order(make_user, make_account, category)
    owner.locale = "ru"
    db.session.commit()
    login(owner)
    page = client.get(f"/accounts/{account.id}", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )
    assert "1\xa0234,50\xa0€" in page
