"""Reads shared by course pages, Min side and the admin: progress overviews and statistics."""

from dataclasses import dataclass

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


def course_overview(*, course: CoursePage, user) -> CourseOverview:
    """Modules with status, percentage passed and where to continue (in three queries)."""
    modules = list(course.modules())
    progress = {}
    if user.is_authenticated:
        progress = {
            row.module_id: row
            for row in ModuleProgress.objects.filter(user=user, module__in=modules)
        }
    labels = dict(ModuleStatus.choices)
    rows, continue_url, latest = [], None, None
    for module in modules:
        record = progress.get(module.pk)
        status = record.status if record else ModuleStatus.NOT_STARTED
        url = module.url
        if record and status != ModuleStatus.PASSED:
            url = f"{module.url}{record.last_section}/"
            if latest is None or record.updated_at > latest.updated_at:
                latest, continue_url = record, url
        rows.append(ModuleRow(module, status, str(labels[status]), url))
    if continue_url is None:
        continue_url = next((row.url for row in rows if row.status != ModuleStatus.PASSED), None)
    passed = sum(row.status == ModuleStatus.PASSED for row in rows)
    completion = None
    if user.is_authenticated:
        completion = CourseCompletion.objects.filter(user=user, course=course).first()
    percent = round(100 * passed / len(rows)) if rows else 0
    return CourseOverview(course, rows, passed, percent, continue_url, completion)


def learner_courses(*, user) -> list[CourseOverview]:
    """Every course the learner has started or completed, newest activity first (Min side)."""
    course_ids = set(ModulePage.objects.filter(progress__user=user).values_list("path", flat=True))
    courses = [
        course
        for course in CoursePage.objects.live().order_by("-year", "title")
        if any(path.startswith(course.path) for path in course_ids)
        or course.completions.filter(user=user).exists()
    ]
    return [course_overview(course=course, user=user) for course in courses]


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
