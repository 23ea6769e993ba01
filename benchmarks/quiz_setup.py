"""The Django side of benchmarks/quiz_submit.py: learners, sessions, attempts, checks, queries.

Run by quiz_submit.py as ``python benchmarks/quiz_setup.py``, it answers its commands with the
loop of setup_support.py and keeps its state (the learners, the quizzes) between commands. Part
of the benchmarks, not of the project: nothing in the project imports it.
"""

import sys
from typing import Any

from setup_support import expect, password_hash, serve, session_login, session_settings, user_make

# An open attempt is created directly, as the quiz form of an earlier release started it (such
# attempts are still accepted); logging in is replaced by a session per learner.


class QuizSetup:
    """The commands, with the state they share."""

    def __init__(self) -> None:
        self.users: list = []
        self.quizzes: list[dict[str, Any]] = []
        self.quiz_objects: list = []
        self.password_hash = ""

    # --- helpers -----------------------------------------------------------------------------

    def make_user(self, email: str):
        return user_make(email=email, password=self.password_hash)

    @staticmethod
    def attempt_start(*, quiz, user):
        from quizzes.models import QuizAttempt

        return QuizAttempt.objects.create(quiz=quiz, user=user, revision_id=quiz.live_revision_id)

    # --- commands ----------------------------------------------------------------------------

    def setup(self, learners: int, password: str) -> dict[str, Any]:
        """Learners with verified addresses and a session each; the course's quizzes, answered."""
        from django.db import transaction
        from django.utils.encoding import iri_to_uri

        from cms.demo.course import COURSE_SLUG
        from courses.models.pages import CoursePage
        from quizzes.questions import right_answers
        from quizzes.selectors import live_questions

        course = CoursePage.objects.live().get(slug=COURSE_SLUG)
        for module in course.modules().specific():
            for quiz in module.quizzes():
                self.quiz_objects.append(quiz)
                self.quizzes.append({
                    "quiz": quiz.pk, "path": iri_to_uri(module.get_url_parts()[2]),
                    "answers": right_answers(live_questions(quiz)),
                    "result_prefix": iri_to_uri(module.url) + "quiz/",
                })  # fmt: skip
        expect(bool(self.quizzes), "the demo course has no quizzes")
        self.password_hash = password_hash(password)
        sessions = []
        with transaction.atomic():
            for number in range(learners):
                user = self.make_user(f"bench-learner-{number}@example.org")
                self.users.append(user)
                sessions.append(session_login(user))
        return {"sessions": sessions, "quizzes": self.quizzes} | session_settings()

    def attempts(self) -> dict[str, Any]:
        """One open attempt per learner and quiz; their tokens, learner by learner."""
        tokens = []
        for user in self.users:
            row = []
            for quiz in self.quiz_objects:
                attempt = self.attempt_start(quiz=quiz, user=user)
                expect(attempt.submitted_at is None, f"attempt {attempt.pk} is not open")
                row.append(str(attempt.token))
            tokens.append(row)
        return {"tokens": tokens}

    def check(self, tokens: list[str]) -> dict[str, int]:
        """How many of these attempts were submitted, and passed with full marks."""
        from quizzes.models import QuizAttempt

        closed = QuizAttempt.objects.filter(token__in=tokens, submitted_at__isnull=False)
        passed = closed.filter(passed=True, score=100)
        return {"submitted": closed.count(), "passed": passed.count()}

    def queries(self) -> dict[str, list[str]]:
        """The SQL of one first submission and of its replay (Django test client, same settings)."""
        from django.conf import settings
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        user = self.make_user("bench-queries@example.org")
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user, backend=settings.AUTHENTICATION_BACKENDS[0])
        quiz, spec = self.quiz_objects[0], self.quizzes[0]

        def form() -> tuple[str, dict]:
            token = str(self.attempt_start(quiz=quiz, user=user).token)
            data = {"quiz": str(quiz.pk), "attempt": token}
            return token, data | {"q-" + qid: values for qid, values in spec["answers"].items()}

        def post(data: dict, token: str) -> None:
            response = client.post(spec["path"] + "quiz/", data)
            body = response.content.decode(errors="replace")
            expect(response.status_code == 302, f"HTTP {response.status_code}: {body[-3000:]}")
            location = response.get("Location")
            expect(location == spec["result_prefix"] + token + "/", f"Location {location}")

        token, data = form()
        post(data, token)  # warm-up: the first request of this process
        token, data = form()
        with CaptureQueriesContext(connection) as fresh:
            post(data, token)
        with CaptureQueriesContext(connection) as replay:
            post(data, token)
        return {
            "fresh": [q["sql"] for q in fresh.captured_queries],
            "replay": [q["sql"] for q in replay.captured_queries],
        }


if __name__ == "__main__":
    sys.exit(serve(QuizSetup))
