"""The group whose members moderate the plein (community.queries.forum.PLEIN_MODERATORS).
It gives access to nothing else: no CMS, no admin permissions. Staff put people in it."""

from django.db import migrations

PLEIN_MODERATORS = "Plein-moderatoren"


def create(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=PLEIN_MODERATORS)


def remove(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=PLEIN_MODERATORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0004_member_handles"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(create, remove)]
