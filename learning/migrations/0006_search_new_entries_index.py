"""A partial index on the search entries that still wait for their title_norm (the new
ones): learning/site_search/database_backend.py finds them through it after each save,
instead of scanning the whole index."""

from django.db import migrations

INDEX = "learning_search_entry_new_title"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = apps.get_model("wagtailsearch", "IndexEntry")._meta.db_table
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON {schema_editor.quote_name(table)} (id) "
        "WHERE title_norm = 1.0 AND length(title) > 0"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0005_leervragen"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create, drop)]
