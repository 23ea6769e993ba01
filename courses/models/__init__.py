"""Models of the courses app: course and module pages, learners' progress and completions."""

from .pages import CoursePage, ModulePage
from .progress import CourseCompletion, ModuleProgress, ModuleStatus

__all__ = [
    "CourseCompletion",
    "CoursePage",
    "ModulePage",
    "ModuleProgress",
    "ModuleStatus",
]
