"""The loader's bookkeeping: what one run did, which demo objects exist, and stored stream data.

``load_demo`` creates only what never existed and leaves every existing object exactly as it
is; ``reset_demo`` (``LoadReport(reset=True)``) puts the original content back and recreates
what an editor deleted. Both decide per object through :func:`demo_object_plan`.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from wagtail.models import Page

from cms.demo.models import DemoObject
from cms.demo.texts import strip_ids


@dataclass
class LoadReport:
    """What a run of the loader created, reset or left out, for the command to print."""

    reset: bool = False
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    # Demo objects an editor deleted: load_demo does not bring them back.
    skipped: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def demo_object_plan(
    report: LoadReport, *, key: str, label: str, legacy: Callable[[], models.Model | None]
) -> tuple[models.Model | None, bool]:
    """The demo object known as ``key`` (or None), and whether this run should write it.

    Writing means creating it when it is None, and putting its original content back when it
    exists. A plain load writes only what never existed; a reset writes everything. ``legacy``
    finds the object in a database loaded before objects were recorded (by its old identity,
    its slug or title); what it finds is recorded and kept as it is.
    """
    record = DemoObject.objects.filter(key=key).select_related("content_type").first()
    if record is not None:
        obj = record.target()
        if obj is None and not report.reset:
            report.skipped.append(label)
        return obj, report.reset
    obj = legacy()
    if obj is not None:
        demo_object_record(key=key, obj=obj)
        return obj, report.reset
    return None, True


def demo_object_record(*, key: str, obj: models.Model) -> None:
    """Remember that ``obj`` is the demo's ``key`` (replacing a record of a deleted one)."""
    model = obj.specific_class if isinstance(obj, Page) else type(obj)
    DemoObject.objects.update_or_create(
        key=key,
        defaults={
            "content_type": ContentType.objects.get_for_model(model),
            "object_id": str(obj.pk),
        },
    )


def _as_stored(data):
    # What the JSON column holds (decimals as strings), so comparisons see the stored form.
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def stream_data(model: type[models.Model], field_name: str, raw: list[dict]) -> list[dict]:
    """Blocks from the data files (``{type, value}``) in the StreamField's own stored form.

    The field's block reads them, so nested lists get their item wrappers and every block an id,
    exactly as the admin would store them.
    """
    block = model._meta.get_field(field_name).stream_block
    value = block.to_python(raw)
    for _child in value:
        pass  # binds each child, so it is stored in its current form, not passed through raw
    return _as_stored(block.get_prep_value(value))


def stream_differs(current, wanted: list[dict]) -> bool:
    """Whether a StreamField's value differs from ``wanted``, ignoring block ids."""
    return strip_ids(_as_stored(list(current.get_prep_value()))) != strip_ids(wanted)


def page_publish(page: Page, wanted: dict, report: LoadReport, label: str) -> None:
    """Set ``wanted`` on ``page`` and publish a revision, unless it is already live as wanted.

    Stream fields in ``wanted`` are stored-form lists (see :func:`stream_data`).
    """
    changed = False
    for name, value in wanted.items():
        current = getattr(page, name)
        if isinstance(value, list):
            if stream_differs(current, value):
                setattr(page, name, value)
                changed = True
        elif current != value:
            setattr(page, name, value)
            changed = True
    if changed or not page.live or page.has_unpublished_changes:
        page.save_revision().publish()
        if label not in report.created:
            report.updated.append(label)
