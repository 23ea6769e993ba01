"""Shared ReportLab layout helpers for the demo PDF documents.

Everything here is deliberately deterministic: the canvas runs in ReportLab's
invariant mode, and the embedded creation/modification dates and the file ID
are derived from the document's revision date, so the same input always yields
identical bytes regardless of clock, time zone or SOURCE_DATE_EPOCH.
"""

from __future__ import annotations

import datetime
import hashlib
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    ListFlowable,
    ListItem,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)

from cms.demo.texts import read

PROGRAMME_NAME = read("programme")["settings"]["programme_name"]
AUTHOR = PROGRAMME_NAME
PROGRAMME = PROGRAMME_NAME

# Contrast against white: INK ~17:1, ACCENT ~9:1, MUTED ~8.5:1, WARN ~9:1.
# Light fills only ever sit behind INK/ACCENT/WARN text, which stays above 4.5:1.
INK = colors.HexColor("#1A1A1A")
MUTED = colors.HexColor("#4D4D4D")
ACCENT = colors.HexColor("#0B4F6C")
ACCENT_LIGHT = colors.HexColor("#E4EFF4")
WARN = colors.HexColor("#8A1C1C")
WARN_LIGHT = colors.HexColor("#FBECEC")
RULE = colors.HexColor("#8C8C8C")

MONTHS_NB = (
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
)


def format_date_nb(value: datetime.date) -> str:
    """Return a date in Norwegian long form, e.g. "1. mars 2026"."""
    return f"{value.day}. {MONTHS_NB[value.month - 1]} {value.year}"


def make_styles(base: float = 9.5) -> dict[str, ParagraphStyle]:
    """Paragraph styles in the Helvetica family, scaled from a base font size."""
    body = ParagraphStyle(
        "body",
        fontName="Helvetica",
        fontSize=base,
        leading=base * 1.3,
        textColor=INK,
        alignment=TA_LEFT,
        spaceAfter=base * 0.4,
    )
    return {
        "body": body,
        "small": ParagraphStyle(
            "small",
            parent=body,
            fontSize=base * 0.85,
            leading=base * 1.1,
            spaceAfter=0,
        ),
        "muted": ParagraphStyle(
            "muted",
            parent=body,
            fontSize=base * 0.85,
            leading=base * 1.1,
            textColor=MUTED,
            spaceAfter=0,
        ),
        "cell": ParagraphStyle(
            "cell",
            parent=body,
            fontSize=base * 0.92,
            leading=base * 1.15,
            spaceAfter=0,
        ),
        "cell_bold": ParagraphStyle(
            "cell_bold",
            parent=body,
            fontName="Helvetica-Bold",
            fontSize=base * 0.92,
            leading=base * 1.15,
            spaceAfter=0,
        ),
        "cell_head": ParagraphStyle(
            "cell_head",
            parent=body,
            fontName="Helvetica-Bold",
            fontSize=base * 0.92,
            leading=base * 1.15,
            textColor=colors.white,
            spaceAfter=0,
        ),
        "kicker": ParagraphStyle(
            "kicker",
            parent=body,
            fontName="Helvetica-Bold",
            fontSize=base * 0.85,
            leading=base * 1.1,
            textColor=ACCENT,
            spaceAfter=base * 0.3,
        ),
        "title": ParagraphStyle(
            "title",
            parent=body,
            fontName="Helvetica-Bold",
            fontSize=base * 1.9,
            leading=base * 2.25,
            textColor=INK,
            spaceAfter=base * 0.35,
        ),
        "lead": ParagraphStyle(
            "lead",
            parent=body,
            fontSize=base * 1.05,
            leading=base * 1.4,
            textColor=INK,
            spaceAfter=base * 0.8,
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=body,
            fontName="Helvetica-Bold",
            fontSize=base * 1.25,
            leading=base * 1.5,
            textColor=ACCENT,
            spaceBefore=base * 0.8,
            spaceAfter=base * 0.35,
            keepWithNext=1,
        ),
        "h3": ParagraphStyle(
            "h3",
            parent=body,
            fontName="Helvetica-Bold",
            fontSize=base,
            leading=base * 1.3,
            textColor=INK,
            spaceBefore=base * 0.4,
            spaceAfter=base * 0.2,
            keepWithNext=1,
        ),
        "box": ParagraphStyle(
            "box",
            parent=body,
            fontSize=base * 0.95,
            leading=base * 1.22,
            spaceAfter=0,
        ),
        "box_head": ParagraphStyle(
            "box_head",
            parent=body,
            fontName="Helvetica-Bold",
            fontSize=base * 1.05,
            leading=base * 1.3,
            spaceAfter=base * 0.2,
        ),
    }


def title_block(
    styles: dict[str, ParagraphStyle],
    title: str,
    lead: str | None = None,
    kicker: str = PROGRAMME,
) -> list[Flowable]:
    """Programme name, document title, optional lead paragraph and a rule."""
    parts: list[Flowable] = [Paragraph(kicker, styles["kicker"]), Paragraph(title, styles["title"])]
    if lead:
        parts.append(Paragraph(lead, styles["lead"]))
    parts.append(Rule(ACCENT, 1.2, space_after=styles["body"].fontSize * 0.6))
    return parts


def bullets(
    items: Iterable[str],
    style: ParagraphStyle,
    numbered: bool = False,
) -> ListFlowable:
    """A bulleted (or numbered) list whose items wrap with a hanging indent."""
    size = style.fontSize
    return ListFlowable(
        [ListItem(Paragraph(text, style), leftIndent=size * 1.4) for text in items],
        bulletType="1" if numbered else "bullet",
        start=None if numbered else "\u2022",
        bulletFontName="Helvetica-Bold" if numbered else "Helvetica",
        bulletFontSize=size,
        bulletColor=ACCENT,
        leftIndent=size * 1.4,
        bulletFormat="%s." if numbered else None,
        spaceAfter=size * 0.4,
    )


def callout(
    content: Sequence[Flowable],
    width: float,
    *,
    fill: colors.Color = ACCENT_LIGHT,
    border: colors.Color = ACCENT,
    padding: float = 6,
) -> Table:
    """A shaded box with a coloured left border for notes and warnings."""
    table = Table([[list(content)]], colWidths=[width])
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), fill),
                ("LINEBEFORE", (0, 0), (0, -1), 3, border),
                ("LEFTPADDING", (0, 0), (-1, -1), padding + 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), padding),
                ("TOPPADDING", (0, 0), (-1, -1), padding),
                ("BOTTOMPADDING", (0, 0), (-1, -1), padding),
            ]
        )
    )
    return table


def grid_table(
    rows: Sequence[Sequence[Any]],
    col_widths: Sequence[float],
    *,
    header: bool = True,
    zebra: bool = True,
    padding: float = 4,
) -> Table:
    """A table with an accent header row, light row banding and thin rules."""
    table = Table(list(rows), colWidths=list(col_widths), repeatRows=1 if header else 0)
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), padding),
        ("RIGHTPADDING", (0, 0), (-1, -1), padding),
        ("TOPPADDING", (0, 0), (-1, -1), padding * 0.75),
        ("BOTTOMPADDING", (0, 0), (-1, -1), padding * 0.9),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), ACCENT))
    if zebra:
        for row in range(1 if header else 0, len(rows), 2):
            commands.append(("BACKGROUND", (0, row), (-1, row), ACCENT_LIGHT))
    table.setStyle(TableStyle(commands))
    return table


def text_table(
    rows: Sequence[Sequence[str]],
    col_widths: Sequence[float],
    styles: dict[str, ParagraphStyle],
    padding: float = 4,
) -> Table:
    """A :func:`grid_table` from strings: first row is the header, first column bold."""
    head, *body = rows
    cells = [[Paragraph(text, styles["cell_head"]) for text in head]]
    for row in body:
        first, *rest = row
        cells.append(
            [Paragraph(first, styles["cell_bold"])] + [Paragraph(t, styles["cell"]) for t in rest]
        )
    return grid_table(cells, col_widths, padding=padding)


def tick_table(
    items: Sequence[tuple[str, str]], width: float, styles: dict[str, ParagraphStyle]
) -> Table:
    """Checklist rows: a tick box, the item text and a muted hint for what to write."""
    rows = [
        [
            TickBox(styles["cell"].fontSize - 0.5),
            Paragraph(text, styles["cell"]),
            Paragraph(hint, styles["muted"]),
        ]
        for text, hint in items
    ]
    box_col = 7 * mm
    table = Table(rows, colWidths=[box_col, width * 0.56, width * 0.44 - box_col])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                # Row height leaves room to write values by hand on the rule.
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                ("TOPPADDING", (0, 0), (0, -1), 5),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
            ]
        )
    )
    return table


def signature_block(
    labels: Sequence[tuple[str, str]], width: float, style: ParagraphStyle
) -> Table:
    """Pairs of labelled write-on lines, e.g. ("Navn:", "Signatur:")."""
    table = Table(
        [[WriteLine(left, style), WriteLine(right, style)] for left, right in labels],
        colWidths=[width * 0.55, width * 0.45],
    )
    table.setStyle(
        TableStyle(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (0, -1), 10),
                ("RIGHTPADDING", (1, 0), (1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return table


class Rule(Flowable):
    """A horizontal line across the available width."""

    def __init__(
        self,
        color: colors.Color = RULE,
        thickness: float = 0.5,
        space_before: float = 0,
        space_after: float = 4,
    ) -> None:
        super().__init__()
        self.color = color
        self.thickness = thickness
        self.spaceBefore = space_before
        self.spaceAfter = space_after
        self.width = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        return availWidth, self.thickness

    def draw(self) -> None:
        self.canv.setStrokeColor(self.color)
        self.canv.setLineWidth(self.thickness)
        self.canv.line(0, self.thickness / 2, self.width, self.thickness / 2)


class TickBox(Flowable):
    """An empty square to tick by hand."""

    def __init__(self, size: float = 9) -> None:
        super().__init__()
        self.size = size

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        self.canv.setStrokeColor(INK)
        self.canv.setLineWidth(0.9)
        self.canv.setFillColor(colors.white)
        self.canv.rect(0, 0, self.size, self.size, stroke=1, fill=1)


class WriteLine(Flowable):
    """A labelled blank line to write on (e.g. "Signatur: ________")."""

    def __init__(self, label: str, style: ParagraphStyle, height: float = 16) -> None:
        super().__init__()
        self.label = label
        self.style = style
        self.height = height
        self.width = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        return availWidth, self.height

    def draw(self) -> None:
        canv = self.canv
        canv.setFont("Helvetica-Bold", self.style.fontSize)
        canv.setFillColor(INK)
        canv.drawString(0, 3, self.label)
        start = (
            stringWidth(self.label, "Helvetica-Bold", self.style.fontSize) + 4 if self.label else 0
        )
        canv.setStrokeColor(INK)
        canv.setLineWidth(0.6)
        canv.line(start, 2, self.width, 2)


class CanvasDrawing(Flowable):
    """A flowable whose content is drawn top-down by a callback.

    ``draw_fn(canvas, width, top)`` draws downwards from ``top`` (origin at
    the flowable's lower-left corner) and returns the lowest y it used. The
    height is measured by a dry run on a scratch canvas, so the drawing
    always reserves exactly the space its wrapped text needs.
    """

    def __init__(self, draw_fn: Callable[[Canvas, float, float], float]) -> None:
        super().__init__()
        self.draw_fn = draw_fn
        self.width = 0.0
        self.height = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        probe_top = 10_000.0
        scratch = Canvas(io.BytesIO(), invariant=1)
        self.height = probe_top - self.draw_fn(scratch, availWidth, probe_top)
        return availWidth, self.height

    def draw(self) -> None:
        self.draw_fn(self.canv, self.width, self.height)


# --- Canvas primitives for the flowchart -------------------------------------


def box_height(paragraphs: Sequence[Paragraph], width: float, pad: float) -> float:
    """Height a box of the given width needs to fit its paragraphs."""
    inner = width - 2 * pad
    total = 0.0
    for index, para in enumerate(paragraphs):
        _, h = para.wrap(inner, 10_000)
        total += h + (para.style.spaceAfter if index < len(paragraphs) - 1 else 0)
    return total + 2 * pad


def draw_box(
    canv: Canvas,
    x: float,
    top: float,
    width: float,
    paragraphs: Sequence[Paragraph],
    *,
    fill: colors.Color = colors.white,
    stroke: colors.Color = ACCENT,
    line_width: float = 1.2,
    pad: float = 7,
    radius: float = 4,
    height: float | None = None,
) -> float:
    """Draw a rounded box with wrapped text hanging from ``top``; return its height."""
    needed = box_height(paragraphs, width, pad)
    h = max(needed, height or 0)
    canv.saveState()
    canv.setFillColor(fill)
    canv.setStrokeColor(stroke)
    canv.setLineWidth(line_width)
    canv.roundRect(x, top - h, width, h, radius, stroke=1, fill=1)
    canv.restoreState()
    y = top - pad
    for para in paragraphs:
        _, ph = para.wrap(width - 2 * pad, 10_000)
        y -= ph
        para.drawOn(canv, x + pad, y)
        y -= para.style.spaceAfter
    return h


def draw_arrow(
    canv: Canvas,
    points: Sequence[tuple[float, float]],
    *,
    label: str | None = None,
    label_at: int = 0,
    color: colors.Color = INK,
    font_size: float = 9,
) -> None:
    """Draw a polyline ending in a filled arrow head, optionally labelled.

    The label is placed beside the middle of segment ``label_at`` on a white
    backing so it stays legible where it crosses other lines.
    """
    canv.saveState()
    canv.setStrokeColor(color)
    canv.setFillColor(color)
    canv.setLineWidth(1.3)
    path = canv.beginPath()
    path.moveTo(*points[0])
    for point in points[1:-1]:
        path.lineTo(*point)
    (x1, y1), (x2, y2) = points[-2], points[-1]
    length = ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    head = 7.0
    # Stop the shaft at the arrow head's base so the tip stays sharp.
    path.lineTo(x2 - ux * head, y2 - uy * head)
    canv.drawPath(path, stroke=1, fill=0)
    left = (x2 - ux * head - uy * head * 0.5, y2 - uy * head + ux * head * 0.5)
    right = (x2 - ux * head + uy * head * 0.5, y2 - uy * head - ux * head * 0.5)
    tip = canv.beginPath()
    tip.moveTo(x2, y2)
    tip.lineTo(*left)
    tip.lineTo(*right)
    tip.close()
    canv.drawPath(tip, stroke=0, fill=1)
    if label:
        (ax, ay), (bx, by) = points[label_at], points[label_at + 1]
        mx, my = (ax + bx) / 2, (ay + by) / 2
        text_w = stringWidth(label, "Helvetica-Bold", font_size)
        if abs(bx - ax) > abs(by - ay):
            lx, ly = mx - text_w / 2, my + 4
        else:
            lx, ly = mx + 5, my - font_size / 3
        canv.setFillColor(colors.white)
        canv.rect(lx - 2, ly - 2, text_w + 4, font_size + 2, stroke=0, fill=1)
        canv.setFillColor(color)
        canv.setFont("Helvetica-Bold", font_size)
        canv.drawString(lx, ly, label)
    canv.restoreState()


@dataclass(frozen=True)
class ChartBox:
    """Text for one flowchart box: a bold heading, bullet items, then a paragraph."""

    title: str
    text: str = ""
    bullets: tuple[str, ...] = ()

    def paragraphs(self, styles: dict[str, ParagraphStyle]) -> list[Paragraph]:
        bullet_style = styles["box"].clone("chart_bullet", leftIndent=10, bulletIndent=1)
        return [
            Paragraph(self.title, styles["box_head"]),
            *[Paragraph(item, bullet_style, bulletText="\u2022") for item in self.bullets],
            *([Paragraph(self.text, styles["box"])] if self.text else []),
        ]


@dataclass(frozen=True)
class DecisionChart:
    """A yes/no flowchart: start box, question, two aligned branches, notes.

    The last "no" step loops back to the question (reassess and start again);
    the notes run full width under the branches.
    """

    start: ChartBox
    question: ChartBox
    no_steps: tuple[ChartBox, ...]
    yes_steps: tuple[ChartBox, ...]
    note: ChartBox
    warning: ChartBox
    base_size: float = 10
    no_label: str = "Nei"
    yes_label: str = "Ja"

    def draw(self, canv: Canvas, width: float, top: float) -> float:
        """Draw downwards from ``top``; return the lowest y used (see CanvasDrawing)."""
        styles = make_styles(self.base_size)
        pad, gap, lane = 7.0, 8 * mm, 7 * mm  # the lane carries the loop-back arrow
        inner_w = width - lane
        col_w = (inner_w - 8 * mm) / 2
        left_x, right_x = lane, width - col_w
        centre = lane + inner_w / 2

        start_w = inner_w * 0.7
        top -= draw_box(
            canv,
            centre - start_w / 2,
            top,
            start_w,
            self.start.paragraphs(styles),
            fill=ACCENT_LIGHT,
            pad=pad,
        )
        draw_arrow(canv, [(centre, top), (centre, top - gap)])
        top -= gap

        question_top = top
        top -= draw_box(
            canv,
            lane,
            top,
            inner_w,
            self.question.paragraphs(styles),
            stroke=INK,
            line_width=2,
            pad=pad,
        )
        question_mid = (question_top + top) / 2
        branch_top = top - gap - 2 * mm
        centres = (left_x + col_w / 2, right_x + col_w / 2)
        for cx, label in zip(centres, (self.no_label, self.yes_label), strict=True):
            draw_arrow(canv, [(cx, top), (cx, branch_top)], label=label)

        rows = list(zip(self.no_steps, self.yes_steps, strict=True))
        step = gap * 0.8
        y = branch_top
        for index, (no, yes) in enumerate(rows):
            no_p, yes_p = no.paragraphs(styles), yes.paragraphs(styles)
            # Equal heights per row keep the two branches aligned as a grid.
            row_h = max(box_height(no_p, col_w, pad), box_height(yes_p, col_w, pad))
            draw_box(canv, left_x, y, col_w, no_p, height=row_h, fill=colors.white, pad=pad)
            draw_box(canv, right_x, y, col_w, yes_p, height=row_h, fill=colors.white, pad=pad)
            if index < len(rows) - 1:
                for cx in centres:
                    draw_arrow(canv, [(cx, y - row_h), (cx, y - row_h - step)])
            else:
                loop_y, x_lane = y - row_h / 2, lane * 0.3
                draw_arrow(
                    canv,
                    [
                        (left_x, loop_y),
                        (x_lane, loop_y),
                        (x_lane, question_mid),
                        (lane, question_mid),
                    ],
                )
            y -= row_h + step

        y += step - gap
        y -= draw_box(
            canv, lane, y, inner_w, self.note.paragraphs(styles), fill=ACCENT_LIGHT, pad=pad
        )
        y -= 4 * mm
        return y - draw_box(
            canv,
            lane,
            y,
            inner_w,
            self.warning.paragraphs(styles),
            fill=WARN_LIGHT,
            stroke=WARN,
            line_width=1.5,
            pad=pad,
        )


# --- Document assembly ---------------------------------------------------------


def _footer_canvas(
    title: str, revised: datetime.date, font_size: float, margins: tuple[float, float, float, float]
) -> type[Canvas]:
    """Build a Canvas subclass that stamps "Side x av y" footers at save time.

    Page totals are only known once the story has been laid out, so page
    states are buffered and the footers drawn in ``save``.
    """
    stamp = f"D:{revised:%Y%m%d}120000+00'00'"
    revised_text = f"Revidert: {format_date_nb(revised)}"
    left_margin, right_margin, _top, bottom_margin = margins

    class FooterCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            # Pin the embedded dates to the revision date instead of "now".
            self.setDateFormatter(lambda *_parts: stamp)
            # ReportLab seeds the file ID from SOURCE_DATE_EPOCH when that is
            # set, which would make output depend on the environment; reseed
            # it from the revision date instead.
            signature = hashlib.md5(usedforsecurity=False)
            signature.update(b"a reportlab document" + stamp.encode("ascii"))
            self._doc.signature = signature
            self._saved_pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._saved_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._saved_pages)
            for state in self._saved_pages:
                self.__dict__.update(state)
                self._draw_footer(total)
                super().showPage()
            super().save()

        def _draw_footer(self, total: int) -> None:
            page_w, _ = self._pagesize
            right_text = f"{revised_text}  ·  Side {self._pageNumber} av {total}"
            usable = page_w - left_margin - right_margin
            base = bottom_margin * 0.45
            self.saveState()
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            self.line(
                left_margin, base + font_size * 2.7, page_w - right_margin, base + font_size * 2.7
            )
            self.setFillColor(MUTED)
            self.setFont("Helvetica", font_size)
            gap = font_size * 2
            needed = (
                stringWidth(title, "Helvetica", font_size)
                + stringWidth(right_text, "Helvetica", font_size)
                + gap
            )
            if needed <= usable:
                self.drawString(left_margin, base + font_size, title)
                self.drawRightString(page_w - right_margin, base + font_size, right_text)
            else:
                self.drawString(left_margin, base + font_size * 1.4, title)
                self.drawString(left_margin, base + font_size * 0.1, right_text)
            self.restoreState()

    return FooterCanvas


def build_pdf(
    story: list[Flowable],
    *,
    pagesize: tuple[float, float],
    title: str,
    subject: str,
    revised: datetime.date,
    margins: tuple[float, float, float, float],
    footer_size: float = 7.5,
    keywords: Sequence[str] = (),
) -> bytes:
    """Lay out ``story`` and return deterministic PDF bytes.

    ``margins`` is (left, right, top, bottom) in points; the bottom margin
    also holds the footer.
    """
    left, right, top, bottom = margins
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=left,
        rightMargin=right,
        topMargin=top,
        bottomMargin=bottom,
        title=title,
        author=AUTHOR,
        subject=subject,
        creator=AUTHOR,
        keywords=list(keywords),
        lang="nb-NO",
        invariant=1,
    )
    frame = Frame(
        left,
        bottom,
        pagesize[0] - left - right,
        pagesize[1] - top - bottom,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    doc.build(story, canvasmaker=_footer_canvas(title, revised, footer_size, margins))
    return buffer.getvalue()
