"""Search index entries for the bulk-written models, as Wagtail's database backend would
write them, but in a few set-based statements instead of one object at a time.

PostgreSQL: modelsearch's PostgresIndex.add_items stores per object a title, body and
autocomplete tsvector: each non-empty field value becomes
setweight(to_tsvector(<config>, value), <weight of its boost>), joined with ||, title
fields in `title`, other SearchFields (also those of RelatedFields, e.g. taggit tag
names) in `body`, AutocompleteFields in `autocomplete` with the 'simple' config and
weight D; plus the plain title_text / body_text and title_norm, refreshed at the end.
Here the same expressions run as INSERT ... SELECT over the model's table. The one
difference: the tag names of one object go into one to_tsvector (in the order they
were tagged, as the backend reads them) instead of one each, which can shift a lexeme's
position by one when a tag ends in a stop word; it changes no match and no rank weight.

Other databases (SQLite in the tests): the backend's own add_bulk, object by object.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from modelsearch.backends.database.postgres.weights import get_weight
from modelsearch.conf import get_app_config
from modelsearch.index import AutocompleteField, RelatedFields, SearchField
from taggit.managers import TaggableManager
from taggit.models import Tag, TaggedItem
from wagtail.search.backends import get_search_backend

from community.models import Card, Event, Post, Thread
from journeys.models import Journey, Story
from learning.models import LearningQuestion

# The models the generator writes in bulk; pages index themselves when saved.
MODELS = [Story, Journey, Thread, Post, Event, Card, LearningQuestion]


def build(models=None) -> dict[str, int]:
    backend = get_search_backend()
    counts = {}
    for model in models or MODELS:
        if connection.vendor == "postgresql":
            counts[model._meta.label] = _postgres(model, backend)
        else:
            counts[model._meta.label] = _fallback(model, backend)
    if connection.vendor == "postgresql":
        # lavg / title length, as add_items leaves it (over all entries at once).
        backend.get_index_for_model(Story)._refresh_title_norms(full=True)
    return counts


def _fallback(model, backend) -> int:
    objects = list(model.get_indexed_objects().order_by("pk"))
    for i in range(0, len(objects), 500):
        backend.add_bulk(model, objects[i : i + 500])
    return len(objects)


def _postgres(model, backend) -> int:
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    ct = ContentType.objects.get_for_model(model).pk
    config = backend.config
    title, body, auto = [], [], []  # (sql expression of the text, weight)
    for field in model.get_search_fields():
        if isinstance(field, SearchField):
            column = f"t.{qn(model._meta.get_field(field.field_name).column)}::text"
            (title if field.field_name == "title" else body).append(
                (column, get_weight(field.boost))
            )
        elif isinstance(field, AutocompleteField):
            column = f"t.{qn(model._meta.get_field(field.field_name).column)}::text"
            auto.append((column, "D"))
        elif isinstance(field, RelatedFields):
            body.extend(_tag_texts(model, field, ct))
    where = _indexed_filter(model)

    def vector(parts, cfg):
        if not parts:
            return "''::tsvector"
        return " || ".join(
            f"setweight(to_tsvector('{cfg}'::regconfig, COALESCE({sql}, '')), '{w}')"
            for sql, w in parts
        )

    def plain(parts):
        if not parts:
            return "''"
        return "concat_ws(' ', " + ", ".join(f"NULLIF(btrim({sql}), '')" for sql, _ in parts) + ")"

    entry = qn(get_app_config().get_model("IndexEntry")._meta.db_table)
    sql = f"""
        INSERT INTO {entry} (content_type_id, object_id, title, autocomplete, body, title_norm,
                             title_text, body_text)
        SELECT {ct}, t.{qn(model._meta.pk.column)}::text, {vector(title, config)},
               {vector(auto, backend.autocomplete_config)}, {vector(body, config)}, 1.0,
               {plain(title)}, {plain(body)}
        FROM {table} t {where}
        ON CONFLICT (content_type_id, object_id) DO NOTHING
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.rowcount


def _tag_texts(model, field: RelatedFields, ct: int) -> list[tuple[str, str]]:
    manager = model._meta.get_field(field.field_name)
    if not isinstance(manager, TaggableManager) or manager.through is not TaggedItem:
        raise NotImplementedError(f"{model.__name__}.{field.field_name}: only taggit tags")
    qn = connection.ops.quote_name
    parts = []
    for sub in field.fields:
        if not isinstance(sub, SearchField):
            continue
        column = qn(Tag._meta.get_field(sub.field_name).column)
        sql = (
            f"(SELECT string_agg(tg.{column}, ' ' ORDER BY ti.id) "  # noqa: S608
            f"FROM {qn(TaggedItem._meta.db_table)} ti JOIN {qn(Tag._meta.db_table)} tg "
            f"ON tg.id = ti.tag_id WHERE ti.content_type_id = {ct} AND ti.object_id = t.id)"
        )
        parts.append((sql, get_weight(sub.boost)))
    return parts


def _indexed_filter(model) -> str:
    # Story.get_indexed_objects leaves withdrawn stories out; the others index all rows.
    if model is Story:
        return "WHERE t.withdrawn_at IS NULL"
    return ""
