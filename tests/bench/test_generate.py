"""The scale-data generator, run at its tiny profile into the test database: the counts,
the target journey, the manifest, and that the pages the benchmarks measure load for a
member (and the public ones for a visitor), and that search finds a story."""

from __future__ import annotations

import io
import json

import pytest
from django.test import Client

from bench import generate as gen
from bench.gen_text import WORDS
from community.models import Board, Post, Thread, User
from journeys.models import Journey, Membership, Story
from journeys.stories import facets
from journeys.stories.queries import visible_stories
from learning.models import LearningQuestion, WorkingElementPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def manifest(tmp_path):
    path = tmp_path / "dataset-tiny.json"
    result = gen.generate("tiny", stdout=io.StringIO(), migrate=False, manifest_to=path)
    assert json.loads(path.read_text()) == result
    return result


def test_tiny_profile_has_a_thousandth_of_the_full_counts(manifest):
    counts = manifest["counts"]
    assert counts["users"] == User.objects.count() == 10
    assert counts["verified_emails"] == 10
    assert counts["journeys"] == 1
    assert counts["stories"] == Story.objects.count() == 100
    assert counts["threads"] == 20
    assert counts["events"] == 5
    assert counts["cards"] == 20
    assert counts["leervragen"] == LearningQuestion.objects.count() == 10
    assert counts["working_elements"] == WorkingElementPage.objects.live().count() == 3
    # Every thread opens with a post; the target thread holds 200 of them.
    assert counts["posts"] == Post.objects.count() == 200 + 19
    assert counts["search_entries"] >= 100


def test_target_journey_has_its_members_thread_board_and_leervragen(manifest):
    journey = Journey.objects.get(slug=manifest["journey"]["slug"])
    assert journey.visibility == Journey.Visibility.OPENBAAR
    roles = dict(journey.memberships.values_list("user_id", "role"))
    assert (
        sorted(roles)
        == sorted(manifest["members_of_target_journey"])
        == sorted(User.objects.values_list("pk", flat=True))
    )
    assert roles[manifest["facilitator"]["id"]] == Membership.Role.REISBEGELEIDER
    assert roles[manifest["member"]["id"]] == Membership.Role.REIZIGER
    thread = Thread.objects.get(pk=manifest["thread"]["id"], journey=journey)
    numbers = list(thread.posts.values_list("number", flat=True))
    assert numbers == list(range(1, 201))
    assert thread.post_count == thread.last_post_number == 200
    board = Board.objects.get(pk=manifest["board"]["id"], journey=journey)
    assert board.card_count == board.cards.filter(status="visible").count()
    statuses = set(journey.learning_questions.values_list("status", flat=True))
    assert statuses == set(LearningQuestion.Status.values)


def test_manifest_names_pages_sockets_and_forty_search_terms(manifest):
    assert set(manifest["pages"]) >= {
        "journey_dashboard", "thread_200", "story_archive_facet", "working_element", "kanban",
        "hello",
    }  # fmt: skip
    assert manifest["board"]["ws_path"] == f"/ws/borden/{manifest['board']['id']}/"
    assert manifest["thread"]["ws_path"] == f"/ws/forum/thread/{manifest['thread']['id']}/"
    assert len(manifest["search_terms"]) == len(set(manifest["search_terms"])) == 40
    assert set(WORDS[:5]) <= set(manifest["search_terms"])


def test_member_loads_every_target_page(manifest):
    client = Client()
    assert client.login(email=manifest["member"]["email"], password=manifest["password"])
    for name, url in manifest["pages"].items():
        if name == "hello":
            continue  # only in the bench settings' URLconf
        response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)
    thread = Thread.objects.get(pk=manifest["thread"]["id"])
    assert thread.title in client.get(manifest["pages"]["thread_200"]).content.decode()


def test_visitor_loads_every_public_page(manifest):
    client = Client()
    for name, url in manifest["anonymous_pages"].items():
        response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)


def test_member_finds_a_story_by_a_word_of_its_title(manifest):
    member = User.objects.get(pk=manifest["member"]["id"])
    visible = visible_stories(member)
    story = visible.filter(journey__isnull=False).order_by("pk").first()
    word = next(w for w in story.title.lower().split() if w in WORDS)
    searched = facets.search(visible, facets.parse({"q": word}))
    assert not searched.failed
    assert story.pk in searched.ranked_ids
    assert searched.stories.filter(pk=story.pk).exists()


def test_the_search_benchmark_searches_as_the_archive_does(manifest, monkeypatch):
    from bench import search as bench_search
    from bench import targets

    monkeypatch.setattr(targets, "load", lambda profile: manifest)
    run, _manifest = bench_search.searcher("tiny")
    member = User.objects.get(pk=manifest["member"]["id"])
    story = visible_stories(member).order_by("pk").first()
    word = next(w for w in story.title.lower().split() if w in WORDS)
    hits, first_page = run(word)
    assert hits >= 1
    assert first_page and len(first_page) <= min(hits, 20)
