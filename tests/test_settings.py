"""Production settings are secure by default and refuse to start half-configured."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args: str, env: dict[str, str], tmp_path) -> subprocess.CompletedProcess:
    base = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AWS_", "DJANGO_", "SECRET", "ALLOWED", "REDIS", "DATABASE"))
    }
    base.update({"DJANGO_SETTINGS_MODULE": "cms.settings.production", "VAR_DIR": str(tmp_path)})
    base.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=base,
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_check_deploy_is_clean_with_the_required_environment(tmp_path):
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING",
        env={
            "SECRET_KEY": secrets.token_urlsafe(60), "ALLOWED_HOSTS": "kurs.example.org",
            "OPEN_BADGES_SIGNING_KEY": secrets.token_urlsafe(32),
        },
        tmp_path=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stderr


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"ALLOWED_HOSTS": "kurs.example.org"}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": secrets.token_urlsafe(60)}, "ALLOWED_HOSTS must list"),
        (
            {"SECRET_KEY": secrets.token_urlsafe(60), "ALLOWED_HOSTS": "kurs.example.org"},
            "OPEN_BADGES_SIGNING_KEY must be set",
        ),
    ],
)
def test_production_refuses_to_start_without_required_settings(env, message, tmp_path):
    result = _manage("check", env=env, tmp_path=tmp_path)
    assert result.returncode != 0
    assert message in result.stderr


def test_base_settings_are_secure_by_default():
    from cms.settings import base

    assert base.DEBUG is False
    assert os.environ.get("SECRET_KEY", "") == base.SECRET_KEY
    assert base.LANGUAGE_CODE == "nb"
    assert [code for code, _name in base.LANGUAGES] == ["nb", "nn", "en", "sv", "da"]
