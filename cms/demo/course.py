"""This year's demo e-learning course: four modules of lessons, each ending in a published quiz.

The words are Bokmål and follow the general shape of Helsedirektoratet's national guideline for
antibiotic use in primary care (nursing homes included); they give no doses and point to the
guideline as the authority. ``ensure_demo_course`` works like the rest of the demo loader: it
changes only what differs, so a second run saves no new revisions.
"""

import datetime
import uuid
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from wagtail.models import Page

from courses.models.pages import CoursePage, ModulePage
from quizzes.models import Quiz

# The loader's helpers are imported inside the functions: the loader imports this module, and
# either may be imported first.
if TYPE_CHECKING:
    from cms.demo.loader import LoadReport

COURSE_YEAR = datetime.date.today().year
COURSE_TITLE = f"Riktig antibiotikabruk i sykehjem – e-læringskurs {COURSE_YEAR}"
# One page per yearly edition: next year's run adds a new course instead of rewriting this one.
COURSE_SLUG = f"e-laeringskurs-{COURSE_YEAR}"
COURSE_CREDIT_HOURS = Decimal("2.0")
COURSE_MINUTES = 120
# Plain text for the programme page's course block.
COURSE_TEASER = (
    "Fire moduler på omtrent 30 minutter hver: gjeldende retningslinjer, riktig diagnostikk, "
    "intravenøs eller peroral behandling, og smittevern. Hver modul avsluttes med en quiz. "
    "Fullført kurs gir kursbevis."
)

QUIZ_SECTION_TITLE = "Quiz"
QUIZ_PASS_MARK = 80
QUIZ_INTRO = (
    "<p>Svar på spørsmålene for å fullføre modulen. Du må ha minst 80 % riktige svar for å "
    "bestå, og du kan prøve så mange ganger du vil. Når du har svart, får du en kort "
    "forklaring til hvert spørsmål.</p>"
)

# --- Module 1 ---------------------------------------------------------------------------------

GUIDELINES = {
    "slug": "gjeldende-retningslinjer",
    "title": "Gjeldende retningslinjer for antibiotikabruk i sykehjem",
    "summary": (
        "Hvorfor riktig antibiotikabruk er viktig, hva den nasjonale retningslinjen anbefaler, "
        "og hvordan vi sikrer kortest mulig effektiv behandling med god dokumentasjon."
    ),
    "estimated_minutes": 30,
    "sections": [
        {
            "title": "Hvorfor riktig antibiotikabruk er viktig",
            "content": [
                (
                    "text",
                    "<p>Antibiotika er blant de viktigste legemidlene vi har. De redder liv ved "
                    "alvorlige bakterielle infeksjoner, som lungebetennelse og blodforgiftning "
                    "(sepsis). Men hver gang antibiotika brukes, får bakteriene en mulighet til "
                    "å utvikle resistens. Jo mer og jo bredere vi behandler, desto raskere skjer "
                    "det.</p>"
                    "<h3>Resistens rammer både beboeren og fellesskapet</h3>"
                    "<p>Resistente bakterier kan spre seg mellom beboere, ansatte og "
                    "institusjoner. En infeksjon med resistente bakterier er vanskeligere å "
                    "behandle, og noen ganger finnes det bare intravenøse eller mer belastende "
                    "alternativer igjen. Norge har fortsatt lite resistens sammenlignet med mange "
                    "andre land. Det skyldes blant annet at vi bruker lite og smalspektret "
                    "antibiotika, og det vil vi fortsette med.</p>"
                    "<h3>Bivirkninger er vanlige hos eldre</h3>"
                    "<p>Antibiotika gir ofte bivirkninger: diaré, kvalme, utslett, "
                    "soppinfeksjoner og allergiske reaksjoner. Eldre bruker dessuten ofte mange "
                    "legemidler, og antibiotika kan endre virkningen av andre legemidler, for "
                    "eksempel blodfortynnende.</p>"
                    "<h3>Clostridioides difficile</h3>"
                    "<p>Antibiotika forstyrrer den normale bakteriefloraen i tarmen. Da kan "
                    "bakterien <strong>Clostridioides difficile</strong> få overtaket og gi "
                    "alvorlig diaré og tarmbetennelse. Eldre sykehjemsbeboere har høy risiko, "
                    "særlig etter bredspektrede antibiotika. Sykdommen kan bli langvarig, komme "
                    "tilbake og smitte til andre beboere.</p>"
                    "<p>Målet er derfor ikke å bruke minst mulig antibiotika for enhver pris, men "
                    "å bruke antibiotika <strong>riktig</strong>: når beboeren trenger det, med "
                    "riktig middel og i riktig tid.</p>",
                ),
                (
                    "callout",
                    {
                        "kind": "info",
                        "title": "Antibiotika virker ikke mot virus",
                        "text": (
                            "<p>Forkjølelse, influensa, covid-19 og de fleste tilfeller av akutt "
                            "bronkitt skyldes virus. Antibiotika hjelper ikke mot dem, men kan "
                            "gi bivirkninger.</p>"
                        ),
                    },
                ),
            ],
        },
        {
            "title": "Den nasjonale retningslinjen og smalspektret førstevalg",
            "content": [
                (
                    "text",
                    "<p>Helsedirektoratet gir ut <strong>Nasjonal faglig retningslinje for "
                    "antibiotikabruk i primærhelsetjenesten</strong>. Den har et eget kapittel om "
                    "sykehjem og beskriver hvilke infeksjoner som bør behandles, hvilket middel "
                    "som er førstevalg, og hvor lenge behandlingen bør vare. Retningslinjen "
                    "oppdateres når det kommer ny kunnskap, og det er alltid den gjeldende "
                    "versjonen som gjelder. Dette kurset gir en oversikt, men erstatter ikke "
                    "retningslinjen, og vi oppgir ingen doser.</p>"
                    "<h3>Smalspektret først</h3>"
                    "<p>Et smalspektret antibiotikum virker mot de bakteriene som oftest gir den "
                    "aktuelle infeksjonen, og lite mot resten av bakteriefloraen. Det gir mindre "
                    "resistens og lavere risiko for C. difficile. To eksempler fra "
                    "retningslinjen:</p>"
                    "<ul>"
                    "<li>Ved lungebetennelse er penicillin førstevalget.</li>"
                    "<li>Ved nedre urinveisinfeksjon (blærekatarr) er smalspektrede midler som "
                    "pivmecillinam eller nitrofurantoin aktuelle førstevalg. Legen velger ut fra "
                    "blant annet nyrefunksjon, allergi og tidligere dyrkningssvar.</li>"
                    "</ul>"
                    "<p>Bredspektrede midler, som cefalosporiner, kinoloner og amoksicillin med "
                    "klavulansyre, skal bare brukes når det er en særskilt grunn, for eksempel "
                    "kjent resistens, allergi eller svar på dyrkning.</p>"
                    "<h3>Sykepleierens rolle</h3>"
                    "<p>Det er legen som forordner antibiotika. Men sykepleiere og "
                    "helsefagarbeidere observerer beboeren, måler vitale tegn, tar prøver og gir "
                    "beskjed når noe endrer seg. Gode observasjoner gjør det lettere for legen å "
                    "velge riktig – eller å la være.</p>",
                ),
                (
                    "callout",
                    {
                        "kind": "key",
                        "title": "Retningslinjen er fasiten",
                        "text": (
                            "<p>Ved tvil om valg av middel, dose eller varighet er det den "
                            "nasjonale retningslinjen fra Helsedirektoratet og legens vurdering "
                            "som gjelder. Sykehjemmets egne rutiner skal bygge på den.</p>"
                        ),
                    },
                ),
            ],
        },
        {
            "title": "Kortest mulig effektiv behandling, dokumentasjon og revurdering",
            "content": [
                (
                    "text",
                    "<p>Mange antibiotikakurer har tradisjonelt vart lenger enn nødvendig. "
                    "Studier viser at kortere kurer virker like godt som lange ved flere vanlige "
                    "infeksjoner, og at de gir færre bivirkninger og mindre resistens. "
                    "Retningslinjen angir anbefalt varighet for hver infeksjon. Beboeren skal få "
                    "den kuren legen har forordnet – verken mer eller mindre – og kuren skal ha "
                    "en planlagt sluttdato.</p>"
                    "<h3>Dokumentasjon</h3>"
                    "<p>Når antibiotika startes, skal det komme tydelig fram i journalen og "
                    "legemiddellisten:</p>"
                    "<ul>"
                    "<li><strong>hvorfor</strong>: hvilken infeksjon det behandles for "
                    "(indikasjon),</li>"
                    "<li><strong>hva</strong>: hvilket middel og hvilken "
                    "administrasjonsform,</li>"
                    "<li><strong>hvor lenge</strong>: planlagt varighet eller stoppdato,</li>"
                    "<li><strong>når</strong> behandlingen skal revurderes.</li>"
                    "</ul>"
                    "<p>God dokumentasjon gjør at neste vakt, vikaren og tilsynslegen vet hva som "
                    "er planen. Den gjør det også mulig for sykehjemmet å følge med på eget "
                    "forbruk.</p>"
                    "<h3>Revurdering etter 48–72 timer</h3>"
                    "<p>Etter to til tre døgn vet vi mer: Hvordan går det med beboeren? Har svar "
                    "på urindyrkning eller andre prøver kommet? Da skal legen ta stilling til om "
                    "behandlingen skal</p>"
                    "<ul>"
                    "<li>fortsette som planlagt,</li>"
                    "<li>endres til et mer smalspektret middel,</li>"
                    "<li>endres fra intravenøs til peroral behandling, eller</li>"
                    "<li>avsluttes fordi det ikke var en bakteriell infeksjon.</li>"
                    "</ul>"
                    "<p>Sykepleieren kan minne om revurderingen og ha oppdaterte observasjoner "
                    "klare.</p>",
                ),
                (
                    "reflection",
                    {
                        "prompt": (
                            "Hvordan dokumenterer dere indikasjon, varighet og revurdering når en "
                            "beboer får antibiotika hos dere? Hvem passer på at revurderingen "
                            "etter 48–72 timer faktisk blir gjort?"
                        )
                    },
                ),
            ],
        },
    ],
    "quiz": {
        "title": "Quiz: Gjeldende retningslinjer for antibiotikabruk i sykehjem",
        "intro": QUIZ_INTRO,
        "questions": [
            {
                "type": "single_choice",
                "question": (
                    "Hva er det faglige grunnlaget for valg av antibiotika i norske sykehjem?"
                ),
                "choices": [
                    (
                        "Helsedirektoratets nasjonale faglige retningslinje for antibiotikabruk "
                        "i primærhelsetjenesten",
                        True,
                        "Riktig: retningslinjen er nasjonal fasit, og lokale rutiner bygger på "
                        "den.",
                    ),
                    (
                        "Det som pleier å virke for beboeren fra før",
                        False,
                        "Erfaring er nyttig, men valget skal følge retningslinjen og "
                        "eventuelle dyrkningssvar.",
                    ),
                    (
                        "Retningslinjer fra land med mer resistens enn Norge",
                        False,
                        "Resistenssituasjonen er annerledes i andre land, så deres råd passer "
                        "ofte ikke her.",
                    ),
                    (
                        "Pakningsvedlegget til legemidlet",
                        False,
                        "Pakningsvedlegget sier ikke hvilket middel som er førstevalg ved en "
                        "bestemt infeksjon.",
                    ),
                ],
                "explanation": (
                    "Den nasjonale retningslinjen fra Helsedirektoratet gjelder, også for sykehjem."
                ),
            },
            {
                "type": "multiple_choice",
                "question": "Hvilke er gode grunner til å unngå unødvendig antibiotikabruk?",
                "choices": [
                    (
                        "Det gir mer resistente bakterier",
                        True,
                        "Riktig: all antibiotikabruk gir bakteriene mulighet til å utvikle "
                        "resistens.",
                    ),
                    (
                        "Det gir bivirkninger som diaré og utslett",
                        True,
                        "Riktig: bivirkninger er vanlige, særlig hos eldre med mange legemidler.",
                    ),
                    (
                        "Det øker risikoen for diaré med Clostridioides difficile",
                        True,
                        "Riktig: antibiotika forstyrrer tarmfloraen, og eldre beboere er særlig "
                        "utsatt.",
                    ),
                    (
                        "Antibiotika hjelper mot influensa, men først etter noen dager",
                        False,
                        "Feil: influensa skyldes virus, og antibiotika virker ikke mot virus.",
                    ),
                ],
                "explanation": (
                    "Unødvendig antibiotika gir resistens, bivirkninger og C. difficile uten å "
                    "gi beboeren noen gevinst."
                ),
            },
            {
                "type": "true_false",
                "statement": (
                    "Bredspektrede antibiotika er et tryggere førstevalg fordi de dekker flere "
                    "bakterier."
                ),
                "is_true": False,
                "feedback_true": (
                    "Nei: bredspektrede midler gir mer resistens og C. difficile, og "
                    "retningslinjen anbefaler smalspektret førstevalg."
                ),
                "feedback_false": (
                    "Riktig: smalspektret behandling er førstevalget, og bredspektret brukes "
                    "bare når det er en særskilt grunn."
                ),
            },
            {
                "type": "single_choice",
                "question": "Når bør en påbegynt antibiotikabehandling revurderes?",
                "choices": [
                    (
                        "Etter 48–72 timer, når tilstanden og eventuelle prøvesvar er kjent",
                        True,
                        "Riktig: da kan legen fortsette, endre, bytte til tabletter eller "
                        "avslutte.",
                    ),
                    (
                        "Først når kuren er ferdig",
                        False,
                        "Da er det for sent å bytte til et smalere middel eller å avslutte en "
                        "unødvendig kur.",
                    ),
                    (
                        "Bare hvis beboeren får bivirkninger",
                        False,
                        "Revurdering skal gjøres for alle, ikke bare ved bivirkninger.",
                    ),
                    (
                        "Aldri – en påbegynt kur skal ikke endres",
                        False,
                        "En kur kan og bør endres eller avsluttes når ny kunnskap tilsier det.",
                    ),
                ],
                "explanation": (
                    "Revurdering etter 48–72 timer er en fast del av riktig antibiotikabruk."
                ),
            },
            {
                "type": "multiple_choice",
                "question": "Hva skal dokumenteres når en beboer starter med antibiotika?",
                "choices": [
                    (
                        "Hvilken infeksjon det behandles for (indikasjon)",
                        True,
                        "Riktig: uten indikasjon er det vanskelig å vurdere om behandlingen er "
                        "riktig.",
                    ),
                    (
                        "Hvilket middel som gis, og planlagt varighet eller stoppdato",
                        True,
                        "Riktig: en planlagt sluttdato hindrer at kuren varer lenger enn "
                        "nødvendig.",
                    ),
                    (
                        "Når behandlingen skal revurderes",
                        True,
                        "Riktig: da vet alle vakter når legen skal ta stilling til kuren igjen.",
                    ),
                    (
                        "Ingenting utover at legemidlet står i legemiddellisten",
                        False,
                        "Legemiddellisten alene sier ikke hvorfor og hvor lenge beboeren skal "
                        "behandles.",
                    ),
                ],
                "explanation": "Hvorfor, hva, hvor lenge og når den revurderes.",
            },
            {
                "type": "true_false",
                "statement": (
                    "Ved flere vanlige infeksjoner virker kortere antibiotikakurer like godt som "
                    "lengre, og de gir færre bivirkninger."
                ),
                "is_true": True,
                "feedback_true": (
                    "Riktig: derfor anbefaler retningslinjen kortest mulig effektiv behandlingstid."
                ),
                "feedback_false": (
                    "Jo, det stemmer: studier viser at kortere kurer ofte virker like godt og "
                    "gir færre bivirkninger."
                ),
            },
        ],
    },
}

# --- Module 2 ---------------------------------------------------------------------------------

DIAGNOSTICS = {
    "slug": "riktig-diagnostikk",
    "title": "Riktig diagnostikk – for eksempel urinveisinfeksjon uten overdiagnostikk",
    "summary": (
        "Hvilke symptomer som peker mot urinveisinfeksjon, hvorfor bakterier i urinen ikke er "
        "det samme som infeksjon, og når du skal ringe legen."
    ),
    "estimated_minutes": 30,
    "sections": [
        {
            "title": "Symptomer som peker mot urinveisinfeksjon",
            "content": [
                (
                    "text",
                    "<p>Urinveisinfeksjon er den infeksjonen som oftest behandles med antibiotika "
                    "i sykehjem – og den som oftest blir overdiagnostisert. Mange beboere får "
                    "antibiotika for en urinveisinfeksjon de ikke har. Riktig diagnose starter "
                    "med spørsmålet: <strong>Hvilke nye symptomer har beboeren?</strong></p>"
                    "<h3>Symptomer fra urinveiene</h3>"
                    "<p>Disse symptomene peker mot urinveisinfeksjon når de er nye:</p>"
                    "<ul>"
                    "<li>svie eller smerter ved vannlating,</li>"
                    "<li>hyppig eller trengende vannlating, eller nyoppstått inkontinens,</li>"
                    "<li>smerter eller ømhet over blæren, nederst i magen,</li>"
                    "<li>synlig blod i urinen,</li>"
                    "<li>feber sammen med smerter i flanken eller frysninger, som kan tyde på "
                    "nyrebekkenbetennelse.</li>"
                    "</ul>"
                    "<h3>Uspesifikke symptomer</h3>"
                    "<p>Eldre får ofte uspesifikke symptomer når de blir syke: de blir slappe, "
                    "spiser og drikker mindre, faller eller blir mer forvirret. Slike endringer "
                    "skal tas på alvor og undersøkes, men de er ikke i seg selv tegn på "
                    "urinveisinfeksjon. Årsaken kan være for lite væske, forstoppelse, "
                    "urinretensjon, smerter, bivirkninger av legemidler, lavt blodsukker eller "
                    "en infeksjon et annet sted, for eksempel i lungene.</p>"
                    "<p><strong>Forvirring eller delirium alene er ikke nok</strong> til å stille "
                    "diagnosen urinveisinfeksjon. Det samme gjelder urin som lukter vondt, er "
                    "mørk eller uklar. Lukt og farge sier mest om hvor mye beboeren "
                    "drikker.</p>",
                ),
            ],
        },
        {
            "title": "Asymptomatisk bakteriuri, urinstiks og urindyrkning",
            "content": [
                (
                    "text",
                    "<p>Mange eldre har bakterier i urinen uten å ha en infeksjon. Dette kalles "
                    "<strong>asymptomatisk bakteriuri</strong>. Det er svært vanlig hos "
                    "sykehjemsbeboere, og nesten alle som har hatt urinkateter en stund, har "
                    "bakterier i urinen. Asymptomatisk bakteriuri skal ikke behandles med "
                    "antibiotika. Behandling gir ingen gevinst for beboeren, men gir "
                    "bivirkninger, resistens og risiko for C. difficile.</p>"
                    "<h3>Ikke rutinemessig urinstiks</h3>"
                    "<p>En urinstiks kan ikke skille asymptomatisk bakteriuri fra infeksjon. Hos "
                    "beboere gir den ofte utslag for leukocytter eller nitritt, selv om de ikke "
                    "er syke. Derfor gjelder:</p>"
                    "<ul>"
                    "<li>Ta ikke urinstiks rutinemessig, ved innkomst eller ved uspesifikke "
                    "symptomer som slapphet eller forvirring.</li>"
                    "<li>Ta ikke urinstiks fordi urinen lukter eller ser annerledes ut.</li>"
                    "<li>En positiv stiks er aldri alene grunn til antibiotika.</li>"
                    "</ul>"
                    "<p>Har beboeren symptomer fra urinveiene, vurderer legen om stiks skal "
                    "brukes som en del av vurderingen. En negativ stiks gjør urinveisinfeksjon "
                    "mindre sannsynlig.</p>"
                    "<h3>Urindyrkning før behandling</h3>"
                    "<p>Når det er mistanke om urinveisinfeksjon og antibiotika vurderes, skal det "
                    "tas urinprøve til <strong>dyrkning og resistensbestemmelse</strong> før "
                    "behandlingen starter. Svaret viser hvilken bakterie det er, og hvilke "
                    "midler den er følsom for. Da kan legen ved revurderingen bytte til et "
                    "smalere middel, eller til et middel som virker. Prøven må tas riktig, som "
                    "midtstrømsurin eller etter rutinen for beboere med kateter, og oppbevares "
                    "kjølig til den sendes.</p>",
                ),
                (
                    "callout",
                    {
                        "kind": "warning",
                        "title": "Bakterier i urinen er ikke det samme som infeksjon",
                        "text": (
                            "<p>Behandle beboeren, ikke urinprøven. Uten symptomer fra "
                            "urinveiene skal bakterier i urinen ikke behandles med "
                            "antibiotika.</p>"
                        ),
                    },
                ),
            ],
        },
        {
            "title": "Klinisk vurdering og vitale tegn",
            "content": [
                (
                    "text",
                    "<p>Når en beboer endrer seg, ser vi først på hele beboeren. Hva er nytt, og "
                    "når begynte det? Hva er vanlig for akkurat denne beboeren? Kjennskap til "
                    "beboerens vanlige tilstand – hvordan hen pleier å være, spise, gå og prate – "
                    "er ofte det viktigste vi har.</p>"
                    "<h3>Mål vitale tegn</h3>"
                    "<ul>"
                    "<li>temperatur: eldre får ofte lavere feber enn yngre, og en økning fra "
                    "beboerens vanlige temperatur kan være viktig,</li>"
                    "<li>puls,</li>"
                    "<li>blodtrykk,</li>"
                    "<li>respirasjonsfrekvens, det vil si antall åndedrag per minutt,</li>"
                    "<li>oksygenmetning,</li>"
                    "<li>bevissthet: er beboeren våken, klar og orientert som vanlig?</li>"
                    "</ul>"
                    "<p>Mange sykehjem bruker et verktøy som NEWS2 for å samle målingene i en "
                    "skår. Skåren gjør det lettere å se forverring over tid og å bli enige om "
                    "når legen skal kontaktes.</p>"
                    "<h3>Se etter andre forklaringer</h3>"
                    "<p>Sjekk også væskeinntak og urinmengde, avføring, smerter, hud og sår, "
                    "hoste og pust, og om beboeren har fått nye legemidler. Ofte er det riktig å "
                    "gi drikke, behandle forstoppelse eller smerter, og måle på nytt etter noen "
                    "timer. Å «se an» betyr ikke å gjøre ingenting. Det betyr å observere "
                    "systematisk, dokumentere og ha en plan for når tilstanden skal vurderes "
                    "igjen, og for hva som skal få deg til å ringe legen før det.</p>",
                ),
            ],
        },
        {
            "title": "Når skal du ringe legen? Tegn på sepsis",
            "content": [
                (
                    "text",
                    "<p>Ta kontakt med lege når beboeren har nye symptomer som tyder på "
                    "infeksjon, når målingene er endret fra det som er vanlig for beboeren, eller "
                    "når du er bekymret. Magefølelsen din er viktig – du kjenner beboeren.</p>"
                    "<h3>Vær forberedt</h3>"
                    "<p>Bruk gjerne ISBAR for å strukturere samtalen: identifiser deg og "
                    "beboeren, beskriv situasjonen, gi bakgrunn, gi din vurdering med målingene, "
                    "og si hva du trenger. Ha vitale tegn, legemiddelliste, kjente allergier og "
                    "beboerens avklarte behandlingsnivå klart.</p>"
                    "<h3>Tegn på sepsis – ring straks</h3>"
                    "<p>Sepsis er en livstruende tilstand der kroppens reaksjon på en infeksjon "
                    "skader egne organer. Hos eldre kan tegnene være vage. Kontakt lege "
                    "<strong>straks</strong> ved infeksjon eller mistanke om infeksjon sammen med "
                    "ett eller flere av disse tegnene:</p>"
                    "<ul>"
                    "<li>rask eller tung pust,</li>"
                    "<li>lavt blodtrykk eller høy puls,</li>"
                    "<li>lav oksygenmetning,</li>"
                    "<li>nyoppstått forvirring, uro eller redusert bevissthet,</li>"
                    "<li>kald, marmorert eller blek hud, eller frostanfall,</li>"
                    "<li>lite eller ingen urin,</li>"
                    "<li>rask forverring i løpet av timer.</li>"
                    "</ul>"
                    "<p>Ved sepsis teller hver time. Da handler det om rask vurdering og "
                    "behandling, i tråd med beboerens behandlingsnivå – ikke om å vente på "
                    "prøvesvar.</p>",
                ),
                (
                    "reflection",
                    {
                        "prompt": (
                            "Tenk på siste gang dere ringte legen om en beboer med mulig "
                            "infeksjon. Hadde dere målt vitale tegn? Hva ville gjort samtalen "
                            "enklere?"
                        )
                    },
                ),
            ],
        },
    ],
    "quiz": {
        "title": "Quiz: Riktig diagnostikk av urinveisinfeksjon",
        "intro": QUIZ_INTRO,
        "questions": [
            {
                "type": "single_choice",
                "question": (
                    "En beboer er mer forvirret enn vanlig, men har ikke feber og ingen "
                    "symptomer fra urinveiene. En urinstiks er positiv. Hva er riktigst?"
                ),
                "choices": [
                    (
                        "Mål vitale tegn, se etter andre årsaker og følg beboeren opp",
                        True,
                        "Riktig: forvirring og positiv stiks alene er ikke grunn til antibiotika.",
                    ),
                    (
                        "Be legen starte antibiotika mot urinveisinfeksjon",
                        False,
                        "Positiv stiks uten symptomer fra urinveiene er oftest asymptomatisk "
                        "bakteriuri.",
                    ),
                    (
                        "Ta ny stiks i morgen og behandle hvis den fortsatt er positiv",
                        False,
                        "En ny positiv stiks sier ikke mer enn den første; den skiller ikke "
                        "bakteriuri fra infeksjon.",
                    ),
                    (
                        "Vent og se uten å måle eller dokumentere noe",
                        False,
                        "Å se an betyr å observere systematisk og ha en plan, ikke å gjøre "
                        "ingenting.",
                    ),
                ],
                "explanation": (
                    "Forvirring har mange mulige årsaker; finn dem før du konkluderer med "
                    "urinveisinfeksjon."
                ),
            },
            {
                "type": "multiple_choice",
                "question": "Hvilke nye symptomer peker mot urinveisinfeksjon?",
                "choices": [
                    (
                        "Svie eller smerter ved vannlating",
                        True,
                        "Riktig: dette er et typisk symptom fra urinveiene.",
                    ),
                    (
                        "Hyppig eller trengende vannlating, eller ny inkontinens",
                        True,
                        "Riktig: nye vannlatingsplager peker mot urinveiene.",
                    ),
                    (
                        "Feber sammen med smerter i flanken",
                        True,
                        "Riktig: det kan tyde på nyrebekkenbetennelse, og legen skal kontaktes.",
                    ),
                    (
                        "Urin som lukter vondt eller er uklar",
                        False,
                        "Lukt og farge sier mest om væskeinntaket og er ikke tegn på infeksjon.",
                    ),
                    (
                        "Forvirring uten andre symptomer",
                        False,
                        "Forvirring alene er ikke nok til å stille diagnosen urinveisinfeksjon.",
                    ),
                ],
                "explanation": "Diagnosen bygger på nye, spesifikke symptomer fra urinveiene.",
            },
            {
                "type": "true_false",
                "statement": (
                    "Asymptomatisk bakteriuri hos sykehjemsbeboere bør behandles med antibiotika "
                    "for å forebygge urinveisinfeksjon."
                ),
                "is_true": False,
                "feedback_true": (
                    "Nei: behandling gir ingen gevinst, men gir bivirkninger, resistens og "
                    "risiko for C. difficile."
                ),
                "feedback_false": (
                    "Riktig: bakterier i urinen uten symptomer skal ikke behandles."
                ),
            },
            {
                "type": "single_choice",
                "question": "Når skal urinprøve til dyrkning tas?",
                "choices": [
                    (
                        "Før antibiotikabehandlingen starter, når det er mistanke om "
                        "urinveisinfeksjon",
                        True,
                        "Riktig: da viser svaret hvilken bakterie det er og hvilke midler som "
                        "virker.",
                    ),
                    (
                        "Etter tre dager med antibiotika, for å se om behandlingen virker",
                        False,
                        "Etter at behandlingen er startet, blir dyrkningssvaret lite pålitelig.",
                    ),
                    (
                        "Rutinemessig hver måned hos alle beboere",
                        False,
                        "Rutineprøver finner asymptomatisk bakteriuri og fører til unødvendig "
                        "behandling.",
                    ),
                    (
                        "Bare hos beboere som har urinkateter",
                        False,
                        "Dyrkning er aktuelt for alle med mistenkt urinveisinfeksjon, med eller "
                        "uten kateter.",
                    ),
                ],
                "explanation": (
                    "Prøven tas før første dose, slik at legen kan justere behandlingen ved "
                    "revurderingen."
                ),
            },
            {
                "type": "multiple_choice",
                "question": (
                    "En beboer har tegn på infeksjon. Hvilke funn er tegn på sepsis, slik at du "
                    "skal kontakte lege straks?"
                ),
                "choices": [
                    (
                        "Rask eller tung pust",
                        True,
                        "Riktig: høy respirasjonsfrekvens er et av de viktigste varseltegnene.",
                    ),
                    (
                        "Lavt blodtrykk",
                        True,
                        "Riktig: lavt blodtrykk ved infeksjon kan tyde på svikt i sirkulasjonen.",
                    ),
                    (
                        "Nyoppstått forvirring eller redusert bevissthet",
                        True,
                        "Riktig: sammen med tegn på infeksjon er dette et varseltegn på sepsis.",
                    ),
                    (
                        "Normale vitale tegn hos en beboer som spiser og drikker som vanlig",
                        False,
                        "Dette taler mot sepsis, men fortsett å observere beboeren.",
                    ),
                ],
                "explanation": "Ved sepsis teller hver time: ring legen med målingene klare.",
            },
            {
                "type": "true_false",
                "statement": (
                    "Før du ringer legen om en beboer du er bekymret for, bør du måle vitale "
                    "tegn og ha dem klare."
                ),
                "is_true": True,
                "feedback_true": (
                    "Riktig: målingene gir legen et bedre grunnlag for å vurdere beboeren."
                ),
                "feedback_false": (
                    "Jo, det stemmer: vitale tegn gjør det mye lettere for legen å vurdere "
                    "hvor syk beboeren er."
                ),
            },
        ],
    },
}

# --- Module 3 ---------------------------------------------------------------------------------

IV_OR_ORAL = {
    "slug": "intravenos-eller-peroral-behandling",
    "title": "Intravenøs eller peroral behandling",
    "summary": (
        "Når intravenøs antibiotika trengs, når behandlingen kan byttes til tabletter, og "
        "hvorfor penicillin er førstevalget ved lungebetennelse. Til slutt: avklaring av "
        "behandlingsnivå."
    ),
    "estimated_minutes": 30,
    "sections": [
        {
            "title": "Når trengs intravenøs behandling?",
            "content": [
                (
                    "text",
                    "<p>De fleste infeksjoner hos sykehjemsbeboere kan behandles med tabletter "
                    "eller mikstur, det vil si peroralt. Mange perorale antibiotika tas godt opp "
                    "fra tarmen, og ved mange infeksjoner virker de like godt som intravenøs "
                    "behandling. Intravenøs behandling er likevel nødvendig i noen "
                    "situasjoner:</p>"
                    "<ul>"
                    "<li>alvorlig infeksjon, særlig med tegn på sepsis,</li>"
                    "<li>beboeren kan ikke svelge, for eksempel på grunn av redusert bevissthet "
                    "eller svelgvansker,</li>"
                    "<li>oppkast, eller usikkert opptak fra mage og tarm,</li>"
                    "<li>infeksjonen krever et middel som bare kan gis intravenøst, for eksempel "
                    "ved resistente bakterier.</li>"
                    "</ul>"
                    "<h3>Intravenøs behandling i sykehjemmet</h3>"
                    "<p>Mange sykehjem gir intravenøs antibiotika selv. Det kan spare beboeren "
                    "for en belastende sykehusinnleggelse. Det forutsetter at personalet har "
                    "kompetanse på venekanyler og tilberedning, at det finnes gode rutiner for "
                    "observasjon, og at legen følger opp. Samtidig er en venekanyle et inngrep: "
                    "den kan gi smerter, betennelse i venen, blodpropp og infeksjon i blodbanen. "
                    "Den gjør det også vanskeligere å bevege seg fritt, og kan skape uro hos "
                    "personer med kognitiv svikt.</p>"
                    "<p>Valget mellom intravenøs og peroral behandling skal derfor være en aktiv "
                    "vurdering. Om den intravenøse behandlingen fortsatt trengs, skal vurderes "
                    "på nytt hver dag.</p>",
                ),
            ],
        },
        {
            "title": "Bytte fra intravenøs til peroral behandling",
            "content": [
                (
                    "text",
                    "<p>Når beboeren blir bedre, bør intravenøs behandling byttes til peroral så "
                    "snart det er trygt. Legen tar beslutningen, men sykepleierens observasjoner "
                    "er grunnlaget. Vurder bytte senest ved revurderingen etter 48–72 timer.</p>"
                    "<h3>Kriterier for bytte</h3>"
                    "<p>Beboeren bør oppfylle disse kriteriene:</p>"
                    "<ul>"
                    "<li>klinisk bedring: bedre allmenntilstand og mindre symptomer,</li>"
                    "<li>stabile vitale tegn: puls, blodtrykk, respirasjonsfrekvens og "
                    "oksygenmetning på vei mot det som er normalt for beboeren,</li>"
                    "<li>feberfri, eller klart fallende temperatur,</li>"
                    "<li>kan svelge og ta tabletter eller mikstur,</li>"
                    "<li>fungerende mage og tarm, uten oppkast eller kraftig diaré, slik at "
                    "legemidlet tas opp,</li>"
                    "<li>det finnes et egnet peroralt middel mot infeksjonen.</li>"
                    "</ul>"
                    "<h3>Fordeler med tidlig bytte</h3>"
                    "<ul>"
                    "<li>færre komplikasjoner fra venekanyler, som betennelse i venen og "
                    "infeksjon i blodbanen,</li>"
                    "<li>beboeren kan bevege seg friere, noe som motvirker funksjonsfall og "
                    "delirium,</li>"
                    "<li>mindre tid til tilberedning og administrering, og færre feil,</li>"
                    "<li>lavere kostnader, og ofte kortere opphold ved innleggelse.</li>"
                    "</ul>"
                    "<p>Bytte til tabletter betyr ikke at kuren blir lengre. Den samlede "
                    "behandlingstiden, intravenøst og peroralt til sammen, følger "
                    "retningslinjen.</p>",
                ),
                (
                    "callout",
                    {
                        "kind": "key",
                        "title": "Spør hver dag: Trengs venekanylen fortsatt?",
                        "text": (
                            "<p>Ta opp overgang til tabletter med legen når beboeren er stabil, "
                            "feberfri, kan svelge og tar opp legemidler fra tarmen. Fjern "
                            "venekanyler som ikke lenger brukes.</p>"
                        ),
                    },
                ),
            ],
        },
        {
            "title": "Lungebetennelse: penicillin er førstevalget",
            "content": [
                (
                    "text",
                    "<p>Lungebetennelse er en vanlig og alvorlig infeksjon hos "
                    "sykehjemsbeboere. Den hyppigste årsaken er pneumokokker, og i Norge er de "
                    "fortsatt i stor grad følsomme for penicillin. Derfor anbefaler den "
                    "nasjonale retningslinjen <strong>penicillin som førstevalg</strong> ved "
                    "lungebetennelse, også hos eldre.</p>"
                    "<h3>Tabletter eller intravenøst</h3>"
                    "<p>Beboere som er moderat syke og kan svelge, kan som regel behandles med "
                    "penicillin som tabletter (fenoksymetylpenicillin). Ved alvorligere sykdom "
                    "kan legen starte med penicillin intravenøst (benzylpenicillin), noen ganger "
                    "sammen med et annet middel etter retningslinjen, og bytte til tabletter når "
                    "beboeren er stabil. Middel, dose og varighet står i retningslinjen.</p>"
                    "<h3>Hvorfor ikke bredspektret «for sikkerhets skyld»?</h3>"
                    "<p>Bredspektrede midler dekker flere bakterier, men gir mer resistens, "
                    "flere bivirkninger og høyere risiko for diaré med C. difficile. Ved "
                    "lungebetennelse hos sykehjemsbeboere gir de som hovedregel ikke bedre "
                    "resultater enn penicillin. Bredspektret behandling er forbeholdt særskilte "
                    "situasjoner, for eksempel penicillinallergi, kjent resistens eller "
                    "manglende bedring, og det er legen som vurderer dette.</p>"
                    "<h3>Observasjon under behandlingen</h3>"
                    "<p>Følg med på temperatur, pust, oksygenmetning, bevissthet, væske og "
                    "ernæring. De fleste blir merkbart bedre i løpet av to til tre døgn. Blir "
                    "beboeren ikke bedre, eller dårligere, skal legen kontaktes. Hoste og "
                    "slapphet kan vare lenge etter at infeksjonen er behandlet, og er ikke i "
                    "seg selv grunn til å forlenge kuren.</p>",
                ),
            ],
        },
        {
            "title": "Behandlingsnivå og forhåndssamtaler",
            "content": [
                (
                    "text",
                    "<p>Ikke alle beboere ønsker, eller har nytte av, all den behandlingen som er "
                    "mulig. Mange sykehjemsbeboere er i sitt siste leveår. Derfor bør "
                    "behandlingsnivået avklares <strong>før</strong> akutt sykdom oppstår, i en "
                    "forhåndssamtale mellom beboeren, legen, sykepleieren og – hvis beboeren "
                    "ønsker det – pårørende.</p>"
                    "<h3>Hva avklares?</h3>"
                    "<ul>"
                    "<li>hva som er viktig for beboeren, og hva hen ønsker og ikke ønsker,</li>"
                    "<li>om beboeren skal legges inn på sykehus ved akutt sykdom,</li>"
                    "<li>om infeksjoner skal behandles med antibiotika, og om intravenøs "
                    "behandling i sykehjemmet er aktuelt,</li>"
                    "<li>om hjerte-lunge-redning skal startes.</li>"
                    "</ul>"
                    "<p>Beslutningen dokumenteres i journalen, slik at den er kjent for alle "
                    "vakter og for legevakten. Den skal vurderes på nytt når helsetilstanden "
                    "endrer seg.</p>"
                    "<h3>Antibiotika i livets sluttfase</h3>"
                    "<p>Hos en døende beboer lindrer antibiotika ikke alltid plagene. Da kan god "
                    "lindrende behandling, som leiring, munnstell og legemidler mot tung pust og "
                    "uro, være viktigere. I andre situasjoner kan antibiotika lindre, for "
                    "eksempel ved en plagsom urinveisinfeksjon. Dette er individuelle "
                    "vurderinger som legen gjør sammen med beboeren og pårørende.</p>"
                    "<p>Et avklart behandlingsnivå hjelper også vakthavende personale og "
                    "legevakten til å ta gode beslutninger når det haster.</p>",
                ),
                (
                    "reflection",
                    {
                        "prompt": (
                            "Har beboerne på din avdeling et avklart og dokumentert "
                            "behandlingsnivå? Hvordan sikrer dere at det er kjent også på kvelds- "
                            "og nattevakt?"
                        )
                    },
                ),
            ],
        },
    ],
    "quiz": {
        "title": "Quiz: Intravenøs eller peroral behandling",
        "intro": QUIZ_INTRO,
        "questions": [
            {
                "type": "single_choice",
                "question": (
                    "Hva er førstevalget ved lungebetennelse hos en sykehjemsbeboer som er "
                    "moderat syk og kan svelge?"
                ),
                "choices": [
                    (
                        "Penicillin som tabletter",
                        True,
                        "Riktig: pneumokokker er den vanligste årsaken og er som regel følsomme "
                        "for penicillin.",
                    ),
                    (
                        "Et bredspektret middel, for sikkerhets skyld",
                        False,
                        "Bredspektrede midler gir mer resistens og C. difficile uten å gi bedre "
                        "resultater.",
                    ),
                    (
                        "Et kinolon, for eksempel ciprofloksacin",
                        False,
                        "Kinoloner er ikke førstevalg ved lungebetennelse og gir mye resistens.",
                    ),
                    (
                        "Penicillin intravenøst, uansett hvor syk beboeren er",
                        False,
                        "Beboere som er moderat syke og kan svelge, kan som regel få tabletter.",
                    ),
                ],
                "explanation": (
                    "Den nasjonale retningslinjen anbefaler penicillin som førstevalg ved "
                    "lungebetennelse."
                ),
            },
            {
                "type": "multiple_choice",
                "question": (
                    "Hvilke kriterier bør være oppfylt før intravenøs behandling byttes til "
                    "tabletter?"
                ),
                "choices": [
                    (
                        "Klinisk bedring og stabile vitale tegn",
                        True,
                        "Riktig: beboeren må være i bedring og stabil.",
                    ),
                    (
                        "Feberfri, eller klart fallende temperatur",
                        True,
                        "Riktig: feberforløpet er en del av vurderingen.",
                    ),
                    (
                        "Kan svelge og tar opp legemidler fra mage og tarm",
                        True,
                        "Riktig: ellers får beboeren ikke nytte av tablettene.",
                    ),
                    (
                        "Minst sju døgn med intravenøs behandling er gjennomført",
                        False,
                        "Det finnes ikke noe slikt minstekrav; legen kan bytte så snart "
                        "kriteriene er oppfylt.",
                    ),
                ],
                "explanation": (
                    "Vurder overgang til tabletter senest ved revurderingen etter 48–72 timer."
                ),
            },
            {
                "type": "true_false",
                "statement": (
                    "Tidlig overgang fra intravenøs til peroral behandling gir færre "
                    "komplikasjoner fra venekanyler, som betennelse i venen og infeksjon i "
                    "blodbanen."
                ),
                "is_true": True,
                "feedback_true": (
                    "Riktig: jo kortere tid en venekanyle ligger inne, desto lavere er risikoen."
                ),
                "feedback_false": (
                    "Jo, det stemmer: færre dager med venekanyle gir færre komplikasjoner."
                ),
            },
            {
                "type": "multiple_choice",
                "question": "Når kan intravenøs antibiotikabehandling være nødvendig?",
                "choices": [
                    (
                        "Ved alvorlig infeksjon med tegn på sepsis",
                        True,
                        "Riktig: da trengs rask og sikker virkning.",
                    ),
                    (
                        "Når beboeren ikke kan svelge",
                        True,
                        "Riktig: da kan ikke tabletter eller mikstur gis trygt.",
                    ),
                    (
                        "Ved oppkast eller usikkert opptak fra tarmen",
                        True,
                        "Riktig: da er det usikkert om legemidlet blir tatt opp.",
                    ),
                    (
                        "Fordi intravenøs behandling alltid virker bedre enn tabletter",
                        False,
                        "Ved mange infeksjoner virker tabletter like godt når beboeren er stabil.",
                    ),
                ],
                "explanation": (
                    "Intravenøs behandling er et aktivt valg for bestemte situasjoner, ikke en "
                    "standard."
                ),
            },
            {
                "type": "single_choice",
                "question": (
                    "Hva er den viktigste grunnen til å avklare behandlingsnivå på forhånd?"
                ),
                "choices": [
                    (
                        "At behandlingen blir i tråd med beboerens ønsker og helsetilstand, også "
                        "når det haster",
                        True,
                        "Riktig: en avklaring i forkant gir bedre beslutninger i en akutt "
                        "situasjon.",
                    ),
                    (
                        "At sykehjemmet aldri skal sende beboere til sykehus",
                        False,
                        "Avklaringen gjelder den enkelte beboer, og innleggelse kan være riktig "
                        "for noen.",
                    ),
                    (
                        "At pårørende skal bestemme behandlingen alene",
                        False,
                        "Pårørende er viktige i samtalen, men beslutningen tas av legen i "
                        "samråd med beboeren.",
                    ),
                    (
                        "At det skal brukes mindre penger på behandling",
                        False,
                        "Målet er riktig behandling for beboeren, ikke innsparing.",
                    ),
                ],
                "explanation": (
                    "Behandlingsnivået avklares i en forhåndssamtale og dokumenteres i journalen."
                ),
            },
            {
                "type": "true_false",
                "statement": (
                    "Hos en døende beboer med lungebetennelse er antibiotika alltid nødvendig "
                    "for å lindre plagene."
                ),
                "is_true": False,
                "feedback_true": (
                    "Nei: antibiotika lindrer ikke alltid, og god lindrende behandling kan være "
                    "viktigere."
                ),
                "feedback_false": (
                    "Riktig: det er en individuell vurdering, og lindring kan ofte gis på andre "
                    "måter."
                ),
            },
        ],
    },
}

# --- Module 4 ---------------------------------------------------------------------------------

INFECTION_CONTROL = {
    "slug": "smittevern",
    "title": "Smittevern",
    "summary": (
        "Håndhygiene, basale smittevernrutiner og tiltak ved kontakt- og dråpesmitte, og "
        "hvordan vi hindrer spredning av resistente bakterier og forebygger med vaksiner."
    ),
    "estimated_minutes": 30,
    "sections": [
        {
            "title": "Håndhygiene – de fem situasjonene",
            "content": [
                (
                    "text",
                    "<p>De fleste smittestoffer som sprer seg i sykehjem, overføres med hendene "
                    "til personalet. <strong>Håndhygiene er det viktigste enkelttiltaket</strong> "
                    "for å hindre smittespredning, både av vanlige infeksjoner og av resistente "
                    "bakterier.</p>"
                    "<h3>De fem situasjonene for håndhygiene</h3>"
                    "<p>Verdens helseorganisasjon (WHO) beskriver fem situasjoner der du skal "
                    "utføre håndhygiene:</p>"
                    "<ol>"
                    "<li>før kontakt med beboeren,</li>"
                    "<li>før rene og aseptiske prosedyrer, for eksempel stell av kateter, sår "
                    "eller venekanyle,</li>"
                    "<li>etter risiko for kontakt med kroppsvæsker, også når du har brukt "
                    "hansker,</li>"
                    "<li>etter kontakt med beboeren,</li>"
                    "<li>etter kontakt med beboerens nære omgivelser, som seng, nattbord og "
                    "rullator.</li>"
                    "</ol>"
                    "<h3>Hånddesinfeksjon eller håndvask?</h3>"
                    "<p>Hånddesinfeksjon med alkohol er førstevalget når hendene ikke er synlig "
                    "skitne. Det tar kort tid, er skånsomt for huden og dreper de fleste "
                    "bakterier og virus. Vask hendene med såpe og vann når de er synlig skitne, "
                    "og ved diaré som kan skyldes C. difficile eller norovirus. Alkohol virker "
                    "ikke mot sporene til C. difficile og har svakere effekt mot norovirus.</p>"
                    "<h3>Forutsetninger</h3>"
                    "<p>Håndhygiene virker best på korte, rene negler uten neglelakk eller "
                    "kunstige negler, og uten ringer, armbåndsur og smykker på hender og "
                    "underarmer. Arbeidsantrekket bør ha korte ermer. Hånddesinfeksjon må være "
                    "lett tilgjengelig der arbeidet gjøres.</p>",
                ),
                (
                    "reflection",
                    {
                        "prompt": (
                            "Tenk gjennom en vanlig arbeidsdag: I hvilke av de fem situasjonene "
                            "er det lettest å glemme håndhygiene? Hva kan gjøre det enklere å "
                            "huske?"
                        )
                    },
                ),
            ],
        },
        {
            "title": "Basale smittevernrutiner, hansker og forkle",
            "content": [
                (
                    "text",
                    "<p>Basale smittevernrutiner skal følges i alt arbeid med alle beboere, hele "
                    "tiden – uansett om vi vet at beboeren har en smitte eller ikke. Mange bærer "
                    "smittestoffer uten å ha symptomer. Folkehelseinstituttets smittevernveileder "
                    "beskriver rutinene, og sykehjemmet skal ha et infeksjonskontrollprogram som "
                    "bygger på dem.</p>"
                    "<h3>Basale smittevernrutiner omfatter</h3>"
                    "<ul>"
                    "<li>håndhygiene,</li>"
                    "<li>riktig bruk av hansker, forkle og annet beskyttelsesutstyr,</li>"
                    "<li>hostehygiene: host og nys i papirlommetørkle eller albuekroken,</li>"
                    "<li>rengjøring og desinfeksjon av utstyr og flater,</li>"
                    "<li>trygg håndtering av tøy, avfall og skarpe gjenstander,</li>"
                    "<li>riktig plassering av beboere med smitte, for eksempel på enerom.</li>"
                    "</ul>"
                    "<h3>Hansker</h3>"
                    "<p>Bruk engangshansker ved kontakt med kroppsvæsker, slimhinner, sår og "
                    "skadet hud. Skift hansker mellom beboere, og mellom urent og rent arbeid hos "
                    "samme beboer. Utfør håndhygiene når hanskene er tatt av. Hansker erstatter "
                    "aldri håndhygiene, og de skal ikke brukes i korridorer eller "
                    "fellesarealer.</p>"
                    "<h3>Forkle og frakk</h3>"
                    "<p>Bruk engangs plastforkle når arbeidsantrekket kan bli tilsølt, for "
                    "eksempel ved stell og tømming av bekken. Ved kontaktsmitte og ved fare for "
                    "søl på armene brukes smittefrakk med lange ermer. Beskyttelsesutstyret tas "
                    "av før du forlater rommet, i riktig rekkefølge, og etterpå utfører du "
                    "håndhygiene.</p>",
                ),
                (
                    "callout",
                    {
                        "kind": "key",
                        "title": "Hansker erstatter ikke håndhygiene",
                        "text": (
                            "<p>Utfør alltid håndhygiene etter at du har tatt av deg hanskene. "
                            "Hendene kan bli forurenset gjennom små hull i hanskene og når "
                            "hanskene tas av.</p>"
                        ),
                    },
                ),
            ],
        },
        {
            "title": "Kontaktsmitte, dråpesmitte og renhold",
            "content": [
                (
                    "text",
                    "<p>Når en beboer har eller kan ha en smittsom sykdom, kommer "
                    "<strong>tiltak tilpasset smittemåten</strong> i tillegg til de basale "
                    "rutinene. Tiltakene avtales med legen og følger sykehjemmets rutiner og "
                    "Folkehelseinstituttets anbefalinger.</p>"
                    "<h3>Kontaktsmitte</h3>"
                    "<p>Smitten overføres ved direkte kontakt, eller indirekte via hender, utstyr "
                    "og flater. Eksempler er norovirus, C. difficile og enkelte resistente "
                    "bakterier. Tiltakene er enerom med eget toalett når det er mulig, hansker "
                    "og smittefrakk ved stell og nær kontakt, eget utstyr til beboeren og "
                    "grundig renhold.</p>"
                    "<h3>Dråpesmitte</h3>"
                    "<p>Smitten spres med store dråper fra luftveiene ved hosting, nysing og "
                    "tale, over korte avstander. Eksempler er influensa og andre luftveisvirus. "
                    "Tiltakene er enerom, munnbind og eventuelt øyebeskyttelse ved nær kontakt, "
                    "og god hostehygiene. Noen få sykdommer, som tuberkulose og meslinger, "
                    "smitter gjennom luften over lengre avstander og krever åndedrettsvern og "
                    "særskilte tiltak.</p>"
                    "<h3>Renhold</h3>"
                    "<p>Et rent miljø gir mindre smitte. Flater som berøres ofte, som "
                    "dørhåndtak, sengehester, lysbrytere og ringesnorer, rengjøres daglig. Felles "
                    "utstyr, som blodtrykksmansjetter, termometre, løfteutstyr og dusjstoler, "
                    "rengjøres og desinfiseres mellom hver beboer. Bekken og urinflasker "
                    "behandles i dekontaminator. Ved norovirus og C. difficile brukes et "
                    "desinfeksjonsmiddel som virker mot dem, etter rutinen. Skittentøy og "
                    "smitteavfall håndteres slik at verken personalet eller omgivelsene blir "
                    "forurenset.</p>",
                ),
            ],
        },
        {
            "title": "Resistente bakterier og vaksinasjon",
            "content": [
                (
                    "text",
                    "<p>Resistente bakterier som <strong>MRSA</strong> (meticillinresistente "
                    "gule stafylokokker) og <strong>ESBL</strong>-produserende tarmbakterier "
                    "finnes også i norske sykehjem. De fleste som har slike bakterier, er bærere "
                    "uten å være syke. Bærerskap uten infeksjon behandles ikke med antibiotika i "
                    "tabletter eller intravenøst. Men får bæreren en infeksjon, kan den bli "
                    "vanskelig å behandle.</p>"
                    "<h3>Slik hindrer vi spredning</h3>"
                    "<ul>"
                    "<li>Gode basale smittevernrutiner hos alle beboere, hver dag, er det "
                    "viktigste.</li>"
                    "<li>Følg sykehjemmets rutiner og Folkehelseinstituttets veiledere for MRSA "
                    "og andre resistente bakterier, blant annet om enerom og om prøvetaking, for "
                    "eksempel etter sykehusopphold i utlandet.</li>"
                    "<li>Riktig antibiotikabruk gjør at resistente bakterier får mindre "
                    "fotfeste.</li>"
                    "</ul>"
                    "<p>Beboere som bærer resistente bakterier, har rett til like god omsorg og "
                    "et like godt liv som andre. Som hovedregel kan de delta i fellesskapet; "
                    "legen og den som har ansvar for smittevern, vurderer eventuelle tiltak. "
                    "Opplysning om bærerskap skal følge beboeren ved overflytting.</p>"
                    "<h3>Vaksinasjon</h3>"
                    "<p>Vaksiner forebygger infeksjoner, og dermed også antibiotikabruk. Følg "
                    "Folkehelseinstituttets anbefalinger:</p>"
                    "<ul>"
                    "<li>influensavaksine hver høst til beboere <strong>og</strong> ansatte – "
                    "eldre har svakere effekt av vaksinen, så vaksinerte ansatte er en viktig "
                    "beskyttelse,</li>"
                    "<li>pneumokokkvaksine til eldre og andre i risikogrupper,</li>"
                    "<li>andre vaksiner, som koronavaksine, etter gjeldende anbefalinger.</li>"
                    "</ul>"
                    "<p>Ansatte med symptomer på smittsom sykdom, som oppkast, diaré eller feber, "
                    "skal holde seg hjemme etter sykehjemmets rutiner.</p>",
                ),
            ],
        },
    ],
    "quiz": {
        "title": "Quiz: Smittevern",
        "intro": QUIZ_INTRO,
        "questions": [
            {
                "type": "single_choice",
                "question": (
                    "Hva er det viktigste enkelttiltaket for å hindre smittespredning i sykehjem?"
                ),
                "choices": [
                    (
                        "Håndhygiene",
                        True,
                        "Riktig: de fleste smittestoffer overføres med hendene til personalet.",
                    ),
                    (
                        "Å bruke hansker hele vakten",
                        False,
                        "Hansker brukt for lenge sprer smitte; de skal skiftes og følges av "
                        "håndhygiene.",
                    ),
                    (
                        "Munnbind til alle ansatte hele tiden",
                        False,
                        "Munnbind brukes ved dråpesmitte, men er ikke det viktigste "
                        "enkelttiltaket.",
                    ),
                    (
                        "Forebyggende antibiotika til beboere med mange infeksjoner",
                        False,
                        "Forebyggende antibiotika gir resistens og hindrer ikke smittespredning.",
                    ),
                ],
                "explanation": "Håndhygiene er grunnmuren i alt smittevern.",
            },
            {
                "type": "multiple_choice",
                "question": "Hvilke av disse hører til de fem situasjonene for håndhygiene?",
                "choices": [
                    (
                        "Før kontakt med beboeren",
                        True,
                        "Riktig: det beskytter beboeren mot smitte fra hendene dine.",
                    ),
                    (
                        "Før rene og aseptiske prosedyrer",
                        True,
                        "Riktig: for eksempel før stell av kateter, sår eller venekanyle.",
                    ),
                    (
                        "Etter kontakt med beboerens nære omgivelser",
                        True,
                        "Riktig: seng, nattbord og rullator kan være forurenset.",
                    ),
                    (
                        "Bare når hendene er synlig skitne",
                        False,
                        "Smittestoffer er usynlige, så håndhygiene trengs i alle de fem "
                        "situasjonene.",
                    ),
                ],
                "explanation": (
                    "De fem er: før beboerkontakt, før rene prosedyrer, etter kroppsvæsker, "
                    "etter beboerkontakt og etter kontakt med omgivelsene."
                ),
            },
            {
                "type": "true_false",
                "statement": "Når du har brukt hansker, trenger du ikke håndhygiene etterpå.",
                "is_true": False,
                "feedback_true": (
                    "Nei: hendene kan bli forurenset gjennom små hull og når hanskene tas av."
                ),
                "feedback_false": ("Riktig: hansker erstatter aldri håndhygiene."),
            },
            {
                "type": "single_choice",
                "question": (
                    "En beboer har diaré som skyldes Clostridioides difficile. Hva er riktig "
                    "håndhygiene etter stellet?"
                ),
                "choices": [
                    (
                        "Ta av hanskene og vask hendene med såpe og vann",
                        True,
                        "Riktig: vask fjerner sporene mekanisk, noe alkohol ikke gjør.",
                    ),
                    (
                        "Bare hånddesinfeksjon med alkohol",
                        False,
                        "Alkohol dreper ikke sporene til C. difficile.",
                    ),
                    (
                        "Ingen håndhygiene, fordi du har brukt hansker",
                        False,
                        "Hansker erstatter aldri håndhygiene.",
                    ),
                    (
                        "Skifte til nye hansker og gå videre til neste beboer",
                        False,
                        "Hansker skal tas av mellom beboere, og hendene skal vaskes.",
                    ),
                ],
                "explanation": (
                    "Ved C. difficile og norovirus er håndvask med såpe og vann viktig."
                ),
            },
            {
                "type": "multiple_choice",
                "question": "Hvilke tiltak hører til ved kontaktsmitte?",
                "choices": [
                    (
                        "Hansker og smittefrakk ved stell og nær kontakt",
                        True,
                        "Riktig: det beskytter hender og arbeidsantrekk mot smitte.",
                    ),
                    (
                        "Eget utstyr til beboeren, eller desinfeksjon av utstyret etter bruk",
                        True,
                        "Riktig: utstyr som går fra beboer til beboer, kan spre smitte.",
                    ),
                    (
                        "Enerom med eget toalett når det er mulig",
                        True,
                        "Riktig: det reduserer smitte via felles flater og toalett.",
                    ),
                    (
                        "Åndedrettsvern ved all kontakt med beboeren",
                        False,
                        "Åndedrettsvern brukes ved luftsmitte, for eksempel tuberkulose, ikke "
                        "ved kontaktsmitte.",
                    ),
                ],
                "explanation": (
                    "Kontaktsmitte overføres via hender, utstyr og flater; tiltakene retter seg "
                    "mot dette."
                ),
            },
            {
                "type": "single_choice",
                "question": (
                    "Hva er viktigst for å hindre spredning av MRSA og ESBL i et sykehjem?"
                ),
                "choices": [
                    (
                        "Gode basale smittevernrutiner hos alle beboere, hver dag",
                        True,
                        "Riktig: mange bærere er ukjente, så rutinene må gjelde alle.",
                    ),
                    (
                        "Å gi antibiotika til alle beboere som bærer bakteriene",
                        False,
                        "Bærerskap uten infeksjon behandles ikke med antibiotika i tabletter "
                        "eller intravenøst.",
                    ),
                    (
                        "Å ikke ta imot beboere som bærer slike bakterier",
                        False,
                        "Bærere har rett til like god omsorg som andre beboere.",
                    ),
                    (
                        "Å teste alle beboere hver uke",
                        False,
                        "Prøvetaking gjøres etter rutinene, ikke som jevnlig testing av alle.",
                    ),
                ],
                "explanation": (
                    "Basale rutiner og riktig antibiotikabruk er grunnlaget; særskilte tiltak "
                    "følger veilederne."
                ),
            },
            {
                "type": "true_false",
                "statement": ("Når ansatte tar influensavaksine, beskytter det også beboerne."),
                "is_true": True,
                "feedback_true": (
                    "Riktig: vaksinerte ansatte smitter sjeldnere, og eldre har svakere effekt "
                    "av egen vaksine."
                ),
                "feedback_false": (
                    "Jo, det stemmer: vaksinerte ansatte gir beboerne en viktig ekstra beskyttelse."
                ),
            },
        ],
    },
}

MODULES = [GUIDELINES, DIAGNOSTICS, IV_OR_ORAL, INFECTION_CONTROL]

COURSE_DESCRIPTION = (
    "<p>Årets e-læringskurs for ansatte i sykehjem og kommunale akutte døgnenheter. Kurset har "
    "fire moduler på omtrent 30 minutter hver, og hver modul avsluttes med en quiz:</p>"
    "<ol>" + "".join(f"<li>{module['title']}</li>" for module in MODULES) + "</ol>"
    "<p>Fullført kurs gir kursbevis på 2,0 timer. Kurset bygger på Helsedirektoratets "
    "<strong>nasjonale faglige retningslinje for antibiotikabruk i "
    "primærhelsetjenesten</strong>. Ved tvil er det alltid retningslinjen som gjelder.</p>"
)


# --- Building it ------------------------------------------------------------------------------


def _block(block_type: str, value) -> dict:
    # A stream child in its stored form; the ids are ignored when comparing (see _strip_ids).
    return {"type": block_type, "value": value, "id": str(uuid.uuid4())}


def _question_data(question: dict) -> dict:
    from cms.demo.loader import _items

    kind = question["type"]
    if kind == "true_false":
        fields = ("statement", "is_true", "feedback_true", "feedback_false")
        return _block(kind, {name: question[name] for name in fields})
    choices = [
        {"text": text, "correct": correct, "feedback": feedback}
        for text, correct, feedback in question["choices"]
    ]
    value = {
        "question": question["question"],
        "choices": _items(choices),
        "explanation": question.get("explanation", ""),
    }
    return _block(kind, value)


def _module_body(module: dict, quiz: Quiz) -> list[dict]:
    sections = [
        _block(
            "section",
            {
                "title": section["title"],
                "content": [_block(kind, value) for kind, value in section["content"]],
            },
        )
        for section in module["sections"]
    ]
    quiz_content = [_block("quiz", {"quiz": quiz.pk})]
    sections.append(_block("section", {"title": QUIZ_SECTION_TITLE, "content": quiz_content}))
    return sections


def _stream_differs(current, wanted: list[dict]) -> bool:
    from cms.demo.loader import _strip_ids

    return _strip_ids(list(current.get_prep_value())) != _strip_ids(wanted)


def _ensure_quiz(spec: dict, report: "LoadReport") -> Quiz:
    questions = [_question_data(question) for question in spec["questions"]]
    wanted = {
        "intro": spec["intro"],
        "pass_mark": QUIZ_PASS_MARK,
        "max_attempts": None,  # unlimited
        "shuffle": False,
    }
    label = f"quiz {spec['title']!r}"
    quiz = Quiz.objects.filter(title=spec["title"]).order_by("pk").first()
    if quiz is None:
        quiz = Quiz(title=spec["title"], questions=questions, live=False, **wanted)
        quiz.save()
        quiz.save_revision().publish()
        quiz.refresh_from_db()
        report.created.append(label)
        return quiz

    changed = False
    for name, value in wanted.items():
        if getattr(quiz, name) != value:
            setattr(quiz, name, value)
            changed = True
    if _stream_differs(quiz.questions, questions):
        quiz.questions = questions
        changed = True
    if changed or not quiz.live or quiz.has_unpublished_changes:
        quiz.save_revision().publish()
        quiz.refresh_from_db()
        report.updated.append(label)
    return quiz


def _ensure_module(
    course: CoursePage, module: dict, quiz: Quiz, report: "LoadReport"
) -> ModulePage:
    from cms.demo.loader import _publish_if_changed

    body = _module_body(module, quiz)
    wanted = {
        "title": module["title"],
        "summary": module["summary"],
        "estimated_minutes": module["estimated_minutes"],
    }
    label = f"module {module['slug']}"
    page = ModulePage.objects.child_of(course).filter(slug=module["slug"]).first()
    if page is None:
        page = ModulePage(slug=module["slug"], body=body, live=False, **wanted)
        course.add_child(instance=page)
        report.created.append(label)

    # _publish_if_changed knows only plain fields and ``activities``: compare the body here,
    # and publish once if only the body differs.
    body_changed = _stream_differs(page.body, body)
    if body_changed:
        page.body = body
    updates_before = len(report.updated)
    _publish_if_changed(page, wanted, report, label)
    if body_changed and len(report.updated) == updates_before:
        page.save_revision().publish()
        report.updated.append(label)
    return page


def _order_modules(course: CoursePage, slugs: list[str], report: "LoadReport") -> None:
    children = ModulePage.objects.child_of(course).order_by("path")
    current = [slug for slug in children.values_list("slug", flat=True) if slug in slugs]
    if current == slugs:
        return
    for slug in slugs:
        ModulePage.objects.child_of(course).get(slug=slug).move(course, pos="last-child")
    report.updated.append("module order")


@transaction.atomic
def ensure_demo_course(report: "LoadReport", home: Page) -> CoursePage:
    """This year's course under ``home``: four published modules, each ending in its quiz.

    Creates what is missing and publishes a new revision only where the content differs, so a
    second run changes nothing.
    """
    from cms.demo.loader import _publish_if_changed

    quizzes = [_ensure_quiz(module["quiz"], report) for module in MODULES]

    # A fresh copy of the parent: treebeard places a new child from the parent's numchild.
    parent = Page.objects.get(pk=home.pk)
    wanted = {
        "title": COURSE_TITLE,
        "year": COURSE_YEAR,
        "description": COURSE_DESCRIPTION,
        "credit_hours": COURSE_CREDIT_HOURS,
        "estimated_minutes": COURSE_MINUTES,
    }
    course = CoursePage.objects.child_of(parent).filter(slug=COURSE_SLUG).first()
    if course is None:
        course = CoursePage(slug=COURSE_SLUG, live=False, **wanted)
        parent.add_child(instance=course)
        report.created.append("course page")
    _publish_if_changed(course, wanted, report, "course page")

    for module, quiz in zip(MODULES, quizzes, strict=True):
        _ensure_module(course, module, quiz, report)
    # Publishing works on a copy from the revision: read back what is now in the database.
    course = CoursePage.objects.get(pk=course.pk)
    _order_modules(course, [module["slug"] for module in MODULES], report)
    return course


def course_link_value(course: CoursePage) -> dict:
    """The value of the programme page's ``course`` block, pointing at ``course``."""
    return {
        "title": course.title,
        "description": COURSE_TEASER,
        "page": course.pk,
        "url": "",
        "modules": len(MODULES),
        "credit_hours": str(COURSE_CREDIT_HOURS),
    }
