"""What the demo loader has made, so that a later run leaves it alone."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class DemoObject(models.Model):
    """One object the demo loader created (or found from before this record existed).

    The ``key`` is the demo's stable name for it (``page:home``, ``quiz:smittevern``, ...), so an
    object is known by what it is in the demo, not by its title, which editors may change. The
    row outlives the object: a row whose object is gone means an editor deleted it, and
    ``load_demo`` does not bring it back (``reset_demo`` does).
    """

    key = models.CharField(_("demo key"), max_length=120, unique=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("demo object")
        verbose_name_plural = _("demo objects")

    def __str__(self) -> str:
        return self.key

    def target(self):
        """The object itself, or None once it has been deleted."""
        model = self.content_type.model_class()
        if model is None:
            return None
        return model._default_manager.filter(pk=self.object_id).first()
