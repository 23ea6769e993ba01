"""Learners: the profile behind an account, and the editable list of professions.

An account (Django's user, managed by django-allauth) signs in with an email address. What a
certificate needs about the person lives in ``LearnerProfile``: the full name exactly as it should
be printed, the profession and the workplace. Nothing else is kept about a learner.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

__all__ = ["LearnerProfile", "Profession"]


class Profession(models.Model):
    """A profession a learner can choose (nurse, care worker, doctor, other); editors keep the list.

    The demo loader seeds the first list (``accounts.services.ensure_professions``); after that
    the list belongs to the editors, who manage it as a snippet.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    sort_order = models.PositiveSmallIntegerField(
        _("sort order"), default=0, help_text=_("Lower numbers come first in the list.")
    )

    panels = [FieldPanel("name"), FieldPanel("sort_order")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("profession")
        verbose_name_plural = _("professions")

    def __str__(self) -> str:
        return self.name


class LearnerProfile(models.Model):
    """What a certificate needs to know about one learner; one per account.

    Deleting an account removes this row (``accounts.services.learner_delete``); the anonymised
    user row stays, so statistics that point at it keep their numbers.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="learner_profile",
    )
    full_name = models.CharField(
        _("full name"),
        max_length=200,
        help_text=_("Your name as it should appear on a certificate."),
    )
    profession = models.ForeignKey(
        Profession,
        verbose_name=_("profession"),
        null=True,
        blank=True,
        # Editors may delete a profession from the list; learners who had it just choose again.
        on_delete=models.SET_NULL,
        related_name="learners",
    )
    workplace = models.CharField(
        _("workplace"),
        max_length=200,
        blank=True,
        help_text=_("For example the name of your nursing home or municipality."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("learner profile")
        verbose_name_plural = _("learner profiles")

    def __str__(self) -> str:
        return self.full_name
