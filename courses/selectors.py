"""Reads shared by course pages, Min side and the admin: progress overviews and statistics."""

from dataclasses import dataclass

from django.db.models import Q

from courses.models.pages import CoursePage, ModulePage
from courses.models.progress import CourseCompletion, ModuleProgress, ModuleStatus


@dataclass(frozen=True)
class ModuleRow:
    """One module of a course as one learner sees it."""

    module: ModulePage
    status: str
    status_label: str
    url: str


@dataclass(frozen=True)
class CourseOverview:
    """A course edition with the learner's place in it."""

    course: CoursePage
    modules: list[ModuleRow]
    passed_count: int
    percent: int
    continue_url: str | None
    completion: CourseCompletion | None

    @property
    def started(self) -> bool:
        return any(row.status != ModuleStatus.NOT_STARTED for row in self.modules)


def course_overview(*, course: CoursePage, user, request=None) -> CourseOverview:
    """Modules with status, percentage passed and where to continue (in three queries).

    The course's live modules (titles and summaries, not their lesson bodies) are kept in
    memory under the content version (``cms.layoutcache``: publishing or moving a module
    changes it); only the learner's own rows are read on every request. With ``request``,
    Wagtail reads the site root paths once for every module's URL.
    """
    from cms import layoutcache

    modules = layoutcache.cached(
        "course-modules", (course.pk,), lambda: tuple(course.modules().defer("body"))
    )
    progress = {}
    completion = None
    if user.is_authenticated:
        progress = {
            row.module_id: row
            for row in ModuleProgress.objects.filter(user=user, module__in=modules)
        }
        completion = CourseCompletion.objects.filter(user=user, course=course).first()
    return _overview(course, modules, progress, completion, request)


def _overview(course, modules, progress, completion, request=None) -> CourseOverview:
    """The overview from rows already read (``progress`` by module id); no queries."""
    labels = dict(ModuleStatus.choices)
    rows, continue_url, latest = [], None, None
    for module in modules:
        record = progress.get(module.pk)
        status = record.status if record else ModuleStatus.NOT_STARTED
        url = module_url = module.get_url(request)
        if record and status != ModuleStatus.PASSED:
            url = f"{module_url}{record.last_section}/"
            if latest is None or record.updated_at > latest.updated_at:
                latest, continue_url = record, url
        rows.append(ModuleRow(module, status, str(labels[status]), url))
    if continue_url is None:
        continue_url = next((row.url for row in rows if row.status != ModuleStatus.PASSED), None)
    passed = sum(row.status == ModuleStatus.PASSED for row in rows)
    percent = round(100 * passed / len(rows)) if rows else 0
    return CourseOverview(course, rows, passed, percent, continue_url, completion)


def learner_courses(*, user) -> list[CourseOverview]:
    """Every live course the learner has started or completed, newest year first (Min side).

    Four queries however many courses: progress, completions, courses, their modules.
    """
    progress = list(ModuleProgress.objects.filter(user=user).select_related("module"))
    completions = {row.course_id: row for row in CourseCompletion.objects.filter(user=user)}
    started = {row.module.path[: -ModulePage.steplen] for row in progress}
    courses = list(
        CoursePage.objects.live()
        .filter(Q(pk__in=completions) | Q(path__in=started))
        .order_by("-year", "title")
    )
    if not courses:
        return []
    modules: dict[str, list[ModulePage]] = {course.path: [] for course in courses}
    children = Q()
    for course in courses:
        children |= Q(path__startswith=course.path, depth=course.depth + 1)
    for module in ModulePage.objects.live().filter(children).defer("body").order_by("path"):
        modules[module.path[: -ModulePage.steplen]].append(module)
    by_module = {row.module_id: row for row in progress}
    return [
        _overview(course, modules[course.path], by_module, completions.get(course.pk))
        for course in courses
    ]


def course_learner_counts(course: CoursePage) -> dict[str, int]:
    """For editors: how many learners are in progress and how many completed this edition."""
    completed = CourseCompletion.objects.filter(course=course).count()
    started = (
        ModuleProgress.objects.filter(module__in=ModulePage.objects.child_of(course))
        .values("user")
        .distinct()
        .count()
    )
    return {"completed": completed, "in_progress": max(started - completed, 0)}
