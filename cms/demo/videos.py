"""The demo videos: an interview and a "5 in 5" clip, with Bokmål captions and chapters.

The pictures and sound are ffmpeg test sources (we have no real footage to ship); the captions,
chapter titles and reflection questions are real text about the topic. Each video is made once:
a later run only brings its captions and chapters up to date.
"""

import tempfile
from pathlib import Path

from django.core.files import File

from videos import services
from videos.captions import chapters_from_list, parse_captions
from videos.media import make_test_source
from videos.models import Video, VideoKind

INTERVIEW_TITLE = "Intervju: Når er det riktig å vente med antibiotika?"
INTERVIEW_SECONDS = 60
INTERVIEW_CAPTIONS = [
    (0.5, 6.0, "Velkommen. I dag snakker vi om når det er riktig å vente med antibiotika."),
    (
        6.5,
        12.0,
        "Mange beboere får feber eller blir slappe uten at de har en bakteriell infeksjon.",
    ),
    (12.5, 18.0, "Det første vi gjør, er å måle vitale tegn: temperatur, puls, blodtrykk og pust."),
    (18.5, 24.0, "Så spør vi: Hva er nytt hos denne beboeren, og når begynte det?"),
    (
        24.5,
        30.0,
        "Urinstiks alene er ikke nok. Mange eldre har bakterier i urinen uten å være syke.",
    ),
    (30.5, 36.0, "Har beboeren ingen symptomer fra urinveiene, skal vi ikke behandle bakteriene."),
    (36.5, 42.0, "Å se an betyr ikke å gjøre ingenting: vi følger med, gir drikke og måler igjen."),
    (42.5, 48.0, "Blir beboeren dårligere, ringer vi legen med målingene klare."),
    (48.5, 54.0, "Når vi starter antibiotika, velger vi smalspektret middel og kortest mulig kur."),
    (54.5, 59.5, "Snakk sammen på fagmøtet: Hvordan gjør vi dette hos oss?"),
]
INTERVIEW_CHAPTERS = [
    ("Feber og slapphet: hva er nytt?", 0.0),
    ("Urinstiks og asymptomatisk bakteriuri", 24.0),
    ("Å se an og å ringe legen", 36.0),
    ("Når antibiotika er riktig", 48.0),
]
INTERVIEW_REFLECTION = (
    "<ol><li>Når målte vi sist vitale tegn før vi ringte legen?</li>"
    "<li>Tar vi urinstiks uten at beboeren har symptomer fra urinveiene?</li>"
    "<li>Hva kan vi gjøre annerledes neste gang en beboer får feber?</li></ol>"
)

CLIP_TITLE = "5 RASKe om urinveisinfeksjon"
CLIP_SECONDS = 40
CLIP_CHAPTERS = [
    ("Når skal vi ta urinstiks hos en beboer?", 0.0),
    ("Hva er asymptomatisk bakteriuri?", 8.0),
    ("Hvilke symptomer peker mot urinveisinfeksjon?", 16.0),
    ("Hvorfor urinprøve før behandling?", 24.0),
    ("Hvor lenge skal en nedre urinveisinfeksjon behandles?", 32.0),
]
CLIP_CAPTIONS = [
    (0.3, 7.5, "Bare når beboeren har nye symptomer fra urinveiene, ikke som rutine."),
    (
        8.3,
        15.5,
        "Bakterier i urinen uten symptomer. Det er vanlig hos eldre og skal ikke behandles.",
    ),
    (
        16.3,
        23.5,
        "Svie ved vannlating, hyppig vannlating, feber uten annen årsak, smerter i flanken.",
    ),
    (24.3, 31.5, "Da vet vi hvilken bakterie det er, og kan bytte middel om det trengs."),
    (32.3, 39.5, "Hos kvinner oftest tre til fem dager. Følg den nasjonale retningslinjen."),
]
CLIP_REFLECTION = "<p>Hvilket av de fem svarene overrasket dere mest, og hvorfor?</p>"


def _webvtt(cues: list[tuple[float, float, str]]) -> bytes:
    def stamp(seconds: float) -> str:
        minutes, rest = divmod(seconds, 60)
        return f"00:{int(minutes):02d}:{rest:06.3f}"

    blocks = [f"{stamp(start)} --> {stamp(end)}\n{text}" for start, end, text in cues]
    return ("WEBVTT\n\n" + "\n\n".join(blocks) + "\n").encode()


def _ensure_video(report, *, title, kind, seconds, captions, chapters, reflection) -> Video:
    video = Video.objects.filter(title=title).order_by("pk").first()
    if video is None:
        with tempfile.TemporaryDirectory() as folder:
            source = make_test_source(
                Path(folder) / "demo.mp4", seconds=seconds, width=1280, height=720
            )
            with open(source, "rb") as handle:
                video = services.video_create(
                    title=title, source=File(handle, name=f"{kind}.mp4"), kind=kind
                )
        report.created.append(f"video {title!r} (transcoding in the background)")
    if video.reflection_questions != reflection:
        video.reflection_questions = reflection
        video.save(update_fields=["reflection_questions"])
        report.updated.append(f"reflection questions of {title!r}")
    webvtt = _webvtt(captions)
    current = video.captions.filter(language="nb").first()
    if current is None or current.webvtt != parse_captions(webvtt).to_webvtt():
        services.video_captions_set(video=video, language="nb", data=webvtt, filename="demo.vtt")
        report.updated.append(f"captions of {title!r}")
    wanted = [(title_, start) for title_, start in chapters]
    have = list(video.chapters.order_by("sort_order").values_list("title", "start"))
    if have != wanted:
        services.video_chapters_set(
            video=video, chapters=chapters_from_list(wanted, duration=float(seconds))
        )
        report.updated.append(f"chapters of {title!r}")
    return video


def ensure_demo_videos(report) -> tuple[Video, Video]:
    """The interview and the clip; new ones are queued for transcoding by the task worker."""
    interview = _ensure_video(
        report, title=INTERVIEW_TITLE, kind=VideoKind.INTERVIEW, seconds=INTERVIEW_SECONDS,
        captions=INTERVIEW_CAPTIONS, chapters=INTERVIEW_CHAPTERS, reflection=INTERVIEW_REFLECTION,
    )  # fmt: skip
    clip = _ensure_video(
        report, title=CLIP_TITLE, kind=VideoKind.CLIP, seconds=CLIP_SECONDS,
        captions=CLIP_CAPTIONS, chapters=CLIP_CHAPTERS, reflection=CLIP_REFLECTION,
    )  # fmt: skip
    return interview, clip
