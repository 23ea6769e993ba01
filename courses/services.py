"""Every write that matters for courses: learners' progress through modules, and completions.

The learner's profile and account live in ``accounts.services``.
"""

from django.db import transaction
from django.utils import timezone

from certificates.activities import CompletedActivity
from certificates.tasks import issue_certificate
from courses.models.progress import CourseCompletion, ModuleProgress, ModuleStatus


def _progress_for_update(*, user, module) -> ModuleProgress:
    progress, _created = ModuleProgress.objects.get_or_create(user=user, module=module)
    return ModuleProgress.objects.select_for_update().get(pk=progress.pk)


def module_section_opened(*, user, module, section_id: str) -> ModuleProgress:
    """Record that the learner opened a section of a module (for "continue where you left off")."""
    ids = module.section_ids()
    if section_id not in ids:
        raise ValueError("The section is not part of this module.")
    with transaction.atomic():
        progress = _progress_for_update(user=user, module=module)
        if section_id not in progress.sections_opened:
            progress.sections_opened = [*progress.sections_opened, section_id]
        progress.last_section = ids.index(section_id) + 1
        progress.save()
    return module_evaluate(user=user, module=module)


def module_evaluate(*, user, module) -> ModuleProgress:
    """Pass the module once every section has been opened and every quiz in it passed.

    Then, if that was the last module, record the course completion (exactly once). A quiz
    that was deleted, or unpublished before the learner passed it, keeps the module from
    passing until it is back: a missing quiz must not make a module pass silently.
    """
    from quizzes.selectors import quiz_passed

    with transaction.atomic():
        progress = _progress_for_update(user=user, module=module)
        if progress.status != ModuleStatus.PASSED:
            opened = set(progress.sections_opened) >= set(module.section_ids())
            quizzes_passed = all(
                quiz is not None and quiz_passed(quiz=quiz, user=user)
                for quiz in module.quiz_choices()
            )
            if opened and quizzes_passed:
                progress.status, progress.passed_at = ModuleStatus.PASSED, timezone.now()
                progress.save()
    if progress.status == ModuleStatus.PASSED:
        course = module.get_parent().specific
        course_completion_record(user=user, course=course)
    return progress


def course_completion_record(*, user, course) -> CourseCompletion | None:
    """Record that ``user`` completed ``course`` when every live module is passed; once only.

    Safe to call any number of times, also from two requests at the same moment: the unique
    constraint decides, and the loser reads the winner's row. Only the call that created the
    completion asks for its certificate, in a task after commit, so a quiz submission never
    waits for a PDF.
    """
    module_ids = list(course.modules().values_list("pk", flat=True))
    if not module_ids:
        return None
    passed = ModuleProgress.objects.filter(
        user=user, module_id__in=module_ids, status=ModuleStatus.PASSED
    ).count()
    if passed < len(module_ids):
        return None
    completion, created = CourseCompletion.objects.get_or_create(
        user=user, course=course,
        defaults={"credit_hours": course.credit_hours, "course_revision": course.live_revision},
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
