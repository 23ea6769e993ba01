"""``manage.py ensure_admin``: make sure an admin login exists and say how to use it."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from cms.settings.env import env_str


class Command(BaseCommand):
    help = (
        "Create the admin user if missing (password from ADMIN_PASSWORD or generated and kept "
        "in var/admin-password) and print how to log in."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default=env_str("ADMIN_USERNAME", "admin"))
        parser.add_argument("--port", default=env_str("PORT", "8000"))

    def handle(self, *args, username: str, port: str, **options):
        password_file = settings.VAR_DIR / "admin-password"
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        password = env_str("ADMIN_PASSWORD")
        if not password and password_file.exists():
            password = password_file.read_text().strip()
        if user is None:
            if not password:
                password = secrets.token_urlsafe(12)
                password_file.write_text(password + "\n")
                password_file.chmod(0o600)
            User.objects.create_superuser(username=username, email="", password=password)
            self.stdout.write(self.style.SUCCESS(f"Created the admin user {username!r}."))
        url = f"http://127.0.0.1:{port}/admin/"
        if user is not None and not password:
            self.stdout.write(f"Admin login: {url}  user {username!r} with the password you set")
        elif user is not None and not user.check_password(password):
            self.stdout.write(
                f"Admin login: {url}  user {username!r} (the password has been changed; "
                f"reset it with: manage.py changepassword {username})"
            )
        else:
            self.stdout.write(f"Admin login: {url}  user {username!r}  password {password!r}")
