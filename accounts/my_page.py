"""Min side is made of sections: the account's own part (here), and parts other apps add.

Accounts sits below the apps that know what a learner has done (courses now; certificates and
institutions later), so it must not import them. Each of those apps adds its part through the
Wagtail hook ``register_my_page_section``: a function ``(request) -> MyPageSection | None``
registered in the app's ``wagtail_hooks.py``. Min side shows the sections by ``order``, above
the learner's details and account.
"""

from dataclasses import dataclass, field

from wagtail import hooks

MY_PAGE_SECTION_HOOK = "register_my_page_section"


@dataclass(frozen=True)
class MyPageSection:
    """One part of Min side: a template included with ``section`` in its context."""

    template: str
    context: dict = field(default_factory=dict)
    order: int = 100
    stylesheets: tuple[str, ...] = ()


def my_page_sections(request) -> list[MyPageSection]:
    """The sections other apps give for the signed-in learner of ``request``, in order."""
    sections = [hook(request) for hook in hooks.get_hooks(MY_PAGE_SECTION_HOOK)]
    sections = [section for section in sections if section is not None]
    return sorted(sections, key=lambda section: section.order)
