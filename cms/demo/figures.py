"""The demo course's figures: pictures drawn here with Pillow, so no image file is shipped.

Each figure is a Wagtail image made once (like every demo object) in the root collection; an
editor's changes to it are kept. The words of its legend and its alt text are in
``content/course.yaml`` beside the lesson that shows it.
"""

import io

from django.core.files.images import ImageFile
from django.db import transaction
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.images import get_image_model
from wagtail.models import Collection

from cms.demo.records import LoadReport, demo_object_plan, demo_object_record

# Colours with at least 3:1 contrast against the white background (WCAG non-text contrast).
_MARKED = (176, 58, 46)
_OTHER = (110, 117, 125)
_TEXT = (33, 37, 41)


def _people_grid(*, marked: int, legend: list[str]) -> bytes:
    """A 16:9 PNG of 100 people as dots, ``marked`` filled in, with a legend beside them."""
    width, height, size, gap = 1120, 630, 38, 14
    picture = PILImage.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(picture)
    left, top = 50, 55
    for index in range(100):
        row, column = divmod(index, 10)
        x = left + column * (size + gap)
        y = top + row * (size + gap)
        colour = _MARKED if index < marked else _OTHER
        draw.ellipse((x, y, x + size, y + size), fill=colour if index < marked else None,
                     outline=colour, width=4)  # fmt: skip
    font = ImageFont.load_default(size=30)
    text_left = left + 10 * (size + gap) + 40
    for line, (colour, words) in enumerate(zip((_MARKED, _OTHER, _TEXT), legend, strict=False)):
        y = top + 40 + line * 90
        if line < 2:
            filled = colour if line == 0 else None
            draw.ellipse((text_left, y, text_left + size, y + size), fill=filled,
                         outline=colour, width=4)  # fmt: skip
        draw.text((text_left + size + 16, y), words, fill=_TEXT, font=font)
    out = io.BytesIO()
    picture.save(out, format="PNG", optimize=True)
    return out.getvalue()


def ensure_figure(report: LoadReport, name: str, spec: dict):
    """The demo figure ``name`` (a Wagtail image), made from ``spec`` if it never existed."""
    Image = get_image_model()
    key = f"image:{name}"
    label = f"figure {spec['title']!r}"
    image, write = demo_object_plan(
        report, key=key, label=label,
        legacy=lambda: Image.objects.filter(title=spec["title"]).order_by("pk").first(),
    )  # fmt: skip
    if image is not None and not write:
        return image
    if image is None and not write:
        return None
    png = _people_grid(marked=spec["marked"], legend=spec["legend"])
    replaced = None
    if image is None:
        image = Image(title=spec["title"], collection=Collection.get_first_root_node())
        report.created.append(label)
    else:
        # A reset: the original picture back, and the file it replaces and its renditions gone
        # (Wagtail deletes a rendition's file with its row).
        replaced = image.file.name
        image.renditions.all().delete()
        report.updated.append(label)
    image.title = spec["title"]
    image.file = ImageFile(io.BytesIO(png), name=f"{name}.png")
    image._set_image_file_metadata()  # size and hash, as Wagtail's upload form sets them
    image.save()
    if replaced and replaced != image.file.name:
        storage = image.file.storage
        transaction.on_commit(lambda: storage.delete(replaced))
    demo_object_record(key=key, obj=image)
    return image
