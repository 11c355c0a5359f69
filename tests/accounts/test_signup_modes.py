"""FICSHELF_SIGNUP_MODE: open, by invitation, by an admin's approval, or closed; each mode
end to end through the pages and the emails, and none says which addresses have accounts."""

import os
import re
import subprocess
import sys
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from ficshelf.accounts import signups
from ficshelf.accounts.models import (
    AccountRequest,
    Invitation,
    InvitationAllowance,
    InviteRequest,
    User,
)
from tests.factories import PASSWORD, make_account, make_user

pytestmark = pytest.mark.django_db

CODE = re.compile(r"<code>([A-Za-z0-9_-]{20,})</code>")


def members():
    """Accounts made by signing up (the admins are staff)."""
    return User.objects.filter(is_staff=False)


def sign_up(client, **overrides):
    data = {
        "username": "nightshift",
        "email": "nightshift@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return client.post("/signup", data)


def link_in(email, path: str) -> str:
    return next(line for line in email.body.splitlines() if path in line)


def activate_from(client, email) -> str:
    """Follow an activation email's link and press its button; the logged-in user name."""
    link = link_in(email, "/users/activate/")
    assert client.get(link).status_code == 200
    response = client.post(link, follow=True)
    return response.context["user"].username


@pytest.fixture
def mode(settings):
    def set_mode(value: str) -> None:
        settings.SIGNUP_MODE = value

    return set_mode


@pytest.fixture
def admin(db):
    return make_account("signup_admin", is_staff=True)


@pytest.fixture
def admin_client(admin):
    client = Client()
    client.force_login(admin)
    return client


def new_code(admin, **kwargs) -> str:
    return signups.create_invitations(admin=admin, count=1, **kwargs)[0].code


# --- Open (the default) -----------------------------------------------------------------------


def test_sign_up_is_open_by_default_and_asks_for_no_invitation(client, mailoutbox):
    assert signups.mode() == "open"
    page = client.get("/signup").content.decode()
    assert "Invitation code" not in page
    assert sign_up(client)["Location"] == "/signup/done"
    assert activate_from(client, mailoutbox[0]) == "nightshift"


def test_an_unknown_mode_stops_the_archive_from_starting():
    env = {**os.environ, "FICSHELF_SIGNUP_MODE": "sometimes", "DJANGO_SETTINGS_MODULE": ""}
    env.pop("DJANGO_SETTINGS_MODULE")
    result = subprocess.run(
        [sys.executable, "-c", "import ficshelf.settings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "FICSHELF_SIGNUP_MODE is open, invite, approval or closed" in result.stderr


# --- By invitation ----------------------------------------------------------------------------


def test_an_admin_makes_invitations_and_one_signs_a_person_up(mode, admin_client, mailoutbox):
    mode("invite")
    page = admin_client.post(
        "/invitations/manage", {"count": 2, "expires_in_days": 7}
    ).content.decode()
    codes = CODE.findall(page)
    assert len(codes) == 2 and len(set(codes)) == 2
    assert Invitation.objects.count() == 2
    assert not Invitation.objects.filter(code_hash__in=codes).exists()  # kept hashed only
    # Shown once: the page made afresh names the invitations, not their codes.
    again = admin_client.get("/invitations/manage").content.decode()
    assert codes[0] not in again and codes[0][:4] in again

    guest = Client()
    page = guest.get("/signup").content.decode()
    assert "Invitation code" in page and 'href="/invite-requests"' in page
    response = sign_up(guest, invitation_code=codes[0])
    assert response["Location"] == "/signup/done"
    assert activate_from(guest, mailoutbox[0]) == "nightshift"
    used = Invitation.objects.get(used_by__username="nightshift")
    assert used.hint == codes[0][:4] and used.used_at is not None
    assert "used by <a" in admin_client.get("/invitations/manage").content.decode()


def test_sign_up_without_an_invitation_is_refused_with_a_clear_error(mode, client):
    mode("invite")
    response = sign_up(client)
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not members().exists()


@pytest.mark.parametrize(
    "spoil",
    [
        lambda code: "not-a-code",
        lambda code: code[:-1] + ("A" if code[-1] != "A" else "B"),  # one character changed
        lambda code: code[:10],
        lambda code: code + "x",
        lambda code: "x" * 500,
        lambda code: "' OR 1=1 --",
    ],
)
def test_a_wrong_or_tampered_code_is_a_form_error(mode, client, admin, spoil):
    mode("invite")
    response = sign_up(client, invitation_code=spoil(new_code(admin)))
    assert response.status_code == 200
    assert signups.INVALID_CODE in response.content.decode() or "at most 64" in (
        response.content.decode()
    )
    assert not members().exists()
    assert not Invitation.objects.filter(used_at__isnull=False).exists()


def test_an_expired_invitation_is_a_form_error(mode, client, admin):
    mode("invite")
    code = new_code(admin, expires_at=timezone.now() - timedelta(minutes=1))
    response = sign_up(client, invitation_code=code)
    assert response.status_code == 200
    assert "This invitation has expired." in response.content.decode()
    assert not members().exists()


def test_a_used_invitation_is_a_form_error(mode, client, admin):
    mode("invite")
    code = new_code(admin)
    sign_up(client, invitation_code=code)
    response = sign_up(
        Client(), invitation_code=code, username="second", email="second@example.org"
    )
    assert response.status_code == 200
    assert "This invitation has already been used." in response.content.decode()
    assert list(members().values_list("username", flat=True)) == ["nightshift"]


def test_a_double_submitted_sign_up_makes_one_account(mode, client, admin, mailoutbox):
    mode("invite")
    code = new_code(admin)
    first = sign_up(client, invitation_code=code)
    second = sign_up(client, invitation_code=code)
    assert first.status_code == 302
    assert second.status_code == 200
    assert "This invitation has already been used." in second.content.decode()
    assert members().count() == 1
    assert len(mailoutbox) == 1


def test_the_service_refuses_a_code_used_meanwhile(mode, admin):
    """Two sign-ups that both passed the form: only the first gets the invitation."""
    code = new_code(admin)
    signups.register(
        username="first", email="first@example.org", password=PASSWORD, invitation_code=code
    )
    with pytest.raises(signups.InvitationRefused):
        signups.register(
            username="second", email="second@example.org", password=PASSWORD, invitation_code=code
        )
    assert list(User.objects.exclude(pk=admin.pk).values_list("username", flat=True)) == ["first"]


def test_a_taken_user_name_leaves_the_invitation_unused(mode, client, admin):
    mode("invite")
    make_user("nightshift")
    code = new_code(admin)
    response = sign_up(client, invitation_code=code, email="other@example.org")
    assert "That user name is already taken." in response.content.decode()
    assert not Invitation.objects.get().is_used


def test_the_invitation_link_fills_in_the_code(mode, client, admin):
    mode("invite")
    code = new_code(admin)
    page = client.get(f"/signup?invitation={code}").content.decode()
    assert f'value="{code}"' in page


def test_a_person_asks_for_an_invitation_and_signs_up_with_the_one_sent(
    mode, admin_client, mailoutbox
):
    mode("invite")
    guest = Client()
    assert guest.get("/invite-requests").status_code == 200
    response = guest.post("/invite-requests", {"email": "hopeful@example.org"})
    assert response["Location"] == "/invite-requests/done"
    guest.post("/invite-requests", {"email": "HOPEFUL@example.org"})  # once in the queue
    assert InviteRequest.objects.count() == 1

    queue = admin_client.get("/invite-requests/manage").content.decode()
    assert "hopeful@example.org" in queue
    admin_client.post("/invite-requests/manage", {"count": 10})
    (email,) = mailoutbox
    assert email.to == ["hopeful@example.org"]
    assert "invitation" in email.subject.lower()
    link = link_in(email, "/signup?invitation=")
    code = link.split("invitation=", 1)[1]
    assert code in email.body
    page = guest.get(link).content.decode()
    assert f'value="{code}"' in page
    sign_up(guest, invitation_code=code, username="hopeful", email="hopeful@example.org")
    assert activate_from(guest, mailoutbox[-1]) == "hopeful"
    assert "signed up as" in admin_client.get("/invite-requests/manage").content.decode()


def test_one_queued_address_can_be_invited_on_its_own(mode, admin_client, mailoutbox):
    mode("invite")
    Client().post("/invite-requests", {"email": "first@example.org"})
    Client().post("/invite-requests", {"email": "second@example.org"})
    second = InviteRequest.objects.get(email="second@example.org")
    admin_client.post("/invite-requests/manage", {"request_id": second.pk})
    assert [m.to for m in mailoutbox] == [["second@example.org"]]
    admin_client.post("/invite-requests/manage", {"request_id": second.pk})  # sent already
    assert len(mailoutbox) == 1


def form_page() -> str:
    """The invite-request form as a guest gets it, without its CSRF token."""
    page = Client().get("/invite-requests").content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)


def test_asking_for_an_invitation_does_not_say_an_address_has_an_account(mode, mailoutbox):
    mode("invite")
    make_user("someone")
    taken = Client().post("/invite-requests", {"email": "someone@example.org"})
    new = Client().post("/invite-requests", {"email": "new@example.org"})
    assert (taken.status_code, taken["Location"]) == (new.status_code, new["Location"])
    assert list(InviteRequest.objects.values_list("email", flat=True)) == ["new@example.org"]
    # Nor does the form afterwards (no count of the queue to compare).
    before = form_page()
    Client().post("/invite-requests", {"email": "someone@example.org"})
    assert form_page() == before
    Client().post("/invite-requests", {"email": "third@example.org"})
    assert form_page() == before


def test_the_invite_request_page_exists_only_in_invite_mode(mode, client):
    assert client.get("/invite-requests").status_code == 404
    mode("approval")
    assert client.get("/invite-requests").status_code == 404


def test_an_account_with_an_allowance_makes_its_own_invitations(mode, client, mailoutbox):
    mode("invite")
    inviter = make_account("inviter")
    InvitationAllowance.objects.create(user=inviter, remaining=1)
    client.force_login(inviter)
    page = client.post("/invitations", {}).content.decode()
    (code,) = CODE.findall(page)
    refused = client.post("/invitations", {}).content.decode()
    assert "no invitations left" in refused
    assert Invitation.objects.filter(created_by=inviter).count() == 1
    guest = Client()
    sign_up(guest, invitation_code=code)
    assert activate_from(guest, mailoutbox[0]) == "nightshift"


def test_an_account_without_an_allowance_makes_none(mode, client):
    mode("invite")
    client.force_login(make_account("plain"))
    assert "You can make 0 more invitations" in client.get("/invitations").content.decode()
    client.post("/invitations", {})
    assert not Invitation.objects.exists()


# --- By approval ------------------------------------------------------------------------------


def test_an_approved_request_gets_the_activation_link(mode, client, admin_client, mailoutbox):
    mode("approval")
    assert "Ask for an account" in client.get("/signup").content.decode()
    response = sign_up(client)
    assert response["Location"] == "/signup/done"
    assert "approves the request" in client.get("/signup/done").content.decode()
    user = User.objects.get(username="nightshift")
    assert not user.is_active
    (received,) = mailoutbox
    assert "/users/activate/" not in received.body
    login = client.post("/users/login", {"username": "nightshift", "password": PASSWORD})
    assert not login.context["user"].is_authenticated
    # A link made for it before approval does not work either.
    early = signups.activation_path(user)
    assert client.post(early).status_code == 400

    queue = admin_client.get("/signup/requests").content.decode()
    assert "nightshift" in queue and "nightshift@example.org" in queue
    row = AccountRequest.objects.get(user=user)
    admin_client.post(f"/signup/requests/{row.pk}/approve")
    row.refresh_from_db()
    assert row.status == "approved" and row.decided_by.username == "signup_admin"
    assert (
        "<strong>nightshift</strong>" not in admin_client.get("/signup/requests").content.decode()
    )
    assert activate_from(client, mailoutbox[-1]) == "nightshift"
    assert User.objects.get(username="nightshift").is_active


def test_a_rejected_request_is_told_and_its_account_deleted(mode, client, admin_client, mailoutbox):
    mode("approval")
    sign_up(client)
    row = AccountRequest.objects.get()
    admin_client.post(f"/signup/requests/{row.pk}/reject")
    assert not User.objects.filter(username="nightshift").exists()
    assert not AccountRequest.objects.exists()
    rejected = mailoutbox[-1]
    assert rejected.to == ["nightshift@example.org"]
    assert "did not approve" in rejected.body
    assert "/users/activate/" not in rejected.body
    # The name and the address are free again.
    assert sign_up(client)["Location"] == "/signup/done"


def test_a_request_is_decided_once(mode, client, admin_client, mailoutbox):
    mode("approval")
    sign_up(client)
    row = AccountRequest.objects.get()
    admin_client.post(f"/signup/requests/{row.pk}/approve")
    assert admin_client.post(f"/signup/requests/{row.pk}/reject").status_code == 404
    assert User.objects.filter(username="nightshift").exists()


# --- Closed -----------------------------------------------------------------------------------


def test_closed_sign_up_makes_no_account_but_logging_in_works(mode, client, mailoutbox):
    make_user("member")
    mode("closed")
    page = client.get("/signup").content.decode()
    assert "Sign-ups are closed" in page
    response = sign_up(client)
    assert response.status_code == 200 and "Sign-ups are closed" in response.content.decode()
    assert not User.objects.filter(username="nightshift").exists()
    assert mailoutbox == []
    login = client.post("/users/login", {"username": "member", "password": PASSWORD})
    assert login.status_code == 302
    assert client.get("/").context["user"].username == "member"


# --- Admins only ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/invitations/manage", "/invite-requests/manage", "/signup/requests"]
)
def test_the_admin_pages_are_for_admins_only(mode, client, url):
    mode("invite")
    guest = client.get(url)
    assert guest.status_code == 302 and guest["Location"].startswith("/users/login")
    client.force_login(make_account("reader"))
    assert client.get(url).status_code == 403
    assert client.post(url, {"count": 5}).status_code == 403
    assert not Invitation.objects.exists()


def test_only_an_admin_approves_or_rejects(mode, client, mailoutbox):
    mode("approval")
    sign_up(Client())
    row = AccountRequest.objects.get()
    client.force_login(make_account("reader"))
    assert client.post(f"/signup/requests/{row.pk}/approve").status_code == 403
    assert client.post(f"/signup/requests/{row.pk}/reject").status_code == 403
    row.refresh_from_db()
    assert row.status == "pending" and len(mailoutbox) == 1


# --- No mode says which addresses have accounts -----------------------------------------------


@pytest.mark.parametrize("signup_mode", ["open", "invite", "approval"])
def test_a_taken_address_gets_the_same_answer_as_a_new_one_in_every_mode(
    mode, admin, signup_mode, mailoutbox
):
    mode(signup_mode)
    make_user("someone")
    extra = {}
    if signup_mode == "invite":
        extra = {"invitation_code": new_code(admin)}
    new_client, taken_client = Client(), Client()
    new = sign_up(new_client, username="newcomer", email="newcomer@example.org", **extra)
    if signup_mode == "invite":
        extra = {"invitation_code": new_code(admin)}
    taken = sign_up(taken_client, username="nightshift", email="SOMEONE@example.org", **extra)
    assert (new.status_code, new["Location"]) == (taken.status_code, taken["Location"])
    assert new["Location"] == "/signup/done"
    assert new_client.get(new["Location"]).content == taken_client.get(taken["Location"]).content
    assert not User.objects.filter(username="nightshift").exists()
    assert not AccountRequest.objects.filter(user__email__iexact="someone@example.org").exists()
    warning = next(m for m in mailoutbox if m.to == ["someone@example.org"])
    assert "Someone tried to sign up" in warning.subject
    assert len([m for m in mailoutbox if m.to == ["newcomer@example.org"]]) == 1


@pytest.mark.parametrize(
    "url",
    [
        "/invitations/manage",
        "/invitations",
        "/invite-requests/manage",
        "/signup/requests/{pk}/approve",
        "/signup/requests/{pk}/reject",
        "/invite-requests",
    ],
)
def test_every_sign_up_form_refuses_a_post_without_a_csrf_token(mode, admin, url):
    mode("approval")
    sign_up(Client())
    row = AccountRequest.objects.get()
    if url == "/invite-requests":
        mode("invite")
    InvitationAllowance.objects.create(user=admin, remaining=1)
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)
    before = (Invitation.objects.count(), InviteRequest.objects.count())
    response = client.post(url.format(pk=row.pk), {"count": 1, "email": "x@example.org"})
    assert response.status_code == 403
    row.refresh_from_db()
    assert row.status == "pending"
    assert (Invitation.objects.count(), InviteRequest.objects.count()) == before


def test_an_inviter_is_told_only_whether_an_invitation_was_used(mode, client, mailoutbox):
    """Whether it made an account would say whether the address had one."""
    mode("invite")
    make_user("someone")
    inviter = make_account("inviter")
    InvitationAllowance.objects.create(user=inviter, remaining=2)
    client.force_login(inviter)
    first = CODE.findall(client.post("/invitations", {}).content.decode())[0]
    second = CODE.findall(client.post("/invitations", {}).content.decode())[0]
    sign_up(Client(), invitation_code=first)
    sign_up(Client(), invitation_code=second, username="other", email="someone@example.org")
    page = client.get("/invitations").content.decode()
    assert page.count("· used</li>") == 2
    assert "nightshift" not in page and "no account made" not in page
