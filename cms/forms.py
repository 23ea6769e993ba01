"""Admin upload forms for documents and images that refuse an upload the store cannot take.

Wagtail saves the file in its view, after the form is valid, so a store that is down would fail
there with a 500. These forms (``WAGTAILDOCS_DOCUMENT_FORM_BASE`` and
``WAGTAILIMAGES_IMAGE_FORM_BASE``) ask the store one cheap question while validating an upload,
and turn "unreachable" into an error on the file field: the editor sees why, keeps the form, and
nothing is stored. The error is on the file field so that Wagtail's multiple uploader reports it
instead of keeping the file for later.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm

from cms.storage import storage_probe
from videos.storeerrors import STORE_UNAVAILABLE_ERRORS

STORE_UNAVAILABLE_MESSAGE = _(
    "The file store is temporarily unavailable, so the file was not saved. "
    "Please try again in a few minutes."
)


class StoreCheckMixin:
    """Adds a file-field error when a new file is uploaded while the store does not answer."""

    def clean(self):
        cleaned_data = super().clean()
        if "file" in self.fields and self.files.get(self.add_prefix("file")) is not None:
            storage = self._meta.model._meta.get_field("file").storage
            try:
                storage_probe(storage)
            except STORE_UNAVAILABLE_ERRORS:
                self.add_error("file", STORE_UNAVAILABLE_MESSAGE)
        return cleaned_data


class DocumentForm(StoreCheckMixin, BaseDocumentForm):
    """Wagtail's document form, checking the store before an upload is accepted."""


class ImageForm(StoreCheckMixin, BaseImageForm):
    """Wagtail's image form, checking the store before an upload is accepted."""
