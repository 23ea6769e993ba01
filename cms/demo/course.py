"""This year's demo e-learning course: four modules of lessons, each ending in a published quiz.

The words are in ``content/course.yaml``; this module builds the pages and quizzes from them.
Lesson blocks and quiz questions are in the StreamFields' own shape and go in unchanged.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from wagtail.models import Page

from cms.demo.figures import ensure_figure
from cms.demo.records import (
    LoadReport,
    demo_object_plan,
    demo_object_record,
    page_publish,
    stream_data,
    stream_differs,
)
from cms.demo.texts import read
from courses.models.pages import CoursePage, ModulePage
from quizzes.models import Quiz
from videos.models import Video

_DATA = read("course")

COURSE_YEAR = datetime.date.today().year
COURSE_TITLE = _DATA["course"]["title"].format(year=COURSE_YEAR)
# One page per yearly edition, named by the year the demo is first loaded.
COURSE_SLUG = _DATA["course"]["slug"].format(year=COURSE_YEAR)
COURSE_CREDIT_HOURS = Decimal(_DATA["course"]["credit_hours"])
COURSE_MINUTES = _DATA["course"]["estimated_minutes"]
# Plain text for the programme page's course block.
COURSE_TEASER = _DATA["course"]["teaser"]

QUIZ_SECTION_TITLE = _DATA["quiz"]["section_title"]
QUIZ_PASS_MARK = _DATA["quiz"]["pass_mark"]
QUIZ_INTRO = _DATA["quiz"]["intro"]

MODULES: list[dict] = _DATA["modules"]
FIGURES: dict[str, dict] = _DATA["figures"]

COURSE_DESCRIPTION = (
    _DATA["course"]["description_before_modules"]
    + "<ol>"
    + "".join(f"<li>{module['title']}</li>" for module in MODULES)
    + "</ol>"
    + _DATA["course"]["description_after_modules"]
)


def _lesson_content(content: list[dict], media: dict[str, object]) -> list[dict]:
    """A section's blocks with the demo's figures and videos put in by name.

    ``{"figure": name}`` becomes the figure's image and ``{"video": name}`` the demo video; a
    block whose video was left out (a load without videos) or deleted by an editor is dropped.
    """
    blocks = []
    for block in content:
        value = block["value"]
        if block["type"] == "image":
            image = media.get(f"figure:{value['figure']}")
            if image is None:
                continue
            value = {"image": image.pk, "alt_text": value["alt_text"], "decorative": False}
        elif block["type"] == "video":
            video = media.get(f"video:{value['video']}")
            if video is None:
                continue
            value = {**value, "video": video.pk}
        blocks.append({"type": block["type"], "value": value})
    return blocks


def _module_body(module: dict, quiz: Quiz | None, media: dict[str, object]) -> list[dict]:
    sections = [
        {
            "type": "section",
            "value": {
                "title": section["title"],
                "content": _lesson_content(section["content"], media),
            },
        }
        for section in module["sections"]
    ]
    if quiz is not None:
        quiz_content = [{"type": "quiz", "value": {"quiz": quiz.pk}}]
        sections.append(
            {"type": "section", "value": {"title": QUIZ_SECTION_TITLE, "content": quiz_content}}
        )
    return stream_data(ModulePage, "body", sections)


def _ensure_quiz(module: dict, report: LoadReport) -> Quiz | None:
    spec = module["quiz"]
    label = f"quiz {spec['title']!r}"
    quiz, write = demo_object_plan(
        report,
        key=f"quiz:{module['slug']}",
        label=label,
        legacy=lambda: Quiz.objects.filter(title=spec["title"]).order_by("pk").first(),
    )
    if not write:
        return quiz
    questions = stream_data(Quiz, "questions", spec["questions"])
    wanted = {
        "title": spec["title"],
        "intro": QUIZ_INTRO,
        "pass_mark": QUIZ_PASS_MARK,
        "max_attempts": None,  # unlimited
        "shuffle": False,
    }
    if quiz is None:
        quiz = Quiz(questions=questions, live=False, **wanted)
        quiz.save()
        quiz.save_revision().publish()
        quiz.refresh_from_db()
        demo_object_record(key=f"quiz:{module['slug']}", obj=quiz)
        report.created.append(label)
        return quiz

    changed = False
    for name, value in wanted.items():
        if getattr(quiz, name) != value:
            setattr(quiz, name, value)
            changed = True
    if stream_differs(quiz.questions, questions):
        quiz.questions = questions
        changed = True
    if changed or not quiz.live or quiz.has_unpublished_changes:
        quiz.save_revision().publish()
        quiz.refresh_from_db()
        report.updated.append(label)
    return quiz


def _ensure_module(
    course: CoursePage,
    module: dict,
    quiz: Quiz | None,
    media: dict[str, object],
    report: LoadReport,
) -> ModulePage | None:
    key = f"page:module:{module['slug']}"
    label = f"module {module['slug']}"
    page, write = demo_object_plan(
        report,
        key=key,
        label=label,
        legacy=lambda: ModulePage.objects.child_of(course).filter(slug=module["slug"]).first(),
    )
    if not write:
        return page
    wanted = {
        "title": module["title"],
        "summary": module["summary"],
        "estimated_minutes": module["estimated_minutes"],
        "body": _module_body(module, quiz, media),
    }
    if page is None:
        # A fresh copy of the parent: treebeard places a new child from the parent's numchild.
        parent = Page.objects.get(pk=course.pk)
        page = ModulePage(slug=module["slug"], live=False, **wanted)
        parent.add_child(instance=page)
        demo_object_record(key=key, obj=page)
        report.created.append(label)
    else:
        page = page.specific
    page_publish(page, wanted, report, label)
    return page


def _order_modules(course: CoursePage, slugs: list[str], report: LoadReport) -> None:
    children = ModulePage.objects.child_of(course).order_by("path")
    current = [slug for slug in children.values_list("slug", flat=True) if slug in slugs]
    if current == [slug for slug in slugs if slug in current]:
        return
    for slug in slugs:
        child = ModulePage.objects.child_of(course).filter(slug=slug).first()
        if child is not None:
            child.move(course, pos="last-child")
    report.updated.append("module order")


@transaction.atomic
def ensure_demo_course(
    report: LoadReport, home: Page, videos: tuple[Video | None, Video | None] | None = None
) -> CoursePage | None:
    """This year's course under ``home``: four published modules, each ending in its quiz.

    The lessons show the demo's figures and, when ``videos`` (interview, clip) are given, the
    clip. Creates what never existed; an existing course, module or quiz is left exactly as it
    is (a reset puts the original content back). None if an editor deleted the course.
    """
    quizzes = [_ensure_quiz(module, report) for module in MODULES]
    media: dict[str, object] = {
        f"figure:{name}": ensure_figure(report, name, spec) for name, spec in FIGURES.items()
    }
    if videos is not None:
        media |= {"video:interview": videos[0], "video:clip": videos[1]}
    course, write = demo_object_plan(
        report,
        key="page:course",
        label="course page",
        legacy=lambda: CoursePage.objects.child_of(home).filter(slug=COURSE_SLUG).first(),
    )
    wanted = {
        "title": COURSE_TITLE,
        "year": COURSE_YEAR,
        "description": COURSE_DESCRIPTION,
        "credit_hours": COURSE_CREDIT_HOURS,
        "estimated_minutes": COURSE_MINUTES,
    }
    created = course is None and write
    if created:
        parent = Page.objects.get(pk=home.pk)
        course = CoursePage(slug=COURSE_SLUG, live=False, **wanted)
        parent.add_child(instance=course)
        demo_object_record(key="page:course", obj=course)
        report.created.append("course page")
    if course is None:
        return None
    course = course.specific
    if write:
        page_publish(course, wanted, report, "course page")

    for module, quiz in zip(MODULES, quizzes, strict=True):
        _ensure_module(course, module, quiz, media, report)
    # Publishing works on a copy from the revision: read back what is now in the database.
    course = CoursePage.objects.get(pk=course.pk)
    if write:
        _order_modules(course, [module["slug"] for module in MODULES], report)
    return course


def course_link_value(course: CoursePage) -> dict:
    """The value of the programme page's ``course`` block, pointing at ``course``."""
    return {
        "title": course.title,
        "description": COURSE_TEASER,
        "page": course.pk,
        "url": "",
        "modules": len(MODULES),
        "credit_hours": str(COURSE_CREDIT_HOURS),
    }
