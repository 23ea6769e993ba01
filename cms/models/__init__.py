"""Models of the programme site: documents (downloads), pages and site settings."""

from .content_version import ContentVersion
from .documents import ResourceCategory, ResourceDocument
from .pages import HomePage, ResourceIndexPage
from .site_settings import ProgrammeSettings

__all__ = [
    "ContentVersion",
    "HomePage",
    "ProgrammeSettings",
    "ResourceCategory",
    "ResourceDocument",
    "ResourceIndexPage",
]
