"""The story pages: telling (also on someone's behalf, with the withdrawal code shown
once), editing, withdrawing with an account or with the code (no account), the refusals
that store nothing, and the story page's query count."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from journeys.models import Journey, Story, StorySignifier, StorySlider
from journeys.stories import services
from tests.journeys.test_stories import consent, details, jpeg_with_exif, upload

pytestmark = pytest.mark.django_db

TELL = "/verhalen/vertellen/"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def form_data(**fields) -> dict:
    data = {
        "told_by": "zelf",
        "title": "Een warme maaltijd",
        "text": "Bij het buurthuis kookten we samen. Ik kende daarna drie buren bij naam.",
        "perspective": "inwoner",
        "display": "voornaam",
        "visibility": "openbaar",
        "themes": "eenzaamheid, buurt",
    }
    data.update(fields)
    return data


def errors_of(response) -> str:
    return response.content.decode()


# --- Telling --------------------------------------------------------------------------------


def test_telling_needs_an_account(client):
    response = client.get(TELL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_member_tells_a_story_through_the_form(client, inwoner):
    client.force_login(inwoner)
    page = client.get(TELL)
    assert page.status_code == 200
    assert "Vertel een verhaal" in page.content.decode()
    regie = StorySlider.objects.get()
    erkenning = StorySignifier.objects.get(slug="erkenning")
    response = client.post(
        TELL,
        form_data(signifiers=[erkenning.pk], **{f"slider_{regie.pk}": "75"}),
    )
    story = Story.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/verhalen/{story.pk}/"
    assert story.author == inwoner and story.shown_name == "Ilse"
    assert list(story.signifiers.all()) == [erkenning]
    assert story.slider_values.get().value == 75
    shown = client.get(response["Location"]).content.decode()
    assert "Dank je wel voor je verhaal" in shown
    assert "4 op een schaal van 1 (minder regie over mijn leven)" in shown


def test_an_empty_story_is_a_400_with_a_message_and_nothing_is_stored(client, inwoner):
    client.force_login(inwoner)
    response = client.post(TELL, form_data(text="  "))
    assert response.status_code == 400
    assert "Schrijf je verhaal voordat je het opslaat." in errors_of(response)
    assert not Story.objects.exists()


def test_a_story_over_20000_characters_is_a_400(client, inwoner):
    client.force_login(inwoner)
    response = client.post(TELL, form_data(text="x" * 20_001))
    assert response.status_code == 400
    assert "hooguit 20.000 tekens" in errors_of(response)
    assert not Story.objects.exists()


def test_an_unsupported_media_type_is_a_400(client, inwoner):
    client.force_login(inwoner)
    fake = upload("foto.png", b"%PDF-1.4 not an image", "image/png")
    response = client.post(TELL, {**form_data(image_description="Iets"), "image": fake})
    assert response.status_code == 400
    assert "geen afbeelding die we aannemen" in errors_of(response)
    wrong_audio = upload("stem.mp3", jpeg_with_exif(), "audio/mpeg")
    response = client.post(TELL, {**form_data(), "audio": wrong_audio})
    assert response.status_code == 400
    assert "gebruik MP3" in errors_of(response)
    assert not Story.objects.exists()


def test_an_image_is_served_as_an_image_never_as_a_page(client, inwoner):
    client.force_login(inwoner)
    client.post(
        TELL,
        {**form_data(image_description="Een pan soep"), "image": upload("a.jpg", jpeg_with_exif())},
    )
    story = Story.objects.get()
    page = client.get(f"/verhalen/{story.pk}/").content.decode()
    assert f'src="/verhalen/{story.pk}/beeld/"' in page and 'alt="Een pan soep"' in page
    image = client.get(f"/verhalen/{story.pk}/beeld/")
    assert image["Content-Type"] == "image/jpeg"
    assert image["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in image["Content-Security-Policy"]


def test_a_story_can_only_join_a_journey_of_ones_own(client, make_journey, inwoner, trainer):
    journey = make_journey(visibility=Journey.Visibility.OPENBAAR)
    client.force_login(trainer)
    response = client.post(TELL, form_data(journey=journey.pk))
    assert response.status_code == 400
    assert not Story.objects.exists()
    client.force_login(inwoner)
    tab = client.get(f"/reizen/{journey.slug}/verhalen/").content.decode()
    assert f'href="/verhalen/vertellen/?reis={journey.slug}"' in tab
    response = client.post(TELL, form_data(journey=journey.pk))
    assert Story.objects.get().journey == journey


def test_the_journey_tab_is_among_the_journeys_tabs(client, make_journey, inwoner):
    journey = make_journey(visibility=Journey.Visibility.OPENBAAR)
    dashboard = client.get(f"/reizen/{journey.slug}/").content.decode()
    assert f'href="/reizen/{journey.slug}/verhalen/"' in dashboard
    tab = client.get(f"/reizen/{journey.slug}/verhalen/").content.decode()
    assert 'aria-current="page">Verhalen</a>' in tab


# --- Recording on someone's behalf ----------------------------------------------------------


def recorded_data(**fields) -> dict:
    return form_data(
        told_by="namens",
        teller_name="Gerda Visser",
        perspective="ervaringsdeskundige",
        consent_given_on=(date.today() - timedelta(days=1)).isoformat(),
        consent_method="mondeling",
        consent_visibility="netwerk",
        visibility="netwerk",
        **fields,
    )


def test_recording_without_consent_is_a_400(client, professional):
    client.force_login(professional)
    data = recorded_data()
    del data["consent_method"]
    response = client.post(TELL, data)
    assert response.status_code == 400
    assert "toestemming van de verteller nodig" in errors_of(response)
    wider = client.post(TELL, recorded_data() | {"visibility": "openbaar"})
    assert wider.status_code == 400
    assert "niet breder getoond worden" in errors_of(wider)
    assert not Story.objects.exists()


def test_the_withdrawal_code_is_shown_once_and_works_without_an_account(client, professional):
    client.force_login(professional)
    response = client.post(TELL, recorded_data())
    story = Story.objects.get()
    assert response["Location"] == f"/verhalen/{story.pk}/intrekcode/"
    page = client.get(response["Location"])
    code = page.context["code"]
    assert code in page.content.decode()
    assert f"/verhalen/intrekken/{code}/" in page.context["link"]
    again = client.get(f"/verhalen/{story.pk}/intrekcode/")
    assert again.status_code == 302  # shown only once
    assert code not in client.get(again["Location"]).content.decode()

    client.logout()
    form = client.post("/verhalen/intrekken/", {"code": code.lower().replace("-", "")})
    assert form.status_code == 302 and form["Location"] == f"/verhalen/intrekken/{code}/"
    confirm = client.get(form["Location"])
    assert confirm.status_code == 200
    assert f"“{story.title}” intrekken?" in confirm.content.decode()
    done = client.post(form["Location"])
    assert done.status_code == 200
    assert "Je verhaal is ingetrokken" in done.content.decode()
    story.refresh_from_db()
    assert story.is_withdrawn
    assert client.get(form["Location"]).status_code == 404


def test_a_wrong_code_is_a_400_with_a_message(client):
    response = client.post("/verhalen/intrekken/", {"code": "ABCD-EFGH-JKMN-PQRS"})
    assert response.status_code == 400
    assert "Deze intrekcode kennen we niet" in errors_of(response)
    assert client.post("/verhalen/intrekken/", {"code": ""}).status_code == 400
    assert client.post("/verhalen/intrekken/", {"code": "x" * 1000}).status_code == 400
    assert client.get("/verhalen/intrekken/niets/").status_code == 404
    assert client.post("/verhalen/intrekken/niets/").status_code == 404


def test_the_recorder_makes_a_new_code(client, professional):
    story, old = services.record_story(professional, details(teller_name="Gerda"), consent())
    client.force_login(professional)
    response = client.post(f"/verhalen/{story.pk}/nieuwe-code/")
    new = client.get(response["Location"]).context["code"]
    assert new != old
    assert services.story_for_code(old) is None


# --- Editing and withdrawing ----------------------------------------------------------------


def test_the_teller_edits_their_story(client, inwoner):
    story = services.tell_story(inwoner, details(themes=["buurt"]))
    client.force_login(inwoner)
    page = client.get(f"/verhalen/{story.pk}/bewerken/")
    assert page.status_code == 200
    assert 'value="buurt"' in page.content.decode()
    response = client.post(
        f"/verhalen/{story.pk}/bewerken/", form_data(title="Nieuwe titel", display="anoniem")
    )
    assert response.status_code == 302
    story.refresh_from_db()
    assert (story.title, story.shown_name) == ("Nieuwe titel", "")
    bad = client.post(f"/verhalen/{story.pk}/bewerken/", form_data(text=""))
    assert bad.status_code == 400


def test_others_cannot_edit_or_withdraw(client, inwoner, professional, beheerder):
    story = services.tell_story(inwoner, details())
    for other in (professional, beheerder):
        client.force_login(other)
        page = client.get(f"/verhalen/{story.pk}/").content.decode()
        assert "/bewerken/" not in page and "/intrekken/" not in page
        assert client.get(f"/verhalen/{story.pk}/bewerken/").status_code == 403
        assert client.post(f"/verhalen/{story.pk}/intrekken/").status_code == 403
    story.refresh_from_db()
    assert not story.is_withdrawn


def test_the_teller_withdraws_after_confirming(client, inwoner):
    story = services.tell_story(inwoner, details(title="Weg ermee"))
    client.force_login(inwoner)
    confirm = client.get(f"/verhalen/{story.pk}/intrekken/")
    assert "“Weg ermee” intrekken?" in confirm.content.decode()
    response = client.post(f"/verhalen/{story.pk}/intrekken/")
    assert response["Location"] == "/verhalen/"
    archive = client.get("/verhalen/")
    assert "Het verhaal is ingetrokken" in archive.content.decode()
    assert "Weg ermee" not in archive.content.decode()
    assert client.get(f"/verhalen/{story.pk}/").status_code == 404


# --- The story page's query count -----------------------------------------------------------


def test_the_story_page_query_count_is_pinned(client, inwoner, django_assert_num_queries):
    signifiers = list(StorySignifier.objects.all()[:3])
    story = services.tell_story(
        inwoner,
        details(
            themes=["a", "b", "c"],
            signifiers=signifiers,
            sliders={StorySlider.objects.get().pk: 20},
        ),
    )
    client.get("/")
    # The story with its journey and gemeente, its themes, signifiers, scale values, scales.
    with django_assert_num_queries(5):
        assert client.get(f"/verhalen/{story.pk}/").status_code == 200
