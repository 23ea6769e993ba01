"""The Django side of benchmarks/certificates.py: issue certificates and time them, save a page.

Run by certificates.py as ``python benchmarks/certificates_setup.py --count N --export PATH``
with DJANGO_SETTINGS_MODULE set. It makes ``N`` learners (plus warm-up ones), issues each the
demo course's certificate the way the ``issue_certificate`` task does and stores its PDF the way
``render_certificate`` does (``certificate_issue``, then ``certificate_pdf_store``), one after the
other in this one process, as one task worker would, and times every step (wall clock and this
process's CPU). Then it saves the verification page of one of them (as the site serves it) to
PATH and prints one ``BENCH-RESULT {json}`` line. Part of the benchmarks, not of the project:
nothing in the project imports it.
"""

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

RESULT = "BENCH-RESULT "


def _percentile(values: list[float], p: int) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def _learner(number: int):
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    from accounts.services import learner_profile_update

    email = f"bench-certificate-{number}@example.org"
    user = get_user_model().objects.create(username=email, email=email)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    # A name with æøå, as the PDF's fonts must carry them.
    full_name = f"Åse Bjørk Sæther {number}"
    learner_profile_update(user=user, full_name=full_name, profession=None, workplace="")
    return user


def _activity():
    """The demo course's activity, as courses.services hands it to the issuing task."""
    from django.utils import timezone

    from certificates.activities import CompletedActivity
    from cms.demo.course import COURSE_SLUG
    from courses.models.pages import CoursePage

    course = CoursePage.objects.live().get(slug=COURSE_SLUG)
    return CompletedActivity(
        key=f"course:{course.pk}", kind="course", title=course.title,
        edition_year=course.year, hours_individual=course.credit_hours, hours_together=0,
        completed_on=timezone.localdate(), content_revision=str(course.live_revision_id or ""),
        url=course.get_full_url() or "",
    )  # fmt: skip


def _issue_and_render(user, activity) -> tuple[dict[str, float], object]:
    from certificates.services import certificate_issue, certificate_pdf_store

    wall, cpu = time.perf_counter(), time.process_time()
    certificate = certificate_issue(user=user, activity=activity)
    issued_wall, issued_cpu = time.perf_counter(), time.process_time()
    certificate = certificate_pdf_store(certificate=certificate)
    done_wall, done_cpu = time.perf_counter(), time.process_time()
    if not certificate.pdf_sha256:
        raise RuntimeError(f"certificate {certificate.pk} has no stored PDF")
    timing = {
        "issue": issued_wall - wall, "render": done_wall - issued_wall,
        "total": done_wall - wall, "cpu": done_cpu - cpu, "issue_cpu": issued_cpu - cpu,
    }  # fmt: skip
    return timing, certificate


def _export(certificate, path: Path) -> dict[str, object]:
    """Save the certificate's verification page as served; where STATIC_ROOT is."""
    from urllib.parse import urlsplit

    from django.conf import settings
    from django.test import Client

    from certificates.services import verification_url

    target = urlsplit(verification_url(certificate)).path
    response = Client(HTTP_HOST="127.0.0.1").get(target)
    if response.status_code != 200:
        raise RuntimeError(f"GET {target}: HTTP {response.status_code}")
    if b'data-status="valid"' not in response.content:
        raise RuntimeError(f"GET {target} does not say the certificate is valid")
    path.write_bytes(response.content)
    return {"verify_path": target, "static_root": str(settings.STATIC_ROOT)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--export", type=Path, required=True)
    args = parser.parse_args()

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the project, for Django
    import django

    django.setup()
    activity = _activity()
    # The first renders load WeasyPrint's fonts and templates; a worker does that once.
    warm = [_issue_and_render(_learner(-n - 1), activity)[0] for n in range(args.warmup)]
    timings, sizes, certificate = [], [], None
    for number in range(args.count):
        timing, certificate = _issue_and_render(_learner(number), activity)
        timings.append(timing)
        sizes.append(certificate.pdf.size)

    def ms(key: str, p: int) -> float:
        return round(_percentile([t[key] for t in timings], p) * 1000, 2)

    total = sum(t["total"] for t in timings)
    result: dict[str, object] = {"count": args.count, "warmup": args.warmup}
    result |= {"first_total_ms": round(warm[0]["total"] * 1000, 1) if warm else None}
    result |= {f"total_p{p}_ms": ms("total", p) for p in (50, 95, 99)}
    result |= {"issue_p50_ms": ms("issue", 50), "render_p50_ms": ms("render", 50)}
    result |= {"cpu_p50_ms": ms("cpu", 50), "issue_cpu_p50_ms": ms("issue_cpu", 50)}
    result |= {"certificates_per_second": round(args.count / total, 2)}
    result |= {"pdf_bytes_median": int(statistics.median(sizes))}
    result |= _export(certificate, args.export)
    print(RESULT + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
