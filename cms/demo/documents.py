"""Downloadable demo documents (PDF) for the demo site.

The ``load_demo`` management command iterates over :data:`DEMO_DOCUMENTS` (titles, categories
and descriptions from ``content/documents.yaml``) and stores ``document.render()`` as
``<slug>.pdf``. Rendering is deterministic
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


def _build(doc: DemoDocument, story: list[Flowable], **layout: Any) -> bytes:
    return build_pdf(story, title=doc.title, subject=doc.description, revised=doc.revised, **layout)


# --- Lommekort (A6, two pages: front and back) ---------------------------------


def _render_pocket_card(doc: DemoDocument) -> bytes:
    styles = make_styles(base=7.8)
    back_styles = make_styles(base=8.4)
    margin = 7 * mm
    width = A6[0] - 2 * margin
    table = text_table(
        [
            ("Infeksjon", "Førstevalg", "Typisk varighet"),
            (
                "Nedre UVI hos kvinner (cystitt)",
                "Pivmecillinam eller nitrofurantoin. Trimetoprim bare ved kjent følsomhet.",
                "3 dager (nitrofurantoin 5 dager)",
            ),
            ("Nedre UVI hos menn", "Pivmecillinam. Tilpass etter dyrkningssvar.", "7 dager"),
            (
                "Lungebetennelse (pneumoni)",
                "Penicillin V. Benzylpenicillin i.v. ved behov for parenteral behandling. "
                "Penicillinallergi: doksysyklin.",
                "5–7 dager",
            ),
            (
                "Erysipelas og cellulitt",
                "Penicillin V. Mistanke om gule stafylokokker (sår, puss): dikloksacillin. "
                "Penicillinallergi: klindamycin.",
                "Vanligvis 7 dager",
            ),
            ("Asymptomatisk bakteriuri", "<b>Ikke antibiotika</b>", "–"),
            ("Forkjølelse og akutt bronkitt", "<b>Ikke antibiotika</b>", "–"),
        ],
        [width * 0.29, width * 0.45, width * 0.26],
        styles,
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
    return _build(
        doc,
        [*front, PageBreak(), *back],
        pagesize=A6,
        margins=(margin, margin, margin, 13 * mm),
        footer_size=5.8,
        keywords=("antibiotika", "sykehjem", "lommekort"),
    )


# --- Flytskjema (A4, drawn on the canvas) ---------------------------------------


def _render_uti_flowchart(doc: DemoDocument) -> bytes:
    styles = make_styles(base=10)
    margin = 18 * mm
    chart = DecisionChart(
        start=ChartBox(
            "Beboer med mistanke om urinveisinfeksjon",
            text="For eksempel endret atferd, uro, redusert allmenntilstand "
            "eller illeluktende urin.",
        ),
        question=ChartBox(
            "Har beboeren nyoppståtte, spesifikke symptomer?",
            bullets=(
                "Svie eller smerte ved vannlating",
                "Nyoppstått økt trang eller hyppig vannlating",
                "Feber uten annen sannsynlig årsak",
                "Smerter eller ømhet i flanken (kostovertebral ømhet)",
            ),
            text="<b>Forvirring (delirium) alene er ikke nok</b>, og heller ikke "
            "illeluktende eller uklar urin.",
        ),
        no_steps=(
            ChartBox(
                "Ikke ta urinstiks",
                text="Positiv stiks er vanlig hos eldre uten infeksjon og fører "
                "lett til unødvendig behandling.",
            ),
            ChartBox(
                "Observer og følg opp",
                bullets=(
                    "Mål vitale tegn og sammenlign med vanlig tilstand.",
                    "Sørg for god væsketilførsel.",
                    "Se etter andre årsaker: væskemangel, legemidler, forstoppelse, "
                    "smerter, urinretensjon eller infeksjon andre steder.",
                ),
            ),
            ChartBox(
                "Revurder innen 24–48 timer",
                text="Ved nye spesifikke symptomer: start på nytt i skjemaet. "
                "Ved forverring: kontakt lege.",
            ),
        ),
        yes_steps=(
            ChartBox(
                "Ta urinprøve til dyrkning før behandling",
                text="Midtstråleurin, eller fra nytt kateter hvis beboeren har permanent kateter.",
            ),
            ChartBox(
                "Kontakt lege",
                text="Beskriv symptomer, vitale tegn, væskeinntak, allergi og kjent nyrefunksjon.",
            ),
            ChartBox(
                "Behandle etter retningslinjen",
                text="Smalspektret førstevalg og kortest mulig varighet. Revurder "
                "etter 48–72 timer og når dyrkningssvaret foreligger.",
            ),
        ),
        note=ChartBox(
            "Asymptomatisk bakteriuri skal ikke behandles",
            text="Mange beboere har bakterier i urinen uten å være syke. Behandling "
            "gir ingen gevinst, men øker risikoen for bivirkninger, "
            "<i>Clostridioides difficile</i> og resistens.",
        ),
        warning=ChartBox(
            "Kontakt lege straks ved tegn på alvorlig infeksjon",
            text="Høy respirasjonsfrekvens, lavt blodtrykk, rask puls, nyoppstått "
            "nedsatt bevissthet, frysninger eller kraftig forverring av "
            "allmenntilstanden kan være tegn på sepsis.",
        ),
    )
    story: list[Flowable] = [
        *title_block(
            styles,
            doc.title,
            "For sykepleiere og helsefagarbeidere i sykehjem. Brukes før "
            "urinprøve tas og før lege kontaktes.",
        ),
        CanvasDrawing(chart.draw),
        Spacer(1, 3 * mm),
        Paragraph(
            "Kilde: bygger på prinsippene i nasjonal faglig retningslinje for "
            "antibiotikabruk i primærhelsetjenesten (Helsedirektoratet). "
            "Gjeldende nasjonal retningslinje og lokale prosedyrer er styrende.",
            styles["muted"],
        ),
    ]
    return _build(
        doc,
        story,
        pagesize=A4,
        margins=(margin, margin, 15 * mm, 18 * mm),
        keywords=("urinveisinfeksjon", "sykehjem", "flytskjema"),
    )


# --- Sjekkliste (A4, tick boxes) -------------------------------------------------


def _render_checklist(doc: DemoDocument) -> bytes:
    styles = make_styles(base=9)
    margin = 16 * mm
    width = A4[0] - 2 * margin
    cell = styles["cell"]

    def section(
        heading: str, items: list[tuple[str, str]], extra: tuple[Flowable, ...] = ()
    ) -> Flowable:
        return KeepTogether(
            [Paragraph(heading, styles["h2"]), tick_table(items, width, styles), *extra]
        )

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
    story.append(
        KeepTogether(
            signature_block([("Beboer (rom):", "Dato:"), ("Navn:", "Signatur:")], width, cell)
        )
    )
    return _build(
        doc,
        story,
        pagesize=A4,
        margins=(margin, margin, 14 * mm, 18 * mm),
        keywords=("sjekkliste", "antibiotika", "sykehjem"),
    )


# --- Kort veileder (A4) --------------------------------------------------------------


def _render_hygiene_guideline(doc: DemoDocument) -> bytes:
    styles = make_styles(base=9.5)
    margin = 20 * mm
    width = A4[0] - 2 * margin
    body, h2 = styles["body"], styles["h2"]

    def section(heading: str, intro: str | None, items: list[str]) -> list[Flowable]:
        intro_para = [Paragraph(intro, body)] if intro else []
        return [Paragraph(heading, h2), *intro_para, bullets(items, body)]

    moments = text_table(
        [
            ("Når", "Eksempel"),
            ("1. Før kontakt med beboer", "Før stell, forflytning og måling av blodtrykk."),
            (
                "2. Før rene og aseptiske prosedyrer",
                "Før kateterstell, sårstell, injeksjoner og munnstell.",
            ),
            (
                "3. Etter risiko for eksponering for kroppsvæsker",
                "Etter tømming av urinpose, bleieskift og håndtering av oppkast, "
                "også når du har brukt hansker.",
            ),
            ("4. Etter kontakt med beboer", "Når du går fra beboeren etter stell eller hjelp."),
            (
                "5. Etter kontakt med beboerens omgivelser",
                "Etter å ha tatt i seng, rullator, nattbord eller annet utstyr.",
            ),
        ],
        [width * 0.42, width * 0.58],
        styles,
    )
    protection = text_table(
        [
            ("Utstyr", "Bruk når"),
            (
                "Engangshansker",
                "Det er risiko for kontakt med blod, kroppsvæsker, sekret, slimhinner "
                "eller ikke-intakt hud. Skift mellom beboere og mellom urent og rent "
                "arbeid hos samme beboer.",
            ),
            (
                "Engangsforkle (plast)",
                "Arbeidstøyet kan bli tilsølt, for eksempel ved stell, bleieskift og sårstell.",
            ),
            (
                "Frakk med lange ermer",
                "Ved kontaktsmitte og omfattende stell der underarmene kan bli forurenset.",
            ),
            (
                "Munnbind og øyebeskyttelse",
                "Det er fare for sprut mot ansiktet, og ved nærkontakt med beboere med "
                "luftveisinfeksjon etter lokal prosedyre.",
            ),
        ],
        [width * 0.32, width * 0.68],
        styles,
    )
    story: list[Flowable] = [
        *title_block(
            styles,
            doc.title,
            "Kort veileder for ansatte i sykehjem. God hygiene forebygger infeksjoner, "
            "begrenser smitte mellom beboere og reduserer behovet for antibiotika.",
        ),
        *section(
            "Basale smittevernrutiner gjelder alltid",
            "Basale smittevernrutiner skal følges i møte med alle beboere, uansett om "
            "det er kjent smitte eller ikke. De består av:",
            [
                "håndhygiene på riktig tidspunkt",
                "hostehygiene: host og nys i papirlommetørkle eller albuekroken",
                "riktig bruk av hansker, forkle og annet beskyttelsesutstyr",
                "rengjøring og desinfeksjon av utstyr og kontaktpunkter",
                "trygg håndtering av tøy, avfall og skarpe gjenstander",
            ],
        ),
        Paragraph("Håndhygiene", h2),
        Paragraph(
            "Hånddesinfeksjon med alkohol er førstevalget. Vask hendene med såpe og vann "
            "når de er synlig skitne, etter toalettbesøk og ved diaré eller oppkast, "
            "fordi alkohol ikke virker godt nok mot norovirus og sporer fra "
            "<i>Clostridioides difficile</i>. Håndhygiene forutsetter korte negler uten "
            "neglelakk, ingen ringer, armbånd eller klokke, og arbeidstøy med korte ermer.",
            body,
        ),
        Paragraph("De fem indikasjonene for håndhygiene", styles["h3"]),
        moments,
        Paragraph("Hansker, forkle og annet beskyttelsesutstyr", h2),
        Paragraph(
            "Hansker erstatter ikke håndhygiene. Desinfiser hendene før du tar på hansker "
            "og etter at du har tatt dem av. Ikke bruk hansker unødvendig, for eksempel "
            "ved servering eller vanlig hjelp til påkledning.",
            body,
        ),
        protection,
        *section(
            "Kontaktsmitte: utvidede tiltak",
            "Ved diaré og oppkast med mistanke om smittsom årsak, og ved resistente "
            "bakterier der lokal prosedyre krever det, kommer kontaktsmitteregime i "
            "tillegg til basale rutiner:",
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
        ),
        *section(
            "Luftveisinfeksjoner: dråpesmitte",
            "Influensa, covid-19 og RS-virus smitter hovedsakelig med dråper ved "
            "nærkontakt. I tillegg til basale rutiner gjelder:",
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
        ),
        *section(
            "Renhold og desinfeksjon",
            None,
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
        ),
        *section(
            "Tøy og avfall",
            None,
            [
                "Legg brukt tøy direkte i tøysekk på rommet. Ikke rist tøyet og ikke "
                "hold det inntil arbeidstøyet.",
                "Tøy tilsølt med kroppsvæsker håndteres med hansker og forkle og "
                "vaskes etter lokal prosedyre.",
                "Brukte hansker, forklær og munnbind kastes på rommet før du går ut.",
                "Stikkende og skjærende avfall legges i godkjent kanylebeholder.",
            ],
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
    return _build(
        doc,
        story,
        pagesize=A4,
        margins=(margin, margin, 16 * mm, 20 * mm),
        keywords=("smittevern", "håndhygiene", "sykehjem"),
    )


_BUILDERS: dict[str, Callable[[DemoDocument], bytes]] = {
    "lommekort-antibiotikabruk": _render_pocket_card,
    "flytskjema-urinveisinfeksjon": _render_uti_flowchart,
    "sjekkliste-for-oppstart-av-antibiotika": _render_checklist,
    "veileder-hygienetiltak-sykehjem": _render_hygiene_guideline,
}

# What the listings show comes from content/documents.yaml; the PDFs are drawn above.
DEMO_DOCUMENTS: tuple[DemoDocument, ...] = tuple(
    DemoDocument(**spec) for spec in read("documents")["documents"]
)
