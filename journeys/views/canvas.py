"""The Impact Canvas pages (being written)."""

from django.http import Http404


def _todo(*args, **kwargs):
    raise Http404


canvas = add_entry = remove_entry = mark_doublure = add_phase = remove_phase = _todo
