"""The rules of stories (journeys.stories.services): telling, recording with consent,
anonymity, editing, withdrawing with an account or a code, and the media checks."""

from __future__ import annotations

import io
import os
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from community.models import AuditEntry, Organisation
from journeys.models import Journey, Story, StorySignifier, StorySlider
from journeys.services import RuleViolation
from journeys.stories import queries, services
from journeys.stories.services import Consent, StoryDetails

pytestmark = pytest.mark.django_db

V = Story.Visibility


# --- Helpers (imported by the other story test modules) -----------------------------------


def details(title: str = "Koffie bij de buurvrouw", **fields) -> StoryDetails:
    fields.setdefault("text", "Elke dinsdag drinken we koffie. Sindsdien voel ik me minder alleen.")
    fields.setdefault("perspective", Story.Perspective.INWONER)
    fields.setdefault("visibility", V.OPENBAAR)
    return StoryDetails(title=title, **fields)


def consent(visibility: str = V.OPENBAAR, **fields) -> Consent:
    fields.setdefault("given_on", date.today() - timedelta(days=2))
    fields.setdefault("method", Story.ConsentMethod.MONDELING)
    return Consent(visibility=visibility, **fields)


def jpeg_with_exif(text: str = "Ilse Bakker, Lindendal") -> bytes:
    image = Image.new("RGB", (40, 30), (200, 120, 40))
    exif = Image.Exif()
    exif[0x010E] = text  # ImageDescription
    exif[0x013B] = text  # Artist
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def upload(name: str, data: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def search_hits(term: str) -> list[int]:
    from community.search import engine_ids

    return engine_ids(term, Story.objects.filter(withdrawn_at__isnull=True)) or []


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# --- Telling --------------------------------------------------------------------------------


def test_a_member_tells_a_story_and_owns_it(inwoner):
    story = services.tell_story(
        inwoner, details(themes=["Eenzaamheid", "buurt"], happened_on=date(2025, 3, 14))
    )

    assert story.author == inwoner
    assert story.told_by == Story.ToldBy.TELLER
    assert story.year == 2025
    assert sorted(story.themes.names()) == ["buurt", "eenzaamheid"]
    assert queries.access_to(inwoner, story).can_withdraw
    assert AuditEntry.objects.filter(action="story.told", target_id=str(story.pk)).exists()
    assert story.pk in search_hits("dinsdag")
    assert story.pk in search_hits("buurt")  # a theme only


def test_an_empty_story_is_refused(inwoner):
    with pytest.raises(RuleViolation, match="Schrijf je verhaal"):
        services.tell_story(inwoner, details(text="   \n "))
    assert not Story.objects.exists()


def test_a_story_over_20000_characters_is_refused_with_its_length(inwoner):
    with pytest.raises(RuleViolation) as refused:
        services.tell_story(inwoner, details(text="a" * 20_001))
    assert str(refused.value) == (
        "Een verhaal mag hooguit 20.000 tekens hebben; dit verhaal heeft er 20.001."
    )
    services.tell_story(inwoner, details(text="a" * 20_000))  # exactly the limit is fine


def test_a_story_needs_a_title_and_a_perspective(inwoner):
    with pytest.raises(RuleViolation, match="titel"):
        services.tell_story(inwoner, details(title=" "))
    with pytest.raises(RuleViolation, match="perspectief"):
        services.tell_story(inwoner, details(perspective="koning"))


def test_signifiers_and_a_slider_are_stored_as_chosen(inwoner):
    seen = StorySignifier.objects.get(slug="gezien-worden")
    regie = StorySlider.objects.get()
    story = services.tell_story(inwoner, details(signifiers=[seen], sliders={regie.pk: 75}))
    assert list(story.signifiers.all()) == [seen]
    assert story.slider_values.get().value == 75

    with pytest.raises(RuleViolation, match="schaal"):
        services.tell_story(inwoner, details(sliders={regie.pk: 101}))


# --- Journeys -------------------------------------------------------------------------------


def test_a_story_in_a_journey_records_its_phase_and_cycle(make_journey, inwoner):
    journey = make_journey(visibility=Journey.Visibility.OPENBAAR)
    story = services.tell_story(inwoner, details(journey=journey))
    assert (story.journey, story.phase, story.cycle) == (journey, journey.phase, journey.cycle)


def test_only_members_add_stories_to_a_journey(make_journey, trainer):
    journey = make_journey(visibility=Journey.Visibility.OPENBAAR)
    with pytest.raises(PermissionDenied):
        services.tell_story(trainer, details(journey=journey))


def test_a_teller_who_left_the_journey_still_edits_their_story(make_journey, inwoner):
    from journeys import services as journey_services

    journey = make_journey(visibility=Journey.Visibility.OPENBAAR)
    story = services.tell_story(inwoner, details(journey=journey))
    journey_services.leave(inwoner, journey)
    services.update_story(inwoner, story, details(title="Nog steeds van mij"))
    story.refresh_from_db()
    assert (story.title, story.journey) == ("Nog steeds van mij", journey)


def test_a_closed_journeys_story_cannot_be_public(make_journey, inwoner):
    journey = make_journey(visibility=Journey.Visibility.BESLOTEN)
    for wide in (V.OPENBAAR, V.NETWERK):
        with pytest.raises(RuleViolation, match="besloten"):
            services.tell_story(inwoner, details(journey=journey, visibility=wide))
    services.tell_story(inwoner, details(journey=journey, visibility=V.BESLOTEN))


def test_journey_members_only_needs_a_journey(inwoner):
    with pytest.raises(RuleViolation, match="Kies een reis"):
        services.tell_story(inwoner, details(visibility=V.BESLOTEN))


def test_a_municipality_must_be_a_gemeente(inwoner):
    welzijn = Organisation.objects.create(name="Welzijn West", kind=Organisation.Kind.WELZIJN)
    with pytest.raises(RuleViolation, match="gemeente"):
        services.tell_story(inwoner, details(gemeente=welzijn))


# --- Recording on someone's behalf: consent -------------------------------------------------


def test_a_recorded_story_needs_consent(professional):
    with pytest.raises(RuleViolation, match="toestemming"):
        services._create(professional, details(teller_name="Gerda"), recorded=True, consent=None)
    incomplete = consent(given_on=None)
    with pytest.raises(RuleViolation, match="datum"):
        services.record_story(professional, details(teller_name="Gerda"), incomplete)
    with pytest.raises(RuleViolation, match="hoe"):
        services.record_story(professional, details(teller_name="Gerda"), consent(method=""))
    future = consent(given_on=date.today() + timedelta(days=1))
    with pytest.raises(RuleViolation, match="toekomst"):
        services.record_story(professional, details(teller_name="Gerda"), future)
    assert not Story.objects.exists()


def test_the_agreed_visibility_bounds_the_story(professional):
    with pytest.raises(RuleViolation, match="breder"):
        services.record_story(
            professional, details(teller_name="Gerda", visibility=V.OPENBAAR), consent(V.NETWERK)
        )
    story, _code = services.record_story(
        professional, details(teller_name="Gerda", visibility=V.NETWERK), consent(V.NETWERK)
    )
    # Editing later cannot widen it either.
    with pytest.raises(RuleViolation, match="breder"):
        services.update_story(
            professional, story, details(teller_name="Gerda", visibility=V.OPENBAAR)
        )
    story.refresh_from_db()
    assert story.visibility == V.NETWERK


def test_a_recorded_story_gets_a_withdrawal_code_of_which_only_a_hash_is_kept(professional):
    story, code = services.record_story(
        professional, details(teller_name="Gerda Jansen"), consent(V.OPENBAAR)
    )
    assert story.told_by == Story.ToldBy.RECORDED
    assert len(services.normalise_code(code)) == services.CODE_LENGTH
    assert code not in story.withdrawal_code_hash
    assert services.story_for_code(code.lower().replace("-", " ")) == story
    assert story.consent_method == Story.ConsentMethod.MONDELING


def test_a_recorded_teller_needs_a_name_unless_anonymous(professional):
    with pytest.raises(RuleViolation, match="naam"):
        services.record_story(professional, details(teller_name=""), consent())
    story, _ = services.record_story(
        professional, details(display=Story.Display.ANONYMOUS), consent()
    )
    assert story.shown_name == ""


# --- How the teller is shown ---------------------------------------------------------------


def test_the_teller_is_shown_by_name_first_name_or_not_at_all(inwoner, professional):
    full = services.tell_story(inwoner, details(display=Story.Display.NAME))
    first = services.tell_story(inwoner, details(display=Story.Display.FIRST_NAME))
    anonymous = services.tell_story(inwoner, details(display=Story.Display.ANONYMOUS))
    recorded, _ = services.record_story(
        professional,
        details(teller_name="Gerda Jansen", display=Story.Display.FIRST_NAME),
        consent(),
    )
    assert full.shown_name == "Ilse Bakker"
    assert first.shown_name == "Ilse"
    assert anonymous.shown_name == ""
    assert recorded.shown_name == "Gerda"


# --- Editing and withdrawing ---------------------------------------------------------------


def test_only_the_teller_edits_or_withdraws(inwoner, professional, beheerder):
    story = services.tell_story(inwoner, details())
    for other in (professional, beheerder):
        with pytest.raises(PermissionDenied):
            services.update_story(other, story, details(title="Anders"))
        with pytest.raises(PermissionDenied):
            services.withdraw_story(other, story)
    services.update_story(inwoner, story, details(title="Koffie en meer"))
    story.refresh_from_db()
    assert story.title == "Koffie en meer"


def test_withdrawing_erases_the_story_and_takes_it_out_of_search_and_counts(inwoner):
    gezien = StorySignifier.objects.get(slug="gezien-worden")
    story = services.tell_story(
        inwoner,
        details(
            text="De wijkagent kwam langs met koffie.",
            quote="Hij bleef gewoon zitten.",
            themes=["veiligheid"],
            signifiers=[gezien],
            sliders={StorySlider.objects.get().pk: 50},
            image=upload("foto.jpg", jpeg_with_exif()),
            image_description="Twee koppen koffie",
        ),
    )
    image_path = story.image.path
    assert story.pk in search_hits("wijkagent")

    services.withdraw_story(inwoner, story)

    story.refresh_from_db()
    assert story.is_withdrawn
    assert (story.title, story.text, story.quote, story.shown_name) == ("", "", "", "")
    assert not story.image and not story.themes.exists() and not story.signifiers.exists()
    assert not story.slider_values.exists()
    assert not os.path.exists(image_path)
    assert story.pk not in search_hits("wijkagent")
    assert not queries.visible_stories(inwoner).filter(pk=story.pk).exists()
    assert AuditEntry.objects.filter(action="story.withdrawn", target_id=str(story.pk)).exists()
    with pytest.raises(RuleViolation, match="ingetrokken"):
        services.update_story(inwoner, story, details())


def test_a_recorded_teller_withdraws_with_the_code_without_an_account(professional):
    story, code = services.record_story(
        professional, details(teller_name="Gerda", text="Over de voedselbank."), consent()
    )
    assert story.pk in search_hits("voedselbank")

    services.withdraw_with_code(code)

    story.refresh_from_db()
    assert story.is_withdrawn and story.teller_name == ""
    assert story.pk not in search_hits("voedselbank")
    with pytest.raises(RuleViolation, match="intrekcode"):
        services.withdraw_with_code(code)  # the code is spent
    assert AuditEntry.objects.get(action="story.withdrawn_by_code").actor is None


def test_a_wrong_code_withdraws_nothing(professional):
    story, _code = services.record_story(professional, details(teller_name="Gerda"), consent())
    for wrong in ("", "ABCD", "ABCD-EFGH-JKMN-PQRS", "x" * 200):
        with pytest.raises(RuleViolation, match="intrekcode"):
            services.withdraw_with_code(wrong)
    story.refresh_from_db()
    assert not story.is_withdrawn


def test_a_new_code_replaces_the_old_one(professional):
    story, old = services.record_story(professional, details(teller_name="Gerda"), consent())
    new = services.new_withdrawal_code(professional, story)
    assert services.story_for_code(old) is None
    assert services.story_for_code(new) == story


# --- Media ----------------------------------------------------------------------------------


def test_an_image_loses_its_exif_and_its_file_name(inwoner):
    original = jpeg_with_exif("Ilse Bakker, Kerkstraat 4")
    assert b"Kerkstraat" in original
    story = services.tell_story(
        inwoner,
        details(image=upload("ilse-bakker-thuis.jpg", original), image_description="Een tuin"),
    )
    stored = story.image.read()
    assert b"Kerkstraat" not in stored
    assert not Image.open(io.BytesIO(stored)).getexif()
    assert "ilse" not in story.image.name
    assert story.image_type == "image/jpeg"


def test_a_file_that_only_pretends_to_be_an_image_is_refused(inwoner):
    fake = upload("foto.jpg", b"<html><script>alert(1)</script></html>")
    with pytest.raises(RuleViolation, match="JPEG, PNG of WebP"):
        services.tell_story(inwoner, details(image=fake, image_description="x"))
    gif = io.BytesIO()
    Image.new("RGB", (5, 5)).save(gif, format="GIF")
    with pytest.raises(RuleViolation, match="JPEG, PNG of WebP"):
        services.tell_story(
            inwoner, details(image=upload("a.gif", gif.getvalue()), image_description="x")
        )
    assert not Story.objects.exists()


def test_an_image_needs_a_description(inwoner):
    with pytest.raises(RuleViolation, match="Beschrijf"):
        services.tell_story(inwoner, details(image=upload("a.jpg", jpeg_with_exif())))


def test_an_image_over_the_size_limit_is_refused(inwoner, settings):
    settings.STORY_MAX_IMAGE_BYTES = 100
    with pytest.raises(RuleViolation, match="groter dan"):
        services.tell_story(
            inwoner, details(image=upload("a.jpg", jpeg_with_exif()), image_description="x")
        )


def test_audio_loses_its_id3_tags(inwoner):
    name = b"Ilse Bakker"
    frame = b"TIT2" + (len(name) + 1).to_bytes(4, "big") + b"\x00\x00\x00" + name
    id3 = b"ID3\x03\x00\x00" + len(frame).to_bytes(4, "big") + frame  # small: syncsafe as is
    mp3 = id3 + b"\xff\xfb\x90\x64" + b"\x00" * 400 + b"TAG" + name.ljust(125, b"\x00")
    story = services.tell_story(inwoner, details(audio=upload("ilse.mp3", mp3, "audio/mpeg")))
    stored = story.audio.read()
    assert name not in stored
    assert stored.startswith(b"\xff\xfb")
    assert story.audio_type == "audio/mpeg"


def test_a_file_that_is_not_mp3_is_refused_as_audio(inwoner):
    with pytest.raises(RuleViolation, match="MP3"):
        services.tell_story(
            inwoner, details(audio=upload("a.mp3", b"RIFF....WAVEfmt ", "audio/mpeg"))
        )
