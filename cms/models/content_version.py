"""The shared content version when there is no Redis: one row every process of the site reads."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContentVersion(models.Model):
    """A counter raised after every content change; cached pages and fragments carry the value
    they were made under, and a higher value makes them stale in every process.

    Only used without Redis (the embedded default): web server and worker share this row, so a
    page published by the worker's scheduled publishing is never served stale by the web server.
    """

    value = models.BigIntegerField(_("value"), default=0)

    class Meta:
        verbose_name = _("content version")
        verbose_name_plural = _("content versions")

    def __str__(self) -> str:
        return str(self.value)
