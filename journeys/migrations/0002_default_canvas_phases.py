"""The default phases of a societal issue for new Impact Canvases.

Signalering, articulatie and organisatie come from the canvas's own description; the
other three are this project's names for the later phases (docs/glossary.md). Beheerders
change the list in the admin.
"""

from django.db import migrations

DEFAULT_PHASES = [
    ("signalering", "Het probleem wordt opgemerkt en benoemd."),
    ("articulatie", "De vraag wordt scherp: wat willen we bereiken en met wie?"),
    ("organisatie", "Mensen en middelen worden georganiseerd om het aan te pakken."),
    ("uitvoering", "De aanpak draait en levert de eerste resultaten."),
    ("borging", "Wat werkt krijgt een vaste plek in beleid, budget en werkwijze."),
    ("opschaling", "De aanpak wordt breder ingezet, in andere wijken of gemeenten."),
]


def create(apps, schema_editor):
    template = apps.get_model("journeys", "CanvasPhaseTemplate")
    for position, (name, description) in enumerate(DEFAULT_PHASES, start=1):
        template.objects.get_or_create(
            name=name, defaults={"description": description, "position": position}
        )


def remove(apps, schema_editor):
    apps.get_model("journeys", "CanvasPhaseTemplate").objects.filter(
        name__in=[name for name, _ in DEFAULT_PHASES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("journeys", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
