"""Every way into a session applies the same rules: throttling, a confirmed address, and an
admin for staff only. Wagtail's admin login (/admin/login/) and its front-end login for private
pages (/_util/login/) are tried the way an attacker would, beside allauth's /konto/login/."""

import io

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.utils import translation
from django.utils.html import escape

from accounts.adapter import AccountAdapter
from tests.accounts.test_accounts import PASSWORD, _learner, _signed_in

pytestmark = pytest.mark.django_db

User = get_user_model()
WRONG = "Feil-passord-helt-sikkert-1"


def _post_login(client, path, login, password):
    if path == "/konto/login/":
        return client.post(path, {"login": login, "password": password})
    return client.post(path, {"username": login, "password": password})


def _editor(username="redaktor", email="redaktor@example.no"):
    return User.objects.create_superuser(username=username, email=email, password=PASSWORD)


@pytest.mark.parametrize("path", ["/konto/login/", "/admin/login/", "/_util/login/"])
def test_six_wrong_passwords_then_the_right_one_is_refused_on_every_login_page(client, path):
    if path == "/admin/login/":
        _editor()
        login = "redaktor"
    else:
        _learner()
        login = "ola@example.no"
    for _ in range(6):
        _post_login(client, path, login, WRONG)
        assert not _signed_in(client)
    response = _post_login(client, path, login, PASSWORD)
    assert not _signed_in(client), f"{path} signed in after six wrong passwords"
    assert response.status_code in (200, 400, 429)


def test_failed_attempts_on_one_login_page_count_on_the_others(client):
    _learner()
    for _ in range(3):
        _post_login(client, "/_util/login/", "ola@example.no", WRONG)
    for _ in range(3):
        _post_login(client, "/admin/login/", "ola@example.no", WRONG)
    _post_login(client, "/konto/login/", "ola@example.no", PASSWORD)
    assert not _signed_in(client)


def test_the_admin_login_says_why_it_refuses_a_throttled_account(client):
    _editor()
    for _ in range(6):
        _post_login(client, "/admin/login/", "redaktor", WRONG)
    response = _post_login(client, "/admin/login/", "redaktor", PASSWORD)
    with translation.override("nb"):
        message = str(AccountAdapter.error_messages["too_many_login_attempts"])
    assert escape(message) in response.content.decode()


@pytest.mark.parametrize("path", ["/admin/login/", "/_util/login/"])
def test_an_unconfirmed_learner_cannot_sign_in_through_wagtails_login_pages(client, path):
    user = User.objects.create_user(username="kari", email="kari@example.no", password=PASSWORD)
    EmailAddress.objects.create(user=user, email="kari@example.no", verified=False, primary=True)
    for login in ("kari@example.no", "kari"):
        _post_login(client, path, login, PASSWORD)
        assert not _signed_in(client), f"{path} signed in an unconfirmed account as {login!r}"


def test_a_confirmed_learner_cannot_enter_the_admin(client):
    _learner()
    for login in ("ola@example.no", "ola"):
        _post_login(client, "/admin/login/", login, PASSWORD)
        assert not _signed_in(client)
        assert client.get("/admin/").status_code == 302


def test_a_confirmed_learner_signs_in_on_the_front_end_login_for_private_pages(client):
    _learner()
    response = _post_login(client, "/_util/login/", "ola@example.no", PASSWORD)
    assert response.status_code == 302
    assert _signed_in(client)


def test_private_pages_send_visitors_to_the_sites_own_sign_in(settings):
    from django.shortcuts import resolve_url

    assert resolve_url(settings.WAGTAIL_FRONTEND_LOGIN_URL) == "/konto/login/"


def test_ensure_admins_admin_and_editors_sign_in_to_the_admin(client, monkeypatch):
    monkeypatch.setenv("ADMIN_PASSWORD", PASSWORD)
    call_command("ensure_admin", stdout=io.StringIO())
    response = _post_login(client, "/admin/login/", "admin", PASSWORD)
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    client.logout()
    editor = User.objects.create_user(username="ida", email="", password=PASSWORD)
    editor.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    _post_login(client, "/admin/login/", "ida", PASSWORD)
    assert client.get("/admin/").status_code == 200
