"""Fill msgstr entries of locale/nl from a Python dict file (developer helper).

    .venv/bin/python scripts/fill_catalogue.py translations.py

The file defines NL = {msgid: msgstr} and PLURAL = {msgid: (singular, plural)}.
Existing translations are kept unless the file gives a new one; fuzzy guesses from
makemessages are cleared; untranslated ids are listed.
"""

import runpy
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

CATALOGUE = Path(__file__).resolve().parent.parent / "locale/nl/LC_MESSAGES/django.po"


def main(source: str) -> int:
    data = runpy.run_path(source)
    singular, plural = data.get("NL", {}), data.get("PLURAL", {})
    with CATALOGUE.open("rb") as handle:
        catalog = read_po(handle, locale="nl")
    catalog.fuzzy = False
    catalog.project, catalog.version = "lerende-infrastructuur", "1"
    catalog.language_team = "Nederlands"
    catalog.copyright_holder = "the project's contributors"
    missing = []
    for message in catalog:
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if isinstance(message.id, tuple) and key in plural:
            message.string = plural[key]
        elif key in singular:
            message.string = singular[key]
        elif "fuzzy" in message.flags:
            # makemessages guessed from a similar msgid: such guesses are often wrong
            # ("Send invitation" -> "Hoofdmenu"). Untranslated is honest; a guess is not.
            message.string = ("", "") if isinstance(message.id, tuple) else ""
        if not any(message.string if isinstance(message.string, tuple) else [message.string]):
            missing.append(key)
        message.flags.discard("fuzzy")
    with CATALOGUE.open("wb") as handle:
        write_po(handle, catalog, width=88)
    for key in missing:
        print("untranslated:", key)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
