"""A new learner takes the whole demo course in Chromium, the way a person would.

Sign up from the course page, confirm with the link from the real mail, read every section of
the four modules, fail one quiz on purpose and pass it on the second try, come back in a new
browser after module 2 and continue where they left off, and see the course completed on Min
side. The right answers are looked up by their text in ``cms.demo.course.MODULES``.
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from cms.demo.course import COURSE_TITLE, MODULES, QUIZ_PASS_MARK, QUIZ_SECTION_TITLE
from cms.demo.loader import load_demo
from courses.models import CourseCompletion

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Kanylering-og-urinstix-2026"
EMAIL = "journey@example.no"
FULL_NAME = "Kari Nordmann"
RESULT_URL = re.compile(r"/quiz/[0-9a-f-]{36}/$")


def _labels(question: dict, *, wrong: bool) -> list[str]:
    """The texts of the labels a person clicks: the right answers, or a wrong one."""
    value = question["value"]  # the question block's stored shape, as in content/course.yaml
    if question["type"] == "true_false":
        right = "Sant" if value["is_true"] else "Usant"
        return [{"Sant": "Usant", "Usant": "Sant"}[right] if wrong else right]
    right = [choice["text"] for choice in value["choices"] if choice["correct"]]
    if wrong:
        return [next(choice["text"] for choice in value["choices"] if not choice["correct"])]
    return right


def _answer_quiz(page, quiz: dict, *, wrong: int = 0) -> None:
    """Tick answers by clicking labels; the first ``wrong`` questions get a wrong answer."""
    form = page.locator("form.quiz__form")
    expect(form.locator("fieldset")).to_have_count(len(quiz["questions"]))
    for index, question in enumerate(quiz["questions"]):
        text = question["value"].get("question") or question["value"]["statement"]
        fieldset = form.locator("fieldset").filter(has=page.locator("legend", has_text=text))
        expect(fieldset).to_have_count(1)
        for label in _labels(question, wrong=index < wrong):
            fieldset.locator("label").get_by_text(label, exact=True).click()
    form.get_by_role("button", name="Send inn svarene").click()
    page.wait_for_url(RESULT_URL)


def _read_sections(page, module: dict) -> None:
    """From section 1, open every section in order with "Neste del" until the quiz."""
    titles = [section["title"] for section in module["sections"]] + [QUIZ_SECTION_TITLE]
    expect(page.locator("h1")).to_have_text(module["title"])
    for number, title in enumerate(titles, start=1):
        heading = page.locator("#section-title")
        expect(heading).to_have_text(f"Del {number} av {len(titles)}: {title}")
        current = page.locator(".module__sections a[aria-current=page]")
        expect(current).to_have_text(title)
        if number < len(titles):
            page.get_by_role("link", name="Neste del").click()
    expect(page.get_by_role("link", name="Neste del")).to_have_count(0)
    expect(page.get_by_role("heading", name=module["quiz"]["title"])).to_be_visible()


def _take_module(page, module: dict, *, passed_before: int, fail_first: bool = False) -> None:
    _read_sections(page, module)
    questions = len(module["quiz"]["questions"])
    if fail_first:
        # Two wrong answers: one alone would still pass a quiz of six (5/6 = 83 %).
        assert 100 * (questions - 2) / questions < QUIZ_PASS_MARK
        _answer_quiz(page, module["quiz"], wrong=2)
        score = page.locator(".quiz-result__score")
        percent = round(100 * (questions - 2) / questions)
        expect(score).to_contain_text(f"{questions - 2} av {questions} riktige ({percent} %).")
        expect(score).to_contain_text(f"Du trenger {QUIZ_PASS_MARK} % for å bestå.")
        expect(page.locator(".quiz-result__question--wrong")).to_have_count(2)
        expect(page.locator(".course-progress")).to_contain_text(
            f"{passed_before} av 4 moduler bestått"
        )
        page.get_by_role("link", name="Prøv igjen").click()
        expect(page.locator("#section-title")).to_contain_text(QUIZ_SECTION_TITLE)
    _answer_quiz(page, module["quiz"])
    expect(page.locator("h1")).to_have_text(module["quiz"]["title"])
    score = page.locator(".quiz-result__score")
    expect(score).to_contain_text(f"{questions} av {questions} riktige (100 %).")
    expect(score).to_contain_text("Du har bestått.")
    expect(page.locator(".quiz-result__question--right")).to_have_count(questions)
    expect(page.get_by_role("link", name="Prøv igjen")).to_have_count(0)
    expect(page.locator(".course-progress")).to_contain_text(
        f"{passed_before + 1} av 4 moduler bestått"
    )


def _to_course_page(page) -> None:
    """From a quiz result: back to the module, then the breadcrumb to the course."""
    page.locator("main .quiz-result a").first.click()
    page.locator("nav.breadcrumb").get_by_role("link", name=COURSE_TITLE).click()
    expect(page.locator("h1")).to_have_text(COURSE_TITLE)


def _module_row(page, module: dict):
    return page.locator(".module-list__item").filter(
        has=page.get_by_role("link", name=module["title"], exact=True)
    )


def test_a_new_learner_signs_up_and_completes_the_demo_course(browser, live_server):
    load_demo(videos=False)
    demo_completions = list(CourseCompletion.objects.values_list("pk", flat=True))
    base = live_server.url
    mail.outbox.clear()

    first = browser.new_context(locale="nb-NO")
    second = None
    try:
        page = first.new_page()
        # The programme page leads to the course; the lessons are open, credit needs an account.
        page.goto(base + "/")
        page.get_by_role("link", name="Gå til kurset").click()
        expect(page.locator("h1")).to_have_text(COURSE_TITLE)
        expect(page.locator(".module-list__item")).to_have_count(4)
        expect(page.locator(".notice")).to_contain_text("Logg inn for å")
        course_url = page.url

        page.locator(".notice").get_by_role("link", name="Opprett en konto").click()
        page.wait_for_url(f"{base}/konto/signup/")
        page.get_by_label("Fullt navn").fill(FULL_NAME)
        page.get_by_label("E-postadresse").fill(EMAIL)
        page.get_by_label("Passord", exact=True).fill(PASSWORD)
        page.get_by_label("Gjenta passordet").fill(PASSWORD)
        page.get_by_role("button", name="Opprett konto").click()
        page.wait_for_url(f"{base}/konto/confirm-email/")
        expect(page.locator("h1")).to_have_text("Sjekk e-posten din")

        # The real mail, sent by the live server in this process.
        assert len(mail.outbox) == 1
        assert mail.outbox[0].to == [EMAIL]
        link = re.search(r"https?://\S+/konto/confirm-email/\S+/", mail.outbox[0].body)[0]
        page.goto(link)
        expect(page.locator("main")).to_contain_text(EMAIL)
        page.get_by_role("button", name="Bekreft").click()
        # Confirming in the browser that signed up signs the learner in.
        page.wait_for_url(f"{base}/min-side/")
        expect(page.locator("h1")).to_have_text("Min side")
        expect(page.locator("main")).to_contain_text(f"Logget inn som {FULL_NAME}")
        expect(page.locator("main")).to_contain_text("Du har ikke startet på noe kurs ennå.")

        page.goto(base + "/")
        page.get_by_role("link", name="Gå til kurset").click()
        expect(page.locator(".course-progress")).to_contain_text("0 av 4 moduler bestått")
        expect(page.locator(".notice")).to_have_count(0)
        page.get_by_role("link", name="Start kurset").click()

        # Module 1, failed once on purpose, then module 2.
        _take_module(page, MODULES[0], passed_before=0, fail_first=True)
        _to_course_page(page)
        expect(_module_row(page, MODULES[0])).to_contain_text("Bestått")
        expect(_module_row(page, MODULES[1])).to_contain_text("Ikke startet")
        _module_row(page, MODULES[1]).get_by_role("link").click()
        _take_module(page, MODULES[1], passed_before=1)
        first.close()
        first = None

        # Another day, another browser: sign in and continue where they left off.
        second = browser.new_context(locale="nb-NO")
        page = second.new_page()
        page.goto(course_url)
        expect(page.locator(".course-progress")).to_have_count(0)
        page.locator(".notice").get_by_role("link", name="Logg inn").click()
        page.get_by_label("E-postadresse").fill(EMAIL)
        page.get_by_label("Passord").fill(PASSWORD)
        page.get_by_role("button", name="Logg inn").click()
        page.wait_for_url(course_url)
        expect(page.locator(".course-progress")).to_contain_text("2 av 4 moduler bestått")
        statuses = ["Bestått", "Bestått", "Ikke startet", "Ikke startet"]
        for module, status in zip(MODULES, statuses, strict=True):
            expect(_module_row(page, module)).to_contain_text(status)
        page.get_by_role("link", name="Fortsett der du slapp").click()
        expect(page.locator("h1")).to_have_text(MODULES[2]["title"])
        assert page.url.rstrip("/").endswith(MODULES[2]["slug"])
        _take_module(page, MODULES[2], passed_before=2)
        _to_course_page(page)
        expect(_module_row(page, MODULES[2])).to_contain_text("Bestått")
        _module_row(page, MODULES[3]).get_by_role("link").click()
        _take_module(page, MODULES[3], passed_before=3)
        expect(page.locator(".course-progress__done")).to_contain_text("Fullført")
        expect(page.get_by_role("link", name="Fortsett der du slapp")).to_have_count(0)

        # Min side lists the course as completed, with its course credit.
        page.locator("nav.account-nav").get_by_role("link", name="Min side").click()
        page.wait_for_url(f"{base}/min-side/")
        card = page.locator(".my-courses .card")
        expect(card).to_have_count(1)
        expect(card.locator("h3")).to_have_text(COURSE_TITLE)
        expect(card).to_contain_text("Fullført")
        expect(card).to_contain_text("2,0 timer kurspoeng")
        expect(card).to_contain_text("4 av 4 moduler bestått")
        expect(card).not_to_contain_text("Påbegynt")
    finally:
        for context in (first, second):
            if context is not None:
                context.close()

    completions = CourseCompletion.objects.exclude(pk__in=demo_completions)
    assert completions.count() == 1
    assert completions.get().user.email == EMAIL
