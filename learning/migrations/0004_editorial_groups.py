"""The editorial groups, with access to the CMS. Their page permissions follow once the
pages exist (learning.editorial.setup_editorial)."""

from django.db import migrations

GROUPS = ("Redacteuren", "Hoofdredacteuren", "Trainers", "Onderzoekers")


def create(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    admin_type, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    access, _ = Permission.objects.get_or_create(
        content_type=admin_type,
        codename="access_admin",
        defaults={"name": "Can access Wagtail admin"},
    )
    for name in GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(access)


def remove(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0003_editorial_pages"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]
    operations = [migrations.RunPython(create, remove)]
