from django.http import Http404


def _todo(*args, **kwargs):
    raise Http404


index = create = dashboard = edit = move_phase = activity = _todo
