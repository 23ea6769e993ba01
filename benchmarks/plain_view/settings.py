"""Production settings with one URL added for benchmarks/serve_home.py: a plain Django view.

Only the benchmark's gunicorn uses this module (DJANGO_SETTINGS_MODULE=
benchmarks.plain_view.settings); the site never imports it. Everything else, the middleware
included, is cms.settings.production unchanged, so the plain view costs what any response
through the site's whole middleware stack costs, without Wagtail's routing or a template.
"""

from cms.settings.production import *  # noqa: F403

ROOT_URLCONF = "benchmarks.plain_view.urls"
