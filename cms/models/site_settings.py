"""Site-wide settings an editor changes in the admin: the programme's name, logo and issuer."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="cog")
class ProgrammeSettings(BaseSiteSetting):
    """What the site calls itself, who stands behind it and who signs its certificates."""

    programme_name = models.CharField(_("programme name"), max_length=120, default="")
    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    certificate_issuer = models.CharField(
        _("certificate issuer"),
        max_length=200,
        blank=True,
        help_text=_("The organisation named as issuer on course certificates."),
    )
    contact_email = models.EmailField(_("contact email"), blank=True)

    panels = [
        FieldPanel("programme_name"),
        FieldPanel("tagline"),
        FieldPanel("logo"),
        FieldPanel("certificate_issuer"),
        FieldPanel("contact_email"),
    ]

    class Meta:
        verbose_name = _("programme settings")
