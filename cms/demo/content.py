"""The demo programme's words: a Bokmål nursing-home antibiotic-stewardship programme."""

PROGRAMME_NAME = "Riktig antibiotikabruk i sykehjem"
TAGLINE = "Et femårig kompetanseprogram for sykehjem og kommunale akutte døgnenheter"
CERTIFICATE_ISSUER = "Kompetansesenteret for antibiotikabruk i kommunehelsetjenesten"
CONTACT_EMAIL = "kontakt@example.org"

HOME_TITLE = "Riktig antibiotikabruk i sykehjem"
HOME_INTRO = (
    "<p>Programmet hjelper ansatte i sykehjem og kommunale akutte døgnenheter med å bruke "
    "antibiotika riktig: når det trengs, med riktig middel og så kort som mulig. Hvert år får "
    "institusjonen en rapport om sitt eget antibiotikaforbruk og en kvalitetspakke med nye "
    "aktiviteter.</p>"
    "<p>Alt innhold er åpent for alle. Du trenger ingen brukerkonto for å se videoene, lese "
    "eller laste ned materiellet. Vil du ha kursbevis, logger du inn før du tar "
    "e-læringskurset.</p>"
)

FEATURED_VIDEO = {
    "title": "Intervju: Når er det riktig å vente med antibiotika?",
    "summary": (
        "En sykehjemslege og en sykepleier forteller hvordan de vurderer en beboer med feber "
        "eller endret allmenntilstand, og hvorfor «se an» ofte er det beste valget. Se videoen "
        "sammen på et fagmøte, og bruk refleksjonsspørsmålene etterpå."
    ),
    "speaker": "Overlege i sykehjemsmedisin og fagsykepleier",
    "duration_minutes": 18,
}

CLIPS_HEADING = "5 RASKe: fem spørsmål, fem svar, fem minutter"
CLIPS = [
    {
        "title": "5 RASKe om urinveisinfeksjon",
        "questions": [
            "Når skal vi ta urinstiks hos en beboer?",
            "Hva er asymptomatisk bakteriuri, og hvorfor skal den ikke behandles?",
            "Hvilke symptomer peker mot en urinveisinfeksjon?",
            "Hvorfor skal urinprøven tas før behandlingen starter?",
            "Hvor lenge skal en nedre urinveisinfeksjon behandles?",
        ],
    },
    {
        "title": "5 RASKe om lungebetennelse",
        "questions": [
            "Hvilke tegn gjør oss bekymret for lungebetennelse?",
            "Hvilke målinger skal vi gjøre før vi ringer legen?",
            "Hvorfor er penicillin førstevalget?",
            "Når kan intravenøs behandling byttes til tabletter?",
            "Hva betyr det å avklare behandlingsnivå på forhånd?",
        ],
    },
]

COURSE = {
    "title": "E-læringskurs: Riktig antibiotikabruk i sykehjem",
    "description": (
        "Fire moduler på omtrent 30 minutter hver: gjeldende retningslinjer, riktig diagnostikk, "
        "intravenøs eller peroral behandling, og smittevern. Hver modul avsluttes med en quiz. "
        "Fullført kurs gir kursbevis."
    ),
    "modules": 4,
    "credit_hours": "2.0",
}

DOWNLOADS_HEADING = "Lommekort, flytskjema og sjekklister"
DOWNLOADS_INTRO = (
    "Skriv ut og heng opp på vaktrommet, eller ha lommekortet i lomma. "
    "Alt materiell kan lastes ned uten innlogging."
)

REFLECTION_TEXT = (
    "<h3>Slik bruker dere årets kvalitetspakke</h3>"
    "<ol>"
    "<li>Sett av 30 minutter på et fagmøte eller en fagdag.</li>"
    "<li>Se intervjuvideoen sammen på én skjerm.</li>"
    "<li>Snakk sammen om refleksjonsspørsmålene: hvordan gjør vi det hos oss?</li>"
    "<li>Avtal én ting dere vil gjøre annerledes, og følg den opp på neste møte.</li>"
    "</ol>"
)

RESOURCES_TITLE = "Materiell til nedlasting"
RESOURCES_SLUG = "materiell"
RESOURCES_INTRO = (
    "<p>Lommekort, flytskjema, sjekklister og korte veiledere fra programmet. "
    "Revisjonsdatoen står ved hver fil, slik at du ser at du har den nyeste versjonen.</p>"
)
