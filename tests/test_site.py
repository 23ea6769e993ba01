"""Site-wide behaviour: security headers, error pages, languages, admin login, cache."""

import io
import re

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.cache import cache, caches
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import translation

from cms.views import server_error

pytestmark = pytest.mark.django_db


def test_public_pages_have_a_strict_content_security_policy(client, demo):
    policy = client.get("/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy


def test_pages_use_no_third_party_resources(client, demo):
    for url in ("/", demo.resources.url):
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        assert not soup.find_all("script", src=False), "no inline scripts"
        assert not soup.find_all(style=True), "no inline styles"
        for tag, attribute in (("script", "src"), ("link", "href"), ("img", "src")):
            for element in soup.find_all(tag):
                value = element.get(attribute, "")
                assert not re.match(r"^(https?:)?//", value), f"{url}: {value}"


def test_404_is_a_styled_page_in_the_visitors_language(client, demo):
    response = client.get("/finnes-ikke/")
    assert response.status_code == 404
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.h1.get_text(strip=True) == "Fant ikke siden"
    assert soup.find("a", class_="skip-link")
    english = client.get("/en/does-not-exist/")
    assert english.status_code == 404
    assert "Page not found" in english.content.decode()


def test_500_page_renders_without_touching_the_database(django_assert_num_queries):
    request = RequestFactory().get("/")
    with django_assert_num_queries(0), translation.override("nb"):
        response = server_error(request)
    assert response.status_code == 500
    assert "Noe gikk galt" in response.content.decode()


def test_interface_follows_the_language_prefix(client, demo):
    norwegian = BeautifulSoup(client.get("/").content, "html.parser")
    assert norwegian.html["lang"] == "nb"
    assert norwegian.find("a", class_="skip-link").get_text(strip=True) == "Hopp til hovedinnholdet"
    english = BeautifulSoup(client.get("/en/").content, "html.parser")
    assert english.html["lang"] == "en"
    assert english.find("a", class_="skip-link").get_text(strip=True) == "Skip to main content"
    # The switcher offers every site language, each named in itself.
    names = [a.get_text(strip=True) for a in norwegian.select(".language-switcher a")]
    assert len(names) == len(settings.LANGUAGES)
    assert "English" in names and "svenska" in names


def test_translated_page_is_linked_from_the_switcher(client, demo):
    from wagtail.models import Locale

    english_home = demo.home.copy_for_translation(Locale.objects.get(language_code="en"))
    english_home.title = "Prudent antibiotic use in nursing homes"
    english_home.save_revision().publish()
    soup = BeautifulSoup(client.get("/en/").content, "html.parser")
    assert soup.h1.get_text(strip=True) == "Prudent antibiotic use in nursing homes"
    assert not soup.main.get("lang"), "content is in the interface language"
    english_link = soup.select_one('.language-switcher a[hreflang="en"]')
    assert english_link["href"] == "/en/"


def test_ensure_admin_prints_a_login_that_works(client, monkeypatch, tmp_path):
    monkeypatch.setattr(settings, "VAR_DIR", tmp_path)
    out = io.StringIO()
    call_command("ensure_admin", stdout=out)
    match = re.search(r"user '(\w+)'\s+password '([^']+)'", out.getvalue())
    assert match, out.getvalue()
    assert client.login(username=match[1], password=match[2])
    assert client.get("/admin/").status_code == 200
    again = io.StringIO()
    call_command("ensure_admin", stdout=again)
    assert match[2] in again.getvalue()


@pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL is not set")
def test_cache_and_sessions_use_redis():
    from django.core.cache.backends.redis import RedisCache

    assert isinstance(caches["default"], RedisCache)
    cache.set("probe", {"å": 1}, 30)
    assert cache.get("probe") == {"å": 1}
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"


@pytest.mark.parametrize("path", ["//evil.example/", "///evil.example/x/", "/en//evil.example/"])
def test_404_language_links_stay_on_this_site(client, demo, path):
    # As gunicorn passes it on (the test client would read "//evil.example/" as a host).
    response = client.get("/", PATH_INFO=path)
    assert response.status_code == 404
    soup = BeautifulSoup(response.content, "html.parser")
    hrefs = [a["href"] for a in soup.find_all("a", href=True)]
    assert len(soup.select(".language-switcher a")) == len(settings.LANGUAGES)
    for href in hrefs:
        assert not href.startswith("//"), href
        assert "evil.example" not in href, href
