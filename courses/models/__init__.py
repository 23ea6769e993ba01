"""Models of the courses app: learners (accounts' profiles), and more as the app grows."""

from .learners import LearnerProfile, Profession
from .pages import CoursePage, ModulePage
from .progress import CourseCompletion, ModuleProgress, ModuleStatus

__all__ = [
    "CourseCompletion",
    "CoursePage",
    "ModulePage",
    "ModuleProgress",
    "ModuleStatus",
    "LearnerProfile",
    "Profession",
]
