"""The downloadable resource: a Wagtail document with category, description and revision date."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.documents.models import AbstractDocument, Document
from wagtail.search import index

from videos.ranges import content_disposition


class ResourceCategory(models.TextChoices):
    """The kinds of printable material the programme publishes."""

    POCKET_CARD = "pocket_card", _("Pocket card")
    FLOWCHART = "flowchart", _("Flowchart")
    CHECKLIST = "checklist", _("Checklist")
    GUIDELINE = "guideline", _("Short guideline")
    OTHER = "other", _("Other material")


class ResourceDocument(AbstractDocument):
    """A file in the document library; with a category it is listed on the resources page.

    Documents without a category are still downloadable (for example from a page that links to
    them) but are not listed, so editors can keep working files in the library.
    """

    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("One or two sentences shown with the download."),
    )
    category = models.CharField(
        _("category"),
        max_length=32,
        choices=ResourceCategory.choices,
        blank=True,
        help_text=_("Choose a category to list the file on the resources page."),
    )
    revised_on = models.DateField(
        _("revised on"),
        null=True,
        blank=True,
        help_text=_("The date the content of the file was last revised; shown to visitors."),
    )

    admin_form_fields = (*Document.admin_form_fields, "description", "category", "revised_on")

    search_fields = [
        *AbstractDocument.search_fields,
        index.SearchField("description"),
        index.FilterField("category"),
    ]

    class Meta(AbstractDocument.Meta):
        permissions = [("choose_document", "Can choose document")]

    @property
    def content_disposition(self) -> str:
        # Always a download with the real file name (in ASCII and in UTF-8 for names with æøå):
        # visitors come for a file to keep and print. Built where video files build theirs.
        return content_disposition(self.filename, attachment=True)

    @property
    def url(self) -> str:
        """The public download URL, served by ``cms.downloads.serve``."""
        return reverse("document_download", args=[self.pk, self.filename])

    @property
    def file_type_label(self) -> str:
        """The extension as people say it: "PDF", "DOCX"."""
        return self.file_extension.upper()
