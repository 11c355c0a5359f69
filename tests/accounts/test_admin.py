"""The admin: accounts and pseuds."""

import pytest
from django.contrib.auth import get_user_model

from ficshelf.accounts.models import Pseud

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def staff_client(client):
    User.objects.create_superuser(username="admin", email="admin@example.org", password="x")
    client.login(username="admin", password="x")
    return client


def test_the_admin_lists_accounts_and_pseuds(staff_client, author):
    assert "author" in staff_client.get("/admin/accounts/user/").content.decode()
    assert "author" in staff_client.get("/admin/accounts/pseud/").content.decode()
    assert staff_client.get(f"/admin/accounts/user/{author.pk}/change/").status_code == 200


def test_an_account_added_in_the_admin_gets_a_default_pseud(staff_client):
    response = staff_client.post(
        "/admin/accounts/user/add/",
        {
            "username": "newcomer",
            "email": "newcomer@example.org",
            "usable_password": "true",
            "password1": "correct-horse-battery-staple",
            "password2": "correct-horse-battery-staple",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(username="newcomer")
    assert user.default_pseud.name == "newcomer"
    assert Pseud.objects.filter(user=user).count() == 1
