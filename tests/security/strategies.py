"""Hypothesis strategies for hostile input, shared by the security tests.

Example counts stay modest (FUZZ): the point is breadth over every form, view and socket,
not depth in one; the whole folder runs in about a minute.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# database=None: no .hypothesis folder in the checkout. The function-scoped fixtures
# (members, journeys) are built once per test and only read by the examples.
FUZZ = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

TRICKY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\r\n\t\x0b\x0c",
    "\x1b[31m",
    "\u202eevil\u202c",
    "\ufeff",
    "\u200b",
    "\U0001d54f\U0001d550\u2124",
    "👩🏽‍🚀",
    "0",
    "-1",
    "1.5",
    "1e400",
    "NaN",
    "-0",
    "9" * 40,
    "2026-02-30",
    "2026-13-45T25:61",
    "0000-00-00",
    "31-12-2026",
    "true",
    "on",
    "null",
    "[]",
    "{}",
    "../../etc/passwd",
    "javascript:alert(1)",
    "https://",
    "http://127.0.0.1:6379/",
    "<script>window.__xss=1</script>",
    "{{7*7}}",
    "{% debug %}",
    "' OR 1=1 --",
    "%s%s%s%n",
    "1:2",
    "a:b",
    ":",
    "1:",
]

_text = st.text(max_size=80)
_control = st.text(
    alphabet=st.characters(max_codepoint=0x9F, categories=("Cc",)), min_size=1, max_size=20
)
_long = st.builds(
    lambda chunk, times: chunk * times,
    st.text(min_size=1, max_size=4),
    st.integers(min_value=200, max_value=25_000),
)
_number = st.integers(min_value=-(10**30), max_value=10**30).map(str)

# One posted value.
value = st.one_of(st.sampled_from(TRICKY), _text, _control, _long, _number)
# What a browser (or anyone with curl) may post for one field: usually one value, sometimes
# several (a multiple-choice field, or a duplicated name).
values = st.one_of(value.map(lambda v: [v]), st.lists(value, min_size=0, max_size=4))


def posted(field_names):
    """A POST body over `field_names` plus a stray field: each present or not, each with
    hostile values."""
    names = [*field_names, "onbekend_veld"]
    return st.fixed_dictionaries({}, optional={name: values for name in names})
