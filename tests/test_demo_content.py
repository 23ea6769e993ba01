"""`manage.py load_demo` builds a believable programme, and running it again changes nothing."""

import io

import pytest
from django.core.files.storage import storages
from django.core.management import call_command
from wagtail.models import Page, PageLogEntry, Revision, Site

from cms.models import HomePage, ProgrammeSettings, ResourceDocument, ResourceIndexPage

pytestmark = pytest.mark.django_db


def _snapshot(storage_prefix: str = "documents") -> dict:
    storage = storages["default"]
    _dirs, files = storage.listdir(storage_prefix) if storage.exists(storage_prefix) else ([], [])
    return {
        "pages": list(
            Page.objects.order_by("pk").values_list("pk", "title", "live", "latest_revision_id")
        ),
        "revisions": Revision.objects.count(),
        "log_entries": PageLogEntry.objects.count(),
        "documents": list(
            ResourceDocument.objects.order_by("pk").values_list("pk", "title", "file", "file_hash")
        ),
        "files": sorted(files),
        "sites": list(Site.objects.values_list("pk", "root_page_id", "site_name")),
        "settings": list(ProgrammeSettings.objects.values_list("pk", "programme_name")),
    }


def _load(*, videos: bool = False) -> str:
    out = io.StringIO()
    call_command("load_demo", *([] if videos else ["--no-videos"]), stdout=out)
    return out.getvalue()


def test_load_demo_twice_changes_nothing():
    _load(videos=True)
    first = _snapshot()
    output = _load(videos=True)
    assert _snapshot() == first
    assert "already up to date" in output


def test_demo_has_programme_page_resources_and_real_pdfs():
    _load()
    home = HomePage.objects.get()
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    assert home.live
    block_types = [block.block_type for block in home.activities]
    assert {"featured_video", "clips", "course", "downloads"} <= set(block_types)
    assert ResourceIndexPage.objects.child_of(home).live().exists()

    documents = ResourceDocument.objects.all()
    categories = set(documents.values_list("category", flat=True))
    assert {"pocket_card", "flowchart", "checklist"} <= categories
    for document in documents:
        with document.file.open("rb") as handle:
            data = handle.read()
        assert data.startswith(b"%PDF-")
        assert document.file_size == len(data)
        assert document.revised_on is not None


def test_demo_pdfs_are_about_the_topic():
    pypdf = pytest.importorskip("pypdf")
    _load()
    texts = {}
    for document in ResourceDocument.objects.all():
        with document.file.open("rb") as handle:
            reader = pypdf.PdfReader(handle)
            texts[document.category] = " ".join(page.extract_text() for page in reader.pages)
    assert "pivmecillinam" in texts["pocket_card"].lower()
    assert "urinveisinfeksjon" in texts["flowchart"].lower()
    assert "før oppstart av antibiotika" in texts["checklist"].lower()
    assert "håndhygiene" in texts["guideline"].lower()


def test_load_demo_restores_a_deleted_file():
    _load()
    document = ResourceDocument.objects.first()
    storages["default"].delete(document.file.name)
    output = _load()
    document.refresh_from_db()
    assert storages["default"].exists(document.file.name)
    assert "updated" in output


def test_demo_quizzes_hold_the_data_files_questions_in_the_stored_shape():
    """content/course.yaml's questions reach each quiz whole, readable by quizzes.questions."""
    from cms.demo.course import MODULES
    from quizzes.models import Quiz
    from quizzes.questions import questions_from_stored

    _load()
    for module in MODULES:
        quiz = Quiz.objects.get(title=module["quiz"]["title"])
        assert quiz.live
        live = quiz.live_revision.as_object()
        stored = questions_from_stored(live.questions.get_prep_value())
        specs = module["quiz"]["questions"]
        assert [question.text for question in stored] == [
            spec["value"].get("question") or spec["value"]["statement"] for spec in specs
        ]
        for question, spec in zip(stored, specs, strict=True):
            assert question.correct_ids, question.text
            if spec["type"] != "true_false":
                assert [(c.text, c.is_correct) for c in question.choices] == [
                    (choice["text"], choice["correct"]) for choice in spec["value"]["choices"]
                ]
