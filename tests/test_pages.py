"""The server-rendered pages: forms, confirmation before delete, empty states, sorting."""

from __future__ import annotations

from sqlalchemy import func, select

from b2b_loyalty.extensions import db
from b2b_loyalty.models import Account, Stakeholder, User


def test_empty_portfolio_shows_an_invitation(client, login, make_user):
    login(make_user("account_manager"))
    page = client.get("/accounts/").get_data(as_text=True)
    assert "No accounts yet." in page and "Create the first one" in page


def test_manager_creates_account_and_people_through_forms(client, login, make_user):
    manager = make_user("account_manager")
    login(manager)
    response = client.post(
        "/accounts/new", data={"name": "Baltic Freight", "region": "West", "size_band": "50-249"}
    )
    assert response.status_code == 302
    account = db.session.scalar(select(Account).where(Account.name == "Baltic Freight"))
    assert account.owner_id == manager.id
    for name, circle in (("Decider", "1"), ("Accountant", "2"), ("IT lead", "3")):
        response = client.post(
            f"/accounts/{account.id}/stakeholders/new",
            data={
                "name": name,
                "circle": circle,
                "stance": "neutral",
                "influence": "3",
                "active": "y",
            },
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:300]
    page = client.get(f"/accounts/{account.id}").get_data(as_text=True)
    for text in ("Decider", "Accountant", "IT lead", "First circle", "Third circle"):
        assert text in page


def test_missing_third_circle_is_made_visible(client, login, make_user, make_account):
    manager = make_user("account_manager")
    account = make_account(manager)
    login(manager)
    page = client.get(f"/accounts/{account.id}").get_data(as_text=True)
    assert "Nobody known in this circle: who in security, IT" in page


def test_delete_asks_for_confirmation_first(client, login, make_user, make_account):
    manager = make_user("account_manager")
    account = make_account(manager, "To Be Deleted")
    login(manager)
    confirm = client.get(f"/accounts/{account.id}/delete")
    assert confirm.status_code == 200
    assert "Delete the account To Be Deleted?" in confirm.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Account)) == 1
    assert client.post(f"/accounts/{account.id}/delete").status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Account)) == 0


def test_stakeholder_delete_needs_confirmation(client, login, make_user, make_account):
    from b2b_loyalty.services.stakeholders import create_stakeholder

    manager = make_user("account_manager")
    account = make_account(manager)
    person = create_stakeholder(
        manager,
        account,
        {"name": "Leaving", "circle": 2, "stance": "neutral", "influence": 2, "active": True},
    )
    login(manager)
    path = f"/accounts/{account.id}/stakeholders/{person.id}/delete"
    assert "Delete Leaving?" in client.get(path).get_data(as_text=True)
    assert client.post(path).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Stakeholder)) == 0


def test_list_sorts_filters_and_pages(client, login, make_user, make_account):
    manager = make_user("account_manager")
    for i, (name, region) in enumerate(
        [("Alpha", "North"), ("Bravo", "South"), ("Charlie", "North")]
    ):
        make_account(manager, name, region=region, industry="Steel" if i else "Glass")
    login(manager)
    desc = client.get("/accounts/?sort=name&dir=desc").get_data(as_text=True)
    assert desc.index("Charlie") < desc.index("Bravo") < desc.index("Alpha")
    north = client.get("/accounts/?region=North").get_data(as_text=True)
    assert "Alpha" in north and "Charlie" in north and ">Bravo<" not in north
    paged = client.get("/accounts/?per_page=2&page=2").get_data(as_text=True)
    assert "Charlie" in paged and ">Alpha<" not in paged and "3–3 of 3" in paged
    assert client.get("/accounts/?sort=evil;drop&page=x").status_code == 200


def test_admin_manages_users_and_others_cannot(client, login, make_user):
    admin = make_user("admin")
    login(admin)
    response = client.post(
        "/users/new",
        data={
            "email": "New.Person@Example.com",
            "name": "New Person",
            "role": "finance",
            "active": "y",
            "password": "long-enough-1",
        },
    )
    assert response.status_code == 302
    created = db.session.scalar(select(User).where(User.email == "new.person@example.com"))
    assert created.role == "finance"
    short = client.post(
        "/users/new",
        data={"email": "x@example.com", "name": "X", "role": "finance", "password": "short"},
    )
    assert short.status_code == 422
    demote_self = client.post(
        f"/users/{admin.id}/edit",
        data={"email": admin.email, "name": "A", "role": "finance", "active": "y"},
    )
    assert demote_self.status_code == 422
    login(make_user("sales_lead"))
    assert client.get("/users/").status_code == 403
    assert client.post("/users/new", data={"email": "y@example.com"}).status_code == 403


def test_unknown_page_is_a_friendly_404(client, login, make_user):
    login(make_user())
    response = client.get("/accounts/999999")
    assert response.status_code == 404
    assert "Not found" in response.get_data(as_text=True)
