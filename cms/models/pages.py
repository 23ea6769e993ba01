"""The open programme page (the site root) and the resources page."""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.blocks import ActivityBlock
from cms.models.documents import ResourceCategory
from cms.selectors import resource_groups


def _this_year() -> int:
    return datetime.date.today().year


class HomePage(Page):
    """The programme's public front page: what it is and this year's activities."""

    intro = RichTextField(
        _("introduction"), blank=True, features=["bold", "italic", "link", "ol", "ul"]
    )
    year = models.PositiveSmallIntegerField(
        _("year"), default=_this_year, help_text=_("The year the activities belong to.")
    )
    activities = StreamField(ActivityBlock(), blank=True, verbose_name=_("this year's activities"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("year"),
        FieldPanel("activities"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cms.ResourceIndexPage", "courses.CoursePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("programme page")


class ResourceIndexPage(Page):
    """Lists every categorised download (pocket cards, flowcharts, checklists, guidelines)."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("resources page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        category = request.GET.get("category", "")
        context["groups"] = resource_groups(category=category)
        context["active_category"] = category
        context["categories"] = ResourceCategory.choices
        return context
