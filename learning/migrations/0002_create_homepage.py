"""Replace Wagtail's placeholder welcome page with the platform's home page, so / works
straight after `migrate`. Editors change the text in the CMS."""

from django.db import migrations

INTRO = (
    "<p>Hier werken gemeenten, hun partners, inwoners en onderzoekers samen aan "
    "maatschappelijke opgaven volgens Aanpakken met Impact. Tussen de bijeenkomsten door "
    "reis je hier samen verder: je legt vast wat je ontdekt, deelt wat werkt en leert van "
    "elkaars verhalen.</p>"
    "<p>Elke reis gaat door vier fasen: een <b>reiswens</b> wordt een opdracht, "
    "<b>verkennen</b> levert een foto op, <b>(in)richten</b> geeft een programma-aanpak en "
    "<b>doen en leren</b> eindigt in een reisverslag, waarna de volgende ronde begint.</p>"
)


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("learning.HomePage")

    # The placeholder that wagtailcore's own migration created, if it is still there.
    Page.objects.filter(depth=2, slug="home", content_type__model="page").delete()

    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="learning")
    root = Page.objects.get(depth=1)
    home = HomePage.objects.create(
        title="Samen leren, samen impact maken",
        draft_title="Samen leren, samen impact maken",
        slug="home",
        content_type=content_type,
        path=f"{root.path}0001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale_id=root.locale_id,
        intro=INTRO,
        call_to_action_text="Maak een account aan",
        call_to_action_link="/accounts/signup/",
    )
    root.numchild = 1
    root.save(update_fields=["numchild"])
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": ""},
    )


def remove_homepage(apps, schema_editor):
    apps.get_model("learning.HomePage").objects.filter(slug="home", depth=2).delete()


class Migration(migrations.Migration):
    dependencies = [("learning", "0001_initial")]

    operations = [migrations.RunPython(create_homepage, remove_homepage)]
