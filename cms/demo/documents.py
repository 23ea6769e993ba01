"""Downloadable demo documents (PDF) for the demo site: the layouts, in ReportLab.

The words are data: titles, categories and descriptions in ``content/documents.yaml``, what
each PDF prints in ``content/pdfs.yaml``. The ``load_demo`` command stores
``document.render()`` for each of :data:`DEMO_DOCUMENTS` as ``<slug>.pdf``. Rendering is
deterministic (byte-identical output on every call), so a restored file is the very same file.

The content is written for nursing-home staff in Norwegian Bokmål. It follows the general shape
of the national guidance (Helsedirektoratet, FHI), keeps dosing generic and points to the
current national guideline as authoritative.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reportlab.lib.pagesizes import A4, A6
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Paragraph, Spacer

from cms.demo.texts import read

from .pdf_layout import (
    WARN,
    WARN_LIGHT,
    CanvasDrawing,
    ChartBox,
    DecisionChart,
    WriteLine,
    build_pdf,
    bullets,
    callout,
    make_styles,
    signature_block,
    text_table,
    tick_table,
    title_block,
)

__all__ = ["CATEGORIES", "DEMO_DOCUMENTS", "DemoDocument"]

CATEGORIES: dict[str, str] = {
    "pocket_card": "Lommekort",
    "flowchart": "Flytskjema",
    "checklist": "Sjekkliste",
    "guideline": "Veileder",
}

# The words printed in each PDF, by slug (content/pdfs.yaml); the layouts are the code below.
PDF_TEXTS: dict[str, dict] = read("pdfs")


@dataclass(frozen=True)
class DemoDocument:
    """A downloadable demo document and the metadata shown in listings.

    ``slug`` is ASCII and doubles as the file-name stem; ``category`` is one
    of the keys in :data:`CATEGORIES`.
    """

    slug: str
    title: str
    category: str
    description: str
    revised: datetime.date

    def __post_init__(self) -> None:
        if self.category not in CATEGORIES:
            raise ValueError(f"Unknown category {self.category!r}")
        if not self.slug.isascii():
            raise ValueError(f"Slug must be ASCII: {self.slug!r}")

    @property
    def filename(self) -> str:
        return f"{self.slug}.pdf"

    def render(self) -> bytes:
        """Return the document as PDF bytes; identical on every call."""
        try:
            builder = _BUILDERS[self.slug]
        except KeyError:
            raise LookupError(f"No PDF layout for demo document {self.slug!r}") from None
        return builder(self, PDF_TEXTS[self.slug])


def _build(doc: DemoDocument, story: list[Flowable], **layout: Any) -> bytes:
    return build_pdf(story, title=doc.title, subject=doc.description, revised=doc.revised, **layout)


def _rows(rows: list[list[str]]) -> list[tuple[str, ...]]:
    return [tuple(row) for row in rows]


# --- Lommekort (A6, two pages: front and back) ---------------------------------


def _render_pocket_card(doc: DemoDocument, texts: dict) -> bytes:
    styles = make_styles(base=7.8)
    back_styles = make_styles(base=8.4)
    margin = 7 * mm
    width = A6[0] - 2 * margin
    table = text_table(
        _rows(texts["table"]), [width * 0.29, width * 0.45, width * 0.26], styles, padding=3
    )
    front: list[Flowable] = [
        *title_block(styles, doc.title, texts["subtitle"]),
        table,
        Spacer(1, 5),
        callout(
            [Paragraph(texts["warning"], styles["small"])],
            width,
            fill=WARN_LIGHT,
            border=WARN,
            padding=4,
        ),
        Spacer(1, 4),
        Paragraph(texts["note"], styles["muted"]),
    ]
    back: list[Flowable] = [
        Paragraph(texts["back_title"], back_styles["title"]),
        bullets(texts["back_steps"], back_styles["body"], numbered=True),
        Spacer(1, 2),
        callout(
            [
                Paragraph(texts["back_box_title"], back_styles["cell_bold"]),
                Paragraph(texts["back_box_text"], back_styles["small"]),
            ],
            width,
            padding=4,
        ),
        Spacer(1, 5),
        Paragraph(texts["back_note"], back_styles["muted"]),
    ]
    return _build(
        doc,
        [*front, PageBreak(), *back],
        pagesize=A6,
        margins=(margin, margin, margin, 13 * mm),
        footer_size=5.8,
        keywords=("antibiotika", "sykehjem", "lommekort"),
    )


# --- Flytskjema (A4, drawn on the canvas) ---------------------------------------


def _box(spec: dict) -> ChartBox:
    return ChartBox(
        spec["title"], text=spec.get("text", ""), bullets=tuple(spec.get("bullets", ()))
    )


def _render_uti_flowchart(doc: DemoDocument, texts: dict) -> bytes:
    styles = make_styles(base=10)
    margin = 18 * mm
    chart = DecisionChart(
        start=_box(texts["start"]),
        question=_box(texts["question"]),
        no_steps=tuple(_box(step) for step in texts["no_steps"]),
        yes_steps=tuple(_box(step) for step in texts["yes_steps"]),
        note=_box(texts["note"]),
        warning=_box(texts["warning"]),
    )
    story: list[Flowable] = [
        *title_block(styles, doc.title, texts["subtitle"]),
        CanvasDrawing(chart.draw),
        Spacer(1, 3 * mm),
        Paragraph(texts["source"], styles["muted"]),
    ]
    return _build(
        doc,
        story,
        pagesize=A4,
        margins=(margin, margin, 15 * mm, 18 * mm),
        keywords=("urinveisinfeksjon", "sykehjem", "flytskjema"),
    )


# --- Sjekkliste (A4, tick boxes) -------------------------------------------------


def _render_checklist(doc: DemoDocument, texts: dict) -> bytes:
    styles = make_styles(base=9)
    margin = 16 * mm
    width = A4[0] - 2 * margin
    cell = styles["cell"]

    def section(spec: dict) -> Flowable:
        extra: tuple[Flowable, ...] = ()
        if "note_label" in spec:
            extra = (
                WriteLine(spec["note_label"], cell, height=19),
                WriteLine("", cell, height=19),
            )
        items = _rows(spec["items"])
        return KeepTogether(
            [Paragraph(spec["heading"], styles["h2"]), tick_table(items, width, styles), *extra]
        )

    story: list[Flowable] = [
        *title_block(styles, doc.title, texts["subtitle"]),
        *(section(spec) for spec in texts["sections"]),
        Spacer(1, 3 * mm),
    ]
    story.append(KeepTogether(signature_block(_rows(texts["signatures"]), width, cell)))
    return _build(
        doc,
        story,
        pagesize=A4,
        margins=(margin, margin, 14 * mm, 18 * mm),
        keywords=("sjekkliste", "antibiotika", "sykehjem"),
    )


# --- Kort veileder (A4) --------------------------------------------------------------


def _render_hygiene_guideline(doc: DemoDocument, texts: dict) -> bytes:
    styles = make_styles(base=9.5)
    margin = 20 * mm
    width = A4[0] - 2 * margin
    body, h2 = styles["body"], styles["h2"]

    def section(spec: dict) -> list[Flowable]:
        intro_para = [Paragraph(spec["intro"], body)] if spec.get("intro") else []
        return [Paragraph(spec["heading"], h2), *intro_para, bullets(spec["items"], body)]

    hands, protection = texts["hand_hygiene"], texts["protection"]
    moments = text_table(_rows(hands["moments"]), [width * 0.42, width * 0.58], styles)
    protection_table = text_table(_rows(protection["table"]), [width * 0.32, width * 0.68], styles)
    story: list[Flowable] = [
        *title_block(styles, doc.title, texts["subtitle"]),
        *section(texts["basic"]),
        Paragraph(hands["heading"], h2),
        Paragraph(hands["text"], body),
        Paragraph(hands["moments_heading"], styles["h3"]),
        moments,
        Paragraph(protection["heading"], h2),
        Paragraph(protection["text"], body),
        protection_table,
        *(flowable for spec in texts["sections"] for flowable in section(spec)),
        Spacer(1, 3 * mm),
        callout([Paragraph(texts["source"], styles["small"])], width),
    ]
    return _build(
        doc,
        story,
        pagesize=A4,
        margins=(margin, margin, 16 * mm, 20 * mm),
        keywords=("smittevern", "håndhygiene", "sykehjem"),
    )


_BUILDERS: dict[str, Callable[[DemoDocument, dict], bytes]] = {
    "lommekort-antibiotikabruk": _render_pocket_card,
    "flytskjema-urinveisinfeksjon": _render_uti_flowchart,
    "sjekkliste-for-oppstart-av-antibiotika": _render_checklist,
    "veileder-hygienetiltak-sykehjem": _render_hygiene_guideline,
}

# What the listings show comes from content/documents.yaml; the PDFs are drawn above.
DEMO_DOCUMENTS: tuple[DemoDocument, ...] = tuple(
    DemoDocument(**spec) for spec in read("documents")["documents"]
)
