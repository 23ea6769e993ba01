"""Behind a proxy on a Unix socket the app sees no client address (REMOTE_ADDR is empty).

allauth needs the address for its rate limits; without it every sign-in was a bare 403. Now the
visitor gets a clear 503 page, and the log and the page tell the operator what to set.
"""

import logging

import pytest

from tests.accounts.test_accounts import PASSWORD, _learner, _signed_in

pytestmark = pytest.mark.django_db

NO_ADDRESS = {"REMOTE_ADDR": ""}


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/konto/login/", {"login": "ola@example.no", "password": PASSWORD}),
        ("/admin/login/", {"username": "ola@example.no", "password": PASSWORD}),
        ("/_util/login/", {"username": "ola@example.no", "password": PASSWORD}),
        ("/konto/signup/", {"email": "ny@example.no", "password1": PASSWORD}),
    ],
)
def test_without_a_client_address_sign_in_says_what_is_wrong(client, caplog, path, data):
    _learner()
    with caplog.at_level(logging.ERROR, logger="accounts"):
        response = client.post(path, data, **NO_ADDRESS)
    assert response.status_code == 503
    assert response["Retry-After"]
    body = response.content.decode()
    assert "TRUSTED_PROXY_COUNT" in body
    assert '<main id="main"' in body, "the site's own layout, not a bare error"
    assert not _signed_in(client)
    assert any("TRUSTED_PROXY_COUNT" in record.getMessage() for record in caplog.records)


def test_with_the_proxy_count_set_the_forwarded_address_is_used(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    _learner()
    response = client.post(
        "/konto/login/",
        {"login": "ola@example.no", "password": PASSWORD},
        headers={"X-Forwarded-For": "203.0.113.7"},
        **NO_ADDRESS,
    )
    assert response.status_code == 302
    assert _signed_in(client)


def test_a_forged_short_forwarded_for_gets_the_same_clear_answer(client, settings):
    # Two proxies configured, a request that did not pass through both: not a 500.
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    _learner()
    response = client.post(
        "/konto/login/",
        {"login": "ola@example.no", "password": PASSWORD},
        headers={"X-Forwarded-For": "203.0.113.7"},
    )
    assert response.status_code == 503
