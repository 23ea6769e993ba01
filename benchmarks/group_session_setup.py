"""The Django side of benchmarks/group_session.py: learners, sessions, codewords, attestation,
the certificates, and the checks in the database after every step.

Run by group_session.py as ``python benchmarks/group_session_setup.py``, it answers its
commands with the loop of setup_support.py and keeps its state (the learners, the facilitator,
the sessions) between commands. Every write goes through ``attendance.services``, as the
facilitator's screen would make it; only the learners' logins are replaced by a session each.
Part of the benchmarks, not of the project: nothing in the project imports it.
"""

import sys
import time
from datetime import timedelta
from decimal import Decimal
from typing import Any

from setup_support import expect, password_hash, serve, session_login, session_settings, user_make

# The activity: one ready video of VIDEO_SECONDS without chapters (so present mode pauses once,
# at its end) worth ACTIVITY_HOURS, so the session requires exactly one codeword
# (min(ceil(3 a credit hour x 0.5), 1 pause)). The session is started STARTED_MINUTES_AGO, so
# ending it now gives the activity's full hours together: 40 minutes > the video's 30, capped
# at 0.5 hours.
VIDEO_SECONDS = 1800.0
ACTIVITY_HOURS = Decimal("0.50")
STARTED_MINUTES_AGO = 40


class GroupSetup:
    """The commands, with the state they share."""

    def __init__(self) -> None:
        self.learners: list = []
        self.facilitator = None
        self.password_hash = ""
        self.sessions: dict[int, Any] = {}
        self.codewords: dict[int, Any] = {}

    # --- helpers -----------------------------------------------------------------------------

    def make_user(self, email: str, first: str, last: str):
        return user_make(email=email, password=self.password_hash, first_name=first, last_name=last)

    def session_of(self, session_id: int):
        from attendance.models import GroupSession

        return GroupSession.objects.select_related("activity").get(pk=session_id)

    # --- commands ----------------------------------------------------------------------------

    def setup(self, learners: int, password: str) -> dict[str, Any]:
        """A facilitator and learners with verified addresses, names and a session each."""
        from django.conf import settings
        from django.db import transaction

        self.password_hash = password_hash(password)
        sessions = []
        with transaction.atomic():
            self.facilitator = self.make_user(
                "bench-facilitator@example.org", "Frida", "Fasilitator"
            )
            for number in range(learners):
                user = self.make_user(
                    f"bench-attendee-{number}@example.org", "Åse", f"Bjørk {number}"
                )
                self.learners.append(user)
                sessions.append(session_login(user))
        tasks = settings.TASKS["default"]["BACKEND"]
        return {"sessions": sessions} | session_settings() | {"tasks_backend": tasks}

    def session_new(self, label: str) -> dict[str, Any]:
        """A fresh activity of one ready video and a session of it, started a while ago."""
        from django.urls import reverse
        from django.utils import timezone

        from attendance import services
        from videos.models import Video, VideoActivity, VideoActivityItem, VideoStatus

        slug = f"bench-{label}"
        video = Video.objects.create(
            title=f"Intervju om legemidler ({label})", kind="interview",
            source=f"videos/source/bench/{slug}.mp4", status=VideoStatus.READY,
            duration=VIDEO_SECONDS, media_prefix=f"videos/bench/{slug}",
        )  # fmt: skip
        activity = VideoActivity.objects.create(
            title=f"Intervju om legemidler ({label})", edition_year=timezone.localdate().year,
            kind="interview", hours=ACTIVITY_HOURS, live=True,
        )  # fmt: skip
        VideoActivityItem.objects.create(activity=activity, video=video, sort_order=0)
        started = timezone.now() - timedelta(minutes=STARTED_MINUTES_AGO)
        session = services.group_session_start(
            facilitator=self.facilitator, activity=activity, now=started
        )
        expect(session.required_codewords == 1, f"{session.required_codewords} codewords required")
        self.sessions[session.pk] = session
        claim_path = reverse("attendance:claim", args=[session.join_code])
        return {
            "session": session.pk,
            "join_code": session.join_code,
            "claim_path": claim_path,
            "codeword_path": reverse("attendance:codeword", args=[session.join_code]),
            "required_codewords": session.required_codewords,
            "running_seconds": session.running_seconds,
        }

    def claims_check(self, session: int) -> dict[str, Any]:
        """The claims in the database: attendees' (by phone), the facilitator's, the events."""
        from attendance.models import Claim, ClaimSource, SessionEvent, SessionEventKind

        claims = Claim.objects.filter(session_id=session)
        learner_ids = {user.pk for user in self.learners}
        phone = claims.filter(source=ClaimSource.PHONE, confirmed_at__isnull=False)
        return {
            "attendee_claims": phone.count(),
            "attendee_claims_by_learners": phone.filter(user_id__in=learner_ids).count(),
            "distinct_users": phone.values("user_id").distinct().count(),
            "facilitator_claims": claims.filter(
                source=ClaimSource.FACILITATOR, user=self.facilitator
            ).count(),
            "all_claims": claims.count(),
            "claimed_events": SessionEvent.objects.filter(
                session_id=session, kind=SessionEventKind.CLAIMED
            ).count(),
        }

    def codeword_open(self, session: int) -> dict[str, Any]:
        """The facilitator's screen reaches the (only) pause: its codeword, opened now."""
        from attendance import services
        from attendance.services import activity_videos

        group_session = self.session_of(session)
        video = activity_videos(group_session.activity)[0]
        codeword = services.codeword_open(
            session=group_session, by=self.facilitator, video=video, chapter_index=0
        )
        self.codewords[session] = codeword
        return {"word": codeword.word, "codeword": codeword.pk}

    def confirmations_check(self, session: int) -> dict[str, Any]:
        from attendance.models import CodewordConfirmation, SessionEvent, SessionEventKind

        codeword = self.codewords[session]
        rows = CodewordConfirmation.objects.filter(codeword=codeword)
        return {
            "confirmations": rows.count(),
            "distinct_claims": rows.values("claim_id").distinct().count(),
            "confirmed_events": SessionEvent.objects.filter(
                session_id=session, kind=SessionEventKind.CODEWORD_CONFIRMED
            ).count(),
            "wrong_words": SessionEvent.objects.filter(
                session_id=session, kind=SessionEventKind.CODEWORD_WRONG
            ).count(),
        }

    def finish(self, session: int) -> dict[str, Any]:
        """End and attest (the facilitator), then issue the certificates (timed) and check them.

        ``session_attest`` enqueues the ``credit_session`` task after commit; here its body,
        ``session_credit``, is called directly and timed, as one task worker would run it. Each
        certificate's PDF is queued by ``certificate_issue`` (``render_certificate``), not made
        here: benchmarks/certificates.py measures that.
        """
        from django.utils import timezone

        from attendance import services
        from attendance.models import Claim, ClaimSource
        from attendance.selectors import claims_with_confirmed_pauses
        from certificates.models import Certificate

        group_session = services.group_session_end(
            session=self.session_of(session), by=self.facilitator, now=timezone.now()
        )
        expect(group_session.hours_credit == ACTIVITY_HOURS, f"{group_session.hours_credit} h")
        claims = list(Claim.objects.filter(session_id=session))
        for claim in claims:
            claim.session = group_session
        claims_with_confirmed_pauses(claims)
        statuses: dict[str, int] = {}
        for claim in claims:
            statuses[str(claim.status)] = statuses.get(str(claim.status), 0) + 1
        # Every claim should be confirmed by now (the benchmark checks): attested as they are,
        # without approving anyone, so a missing confirmation shows as a missing certificate.
        attest_started = time.perf_counter()
        services.session_attest(session=group_session, by=self.facilitator)
        attest_seconds = time.perf_counter() - attest_started
        attested = Claim.objects.filter(session_id=session, attested_at__isnull=False).count()

        queued_before = self.tasks_queued()
        wall, cpu = time.perf_counter(), time.process_time()
        credited = services.session_credit(session=group_session)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        queued = self.tasks_queued()
        queued = {path: queued[path] - queued_before.get(path, 0) for path in queued}
        again = services.session_credit(session=group_session)  # idempotent: none the 2nd time

        key = f"video-activity:{group_session.activity_id}"
        certificates = Certificate.objects.filter(activity_key=key)
        learner_ids = {user.pk for user in self.learners}
        attendee = certificates.filter(holder_id__in=learner_ids)
        together = attendee.filter(hours_together=ACTIVITY_HOURS, hours_individual=0)
        linked = Claim.objects.filter(
            session_id=session, source=ClaimSource.PHONE, certificate__holder_id__in=learner_ids
        )
        return {
            "hours_credit": str(group_session.hours_credit),
            "claims": len(claims),
            "statuses_before_attest": statuses,
            "attested_claims": attested,
            "attest_seconds": round(attest_seconds, 4),
            "credited": len(credited),
            "credited_again": len(again),
            "credit_seconds": round(wall, 4),
            "credit_cpu_seconds": round(cpu, 4),
            "certificates": certificates.count(),
            "attendee_certificates": attendee.count(),
            "attendee_certificates_together": together.count(),
            "attendee_claims_with_certificate": linked.count(),
            "facilitator_certificates": certificates.filter(holder=self.facilitator).count(),
            "render_tasks_queued": self.render_tasks_queued(certificates),
            "tasks_queued_by_credit": {k.rsplit(".", 1)[-1]: v for k, v in queued.items() if v},
        }

    @staticmethod
    def tasks_queued() -> dict[str, int]:
        """Tasks in the database queue, by task (an empty dict for another backend)."""
        try:
            from django.db.models import Count
            from django_tasks_db.models import DBTaskResult
        except ImportError:
            return {}
        rows = DBTaskResult.objects.values("task_path").annotate(n=Count("id"))
        return {row["task_path"]: row["n"] for row in rows}

    @staticmethod
    def render_tasks_queued(certificates) -> int | None:
        """How many of these certificates have their PDF task queued (database queue only)."""
        try:
            from django_tasks_db.models import DBTaskResult
        except ImportError:
            return None
        ids = {str(pk) for pk in certificates.values_list("pk", flat=True)}
        rows = DBTaskResult.objects.filter(task_path__endswith="render_certificate")
        return sum(
            1 for args in rows.values_list("args_kwargs", flat=True) if _first_arg(args) in ids
        )

    def queries(self) -> dict[str, list[str]]:
        """The SQL of one claim and one codeword confirmation (Django test client, same settings),
        on a session of its own, after one untimed claim and confirmation to warm up."""
        from django.conf import settings
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        spec = self.session_new("queries")
        word = self.codeword_open(spec["session"])["word"]
        captured = {}
        for number in range(2):
            user = self.make_user(f"bench-queries-{number}@example.org", "Kari", f"Spør {number}")
            client = Client(HTTP_HOST="127.0.0.1")
            client.force_login(user, backend=settings.AUTHENTICATION_BACKENDS[0])
            steps = (("claim", spec["claim_path"], {}), ("codeword", spec["codeword_path"],
                     {"word": word}))  # fmt: skip
            for name, path, data in steps:
                with CaptureQueriesContext(connection) as queries:
                    response = client.post(path, data)
                body = response.content.decode(errors="replace")
                expect(response.status_code == 302, f"{name}: HTTP {response.status_code}: "
                       f"{body[-3000:]}")  # fmt: skip
                location = response.get("Location")
                expect(location == spec["claim_path"], f"{name}: Location {location}")
                captured[name] = [q["sql"] for q in queries.captured_queries]
        return captured


def _first_arg(args_kwargs) -> str:
    try:
        return str(args_kwargs["args"][0])
    except (KeyError, IndexError, TypeError):
        return ""


if __name__ == "__main__":
    sys.exit(serve(GroupSetup))
