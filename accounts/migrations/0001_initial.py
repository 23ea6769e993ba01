# The learner's profile and the professions, taken over from the courses app with their rows:
# courses.0003 renamed the tables; here the models enter the state without touching the
# database, and the content types move too (so permissions on professions and admin history stay).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED = ['profession', 'learnerprofile']


def move_content_types(apps, schema_editor, source='courses', target='accounts'):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    for model in MOVED:
        if not ContentType.objects.filter(app_label=target, model=model).exists():
            ContentType.objects.filter(app_label=source, model=model).update(app_label=target)


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, source='accounts', target='courses')


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('courses', '0003_learners_move_to_accounts'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Profession',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=100, unique=True, verbose_name='name')),
                        ('sort_order', models.PositiveSmallIntegerField(default=0, help_text='Lower numbers come first in the list.', verbose_name='sort order')),
                    ],
                    options={
                        'verbose_name': 'profession',
                        'verbose_name_plural': 'professions',
                        'ordering': ['sort_order', 'name'],
                    },
                ),
                migrations.CreateModel(
                    name='LearnerProfile',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('full_name', models.CharField(help_text='Your name as it should appear on a certificate.', max_length=200, verbose_name='full name')),
                        ('workplace', models.CharField(blank=True, help_text='For example the name of your nursing home or municipality.', max_length=200, verbose_name='workplace')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                        ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='learner_profile', to=settings.AUTH_USER_MODEL, verbose_name='user')),
                        ('profession', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='learners', to='accounts.profession', verbose_name='profession')),
                    ],
                    options={
                        'verbose_name': 'learner profile',
                        'verbose_name_plural': 'learner profiles',
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
