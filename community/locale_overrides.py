"""Dutch wording that our catalogue (locale/nl, first in LOCALE_PATHS) sets for strings of
Django and allauth. Listing the msgids here lets makemessages carry them into it.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

# Django 5.2 changed this msgid ("%(min_length)d" became "%d"); its nl catalogue still has
# the old one. Drop the entry once Django's catalogue catches up.
DJANGO_GAPS = [
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "min_length",
    ),
]

# allauth says "Aanmelden"/"Afmelden", which in Dutch also means registering; government
# services say "Inloggen"/"Uitloggen", as our header does.
ALLAUTH_WORDING = [
    gettext_noop("Sign In"),
    gettext_noop("Sign Out"),
    gettext_noop("Are you sure you want to sign out?"),
]
