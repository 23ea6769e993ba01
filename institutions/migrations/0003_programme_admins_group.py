"""The "Programme admins" group: everything the programme's own staff need in the admin
(certificates, course completions, group sessions and contested claims, institutions, annual
diplomas and their criteria, yearly targets), nothing of the editors' pages or media.

Made once, like Wagtail's own "Editors" and "Moderators" groups: a group that exists (by name)
is left exactly as an admin made it, and nothing is removed when migrating back.
"""

from django.db import migrations

GROUP = "Programme admins"
PERMISSIONS = [
    ("wagtailadmin", "admin", "access_admin"),
    ("certificates", "certificate", "view_certificate"),
    ("certificates", "certificate", "change_certificate"),
    ("certificates", "yeartarget", "add_yeartarget"),
    ("certificates", "yeartarget", "change_yeartarget"),
    ("certificates", "yeartarget", "view_yeartarget"),
    ("courses", "coursecompletion", "view_coursecompletion"),
    ("attendance", "groupsession", "view_groupsession"),
    ("attendance", "claim", "change_claim"),
    ("institutions", "institution", "view_institution"),
    ("institutions", "institution", "change_institution"),
    ("institutions", "institutiondiploma", "view_institutiondiploma"),
    ("institutions", "institutiondiploma", "change_institutiondiploma"),
    ("institutions", "diplomacriteria", "add_diplomacriteria"),
    ("institutions", "diplomacriteria", "change_diplomacriteria"),
    ("institutions", "diplomacriteria", "view_diplomacriteria"),
]


def create_group(apps, schema_editor):
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    # Permissions are normally made after the last migration; make them now for these apps.
    for label in sorted({app for app, _model, _codename in PERMISSIONS}):
        try:
            config = apps.get_app_config(label)
        except LookupError:  # wagtailadmin: its migration made access_admin already
            continue
        config.models_module = True
        create_contenttypes(config, verbosity=0, apps=apps)
        create_permissions(config, verbosity=0, apps=apps)
        config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    if Group.objects.filter(name=GROUP).exists():
        return
    group = Group.objects.create(name=GROUP)
    for app, model, codename in PERMISSIONS:
        permission = Permission.objects.filter(
            content_type__app_label=app, content_type__model=model, codename=codename
        ).first()
        if permission is not None:
            group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("institutions", "0002_diploma_revoked_event"),
        ("attendance", "0001_initial"),
        ("certificates", "0003_sweep"),
        ("courses", "0003_learners_move_to_accounts"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, migrations.RunPython.noop)]
