"""Who edits what in the CMS: redacteuren submit, hoofdredacteuren approve and publish,
trainers edit only their own courses, onderzoekers propose changes to werkzame elementen."""

from __future__ import annotations

import pytest
from wagtail.models import Page

from learning.editorial import setup_editorial
from learning.models import (
    CourseIndexPage,
    CoursePage,
    HomePage,
    KnowledgeIndexPage,
    WorkingElementPage,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(personas, make_member):
    home = HomePage.objects.get()
    knowledge = home.add_child(instance=KnowledgeIndexPage(title="Kennisbank", slug="kennisbank"))
    element = knowledge.add_child(
        instance=WorkingElementPage(
            title="Huisbezoek bij 75-plussers",
            slug="huisbezoek",
            summary="Een vrijwilliger gaat op bezoek.",
            mechanism="<p>Een persoonlijk gesprek opent deuren.</p>",
        )
    )
    courses = home.add_child(instance=CourseIndexPage(title="Leren", slug="leren"))
    other_trainer = make_member("tweede.trainer@example.org", groups=["Trainers"])
    own = courses.add_child(
        instance=CoursePage(
            title="Basistraining", slug="basis", summary="Basis", owner=personas["trainer"]
        )
    )
    theirs = courses.add_child(
        instance=CoursePage(
            title="Verdieping", slug="verdieping", summary="Meer", owner=other_trainer
        )
    )
    setup_editorial(home=home, knowledge=knowledge, courses=courses)
    return {"home": home, "element": element, "courses": courses, "own": own, "theirs": theirs}


def _edit(client, page, title):
    """Post the page's admin edit form with a new title, as the CMS itself does."""
    from wagtail.test.utils.form_data import nested_form_data, streamfield

    data = nested_form_data(
        {
            "title": title,
            "slug": page.slug,
            "summary": page.specific.summary,
            "learning_goals": streamfield([]),
            "audience": "",
            "duration": "",
            "trainer": "",
        }
    )
    return client.post(f"/cms/pages/{page.pk}/edit/", data)


def test_a_trainer_edits_their_own_course_but_not_another_trainers(client, site, trainer):
    own, theirs = site["own"], site["theirs"]
    assert own.permissions_for_user(trainer).can_edit()
    assert not theirs.permissions_for_user(trainer).can_edit()
    assert not own.permissions_for_user(trainer).can_publish()

    client.force_login(trainer)
    assert client.get(f"/cms/pages/{own.pk}/edit/").status_code == 200
    _edit(client, theirs, "Overgenomen")
    _edit(client, own, "Basistraining, herzien")

    theirs.refresh_from_db()
    own.refresh_from_db()
    assert theirs.title == "Verdieping" and theirs.get_latest_revision() is None
    assert own.get_latest_revision().as_object().title == "Basistraining, herzien"


def test_a_trainer_adds_a_course_and_may_then_edit_it(site, trainer):
    courses = site["courses"]
    assert courses.permissions_for_user(trainer).can_add_subpage()
    new = courses.add_child(
        instance=CoursePage(title="Nieuw", slug="nieuw", summary="x", owner=trainer)
    )
    assert new.permissions_for_user(trainer).can_edit()
    assert not site["element"].permissions_for_user(trainer).can_edit()


def test_a_redacteur_submits_and_only_a_hoofdredacteur_approves(site, personas):
    redacteur, hoofdredacteur = personas["redacteur"], personas["hoofdredacteur"]
    element = site["element"].specific
    assert element.permissions_for_user(redacteur).can_edit()
    assert not element.permissions_for_user(redacteur).can_publish()

    element.summary = "Een vrijwilliger uit de buurt gaat op bezoek."
    revision = element.save_revision(user=redacteur)
    workflow = element.get_workflow()
    workflow.start(element, redacteur)
    element.refresh_from_db()
    task = element.current_workflow_task.specific
    assert task.get_actions(element, redacteur) == []
    assert "approve" in [name for name, *_ in task.get_actions(element, hoofdredacteur)]

    task.on_action(element.current_workflow_task_state, hoofdredacteur, "approve")

    element = WorkingElementPage.objects.get(pk=element.pk)
    assert element.live_revision_id == revision.pk
    assert element.summary == "Een vrijwilliger uit de buurt gaat op bezoek."


def test_an_onderzoeker_proposes_a_change_to_a_werkzaam_element_for_review(site, personas):
    onderzoeker = personas["onderzoeker"]
    element = site["element"].specific
    permissions = element.permissions_for_user(onderzoeker)
    assert permissions.can_edit() and not permissions.can_publish()
    assert not site["own"].permissions_for_user(onderzoeker).can_edit()

    element.mechanism = "<p>Volgens onderzoek werkt vooral de herhaling.</p>"
    element.save_revision(user=onderzoeker)
    element.get_workflow().start(element, onderzoeker)

    element.refresh_from_db()
    assert element.workflow_in_progress
    live = WorkingElementPage.objects.get(pk=element.pk)
    assert "herhaling" not in live.mechanism  # nothing changes until an editor approves


def test_setting_up_twice_changes_nothing(site):
    from wagtail.models import GroupPagePermission, WorkflowPage

    counts = (GroupPagePermission.objects.count(), WorkflowPage.objects.count())
    setup_editorial(
        home=site["home"], knowledge=Page.objects.get(slug="kennisbank"), courses=site["courses"]
    )
    assert (GroupPagePermission.objects.count(), WorkflowPage.objects.count()) == counts
