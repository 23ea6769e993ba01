"""Admin forms: the video form, caption uploads and chapter rows with human time codes."""

import re
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from videos.captions import CaptionError, parse_captions, parse_chapters

VIDEO_EXTENSIONS = ("mp4", "m4v", "mov", "mkv", "webm", "avi", "mpg", "mpeg")
_TIMECODE = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:[.,]\d{1,3})?)$|^(\d+(?:[.,]\d+)?)$")


def parse_timecode(value: str) -> float:
    """Seconds from "1:05", "01:02:03.5" or plain "65"."""
    match = _TIMECODE.match(value.strip())
    if not match:
        raise ValidationError(_("Write the time as minutes:seconds, for example 1:05."))
    hours, minutes, seconds, plain = match.groups()
    if plain is not None:
        return float(plain.replace(",", "."))
    if (hours is not None and int(minutes) >= 60) or float(seconds.replace(",", ".")) >= 60:
        raise ValidationError(_("Minutes and seconds go up to 59."))
    return int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds.replace(",", "."))


def format_timecode(seconds: float | None) -> str:
    if seconds is None:
        return ""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
    fraction = round(seconds - whole, 3)
    return text + (f"{fraction:.3f}"[1:].rstrip("0") if fraction else "")


class TimecodeField(forms.CharField):
    """A time in the video, typed as m:ss."""

    def prepare_value(self, value):
        return format_timecode(value) if isinstance(value, int | float) else value

    def to_python(self, value):
        value = super().to_python(value)
        return None if value in (None, "") else parse_timecode(value)


class VideoChapterForm(WagtailAdminModelForm):
    start = TimecodeField(label=_("Starts at"), help_text=_("Minutes:seconds, e.g. 1:05"))


class VideoCaptionForm(WagtailAdminModelForm):
    """Captions are uploaded as a file, checked and cleaned; the form never stores raw input."""

    upload = forms.FileField(
        label=_("Caption file"), required=False,
        help_text=_("WebVTT (.vtt) or SubRip (.srt)."),
    )  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("upload")
        if upload:
            try:
                track = parse_captions(upload.read(), filename=upload.name)
            except CaptionError as error:
                self.add_error("upload", str(error))
            else:
                self.instance.webvtt = track.to_webvtt()
                self.instance.source_name = Path(upload.name).name[:255]
        elif not self.instance.webvtt and not cleaned.get("DELETE"):
            self.add_error("upload", _("Choose a caption file."))
        return cleaned


class VideoForm(WagtailAdminModelForm):
    """The video form: checks the upload's type and size before anything is stored."""

    class Media:
        js = ["videos/admin/upload-progress.js"]
        css = {"all": ["videos/admin/admin.css"]}

    chapters_file = forms.FileField(
        label=_("Chapters file"), required=False,
        help_text=_("Optional: a WebVTT chapters file. It replaces the chapters below."),
    )  # fmt: skip

    def clean_source(self):
        source = self.cleaned_data.get("source")
        if source and "source" in self.changed_data:
            extension = Path(source.name).suffix.lower().lstrip(".")
            if extension not in VIDEO_EXTENSIONS:
                raise ValidationError(
                    _("“%(name)s” is not a video file we accept. Use one of: %(types)s.")
                    % {"name": source.name, "types": ", ".join(VIDEO_EXTENSIONS)}
                )
            if source.size > settings.VIDEO_MAX_UPLOAD_SIZE:
                raise ValidationError(
                    _("The file is %(size)s; the largest allowed is %(limit)s.")
                    % {
                        "size": filesizeformat(source.size),
                        "limit": filesizeformat(settings.VIDEO_MAX_UPLOAD_SIZE),
                    }
                )
            if source.size == 0:
                raise ValidationError(_("The file is empty."))
        return source

    def clean_chapters_file(self):
        upload = self.cleaned_data.get("chapters_file")
        if not upload:
            return None
        try:
            return parse_chapters(upload.read(), filename=upload.name)
        except CaptionError as error:
            raise ValidationError(str(error)) from error
