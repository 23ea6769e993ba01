# The learner's profile and the professions moved to the accounts app. The rows stay: the tables
# are renamed here, and accounts.0001_initial takes the models over in the migration state only.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('courses', '0002_course_pages_progress'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name='profession', table='accounts_profession'),
                migrations.AlterModelTable(name='learnerprofile', table='accounts_learnerprofile'),
            ],
            state_operations=[
                migrations.DeleteModel(name='LearnerProfile'),
                migrations.DeleteModel(name='Profession'),
            ],
        ),
    ]
