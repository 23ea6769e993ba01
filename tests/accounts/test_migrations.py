"""Moving the learner models from courses to accounts keeps a database's profiles.

The database is taken back to the schema today's code had before the move (the models in
``courses``), a learner's profile is written there, and migrating forward must keep it.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.models import LearnerProfile, Profession

BEFORE_THE_MOVE = [("courses", "0002_course_pages_progress"), ("accounts", None)]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor.migrate(targets).apps


@pytest.mark.django_db(transaction=True)
def test_profiles_and_professions_survive_the_move_to_accounts():
    user = get_user_model().objects.create_user(username="kari", email="kari@example.no")
    old_apps = _migrate(BEFORE_THE_MOVE)
    try:
        OldProfession = old_apps.get_model("courses", "Profession")
        OldProfile = old_apps.get_model("courses", "LearnerProfile")
        nurse = OldProfession.objects.create(name="Sykepleier", sort_order=10)
        OldProfile.objects.create(
            user_id=user.pk, full_name="Kari Nordmann", profession=nurse, workplace="Solsiden"
        )
        old_type = ContentType.objects.get_or_create(app_label="courses", model="profession")[0]
    finally:
        executor = MigrationExecutor(connection)
        _migrate(executor.loader.graph.leaf_nodes())

    profile = LearnerProfile.objects.select_related("profession").get(user=user)
    assert (profile.full_name, profile.profession.name, profile.workplace) == (
        "Kari Nordmann",
        "Sykepleier",
        "Solsiden",
    )
    # Permissions that editors' groups hold on professions point at the same content type.
    ContentType.objects.clear_cache()
    assert ContentType.objects.get_for_model(Profession).pk == old_type.pk
    # New rows get fresh ids after the kept ones.
    assert Profession.objects.create(name="Lege").pk > profile.profession.pk
