"""Learner accounts: sign up, confirm by the real mail, sign in and out, reset the password,
change the email address, throttled guessing, Min side, and deleting the account."""

import re

import pytest
from allauth.account.models import EmailAddress
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.hashers import get_hasher, identify_hasher
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from accounts.models import LearnerProfile, Profession
from accounts.services import ensure_professions, learner_delete, learner_profile_update

pytestmark = pytest.mark.django_db

User = get_user_model()

PASSWORD = "Kanylering-og-urinstix-2026"
NEW_PASSWORD = "Peroral-behandling-virker-7"
LINK = re.compile(r"https?://testserver(/\S+)")


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def _text(response) -> str:
    return " ".join(_soup(response).get_text(" ").split())


def _link_in(message, part: str) -> str:
    """The path of the first link in a mail that contains ``part``."""
    links = [path for path in LINK.findall(message.body) if part in path]
    assert links, message.body
    return links[0]


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def _sign_up(client, email="kari@example.no", full_name="Kari Nordmann", password=PASSWORD):
    return client.post(
        "/konto/signup/",
        {"full_name": full_name, "email": email, "password1": password, "password2": password},
    )


def _learner(email="ola@example.no", password=PASSWORD, full_name="Ola Nordmann"):
    """A learner whose address is confirmed, made the way sign-up makes one."""
    user = User.objects.create_user(username=email.split("@")[0], email=email, password=password)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    learner_profile_update(user=user, full_name=full_name, profession=None, workplace="")
    return user


def _sign_in(client, email="ola@example.no", password=PASSWORD):
    return client.post("/konto/login/", {"login": email, "password": password})


# --- Sign up, confirm, sign in ------------------------------------------------------------------


def test_sign_up_confirm_by_mail_sign_in_and_see_the_profile_on_min_side(client):
    response = _sign_up(client, email="Kari@Example.no")
    assert response.status_code == 302
    assert response["Location"] == "/konto/confirm-email/"
    assert not _signed_in(client), "nobody is signed in before the address is confirmed"
    user = User.objects.get(email="kari@example.no")
    assert user.learner_profile.full_name == "Kari Nordmann"
    assert identify_hasher(user.password).algorithm == get_hasher().algorithm
    assert not EmailAddress.objects.get(user=user).verified

    # The real message, in Bokmål, with the programme's name and a link back to the site.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["kari@example.no"]
    assert "Bekreft e-postadressen din" in message.subject
    link = _link_in(message, "/konto/confirm-email/")

    # Another browser (the phone the mail was read on) follows the link and confirms.
    phone = Client()
    page = phone.get(link)
    assert page.status_code == 200
    assert "kari@example.no" in _text(page)
    confirmed = phone.post(link)
    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert not _signed_in(phone)

    signed_in = _sign_in(phone, email="kari@example.no")
    assert signed_in.status_code == 302
    assert signed_in["Location"] == "/min-side/", "sign-in leads to the learner's own page"
    min_side = phone.get("/min-side/")
    assert min_side.status_code == 200
    soup = _soup(min_side)
    assert soup.h1.get_text(strip=True) == "Min side"
    assert soup.find("input", attrs={"name": "full_name"})["value"] == "Kari Nordmann"
    assert "kari@example.no" in _text(min_side)


def test_confirming_in_the_browser_that_signed_up_signs_in(client):
    _sign_up(client)
    link = _link_in(mail.outbox[0], "/konto/confirm-email/")
    response = client.post(link)
    assert response.status_code == 302
    assert response["Location"] == "/min-side/"
    assert _signed_in(client)


def test_unconfirmed_learner_cannot_sign_in_and_is_sent_to_confirm(client):
    _sign_up(client)
    other = Client()
    response = _sign_in(other, email="kari@example.no")
    assert response.status_code == 302
    assert response["Location"] == "/konto/confirm-email/"
    assert not _signed_in(other)
    assert other.get("/min-side/").status_code == 302


def test_min_side_requires_sign_in(client):
    response = client.get("/min-side/")
    assert response.status_code == 302
    assert response["Location"] == "/konto/login/?next=/min-side/"
    english = client.get("/en/min-side/")
    assert english["Location"] == "/en/konto/login/?next=/en/min-side/"
    assert client.get("/min-side/slett/")["Location"].startswith("/konto/login/")


def test_signing_up_with_an_address_in_use_reveals_nothing_and_tells_its_owner(client):
    _learner(email="ola@example.no")
    response = _sign_up(client, email="ola@example.no", full_name="Someone Else")
    assert response.status_code == 302
    assert response["Location"] == "/konto/confirm-email/", "same answer as a new address"
    assert User.objects.filter(email="ola@example.no").count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ola@example.no"]
    assert "Du har allerede en konto" in mail.outbox[0].subject


# --- Signing in and out ---------------------------------------------------------------------


def test_header_offers_sign_in_then_min_side_and_sign_out_by_post(client):
    login_page = client.get("/konto/login/")
    header = _soup(login_page).find("header")
    assert header.find("a", string="Logg inn")["href"] == "/konto/login/"
    _learner()
    _sign_in(client)
    page = _soup(client.get("/min-side/"))
    nav = page.find("nav", class_="account-nav")
    assert nav.find("a", string="Min side")["href"] == "/min-side/"
    logout_form = nav.find("form")
    assert logout_form["method"] == "post" and logout_form["action"] == "/konto/logout/"
    # A link (GET) does not sign anyone out; the form (POST) does.
    assert client.get("/konto/logout/").status_code == 200
    assert _signed_in(client)
    response = client.post("/konto/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert not _signed_in(client)


def test_wrong_password_gets_a_clear_error_linked_to_the_field(client):
    _learner()
    response = _sign_in(client, password="feil-passord")
    assert response.status_code == 200
    assert not _signed_in(client)
    soup = _soup(response)
    summary = soup.find(class_="error-summary")
    assert "E-postadressen eller passordet er ikke riktig" in summary.get_text()
    assert summary.find("a")["href"] == "#id_login"
    assert soup.title.get_text().startswith("Feil:")


def test_repeated_failed_sign_ins_are_throttled_even_with_the_right_password(client):
    _learner()
    for _attempt in range(5):
        response = _sign_in(client, password="gjett-passordet")
        assert "ikke riktig" in _text(response)
    refused = _sign_in(client, password=PASSWORD)
    assert refused.status_code == 200
    assert not _signed_in(client)
    assert "For mange mislykkede forsøk" in _text(refused)
    # Other accounts from the same address are not locked out by one account's guessing.
    _learner(email="per@example.no")
    assert _sign_in(Client(), email="per@example.no").status_code == 302


def test_too_many_requests_get_a_styled_page(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"signup": "1/m/ip"}
    _sign_up(client)
    response = _sign_up(Client(), email="nils@example.no")
    assert response.status_code == 429
    assert _soup(response).h1.get_text(strip=True) == "For mange forsøk"
    assert not User.objects.filter(email="nils@example.no").exists()


# --- Password reset and change of email ------------------------------------------------------


def test_password_reset_by_mail(client):
    _learner()
    response = client.post("/konto/password/reset/", {"email": "ola@example.no"})
    assert response.status_code == 302
    assert response["Location"] == "/konto/password/reset/done/"
    message = mail.outbox[-1]
    assert message.to == ["ola@example.no"]
    assert "Tilbakestill passordet" in message.subject
    link = _link_in(message, "/konto/password/reset/key/")

    # allauth moves the key from the URL into the session before showing the form.
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    action = _soup(form_page).find("form", class_="form")["action"]
    mismatch = client.post(action, {"password1": NEW_PASSWORD, "password2": "noe-annet-1234"})
    assert mismatch.status_code == 200
    assert "password2" in mismatch.context["form"].errors
    done = client.post(action, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert done["Location"] == "/konto/password/reset/key/done/"

    assert _sign_in(Client(), password=PASSWORD).status_code == 200, "the old one no longer works"
    assert _sign_in(Client(), password=NEW_PASSWORD).status_code == 302
    # The link works once.
    assert "Lenken virker ikke" in _text(Client().get(link, follow=True))


def test_password_reset_for_an_unknown_address_reveals_nothing(client):
    response = client.post("/konto/password/reset/", {"email": "ukjent@example.no"})
    assert response.status_code == 302
    assert response["Location"] == "/konto/password/reset/done/"
    assert mail.outbox[-1].to == ["ukjent@example.no"]
    assert "/konto/signup/" in mail.outbox[-1].body


def test_changing_the_email_address_takes_effect_only_once_the_new_one_is_confirmed(client):
    user = _learner()
    _sign_in(client)
    page = client.get("/konto/email/")
    assert page.status_code == 200
    response = client.post("/konto/email/", {"email": "ola.ny@example.no", "action_add": ""})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == "ola@example.no", "nothing changes before the new address is confirmed"
    assert "ola.ny@example.no" in _text(client.get("/konto/email/"))
    message = mail.outbox[-1]
    assert message.to == ["ola.ny@example.no"]
    new_address = Client()
    _sign_in(new_address, email="ola.ny@example.no")
    assert not _signed_in(new_address), "an unconfirmed address does not sign anyone in"

    confirmed = client.post(_link_in(message, "/konto/confirm-email/"))
    assert confirmed.status_code == 302
    user.refresh_from_db()
    assert user.email == "ola.ny@example.no"
    addresses = list(EmailAddress.objects.filter(user=user).values_list("email", "verified"))
    assert addresses == [("ola.ny@example.no", True)]
    # The old address is told about the change.
    assert any(m.to == ["ola@example.no"] and "endret" in m.subject for m in mail.outbox)
    assert _sign_in(Client(), email="ola.ny@example.no").status_code == 302
    assert _sign_in(Client(), email="ola@example.no").status_code == 200


def test_bad_email_change_gets_a_clear_error(client):
    _learner()
    _sign_in(client)
    response = client.post("/konto/email/", {"email": "ikke-en-adresse", "action_add": ""})
    assert response.status_code == 200
    soup = _soup(response)
    field = soup.find("input", attrs={"name": "email"})
    assert field["aria-invalid"] == "true"
    assert soup.find(id=field["aria-describedby"].split()[-1]).get_text(strip=True)
    same = client.post("/konto/email/", {"email": "ola@example.no", "action_add": ""})
    assert same.status_code == 200
    assert same.context["form"].errors


# --- Bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"full_name": "", "email": "a@example.no"}, "full_name"),
        ({"full_name": "   ", "email": "a@example.no"}, "full_name"),
        ({"full_name": "x" * 201, "email": "a@example.no"}, "full_name"),
        ({"full_name": "Kari", "email": "ikke-en-adresse"}, "email"),
        ({"full_name": "Kari", "email": ""}, "email"),
        (
            {"full_name": "Kari", "email": "a@example.no", "password2": "annerledes-123"},
            "password2",
        ),
        (
            {"full_name": "Kari", "email": "a@example.no", "password1": "123", "password2": "123"},
            "password1",
        ),
        (
            {
                "full_name": "Kari",
                "email": "a@example.no",
                "password1": "password",
                "password2": "password",
            },
            "password1",
        ),
    ],
)
def test_bad_sign_up_input_gets_clear_errors_and_creates_nothing(client, data, field):
    posted = {"password1": PASSWORD, "password2": PASSWORD, **data}
    response = client.post("/konto/signup/", posted)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    soup = _soup(response)
    assert soup.find(class_="error-summary").find("a", href=f"#id_{field}")
    widget = soup.find(attrs={"name": field})
    error_id = f"id_{field}-error"
    assert error_id in widget["aria-describedby"].split()
    assert soup.find(id=error_id).get_text(strip=True)
    assert not User.objects.exists()
    assert not LearnerProfile.objects.exists()
    assert mail.outbox == []


def test_password_rules_are_explained_in_the_visitors_language(client):
    data = {"full_name": "Kari", "email": "a@example.no", "password1": "k0rt", "password2": "k0rt"}
    norwegian = client.post("/konto/signup/", data)
    assert norwegian.context["form"].errors["password1"][0] == (
        "Passordet er for kort: det må ha minst 8 tegn."
    )
    nynorsk = client.post("/nn/konto/signup/", data)
    assert "minst 8 teikn" in nynorsk.context["form"].errors["password1"][0]
    differ = client.post("/nn/konto/signup/", {**data, "password1": PASSWORD})
    assert differ.context["form"].errors["password2"] == [
        "Dei to passorda er ikkje like. Skriv det same passordet to gonger."
    ]


def test_broken_and_forged_links_get_a_page_not_a_500(client):
    expired = client.get("/konto/confirm-email/not-a-real-key/")
    assert expired.status_code == 200
    assert "utløpt" in _text(expired)
    assert client.post("/konto/confirm-email/not-a-real-key/").status_code == 404
    reset = client.get("/konto/password/reset/key/1-forged-key/", follow=True)
    assert reset.status_code == 200
    assert "Lenken virker ikke" in _text(reset)
    garbage = client.post("/konto/login/", {"login": "x" * 5000, "password": ""})
    assert garbage.status_code == 200
    assert client.post("/konto/password/reset/", {"email": "@@"}).status_code == 200


# --- Min side ----------------------------------------------------------------------------------


def test_learner_edits_profile_on_min_side(client):
    ensure_professions()
    user = _learner()
    _sign_in(client)
    nurse = Profession.objects.get(name="Sykepleier")
    response = client.post(
        "/min-side/",
        {
            "full_name": "  Ola   Johan Nordmann ",
            "profession": nurse.pk,
            "workplace": "Åsen sykehjem",
        },
    )
    assert response.status_code == 302
    profile = LearnerProfile.objects.get(user=user)
    assert profile.full_name == "Ola Johan Nordmann"
    assert profile.profession == nurse
    assert profile.workplace == "Åsen sykehjem"
    page = client.get("/min-side/")
    assert "Opplysningene dine er lagret." in _text(page)
    select = _soup(page).find("select", attrs={"name": "profession"})
    assert select.find("option", selected=True).get_text(strip=True) == "Sykepleier"
    assert [o.get_text(strip=True) for o in select.find_all("option")][1:] == [
        "Sykepleier",
        "Helsefagarbeider",
        "Lege",
        "Annet",
    ]


@pytest.mark.parametrize(
    "data",
    [
        {"full_name": "", "profession": "", "workplace": ""},
        {"full_name": "Ola", "profession": "999999", "workplace": ""},
        {"full_name": "Ola", "profession": "sykepleier", "workplace": ""},
        {"full_name": "Ola", "profession": "", "workplace": "x" * 201},
    ],
)
def test_bad_profile_input_is_refused_with_a_message_and_changes_nothing(client, data):
    user = _learner()
    _sign_in(client)
    response = client.post("/min-side/", data)
    assert response.status_code == 400
    assert _soup(response).find(class_="error-summary")
    assert LearnerProfile.objects.get(user=user).full_name == "Ola Nordmann"


def test_min_side_lists_courses_first_and_shows_nothing_made_up(client):
    _learner()
    _sign_in(client)
    soup = _soup(client.get("/min-side/"))
    assert [h2.get_text(strip=True) for h2 in soup.main.find_all("h2")] == [
        "Mine kurs",
        "Mine kursbevis og timer",
        "Min institusjon",
        "Opplysningene dine",
        "Kontoen din",
    ]
    assert "Du har ikke startet på noe kurs ennå." in soup.main.get_text(" ", strip=True)


def test_learner_profile_update_refuses_an_empty_name_and_saves_nothing():
    user = User.objects.create_user(username="tom", email="tom@example.no", password=PASSWORD)
    with pytest.raises(ValidationError):
        learner_profile_update(user=user, full_name="  ", profession=None, workplace="")
    assert not LearnerProfile.objects.filter(user=user).exists()


# --- Deleting the account ----------------------------------------------------------------------


def test_deleting_the_account_anonymises_it_and_keeps_the_row(client):
    user = _learner()
    _sign_in(client)
    other_device = Client()
    _sign_in(other_device)
    assert Session.objects.count() == 2

    page = client.get("/min-side/slett/")
    assert page.status_code == 200
    wrong = client.post("/min-side/slett/", {"password": "feil"})
    assert wrong.status_code == 400
    assert "Passordet er ikke riktig" in _text(wrong)
    assert User.objects.get(pk=user.pk).is_active

    response = client.post("/min-side/slett/", {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert not _signed_in(client)
    assert "Kontoen din er slettet" in _text(client.get("/konto/login/"))

    row = User.objects.get(pk=user.pk)  # the row stays, for anonymous statistics
    assert row.username.startswith("deleted-")
    assert row.email == "" and row.first_name == "" and row.last_name == ""
    assert not row.is_active
    assert not row.has_usable_password()
    assert not LearnerProfile.objects.filter(user_id=user.pk).exists()
    assert not EmailAddress.objects.filter(user_id=user.pk).exists()
    assert "ola" not in row.username.lower()

    # Every session of the person is gone, including the other device's.
    for session in Session.objects.all():
        assert session.get_decoded().get("_auth_user_id") != str(user.pk)
    assert other_device.get("/min-side/").status_code == 302

    # The person cannot sign in any more, and may start afresh with the same address.
    assert not _signed_in(Client()) and _sign_in(Client()).status_code == 200
    assert _sign_up(Client(), email="ola@example.no").status_code == 302
    assert User.objects.filter(email="ola@example.no").exclude(pk=user.pk).count() == 1


def test_guessing_the_password_on_the_delete_page_is_throttled(client):
    user = _learner()
    _sign_in(client)
    for _attempt in range(10):
        assert client.post("/min-side/slett/", {"password": "gjett"}).status_code == 400
    assert client.post("/min-side/slett/", {"password": PASSWORD}).status_code == 429
    assert User.objects.get(pk=user.pk).is_active


def test_staff_accounts_are_not_deleted_from_min_side(client):
    user = _learner()
    user.is_staff = True
    user.save()
    _sign_in(client)
    response = client.post("/min-side/slett/", {"password": PASSWORD})
    assert response.status_code == 403
    assert User.objects.get(pk=user.pk).is_active
    with pytest.raises(ValidationError):
        learner_delete(user=user)


# --- Settings, professions, admin, languages ------------------------------------------------


def test_base_settings_hash_passwords_with_argon2_first():
    from cms.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    from django.contrib.auth.hashers import Argon2PasswordHasher

    hasher = Argon2PasswordHasher()
    encoded = hasher.encode(PASSWORD, hasher.salt())
    assert encoded.startswith("argon2$argon2id$")
    assert hasher.verify(PASSWORD, encoded)
    assert base.ACCOUNT_EMAIL_VERIFICATION == "mandatory"
    assert "email" in base.ACCOUNT_LOGIN_METHODS and len(base.ACCOUNT_LOGIN_METHODS) == 1


def test_professions_are_seeded_once_and_then_belong_to_the_editors():
    assert ensure_professions() == [
        "profession Sykepleier",
        "profession Helsefagarbeider",
        "profession Lege",
        "profession Annet",
    ]
    Profession.objects.filter(name="Annet").delete()
    Profession.objects.filter(name="Lege").update(name="Lege/tannlege")
    assert ensure_professions() == []
    assert list(Profession.objects.values_list("name", flat=True)) == [
        "Sykepleier",
        "Helsefagarbeider",
        "Lege/tannlege",
    ]


def test_editors_manage_professions_as_a_snippet_and_staff_still_use_the_admin_login(client):
    User.objects.create_superuser(username="redaktor", email="", password=PASSWORD)
    login_page = client.get("/admin/login/")
    assert login_page.status_code == 200
    response = client.post("/admin/login/", {"username": "redaktor", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/admin/snippets/accounts/profession/").status_code == 200
    created = client.post(
        "/admin/snippets/accounts/profession/add/", {"name": "Vernepleier", "sort_order": 25}
    )
    assert created.status_code == 302
    assert Profession.objects.filter(name="Vernepleier").exists()


@pytest.mark.parametrize(
    ("prefix", "heading", "labels"),
    [
        ("", "Logg inn", ["E-postadresse", "Passord", "Hold meg innlogget på denne enheten"]),
        ("/nn", "Logg inn", ["E-postadresse", "Passord", "Hald meg innlogga på denne eininga"]),
        ("/en", "Sign in", ["Email address", "Password", "Keep me signed in on this device"]),
        ("/sv", "Logga in", ["E-postadress", "Lösenord", "Håll mig inloggad på den här enheten"]),
        ("/da", "Log ind", ["E-mailadresse", "Adgangskode", "Hold mig logget ind på denne enhed"]),
    ],
)
def test_account_pages_speak_the_visitors_language(client, prefix, heading, labels):
    soup = _soup(client.get(f"{prefix}/konto/login/"))
    assert soup.h1.get_text(strip=True) == heading
    assert soup.find("form", class_="form").find("button").get_text(strip=True) == heading
    assert [label.get_text(" ", strip=True) for label in soup.find_all("label")] == labels


def test_mail_is_sent_in_the_language_of_the_page(client):
    client.post(
        "/nn/konto/signup/",
        {
            "full_name": "Kari",
            "email": "kari@example.no",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    message = mail.outbox[0]
    assert "Stadfest e-postadressa di" in message.subject
    assert "/nn/konto/confirm-email/" in message.body


ACCOUNT_PAGES = [
    "/konto/login/",
    "/konto/signup/",
    "/konto/confirm-email/",
    "/konto/password/reset/",
    "/konto/password/reset/done/",
    "/konto/confirm-email/not-a-key/",
]
SIGNED_IN_PAGES = [
    "/min-side/",
    "/min-side/slett/",
    "/konto/email/",
    "/konto/password/change/",
    "/konto/logout/",
]


def test_account_pages_are_accessible_forms_without_inline_code(client):
    _learner()
    pages = [client.get(url) for url in ACCOUNT_PAGES]
    _sign_in(client)
    pages += [client.get(url) for url in SIGNED_IN_PAGES]
    for response in pages:
        url = response.request["PATH_INFO"]
        assert response.status_code == 200, url
        assert "unsafe-inline" not in response["Content-Security-Policy"]
        soup = _soup(response)
        assert not soup.find_all("script", src=False), url
        assert not soup.find_all(style=True), url
        assert soup.find("a", class_="skip-link"), url
        assert soup.title.get_text(strip=True), url
        assert len(soup.find_all("h1")) == 1, url
        for element in soup.main.find_all(["input", "select", "textarea"]):
            if element.get("type") == "hidden":
                continue
            label = soup.find("label", attrs={"for": element.get("id")})
            assert label and label.get_text(strip=True), f"{url}: {element}"
            for described in element.get("aria-describedby", "").split():
                assert soup.find(id=described), f"{url}: {described}"
    login = _soup(pages[0])
    assert login.find("input", attrs={"name": "login"})["autocomplete"] == "email"
    assert login.find("input", attrs={"name": "password"})["autocomplete"] == "current-password"
    signup = _soup(pages[1])
    assert signup.find("input", attrs={"name": "full_name"})["autocomplete"] == "name"
    assert signup.find("input", attrs={"name": "password1"})["autocomplete"] == "new-password"


def test_the_one_backend_signs_in_staff_by_username_and_learners_by_email_only():
    # Every sign-in passes accounts.backends (see test_sign_in_paths.py for the rules).
    assert settings.AUTHENTICATION_BACKENDS == ["accounts.backends.AuthenticationBackend"]
    User.objects.create_superuser(username="redaktor", email="", password=PASSWORD)
    learner = _learner()
    assert authenticate(username="redaktor", password=PASSWORD) is not None
    assert authenticate(username="ola@example.no", password=PASSWORD) == learner
    assert authenticate(username=learner.username, password=PASSWORD) is None
