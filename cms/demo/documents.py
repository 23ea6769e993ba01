"""Downloadable demo documents (PDF) for the demo site.

The ``load_demo`` management command iterates over :data:`DEMO_DOCUMENTS` and
stores ``document.render()`` as ``<slug>.pdf``. Rendering is deterministic
(byte-identical output on every call), so the loader can compare bytes and
stay idempotent.

The content is written for nursing-home staff in Norwegian Bokmål. It follows
the general shape of the national guidance (Helsedirektoratet, FHI), keeps
dosing generic and points to the current national guideline as authoritative.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, A6
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from .pdf_layout import (
    ACCENT_LIGHT,
    INK,
    RULE,
    WARN,
    WARN_LIGHT,
    CanvasDrawing,
    TickBox,
    WriteLine,
    box_height,
    build_pdf,
    bullets,
    callout,
    draw_arrow,
    draw_box,
    grid_table,
    make_styles,
    title_block,
)

__all__ = ["CATEGORIES", "DEMO_DOCUMENTS", "DemoDocument"]

CATEGORIES: dict[str, str] = {
    "pocket_card": "Lommekort",
    "flowchart": "Flytskjema",
    "checklist": "Sjekkliste",
    "guideline": "Veileder",
}

GUIDELINE_NOTE = (
    "Dosering må tilpasses nyrefunksjon, vekt, allergi og interaksjoner. "
    "Gjeldende nasjonal faglig retningslinje for antibiotikabruk i "
    "primærhelsetjenesten (Helsedirektoratet) er alltid styrende."
)


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
        return builder(self)


# --- Lommekort (A6, two pages: front and back) ---------------------------------


def _render_pocket_card(doc: DemoDocument) -> bytes:
    styles = make_styles(base=7.8)
    back_styles = make_styles(base=8.4)
    margin = 7 * mm
    width = A6[0] - 2 * margin
    cell, bold, head = styles["cell"], styles["cell_bold"], styles["cell_head"]

    def row(infection: str, choice: str, duration: str) -> list[Paragraph]:
        return [Paragraph(infection, bold), Paragraph(choice, cell), Paragraph(duration, cell)]

    table = grid_table(
        [
            [
                Paragraph("Infeksjon", head),
                Paragraph("Førstevalg", head),
                Paragraph("Typisk varighet", head),
            ],
            row(
                "Nedre UVI hos kvinner (cystitt)",
                "Pivmecillinam eller nitrofurantoin. Trimetoprim bare ved kjent følsomhet.",
                "3 dager (nitrofurantoin 5 dager)",
            ),
            row("Nedre UVI hos menn", "Pivmecillinam. Tilpass etter dyrkningssvar.", "7 dager"),
            row(
                "Lungebetennelse (pneumoni)",
                "Penicillin V. Benzylpenicillin i.v. ved behov for parenteral behandling. "
                "Penicillinallergi: doksysyklin.",
                "5–7 dager",
            ),
            row(
                "Erysipelas og cellulitt",
                "Penicillin V. Mistanke om gule stafylokokker (sår, puss): dikloksacillin. "
                "Penicillinallergi: klindamycin.",
                "Vanligvis 7 dager",
            ),
            row("Asymptomatisk bakteriuri", "<b>Ikke antibiotika</b>", "–"),
            row("Forkjølelse og akutt bronkitt", "<b>Ikke antibiotika</b>", "–"),
        ],
        [width * 0.29, width * 0.45, width * 0.26],
        padding=3,
    )
    front: list[Flowable] = [
        *title_block(
            styles,
            doc.title,
            "Førstevalg ved vanlige infeksjoner hos beboere i sykehjem. "
            "Velg smalspektret og kortest mulig effektiv behandling.",
        ),
        table,
        Spacer(1, 5),
        callout(
            [
                Paragraph(
                    "<b>Feber med sepsistegn</b> (lavt blodtrykk, rask pust, nedsatt "
                    "bevissthet): kontakt lege straks.",
                    styles["small"],
                )
            ],
            width,
            fill=WARN_LIGHT,
            border=WARN,
            padding=4,
        ),
        Spacer(1, 4),
        Paragraph(GUIDELINE_NOTE, styles["muted"]),
    ]
    back: list[Flowable] = [
        Paragraph("Tenk før du forskriver", back_styles["title"]),
        bullets(
            [
                "<b>Er det en bakteriell infeksjon?</b> Se etter spesifikke symptomer "
                "og funn, ikke bare ett avvikende prøvesvar.",
                "<b>Ta prøver før oppstart</b>, for eksempel urin til dyrkning.",
                "<b>Velg smalspektret førstevalg</b>, som penicillin V og pivmecillinam.",
                "<b>Sjekk allergi</b> (hvilken reaksjon?), nyrefunksjon og faste legemidler.",
                "<b>Dokumenter</b> indikasjon, preparat, dose, varighet og stoppdato.",
                "<b>Revurder etter 48–72 timer:</b> klinisk forløp og dyrkningssvar. "
                "Seponer, bytt til smalere eller avslutt til planlagt tid.",
                "<b>Ikke behandle</b> asymptomatisk bakteriuri eller positiv urinstiks "
                "uten symptomer.",
                "<b>Unngå bredspektrede midler</b> (kinoloner, cefalosporiner, "
                "amoksicillin med klavulansyre) uten særskilt grunn.",
            ],
            back_styles["body"],
            numbered=True,
        ),
        Spacer(1, 2),
        callout(
            [
                Paragraph("Forebygging er også antibiotikastyring", back_styles["cell_bold"]),
                Paragraph(
                    "God håndhygiene, nok væske, influensa- og pneumokokkvaksine "
                    "og tidlig mobilisering gir færre infeksjoner.",
                    back_styles["small"],
                ),
            ],
            width,
            padding=4,
        ),
        Spacer(1, 5),
        Paragraph(
            "Gjeldende nasjonal retningslinje for antibiotikabruk i "
            "primærhelsetjenesten er styrende.",
            back_styles["muted"],
        ),
    ]
    return build_pdf(
        [*front, PageBreak(), *back],
        pagesize=A6,
        title=doc.title,
        subject=doc.description,
        revised=doc.revised,
        margins=(margin, margin, margin, 13 * mm),
        footer_size=5.8,
        keywords=("antibiotika", "sykehjem", "lommekort"),
    )


# --- Flytskjema (A4, drawn on the canvas) ---------------------------------------


def _render_uti_flowchart(doc: DemoDocument) -> bytes:
    styles = make_styles(base=10)
    box, head = styles["box"], styles["box_head"]
    bullet_style = box.clone("flow_bullet", leftIndent=10, bulletIndent=1)
    margin = 18 * mm
    pad = 7

    def paras(title: str, *lines: str, bullet: bool = False) -> list[Paragraph]:
        out = [Paragraph(title, head)]
        for line in lines:
            out.append(
                Paragraph(line, bullet_style, bulletText="\u2022")
                if bullet
                else Paragraph(line, box)
            )
        return out

    def draw(canv: Canvas, width: float, height: float) -> float:
        gap = 8 * mm
        lane = 7 * mm  # left lane for the "start again" loop arrow
        inner_w = width - lane
        col_w = (inner_w - 8 * mm) / 2
        left_x, right_x = lane, width - col_w
        centre = lane + inner_w / 2
        top = height

        start = paras(
            "Beboer med mistanke om urinveisinfeksjon",
            "For eksempel endret atferd, uro, redusert allmenntilstand eller illeluktende urin.",
        )
        start_w = inner_w * 0.7
        top -= draw_box(canv, centre - start_w / 2, top, start_w, start, fill=ACCENT_LIGHT, pad=pad)
        draw_arrow(canv, [(centre, top), (centre, top - gap)])
        top -= gap

        question = [
            Paragraph("Har beboeren nyoppståtte, spesifikke symptomer?", head),
            *[
                Paragraph(text, bullet_style, bulletText="\u2022")
                for text in (
                    "Svie eller smerte ved vannlating",
                    "Nyoppstått økt trang eller hyppig vannlating",
                    "Feber uten annen sannsynlig årsak",
                    "Smerter eller ømhet i flanken (kostovertebral ømhet)",
                )
            ],
            Paragraph(
                "<b>Forvirring (delirium) alene er ikke nok</b>, og heller ikke "
                "illeluktende eller uklar urin.",
                box,
            ),
        ]
        question_top = top
        top -= draw_box(canv, lane, top, inner_w, question, stroke=INK, line_width=2, pad=pad)
        question_mid = (question_top + top) / 2
        branch_top = top - gap - 2 * mm
        for cx, label in ((left_x + col_w / 2, "Nei"), (right_x + col_w / 2, "Ja")):
            draw_arrow(canv, [(cx, top), (cx, branch_top)], label=label)

        no_boxes = [
            paras(
                "Ikke ta urinstiks",
                "Positiv stiks er vanlig hos eldre uten infeksjon og fører lett "
                "til unødvendig behandling.",
            ),
            paras(
                "Observer og følg opp",
                "Mål vitale tegn og sammenlign med vanlig tilstand.",
                "Sørg for god væsketilførsel.",
                "Se etter andre årsaker: væskemangel, legemidler, forstoppelse, "
                "smerter, urinretensjon eller infeksjon andre steder.",
                bullet=True,
            ),
            paras(
                "Revurder innen 24–48 timer",
                "Ved nye spesifikke symptomer: start på nytt i skjemaet. "
                "Ved forverring: kontakt lege.",
            ),
        ]
        yes_boxes = [
            paras(
                "Ta urinprøve til dyrkning før behandling",
                "Midtstråleurin, eller fra nytt kateter hvis beboeren har permanent kateter.",
            ),
            paras(
                "Kontakt lege",
                "Beskriv symptomer, vitale tegn, væskeinntak, allergi og kjent nyrefunksjon.",
            ),
            paras(
                "Behandle etter retningslinjen",
                "Smalspektret førstevalg og kortest mulig varighet. Revurder "
                "etter 48–72 timer og når dyrkningssvaret foreligger.",
            ),
        ]
        # Equal heights per row keep the two branches aligned as a grid.
        row_heights = [
            max(box_height(a, col_w, pad), box_height(b, col_w, pad))
            for a, b in zip(no_boxes, yes_boxes, strict=True)
        ]
        step = gap * 0.8
        y = branch_top
        for index, (row_h, no, yes) in enumerate(
            zip(row_heights, no_boxes, yes_boxes, strict=True)
        ):
            draw_box(canv, left_x, y, col_w, no, height=row_h, fill=colors.white, pad=pad)
            draw_box(canv, right_x, y, col_w, yes, height=row_h, fill=colors.white, pad=pad)
            if index < len(row_heights) - 1:
                for cx in (left_x + col_w / 2, right_x + col_w / 2):
                    draw_arrow(canv, [(cx, y - row_h), (cx, y - row_h - step)])
            else:
                loop_y = y - row_h / 2
                draw_arrow(
                    canv,
                    [
                        (left_x, loop_y),
                        (lane * 0.3, loop_y),
                        (lane * 0.3, question_mid),
                        (lane, question_mid),
                    ],
                )
            y -= row_h + step

        note_top = y + step - gap
        note = [
            Paragraph("Asymptomatisk bakteriuri skal ikke behandles", head),
            Paragraph(
                "Mange beboere har bakterier i urinen uten å være syke. "
                "Behandling gir ingen gevinst, men øker risikoen for "
                "bivirkninger, <i>Clostridioides difficile</i> og resistens.",
                box,
            ),
        ]
        note_top -= (
            draw_box(canv, lane, note_top, inner_w, note, fill=ACCENT_LIGHT, pad=pad) + 4 * mm
        )
        urgent = [
            Paragraph("Kontakt lege straks ved tegn på alvorlig infeksjon", head),
            Paragraph(
                "Høy respirasjonsfrekvens, lavt blodtrykk, rask puls, "
                "nyoppstått nedsatt bevissthet, frysninger eller kraftig "
                "forverring av allmenntilstanden kan være tegn på sepsis.",
                box,
            ),
        ]
        return note_top - draw_box(
            canv,
            lane,
            note_top,
            inner_w,
            urgent,
            fill=WARN_LIGHT,
            stroke=WARN,
            line_width=1.5,
            pad=pad,
        )

    story: list[Flowable] = [
        *title_block(
            styles,
            doc.title,
            "For sykepleiere og helsefagarbeidere i sykehjem. Brukes før "
            "urinprøve tas og før lege kontaktes.",
        ),
        CanvasDrawing(draw),
        Spacer(1, 3 * mm),
        Paragraph(
            "Kilde: bygger på prinsippene i nasjonal faglig retningslinje for "
            "antibiotikabruk i primærhelsetjenesten (Helsedirektoratet). "
            "Gjeldende nasjonal retningslinje og lokale prosedyrer er styrende.",
            styles["muted"],
        ),
    ]
    return build_pdf(
        story,
        pagesize=A4,
        title=doc.title,
        subject=doc.description,
        revised=doc.revised,
        margins=(margin, margin, 15 * mm, 18 * mm),
        keywords=("urinveisinfeksjon", "sykehjem", "flytskjema"),
    )


# --- Sjekkliste (A4, tick boxes) -------------------------------------------------


def _render_checklist(doc: DemoDocument) -> bytes:
    styles = make_styles(base=9)
    margin = 16 * mm
    width = A4[0] - 2 * margin
    cell, muted = styles["cell"], styles["muted"]

    def section(
        heading: str, items: list[tuple[str, str]], extra: tuple[Flowable, ...] = ()
    ) -> Flowable:
        """A heading plus rows of tick box, item text and a field to write in."""
        rows = [
            [TickBox(8.5), Paragraph(text, cell), Paragraph(hint, muted)] for text, hint in items
        ]
        table = Table(rows, colWidths=[7 * mm, width * 0.56, width - 7 * mm - width * 0.56])
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                    # Generous row height leaves room to write values by hand.
                    ("TOPPADDING", (0, 0), (-1, -1), 4),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                    ("TOPPADDING", (0, 0), (0, -1), 5),
                ]
            )
        )
        return KeepTogether([Paragraph(heading, styles["h2"]), table, *extra])

    story: list[Flowable] = [
        *title_block(
            styles,
            doc.title,
            "Gå gjennom listen når du mistenker infeksjon hos en beboer, "
            "før lege kontaktes og før antibiotika startes. Kryss av og "
            "noter verdier i feltet til høyre. Listen erstatter ikke klinisk "
            "vurdering; følg lokale prosedyrer og gjeldende nasjonal "
            "retningslinje.",
        ),
        section(
            "1. Hva har endret seg?",
            [
                (
                    "Beskriv endringen fra beboerens vanlige tilstand (atferd, funksjon, "
                    "matlyst, søvn)",
                    "Når startet det?",
                ),
                ("Nye symptomer: urinveier, luftveier, hud/sår, mage-tarm", "Hvilke?"),
            ],
            extra=(WriteLine("Notat:", cell, height=19), WriteLine("", cell, height=19)),
        ),
        section(
            "2. Vitale tegn (sammenlign med beboerens vanlige verdier)",
            [
                ("Temperatur", "______ °C"),
                ("Puls", "______ /min"),
                ("Respirasjonsfrekvens", "______ /min"),
                ("Blodtrykk", "______ / ______ mmHg"),
                ("Oksygenmetning", "______ %"),
                (
                    "Bevissthet: våken, ny forvirring, reagerer på tiltale, på smerte eller ikke",
                    "Hva er nytt?",
                ),
            ],
        ),
        section(
            "3. Væske og ernæring",
            [
                ("Væskeinntak siste døgn", "ca. ______ ml"),
                ("Vannlating og urinmengde (mindre enn vanlig?)", ""),
                ("Tegn på væskemangel: tørre slimhinner, svimmelhet, økt forvirring", ""),
            ],
        ),
        section(
            "4. Før behandling startes",
            [
                ("Prøve tatt før oppstart (f.eks. urindyrking, sårprøve)", "Type og tidspunkt"),
                ("Lege kontaktet og informert om funnene over", "Navn, kl."),
                ("Allergi sjekket, særlig penicillinallergi og hvilken reaksjon", ""),
                ("Nyrefunksjon og faste legemidler kjent for legen", ""),
                ("Indikasjon (hvilken infeksjon) dokumentert", ""),
                ("Preparat, dose, varighet og stoppdato dokumentert", "Stoppdato"),
            ],
        ),
        section(
            "5. Oppfølging",
            [
                ("Ny vurdering etter 48–72 timer avtalt", "Dato"),
                ("Dyrkningssvar fulgt opp, behandling justert eller avsluttet", ""),
                ("Effekt og bivirkninger observert (f.eks. diaré, utslett)", ""),
                ("Beboer og eventuelt pårørende informert", ""),
                ("Behov for smitteverntiltak vurdert", ""),
            ],
        ),
        Spacer(1, 3 * mm),
    ]
    signature = Table(
        [
            [WriteLine("Beboer (rom):", cell), WriteLine("Dato:", cell)],
            [WriteLine("Navn:", cell), WriteLine("Signatur:", cell)],
        ],
        colWidths=[width * 0.55, width * 0.45],
    )
    signature.setStyle(
        TableStyle(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (0, -1), 10),
                ("RIGHTPADDING", (1, 0), (1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    story.append(KeepTogether([signature]))
    return build_pdf(
        story,
        pagesize=A4,
        title=doc.title,
        subject=doc.description,
        revised=doc.revised,
        margins=(margin, margin, 14 * mm, 18 * mm),
        keywords=("sjekkliste", "antibiotika", "sykehjem"),
    )


# --- Kort veileder (A4) --------------------------------------------------------------


def _render_hygiene_guideline(doc: DemoDocument) -> bytes:
    styles = make_styles(base=9.5)
    margin = 20 * mm
    width = A4[0] - 2 * margin
    body, h2, cell, head = styles["body"], styles["h2"], styles["cell"], styles["cell_head"]

    moments = grid_table(
        [[Paragraph("Når", head), Paragraph("Eksempel", head)]]
        + [
            [Paragraph(f"<b>{n}. {when}</b>", cell), Paragraph(example, cell)]
            for n, (when, example) in enumerate(
                [
                    ("Før kontakt med beboer", "Før stell, forflytning og måling av blodtrykk."),
                    (
                        "Før rene og aseptiske prosedyrer",
                        "Før kateterstell, sårstell, injeksjoner og munnstell.",
                    ),
                    (
                        "Etter risiko for eksponering for kroppsvæsker",
                        "Etter tømming av urinpose, bleieskift og håndtering av oppkast, "
                        "også når du har brukt hansker.",
                    ),
                    (
                        "Etter kontakt med beboer",
                        "Når du går fra beboeren etter stell eller hjelp.",
                    ),
                    (
                        "Etter kontakt med beboerens omgivelser",
                        "Etter å ha tatt i seng, rullator, nattbord eller annet utstyr.",
                    ),
                ],
                start=1,
            )
        ],
        [width * 0.42, width * 0.58],
    )
    protection = grid_table(
        [
            [Paragraph("Utstyr", head), Paragraph("Bruk når", head)],
            [
                Paragraph("<b>Engangshansker</b>", cell),
                Paragraph(
                    "Det er risiko for kontakt med blod, kroppsvæsker, sekret, "
                    "slimhinner eller ikke-intakt hud. Skift mellom beboere og "
                    "mellom urent og rent arbeid hos samme beboer.",
                    cell,
                ),
            ],
            [
                Paragraph("<b>Engangsforkle (plast)</b>", cell),
                Paragraph(
                    "Arbeidstøyet kan bli tilsølt, for eksempel ved stell, bleieskift og sårstell.",
                    cell,
                ),
            ],
            [
                Paragraph("<b>Frakk med lange ermer</b>", cell),
                Paragraph(
                    "Ved kontaktsmitte og omfattende stell der underarmene kan bli forurenset.",
                    cell,
                ),
            ],
            [
                Paragraph("<b>Munnbind og øyebeskyttelse</b>", cell),
                Paragraph(
                    "Det er fare for sprut mot ansiktet, og ved nærkontakt med "
                    "beboere med luftveisinfeksjon etter lokal prosedyre.",
                    cell,
                ),
            ],
        ],
        [width * 0.32, width * 0.68],
    )
    story: list[Flowable] = [
        *title_block(
            styles,
            doc.title,
            "Kort veileder for ansatte i sykehjem. God hygiene forebygger "
            "infeksjoner, begrenser smitte mellom beboere og reduserer "
            "behovet for antibiotika.",
        ),
        Paragraph("Basale smittevernrutiner gjelder alltid", h2),
        Paragraph(
            "Basale smittevernrutiner skal følges i møte med alle beboere, "
            "uansett om det er kjent smitte eller ikke. De består av:",
            body,
        ),
        bullets(
            [
                "håndhygiene på riktig tidspunkt",
                "hostehygiene: host og nys i papirlommetørkle eller albuekroken",
                "riktig bruk av hansker, forkle og annet beskyttelsesutstyr",
                "rengjøring og desinfeksjon av utstyr og kontaktpunkter",
                "trygg håndtering av tøy, avfall og skarpe gjenstander",
            ],
            body,
        ),
        Paragraph("Håndhygiene", h2),
        Paragraph(
            "Hånddesinfeksjon med alkohol er førstevalget. Vask hendene med "
            "såpe og vann når de er synlig skitne, etter toalettbesøk og ved "
            "diaré eller oppkast, fordi alkohol ikke virker godt nok mot "
            "norovirus og sporer fra <i>Clostridioides difficile</i>. "
            "Håndhygiene forutsetter korte negler uten neglelakk, ingen ringer, "
            "armbånd eller klokke, og arbeidstøy med korte ermer.",
            body,
        ),
        Paragraph("De fem indikasjonene for håndhygiene", styles["h3"]),
        moments,
        Paragraph("Hansker, forkle og annet beskyttelsesutstyr", h2),
        Paragraph(
            "Hansker erstatter ikke håndhygiene. Desinfiser hendene før du tar "
            "på hansker og etter at du har tatt dem av. Ikke bruk hansker "
            "unødvendig, for eksempel ved servering eller vanlig hjelp til "
            "påkledning.",
            body,
        ),
        protection,
        Paragraph("Kontaktsmitte: utvidede tiltak", h2),
        Paragraph(
            "Ved diaré og oppkast med mistanke om smittsom årsak, og ved "
            "resistente bakterier der lokal prosedyre krever det, kommer "
            "kontaktsmitteregime i tillegg til basale rutiner:",
            body,
        ),
        bullets(
            [
                "Beboeren bør ha enerom med eget toalett så lenge tiltakene varer.",
                "Bruk hansker og frakk eller forkle ved direkte kontakt med beboeren "
                "og nære omgivelser.",
                "Bruk eget utstyr til beboeren, for eksempel blodtrykksmansjett og "
                "termometer, eller desinfiser utstyret etter bruk.",
                "Forsterk renholdet av kontaktpunkter i rommet.",
                "Ansatte med diaré eller oppkast holder seg hjemme til 48 timer etter "
                "siste symptom.",
                "Kontakt smittevernansvarlig eller kommuneoverlegen ved utbrudd, det vil "
                "si flere beboere eller ansatte med like symptomer.",
            ],
            body,
        ),
        Paragraph("Luftveisinfeksjoner: dråpesmitte", h2),
        Paragraph(
            "Influensa, covid-19 og RS-virus smitter hovedsakelig med dråper "
            "ved nærkontakt. I tillegg til basale rutiner gjelder:",
            body,
        ),
        bullets(
            [
                "Beboeren bør være på eget rom mens symptomene er tydelige, og spise "
                "der i denne perioden.",
                "Bruk munnbind ved nærkontakt, det vil si nærmere enn 1–2 meter, og "
                "øyebeskyttelse ved fare for sprut.",
                "Hjelp beboeren med hostehygiene og håndhygiene.",
                "Ansatte med luftveissymptomer og feber skal ikke jobbe med beboere.",
                "Vaksinasjon av beboere og ansatte etter nasjonale anbefalinger "
                "beskytter de mest sårbare.",
            ],
            body,
        ),
        Paragraph("Renhold og desinfeksjon", h2),
        bullets(
            [
                "Rengjør kontaktpunkter daglig: dørhåndtak, lysbrytere, sengehest, "
                "ringeknapp og rullator.",
                "Søl av blod og kroppsvæsker tørkes opp og flekkdesinfiseres straks.",
                "Utstyr som brukes hos flere beboere, rengjøres og desinfiseres mellom "
                "hver beboer.",
                "Bekken og urinflasker behandles i dekontaminator i skyllerommet.",
                "Ved norovirus og <i>C. difficile</i> brukes klorholdig middel etter "
                "lokal prosedyre.",
            ],
            body,
        ),
        Paragraph("Tøy og avfall", h2),
        bullets(
            [
                "Legg brukt tøy direkte i tøysekk på rommet. Ikke rist tøyet og ikke "
                "hold det inntil arbeidstøyet.",
                "Tøy tilsølt med kroppsvæsker håndteres med hansker og forkle og "
                "vaskes etter lokal prosedyre.",
                "Brukte hansker, forklær og munnbind kastes på rommet før du går ut.",
                "Stikkende og skjærende avfall legges i godkjent kanylebeholder.",
            ],
            body,
        ),
        Spacer(1, 3 * mm),
        callout(
            [
                Paragraph(
                    "Veilederen bygger på Folkehelseinstituttets smittevernveileder og "
                    "WHOs anbefalinger for håndhygiene. Lokal smittevernplan og gjeldende "
                    "nasjonale råd er styrende.",
                    styles["small"],
                )
            ],
            width,
        ),
    ]
    return build_pdf(
        story,
        pagesize=A4,
        title=doc.title,
        subject=doc.description,
        revised=doc.revised,
        margins=(margin, margin, 16 * mm, 20 * mm),
        keywords=("smittevern", "håndhygiene", "sykehjem"),
    )


_BUILDERS: dict[str, Callable[[DemoDocument], bytes]] = {
    "lommekort-antibiotikabruk": _render_pocket_card,
    "flytskjema-urinveisinfeksjon": _render_uti_flowchart,
    "sjekkliste-for-oppstart-av-antibiotika": _render_checklist,
    "veileder-hygienetiltak-sykehjem": _render_hygiene_guideline,
}

DEMO_DOCUMENTS: tuple[DemoDocument, ...] = (
    DemoDocument(
        slug="lommekort-antibiotikabruk",
        title="Lommekort: Riktig antibiotikabruk i sykehjem",
        category="pocket_card",
        description="Førstevalg og typisk behandlingslengde ved vanlige infeksjoner "
        "hos sykehjemsbeboere, og punktene å tenke gjennom før "
        "antibiotika startes. I A6-format, passer i lommen.",
        revised=datetime.date(2026, 3, 1),
    ),
    DemoDocument(
        slug="flytskjema-urinveisinfeksjon",
        title="Flytskjema: Mistanke om urinveisinfeksjon",
        category="flowchart",
        description="Trinn for trinn: når urinprøve skal tas, når lege skal "
        "kontaktes, og hvorfor asymptomatisk bakteriuri ikke skal "
        "behandles.",
        revised=datetime.date(2026, 1, 15),
    ),
    DemoDocument(
        slug="sjekkliste-for-oppstart-av-antibiotika",
        title="Sjekkliste før oppstart av antibiotika",
        category="checklist",
        description="Avkrysningsliste for infeksjonsvurdering i sykehjem: vitale "
        "tegn, væskeinntak, prøvetaking, allergi, dokumentasjon og "
        "revurdering etter 48–72 timer.",
        revised=datetime.date(2026, 2, 2),
    ),
    DemoDocument(
        slug="veileder-hygienetiltak-sykehjem",
        title="Hygienetiltak ved infeksjoner i sykehjem",
        category="guideline",
        description="Kort veileder om håndhygiene og de fem indikasjonene, "
        "basale smittevernrutiner, kontaktsmitte, bruk av hansker og "
        "forkle, og renhold.",
        revised=datetime.date(2026, 3, 1),
    ),
)
