"""Settings of benchmarks/quiz_submit.py's server: the site's production settings, with the
URLconf of benchmarks/quiz_floor.py (the site's own, plus the hand-written floor before it).
Part of the benchmarks, not of the project."""

from cms.settings.production import *  # noqa: F403 - the site's settings, unchanged

ROOT_URLCONF = "benchmarks.quiz_floor"
