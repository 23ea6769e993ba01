"""Every write that matters for courses: learners' progress through modules, and completions.

The learner's profile and account live in ``accounts.services``.
"""

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from certificates.activities import CompletedActivity
from certificates.tasks import issue_certificate
from courses.models.pages import CoursePage
from courses.models.progress import CourseCompletion, ModuleProgress, ModuleStatus


def module_section_opened(*, user, module, section_id: str) -> ModuleProgress:
    """Record that the learner opened a section of a module (for "continue where you left off").

    A section opened before costs one UPDATE (where the learner is, and when); a new one is
    added to the list under the row's lock, so two tabs opening two sections keep both.
    """
    ids = module.section_ids()
    if section_id not in ids:
        raise ValueError("The section is not part of this module.")
    number = ids.index(section_id) + 1
    progress, created = ModuleProgress.objects.get_or_create(
        user=user, module=module, defaults={"sections_opened": [section_id], "last_section": number}
    )
    if created:
        return _evaluate(user=user, module=module, progress=progress)
    if section_id in progress.sections_opened:
        now = timezone.now()
        ModuleProgress.objects.filter(pk=progress.pk).update(last_section=number, updated_at=now)
        progress.last_section, progress.updated_at = number, now
    else:
        with transaction.atomic():
            progress = ModuleProgress.objects.select_for_update().get(pk=progress.pk)
            if section_id not in progress.sections_opened:
                progress.sections_opened = [*progress.sections_opened, section_id]
            progress.last_section = number
            progress.save(update_fields=["sections_opened", "last_section", "updated_at"])
    return _evaluate(user=user, module=module, progress=progress)


def module_evaluate(*, user, module) -> ModuleProgress:
    """Pass the module once every section has been opened and every quiz in it passed.

    Then, if that was the last module, record the course completion (exactly once). A quiz
    that was deleted, or unpublished before the learner passed it, keeps the module from
    passing until it is back: a missing quiz must not make a module pass silently.
    """
    progress, _created = ModuleProgress.objects.get_or_create(user=user, module=module)
    return _evaluate(user=user, module=module, progress=progress)


def _evaluate(*, user, module, progress: ModuleProgress) -> ModuleProgress:
    """``module_evaluate`` from a progress row just read, in as few queries as the data needs:
    if every section is open, one query for the quizzes passed; a module passes by one
    conditional UPDATE (so two calls at once pass it once), committed before the course is
    checked, so that of two modules passed at the same moment the later check sees both.
    Nothing is locked."""
    if progress.status == ModuleStatus.PASSED:
        if _completion_missing(user=user, module=module):
            course_completion_record(user=user, course=_course_of(module))
        return progress
    if not set(progress.sections_opened) >= set(module.section_ids()):
        return progress
    if not _quizzes_passed(user=user, quiz_ids=module.quiz_ids()):
        return progress
    now = timezone.now()
    passed = (
        ModuleProgress.objects.filter(pk=progress.pk)
        .exclude(status=ModuleStatus.PASSED)
        .update(status=ModuleStatus.PASSED, passed_at=now, updated_at=now)
    )
    progress.status = ModuleStatus.PASSED
    if passed:
        progress.passed_at = progress.updated_at = now
        course_completion_record(user=user, course=_course_of(module))
    return progress


def _quizzes_passed(*, user, quiz_ids: list) -> bool:
    """Every one of these quizzes is passed by the learner (some version of it), in one query;
    a deleted quiz has no attempts left, so it is never passed."""
    from quizzes.models import QuizAttempt

    wanted = set(quiz_ids)
    if None in wanted:
        return False
    if not wanted:
        return True
    passed = QuizAttempt.objects.filter(user=user, quiz_id__in=wanted, passed=True)
    return set(passed.values_list("quiz_id", flat=True).distinct()) >= wanted


def _course_of(module) -> CoursePage:
    parent = getattr(module, "_cached_parent_obj", None)
    if isinstance(parent, CoursePage):
        return parent
    return CoursePage.objects.get(path=module.path[: -module.steplen])


def _completion_missing(*, user, module) -> bool:
    """A passed module whose course has no completion yet (one query): only possible if a
    request stopped between passing the last module and recording the course."""
    course_path = module.path[: -module.steplen]
    return not CourseCompletion.objects.filter(user=user, course__path=course_path).exists()


def course_completion_record(*, user, course) -> CourseCompletion | None:
    """Record that ``user`` completed ``course`` when every live module is passed; once only.

    Safe to call any number of times, also from two requests at the same moment: the unique
    constraint decides, and the loser reads the winner's row. Only the call that created the
    completion asks for its certificate, in a task after commit, so a quiz submission never
    waits for a PDF.
    """
    passed = ModuleProgress.objects.filter(
        user=user, module=OuterRef("pk"), status=ModuleStatus.PASSED
    )
    counts = course.modules().aggregate(
        total=Count("pk"), passed=Count("pk", filter=Q(Exists(passed)))
    )
    if not counts["total"] or counts["passed"] < counts["total"]:
        return None
    completion, created = CourseCompletion.objects.get_or_create(
        user=user, course=course,
        defaults={"credit_hours": course.credit_hours,
                  "course_revision_id": course.live_revision_id},  # fmt: skip
    )  # fmt: skip
    if created and completion.credit_hours > 0:
        _certificate_enqueue(completion=completion, course=course)
    return completion


def _certificate_enqueue(*, completion: CourseCompletion, course) -> None:
    activity = CompletedActivity(
        key=f"course:{course.pk}",
        kind="course",
        title=course.title,
        edition_year=course.year,
        hours_individual=completion.credit_hours,
        hours_together=0,
        completed_on=timezone.localdate(completion.completed_at),
        content_revision=str(completion.course_revision_id or ""),
        url=course.get_full_url() or "",
    )
    user_id, args = completion.user_id, activity.to_task_args()
    transaction.on_commit(lambda: issue_certificate.enqueue(user_id, args))
