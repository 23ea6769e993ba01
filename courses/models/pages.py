"""Course editions and their modules as Wagtail pages."""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index

from courses.blocks import LessonBodyBlock


class QuizWarningPanel(HelpPanel):
    """Shown on a module's edit screen only while one of its quizzes is unpublished or deleted:
    learners then cannot pass the module, and the editor should know."""

    class BoundPanel(HelpPanel.BoundPanel):
        def is_shown(self):
            instance = self.instance
            return bool(instance.pk and instance.unavailable_quizzes())


class ViewRestrictionsInOneQuery:
    """Pages whose view restrictions (their own and their ancestors') are read in one query."""

    def get_view_restrictions(self):
        """The view restrictions of this page and its ancestors, in one query.

        The same rows as Wagtail's own (``Page.get_view_restrictions``): a page that is an alias
        contributes its source page's restrictions, every other page its own. Wagtail's
        ``before_serve_page`` check calls this for every request to the page (a module's quiz
        submissions included).
        """
        steplen = self.steplen
        paths = [self.path[:end] for end in range(steplen, len(self.path) + 1, steplen)]
        # Written out: the ORM spends longer building this query than the database running it.
        placeholders = ", ".join(["%s"] * len(paths))
        chain = RawSQL(  # noqa: S611 - the paths are bound parameters; only "%s" is written in
            f"SELECT COALESCE(alias_of_id, id) FROM {Page._meta.db_table} "  # noqa: S608
            f"WHERE path IN ({placeholders})",
            paths,
        )
        return PageViewRestriction.objects.filter(page_id__in=chain)


def _this_year() -> int:
    import datetime

    return datetime.date.today().year


class CoursePage(ViewRestrictionsInOneQuery, Page):
    """One yearly edition of the e-learning course: its modules are its child pages."""

    year = models.PositiveSmallIntegerField(_("year"), default=_this_year)
    description = RichTextField(_("description"), blank=True,
                                features=["bold", "italic", "link", "ol", "ul"])  # fmt: skip
    credit_hours = models.DecimalField(
        _("course credit (hours)"), max_digits=4, decimal_places=1, default=2,
        validators=[MinValueValidator(0)],
    )  # fmt: skip
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated time (minutes)"), default=120)

    content_panels = [
        *Page.content_panels,
        FieldPanel("year"),
        FieldPanel("description"),
        FieldPanel("credit_hours"),
        FieldPanel("estimated_minutes"),
        HelpPanel(template="courses/admin/course_stats_panel.html", heading=_("Learners")),
    ]
    search_fields = [*Page.search_fields, index.SearchField("description")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["courses.ModulePage"]

    class Meta:
        verbose_name = _("course")

    def modules(self):
        return ModulePage.objects.child_of(self).live().order_by("path")

    def get_context(self, request, *args, **kwargs):
        from courses.selectors import course_overview

        context = super().get_context(request, *args, **kwargs)
        context["overview"] = course_overview(course=self, user=request.user, request=request)
        return context


class ModulePage(ViewRestrictionsInOneQuery, RoutablePageMixin, Page):
    """One module (about 30 minutes): lesson sections, one per page, usually ending in a quiz."""

    summary = models.TextField(_("summary"), blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated time (minutes)"), default=30)
    body = StreamField(LessonBodyBlock(), verbose_name=_("lesson"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("estimated_minutes"),
        FieldPanel("body"),
        QuizWarningPanel(
            template="courses/admin/module_quiz_panel.html",
            heading=_("Quizzes that learners cannot take"),
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("module")

    @property
    def sections(self) -> list:
        return [block for block in self.body if block.block_type == "section"]

    def section_ids(self) -> list[str]:
        """The ids of the sections, in order (read from the stored body: no blocks are built)."""
        return [item["id"] for item in self.body.raw_data if item["type"] == "section"]

    def quiz_ids(self) -> list[int | None]:
        """The quiz id of every quiz block, in order, from the stored body (no queries; an id
        may name a quiz that was deleted since, ``None`` a block whose quiz was cleared)."""
        return [
            item["value"].get("quiz")
            for section in self.body.raw_data
            if section["type"] == "section"
            for item in section["value"].get("content", [])
            if item["type"] == "quiz"
        ]

    def quiz_choices(self) -> list:
        """The quiz of every quiz block, in order; ``None`` where the quiz was deleted."""
        return [
            item.value["quiz"]
            for section in self.sections
            for item in section.value["content"]
            if item.block_type == "quiz"
        ]

    def quizzes(self) -> list:
        """The quizzes that still exist (published or not)."""
        return [quiz for quiz in self.quiz_choices() if quiz is not None]

    def unavailable_quizzes(self) -> list:
        """Quizzes of this module that learners cannot take now (``None``: deleted)."""
        return [quiz for quiz in self.quiz_choices() if quiz is None or not quiz.is_available]

    @path("")
    def first_section(self, request):
        return self.section_view(request, 1)

    @path("<int:number>/")
    def section_view(self, request, number: int):
        """Section ``number`` (1-based); opening it is recorded for a logged-in learner."""
        from courses.services import module_section_opened

        sections = self.sections
        if not 1 <= number <= len(sections):
            raise Http404("No such section.")
        section = sections[number - 1]
        if request.user.is_authenticated and not getattr(request, "is_preview", False):
            module_section_opened(user=request.user, module=self, section_id=section.id)
        return self.render(
            request,
            context_overrides={
                "section": section,
                "section_number": number,
                "section_count": len(sections),
            },
        )

    @path("quiz/", name="quiz_submit")
    def quiz_submit(self, request):
        from courses.quiz_views import module_quiz_submit

        return module_quiz_submit(request, self)

    @path("quiz/<uuid:token>/", name="quiz_result")
    def quiz_result(self, request, token):
        from courses.quiz_views import module_quiz_result

        return module_quiz_result(request, self, token)
