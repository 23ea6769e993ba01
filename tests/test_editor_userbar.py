"""Wagtail's user bar shows for editors and costs a learner's page no permission queries."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.userbar import SESSION_KEY

pytestmark = pytest.mark.django_db


def _signed_in(client, **fields):
    user = get_user_model().objects.create_user(
        username=fields.pop("username"), password="x", **fields
    )
    client.force_login(user)
    return user


def _permission_queries(client, path: str) -> tuple[str, list[str]]:
    client.get(path)  # the first page notes the answer in the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    touched = [q["sql"] for q in queries if "auth_permission" in q["sql"]]
    return response.content.decode(), touched


def test_a_learner_sees_no_user_bar_and_costs_no_permission_query(client, demo):
    learner = _signed_in(client, username="learner", email="learner@example.org")
    # Noted at sign-in: no page has to write the session to learn it.
    assert client.session[SESSION_KEY] == f"{learner.pk}:0"
    html, touched = _permission_queries(client, "/")
    assert "wagtail-userbar" not in html
    assert touched == []


def test_an_editor_sees_the_user_bar(client, demo):
    _signed_in(client, username="editor", email="editor@example.org", is_superuser=True)
    html, _ = _permission_queries(client, "/")
    assert "wagtail-userbar" in html


def test_the_note_belongs_to_the_user_who_signed_in(client, demo):
    _signed_in(client, username="learner", email="learner@example.org")
    client.get("/")
    # Another user in the same session store entry (as a forged or stale note would be).
    editor = get_user_model().objects.create_user(
        username="editor", password="x", email="editor@example.org", is_superuser=True
    )
    session = client.session
    note = session[SESSION_KEY]
    client.force_login(editor)
    session = client.session
    session[SESSION_KEY] = note  # the learner's "no" must not hide the editor's bar
    session.save()
    assert "wagtail-userbar" in client.get("/").content.decode()
