"""Group-session pages: the phone's (type the code, "I am here", the codewords), the shared
screen's (present mode with the join code, QR and codewords) and the facilitator's list.

Views are thin: every write is one call to ``attendance.services``; a refusal
(``AttendanceRefused``) is shown as its message with a 4xx status, never a 500. The phone pages
work without JavaScript on a 360 px screen; the shared screen's extras (the live count, opening
and closing codewords at the pauses) are ``static/attendance/session.js``.

Join codes carry only 30 bits, so guessing is throttled hard: unknown or malformed codes are
counted in the cache per signed-in user and per client address (like the certificate
verification page); once the user has ``ATTENDANCE_CODE_MISS_LIMIT`` misses, or the address
``ATTENDANCE_CODE_MISS_LIMIT_PER_ADDRESS`` (a whole room shares one), within
``ATTENDANCE_CODE_MISS_WINDOW`` seconds, every code lookup gets a 429 until the window ends,
found or not, so a guesser learns nothing more.
"""

import io
import json
from datetime import timedelta

import segno
from allauth.account.adapter import get_adapter
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from attendance import errors, selectors, services
from attendance.colleagues import colleagues_for
from attendance.errors import AttendanceRefused
from attendance.forms import (
    AttestForm,
    CodewordForm,
    ColleagueForm,
    JoinCodeForm,
    RemoveClaimForm,
    StartForm,
)
from attendance.models import Claim, ClaimSource, ClaimStatus, Codeword, GroupSession
from attendance.tokens import colleague_claim_from_token
from videos import selectors as video_selectors
from videos.models import Video, VideoActivity

# The status a refusal is shown with: gone for good (410), not now (409), not you (403).
REFUSAL_STATUS = {
    errors.ACTIVITY_CLOSED: 410,
    errors.NOT_FACILITATOR: 403,
    errors.SESSION_ENDED: 409,
    errors.SESSION_NOT_ENDED: 409,
    errors.SESSION_EXPIRED: 410,
    errors.CLAIMS_CLOSED: 410,
    errors.ALREADY_CLAIMED: 409,
    errors.CODEWORD_WRONG: 400,
    errors.CODEWORD_EXPIRED: 410,
    errors.TOO_MANY_TRIES: 403,
    errors.CLAIM_REMOVED: 403,
    errors.CLAIM_CREDITED: 409,
    errors.NOT_A_COLLEAGUE: 403,
    errors.NOT_YOUR_CLAIM: 403,
    errors.NOT_ALLOWED: 403,
    errors.REASON_REQUIRED: 400,
    errors.WRONG_SESSION: 400,
}

# A pause index beyond any real video's chapters: refused before it reaches a service.
_MAX_CHAPTER_INDEX = 999


def refusal_status(refusal: AttendanceRefused) -> int:
    return REFUSAL_STATUS.get(refusal.code, 400)


def _private(response: HttpResponse) -> HttpResponse:
    # Every page here names people or shows a live state: no cache may keep it.
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    return response


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


# --- Throttling unknown join codes ---------------------------------------------------------


def _miss_limits(request: HttpRequest) -> list[tuple[str, int]]:
    """The counters a lookup from ``request`` is held to, each with its limit.

    A nursing home's phones share one public address on the Wi-Fi, so the address gets a far
    larger allowance than one person: a room where a dozen people mistype the code once must
    not lock out the colleague who types it right.
    """
    address = get_adapter(request).get_client_ip(request)
    limits = [
        (f"attendance:code-miss:ip:{address}", settings.ATTENDANCE_CODE_MISS_LIMIT_PER_ADDRESS)
    ]
    if request.user.is_authenticated:
        limits.append(
            (f"attendance:code-miss:user:{request.user.pk}", settings.ATTENDANCE_CODE_MISS_LIMIT)
        )
    return limits


def _throttled(request: HttpRequest) -> bool:
    """Whether the client or the user has used up its misses in the current window."""
    return any((cache.get(key) or 0) >= limit for key, limit in _miss_limits(request))


def _count_miss(request: HttpRequest) -> None:
    window = settings.ATTENDANCE_CODE_MISS_WINDOW
    for key, _limit in _miss_limits(request):
        # add() starts the window at the first miss; incr() is atomic (on Redis across
        # workers), and later misses do not extend the window.
        cache.add(key, 0, window)
        try:
            cache.incr(key)
        except ValueError:  # the window ended between add() and incr()
            cache.add(key, 1, window)


def _too_many(request: HttpRequest) -> HttpResponse:
    response = render(request, "attendance/too_many.html", status=429)
    response["Retry-After"] = str(settings.ATTENDANCE_CODE_MISS_WINDOW)
    return _private(response)


def _join_page(request: HttpRequest, form: JoinCodeForm, *, status: int = 200) -> HttpResponse:
    return _private(render(request, "attendance/join.html", {"form": form}, status=status))


def _unknown_code(request: HttpRequest, typed: str) -> HttpResponse:
    form = JoinCodeForm(data={"kode": typed})
    if form.is_valid():
        form.add_error(
            "kode",
            _("No group session has the code %(code)s. Check the code on the screen.")
            % {"code": typed.strip().upper()},
        )
    return _join_page(request, form, status=404)


def _session_for_code(request: HttpRequest, typed: str):
    """``(session, None)`` for a known code; ``(None, response)`` for a miss (404) or for a
    client past its misses (429)."""
    if _throttled(request):
        return None, _too_many(request)
    session = selectors.session_by_code(typed)
    if session is None:
        _count_miss(request)
        if _throttled(request):
            return None, _too_many(request)
        return None, _unknown_code(request, typed)
    return session, None


# --- The phone: join, claim, codewords -----------------------------------------------------


@require_GET
def join(request: HttpRequest) -> HttpResponse:
    """``/gruppe/``: type the code on the screen (or come with ``?kode=``)."""
    if "kode" not in request.GET:
        return _join_page(request, JoinCodeForm())
    typed = request.GET.get("kode", "")
    session, refused = _session_for_code(request, typed)
    if refused is not None:
        return refused
    return redirect("attendance:claim", code=session.join_code)


def _claim_context(request, session: GroupSession, claim: Claim | None, **extra) -> dict:
    here = reverse("attendance:claim", args=[session.join_code])
    shows_words = claim is not None and claim.source != ClaimSource.FACILITATOR
    status = claim.status if claim is not None else None
    context = {
        "session": session,
        "activity": session.activity,
        "claim": claim,
        "status": status,
        "statuses": ClaimStatus,
        "claims_open": timezone.now() <= session.claims_close_at,
        "codewords_open": shows_words
        and status not in (ClaimStatus.REMOVED, ClaimStatus.REJECTED, ClaimStatus.CREDITED)
        and _codeword_may_be_valid(session),
        "codewords_confirmed": claim.codewords_counted if claim is not None else 0,
        "codewords_required": session.required_codewords,
        "is_facilitator": request.user.is_authenticated
        and session.facilitator_id == request.user.pk,
        "login_url": f"{reverse('account_login')}?next={here}",
        "signup_url": f"{reverse('account_signup')}?next={here}",
        "codeword_form": CodewordForm(),
        "refusal": None,
    }
    context.update(extra)
    return context


def _codeword_may_be_valid(session: GroupSession) -> bool:
    """A running session shows codewords; after its end, only the last one's grace is left."""
    if not session.is_ended:
        return True
    grace = timedelta(seconds=settings.ATTENDANCE_CODEWORD_GRACE_SECONDS)
    recent = session.codewords.filter(
        Q(closed_at__isnull=True) | Q(closed_at__gte=timezone.now() - grace)
    )
    return any(word.is_valid() for word in recent)


def _claim_page(request, session, claim, *, status: int = 200, **extra) -> HttpResponse:
    context = _claim_context(request, session, claim, **extra)
    return _private(render(request, "attendance/claim.html", context, status=status))


@require_http_methods(["GET", "POST"])
def claim(request: HttpRequest, code: str) -> HttpResponse:
    """``/gruppe/<code>/``: the session, "I am here" (POST), then the codewords and the status."""
    session, refused = _session_for_code(request, code)
    if refused is not None:
        return refused
    if request.method == "GET" and code != session.join_code:
        return redirect("attendance:claim", code=session.join_code)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(reverse("attendance:claim", args=[session.join_code]))
        try:
            services.session_claim(session=session, user=request.user)
        except AttendanceRefused as refusal:
            own = selectors.claim_for_user(session, request.user)
            return _claim_page(
                request, session, own, status=refusal_status(refusal), refusal=refusal.message
            )
        messages.success(request, _("You are on the list for this session."))
        return redirect("attendance:claim", code=session.join_code)
    return _claim_page(request, session, selectors.claim_for_user(session, request.user))


@require_POST
def codeword(request: HttpRequest, code: str) -> HttpResponse:
    """``/gruppe/<code>/ord/``: the word on the screen at a pause, typed on the phone."""
    session, refused = _session_for_code(request, code)
    if refused is not None:
        return refused
    here = reverse("attendance:claim", args=[session.join_code])
    if not request.user.is_authenticated:
        return redirect_to_login(here)
    own = selectors.claim_for_user(session, request.user)
    if own is None:
        messages.error(request, _("Tap “I am here” first; then type the words on the screen."))
        return redirect(here)
    own.user = request.user  # it is theirs: the service logs by them without reading them again
    form = CodewordForm(request.POST)
    if not form.is_valid():
        return _claim_page(request, session, own, status=400, codeword_form=form)
    try:
        services.codeword_confirm(claim=own, word=form.cleaned_data["word"])
    except AttendanceRefused as refusal:
        form.add_error("word", refusal.message)
        own = selectors.claim_for_user(session, request.user)
        return _claim_page(
            request, session, own, status=refusal_status(refusal), codeword_form=form
        )
    own = selectors.claims_with_confirmed_pauses([own])[0]  # counted again, with the new one
    messages.success(
        request,
        _("Codeword confirmed: %(done)s of %(required)s.")
        % {"done": own.codewords_counted, "required": session.required_codewords},
    )
    return redirect(here)


# --- The shared screen ---------------------------------------------------------------------


def _refused_page(request, message: str, *, status: int) -> HttpResponse:
    return _private(render(request, "attendance/refused.html", {"message": message}, status=status))


@require_POST
@login_required
def start(request: HttpRequest) -> HttpResponse:
    """``/gruppe/start/``: start a session of an activity from one of its videos' present page."""
    form = StartForm(request.POST)
    if not form.is_valid():
        return _refused_page(request, _("Choose the activity to start a session of."), status=400)
    activity = VideoActivity.objects.filter(
        pk=form.cleaned_data["activity"], items__video_id=form.cleaned_data["video"]
    ).first()
    if activity is None:
        return _refused_page(
            request, _("That video is not part of a credit-bearing activity."), status=404
        )
    try:
        session = services.group_session_start(facilitator=request.user, activity=activity)
    except AttendanceRefused as refusal:
        return _refused_page(request, refusal.message, status=refusal_status(refusal))
    return redirect("attendance:present", uuid=session.uuid, video_id=form.cleaned_data["video"])


def _facilitated(request: HttpRequest, uuid) -> GroupSession:
    """The session with ``uuid`` if the request's user leads it; a 404 for anyone else."""
    if not request.user.is_authenticated:
        raise Http404("No such session.")
    return get_object_or_404(
        GroupSession.objects.select_related("activity", "facilitator"),
        uuid=uuid,
        facilitator=request.user,
    )


def _activity_videos(session: GroupSession) -> list[Video]:
    return [
        item.video
        for item in session.activity.items.select_related("video").order_by("sort_order", "pk")
    ]


def claim_url(request: HttpRequest, session: GroupSession) -> str:
    """The absolute address the phones open (the QR code's content)."""
    return request.build_absolute_uri(reverse("attendance:claim", args=[session.join_code]))


def _claims_count(session: GroupSession) -> int:
    """People in the room who have claimed: not the facilitator, not removed."""
    return (
        session.claims.filter(removed_at__isnull=True)
        .exclude(source=ClaimSource.FACILITATOR)
        .count()
    )


@require_GET
@login_required
def present(request: HttpRequest, uuid, video_id: int) -> HttpResponse:
    """``/gruppe/okt/<uuid>/vis/<video_id>/``: the shared screen for a session, one video of it."""
    session = _facilitated(request, uuid)
    videos = _activity_videos(session)
    position = next((index for index, video in enumerate(videos) if video.pk == video_id), None)
    if position is None:
        raise Http404("That video is not part of this session.")
    video = videos[position]
    if not video_selectors.video_visible_to(video, request):
        raise Http404("No such video.")
    context = video_selectors.player_context(request, video)
    following = videos[position + 1] if position + 1 < len(videos) else None
    context.update(
        {
            "session": session,
            "force_chapter_pause": True,
            "next_video": following,
            "video_position": position + 1,
            "video_count": len(videos),
            "join_url": claim_url(request, session),
            "join_short_url": request.build_absolute_uri(reverse("attendance:join")),
            "claims_count": _claims_count(session),
            "claim_window_hours": settings.ATTENDANCE_CLAIM_WINDOW_HOURS,
        }
    )
    return _private(render(request, "attendance/present.html", context))


@require_GET
def status(request: HttpRequest, uuid) -> JsonResponse:
    """``status.json``: what the shared screen polls (the count, ended, the open codeword)."""
    session = _facilitated(request, uuid)
    open_word = session.codewords.filter(closed_at__isnull=True).order_by("-opened_at").first()
    body = {
        "claims": _claims_count(session),
        "ended": session.is_ended,
        "codeword": {"id": open_word.pk, "word": open_word.word} if open_word else None,
    }
    return _private(JsonResponse(body))


def _json_refusal(refusal: AttendanceRefused) -> JsonResponse:
    return _private(
        JsonResponse(
            {"error": refusal.code, "detail": refusal.message}, status=refusal_status(refusal)
        )
    )


def _json_error(message: str, *, status: int = 400) -> JsonResponse:
    return _private(JsonResponse({"error": "bad_request", "detail": message}, status=status))


def _pause_input(request: HttpRequest) -> tuple[object, object]:
    """``(video, chapter)`` as sent: a JSON object, or a form."""
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"null")
        except (ValueError, UnicodeDecodeError):
            return None, None
        if not isinstance(data, dict):
            return None, None
        return data.get("video"), data.get("chapter")
    return request.POST.get("video"), request.POST.get("chapter")


def _as_index(value, *, maximum: int) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.isascii() and value.isdigit():
        value = int(value)
    if isinstance(value, int) and 0 <= value <= maximum:
        return value
    return None


@require_POST
def pause_open(request: HttpRequest, uuid) -> JsonResponse:
    """``pause/``: a chapter pause is on screen; draw its codeword. JSON ``{video, chapter}``."""
    session = _facilitated(request, uuid)
    raw_video, raw_chapter = _pause_input(request)
    video_id = _as_index(raw_video, maximum=2**31 - 1)
    chapter = _as_index(raw_chapter, maximum=_MAX_CHAPTER_INDEX)
    video = next((v for v in _activity_videos(session) if v.pk == video_id), None)
    if video is None or chapter is None:
        return _json_error(_("Send the video of this session and the pause's chapter number."))
    try:
        word = services.codeword_open(
            session=session, by=request.user, video=video, chapter_index=chapter
        )
    except AttendanceRefused as refusal:
        return _json_refusal(refusal)
    return _private(JsonResponse({"id": word.pk, "word": word.word}))


@require_POST
def pause_close(request: HttpRequest, uuid, codeword_id: int) -> JsonResponse:
    """``pause/<id>/lukk/``: the pause is over; its word stays valid for the grace period."""
    session = _facilitated(request, uuid)
    word = Codeword.objects.filter(session=session, pk=codeword_id).first()
    if word is None:
        return _json_error(_("No such codeword in this session."), status=404)
    try:
        word = services.codeword_close(session=session, by=request.user, codeword=word)
    except AttendanceRefused as refusal:
        return _json_refusal(refusal)
    return _private(JsonResponse({"id": word.pk, "closed": True}))


@require_POST
def end(request: HttpRequest, uuid) -> HttpResponse:
    """``slutt/``: end the session (the last video ended, or the facilitator pressed End)."""
    session = _facilitated(request, uuid)
    try:
        session = services.group_session_end(session=session, by=request.user)
    except AttendanceRefused as refusal:
        if _wants_json(request):
            return _json_refusal(refusal)
        messages.error(request, refusal.message)
        return redirect("attendance:session", uuid=session.uuid)
    if _wants_json(request):
        return _private(JsonResponse({"ended": True, "too_short": session.too_short}))
    messages.success(request, _("The session has ended."))
    return redirect("attendance:session", uuid=session.uuid)


@require_GET
def qr(request: HttpRequest, uuid) -> HttpResponse:
    """``qr.svg``: the claim address as a QR code, big enough to scan from across a room."""
    session = _facilitated(request, uuid)
    code = segno.make(claim_url(request, session), error="m")
    out = io.BytesIO()
    code.save(out, kind="svg", scale=1, border=4, dark="#000", light="#fff", xmldecl=False,
              omitsize=True, title=_("QR code for joining the session"))  # fmt: skip
    response = HttpResponse(out.getvalue(), content_type="image/svg+xml")
    return _private(response)


# --- The facilitator's list ----------------------------------------------------------------


def _session_context(request, session: GroupSession, **extra) -> dict:
    claims = selectors.claims_for_facilitator(session)
    colleagues = colleagues_for(session, request.user)
    unattested = [
        claim
        for claim in claims
        if claim.attested_at is None and claim.status == ClaimStatus.CONFIRMED
    ]
    context = {
        "session": session,
        "activity": session.activity,
        "claims": claims,
        "statuses": ClaimStatus,
        "colleagues": colleagues,
        "colleague_form": ColleagueForm(colleagues=colleagues),
        "attest_form": AttestForm(),
        "remove_form": RemoveClaimForm(),
        "unattested": unattested,
        "needs_approval": [c for c in claims if c.status == ClaimStatus.NEEDS_APPROVAL],
        "first_video": next(iter(_activity_videos(session)), None),
        "duration_seconds": session.duration.total_seconds() if session.duration else None,
        "join_url": claim_url(request, session),
    }
    context.update(extra)
    return context


def _session_page(request, session, *, status: int = 200, **extra) -> HttpResponse:
    context = _session_context(request, session, **extra)
    return _private(render(request, "attendance/session.html", context, status=status))


def _back_to_session(session: GroupSession) -> HttpResponse:
    return redirect("attendance:session", uuid=session.uuid)


@require_GET
@login_required
def session_detail(request: HttpRequest, uuid) -> HttpResponse:
    """``/gruppe/okt/<uuid>/``: who claimed, remove, approve, add colleagues, attest, the sheet."""
    return _session_page(request, _facilitated(request, uuid))


def _claim_of(session: GroupSession, claim_id: int) -> Claim:
    found = session.claims.select_related("user").filter(pk=claim_id).first()
    if found is None:
        raise Http404("No such claim in this session.")
    found.session = session
    return found


@require_POST
@login_required
def remove(request: HttpRequest, uuid, claim_id: int) -> HttpResponse:
    session = _facilitated(request, uuid)
    target = _claim_of(session, claim_id)
    form = RemoveClaimForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.claim_remove(claim=target, by=request.user, reason=reason)
    except AttendanceRefused as refusal:
        return _session_page(request, session, status=refusal_status(refusal), refusal=refusal)
    messages.success(request, _("The claim was removed."))
    return _back_to_session(session)


@require_POST
@login_required
def approve(request: HttpRequest, uuid, claim_id: int) -> HttpResponse:
    session = _facilitated(request, uuid)
    target = _claim_of(session, claim_id)
    try:
        services.claim_approve(claim=target, by=request.user)
    except AttendanceRefused as refusal:
        return _session_page(request, session, status=refusal_status(refusal), refusal=refusal)
    messages.success(request, _("The claim was approved."))
    return _back_to_session(session)


@require_POST
@login_required
def add_colleague(request: HttpRequest, uuid) -> HttpResponse:
    session = _facilitated(request, uuid)
    form = ColleagueForm(request.POST, colleagues=colleagues_for(session, request.user))
    if not form.is_valid():
        return _session_page(request, session, status=400, colleague_form=form)
    try:
        services.colleague_add(session=session, by=request.user, user=form.chosen_user())
    except AttendanceRefused as refusal:
        return _session_page(request, session, status=refusal_status(refusal), refusal=refusal)
    messages.success(
        request, _("Added. We have emailed your colleague a link to confirm they were there.")
    )
    return _back_to_session(session)


@require_POST
@login_required
def attest(request: HttpRequest, uuid) -> HttpResponse:
    session = _facilitated(request, uuid)
    form = AttestForm(request.POST)
    if not form.is_valid():
        return _session_page(request, session, status=400, attest_form=form)
    try:
        services.session_attest(session=session, by=request.user)
    except AttendanceRefused as refusal:
        return _session_page(request, session, status=refusal_status(refusal), refusal=refusal)
    session.refresh_from_db()
    if session.gives_no_credit:
        messages.success(
            request, _("Attested. The session gives no credit, so no certificates are issued.")
        )
    else:
        messages.success(
            request, _("Attested. Everyone confirmed on the list gets the certificate by email.")
        )
    return _back_to_session(session)


@require_GET
@login_required
def sheet(request: HttpRequest, uuid) -> HttpResponse:
    """``liste.pdf``: a sign-in sheet to print, with the names claimed so far."""
    from attendance.pdf import render_sign_in_sheet

    session = _facilitated(request, uuid)
    names = [
        claim.name
        for claim in selectors.claims_for_facilitator(session)
        if claim.removed_at is None and claim.rejected_at is None
    ]
    pdf = render_sign_in_sheet(session, names)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="oppmote-{session.join_code}.pdf"'
    return _private(response)


# --- A colleague added from the member list ------------------------------------------------


@require_http_methods(["GET", "POST"])
def colleague_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """``/gruppe/bekreft/<token>/``: the emailed link; the colleague confirms they were there."""
    found = colleague_claim_from_token(token)
    if found is None:
        return _refused_page(
            request,
            _("This confirmation link is not valid. Ask the facilitator to add you again."),
            status=404,
        )
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if found.user_id != request.user.pk:
        return _refused_page(
            request,
            _("This link is for another person. Sign in with the account it was emailed to."),
            status=403,
        )
    context = {"claim": found, "session": found.session, "token": token}
    if request.method == "POST":
        try:
            services.colleague_confirm(claim=found, user=request.user)
        except AttendanceRefused as refusal:
            context["refusal"] = refusal.message
            return _private(
                render(
                    request,
                    "attendance/colleague_confirm.html",
                    context,
                    status=refusal_status(refusal),
                )
            )
        messages.success(request, _("Thank you. Your attendance is confirmed."))
        return redirect("attendance:colleague_confirm", token=token)
    return _private(render(request, "attendance/colleague_confirm.html", context))
