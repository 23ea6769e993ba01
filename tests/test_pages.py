"""The open programme page and the resources page, as an anonymous visitor sees them."""

import datetime
import uuid

import pytest
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from cms.models import HomePage, ResourceDocument, ResourceIndexPage

pytestmark = pytest.mark.django_db


class TestPageTree(WagtailPageTestCase):
    def test_where_pages_can_be_created(self):
        self.assertCanCreateAt(Page, HomePage)
        self.assertCanCreateAt(HomePage, ResourceIndexPage)
        self.assertCanNotCreateAt(ResourceIndexPage, HomePage)
        self.assertCanNotCreateAt(Page, ResourceIndexPage)


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def test_home_page_shows_programme_and_activities(client, demo):
    response = client.get("/")
    assert response.status_code == 200
    soup = _soup(response)
    assert soup.h1.get_text(strip=True) == demo.home.title
    text = soup.get_text(" ", strip=True)
    assert "Intervju: Når er det riktig å vente med antibiotika?" in text
    assert "5 RASKe om urinveisinfeksjon" in text
    assert "E-læringskurs" in text
    # every download on the front page links to a file that an anonymous visitor can fetch
    links = [a["href"] for a in soup.select(".downloads a[href^='/documents/']")]
    assert len(links) >= 3
    for href in links:
        download = client.get(href)
        assert download.status_code == 200
        assert download["Content-Type"] == "application/pdf"


def test_resources_page_lists_files_by_category_with_type_size_and_date(client, demo):
    response = client.get(demo.resources.url)
    assert response.status_code == 200
    soup = _soup(response)
    headings = [h2.get_text(strip=True) for h2 in soup.select(".resource-group h2")]
    assert headings[:3] == ["Lommekort", "Flytskjema", "Sjekkliste"]
    document = ResourceDocument.objects.get(category="checklist")
    item = soup.find("a", href=document.url).find_parent("article")
    meta = item.select_one(".resource__meta").get_text(" ", strip=True)
    assert "PDF" in meta
    assert "KB" in meta or "kB" in meta or "byte" in meta
    assert item.find("time")["datetime"] == document.revised_on.isoformat()


def test_resources_page_filters_by_category_and_ignores_unknown(client, demo):
    only = _soup(client.get(demo.resources.url + "?category=flowchart"))
    assert [h2.get_text(strip=True) for h2 in only.select(".resource-group h2")] == ["Flytskjema"]
    every = _soup(client.get(demo.resources.url + "?category=<script>"))
    assert len(every.select(".resource-group")) >= 4


def test_documents_without_category_are_not_listed(client, demo):
    ResourceDocument.objects.create(
        title="Arbeidsutkast", file=ContentFile(b"%PDF-1.4 draft", name="utkast.pdf")
    )
    assert "Arbeidsutkast" not in client.get(demo.resources.url).content.decode()


def _add_activities(home: HomePage, count: int) -> None:
    documents = []
    for index in range(count):
        document = ResourceDocument(
            title=f"Sjekkliste {index}",
            category="checklist",
            revised_on=datetime.date(2026, 1, 1),
            file=ContentFile(b"%PDF-1.4 " + str(index).encode(), name=f"liste-{index}.pdf"),
        )
        document._set_document_file_metadata()
        document.save()
        documents.append(document)
    item = lambda value: {"type": "item", "value": value, "id": str(uuid.uuid4())}  # noqa: E731
    activities = list(home.activities.raw_data)
    for index in range(count):
        activities.append(
            {"type": "downloads", "value": {
                "heading": f"Pakke {index}", "intro": "",
                "documents": [item(documents[index].pk)],
            }}
        )  # fmt: skip
        activities.append(
            {"type": "clips", "value": {
                "heading": f"Klipp {index}",
                "clips": [item({"title": "Spørsmål", "questions": [item("Hvorfor?")]})],
            }}
        )  # fmt: skip
    home.activities = activities
    home.save_revision().publish()


def _queries_for_home(client) -> tuple[int, int]:
    client.get("/")  # warm per-process caches (site root paths) that are not per request
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    return len(queries), response.content.decode().count("/documents/")


def test_home_page_queries_do_not_grow_with_activities(client, demo):
    _add_activities(demo.home, 5)
    few, few_links = _queries_for_home(client)
    _add_activities(demo.home, 45)
    many, many_links = _queries_for_home(client)
    assert many_links >= few_links + 45
    assert many == few
