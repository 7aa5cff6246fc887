"""Who edits what in the CMS, and the moderation workflow.

- Redacteuren write and edit every page and submit them; they do not publish.
- Hoofdredacteuren approve in the workflow and publish.
- Trainers write courses under /leren/ and edit only the ones they made (Wagtail's
  "add" permission: owners edit their own pages); a course goes through the same
  workflow before it is published.
- Onderzoekers propose changes to werkzame elementen: they edit under /kennisbank/ and
  submit, editors review the change in the workflow.

The groups exist from a migration (so accounts can join them straight away); the page
permissions and the workflow need the pages, so `setup_editorial` runs once they exist
(seed_demo does that; on a real site `manage.py setup_editorial` after the sections are
made). Running it again changes nothing.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

REDACTEUREN = "Redacteuren"
HOOFDREDACTEUREN = "Hoofdredacteuren"
TRAINERS = "Trainers"
ONDERZOEKERS = "Onderzoekers"
GROUPS = (REDACTEUREN, HOOFDREDACTEUREN, TRAINERS, ONDERZOEKERS)

WORKFLOW_NAME = "Redactie"
APPROVAL_TASK_NAME = "Akkoord hoofdredactie"

# Per group: (where, which page permissions). "home" is the whole site.
PAGE_PERMISSIONS = {
    REDACTEUREN: [("home", ["add_page", "change_page"])],
    HOOFDREDACTEUREN: [
        ("home", ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"])
    ],
    TRAINERS: [("courses", ["add_page"])],
    ONDERZOEKERS: [("knowledge", ["add_page", "change_page"])],
}
# Everyone in these groups uploads images and documents (course material, sources).
COLLECTION_PERMISSIONS = ["add_image", "choose_image", "add_document", "choose_document"]


def _page_permission(codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)


@transaction.atomic
def setup_editorial(*, home: Page, knowledge: Page | None, courses: Page | None) -> Workflow:
    """Page permissions for the four groups and the workflow on the whole site."""
    sections = {"home": home, "knowledge": knowledge, "courses": courses}
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in GROUPS}
    for name, grants in PAGE_PERMISSIONS.items():
        for section, codenames in grants:
            page = sections[section]
            if page is None:
                continue
            for codename in codenames:
                GroupPagePermission.objects.get_or_create(
                    group=groups[name], page=page, permission=_page_permission(codename)
                )
    root_collection = Collection.get_first_root_node()
    for group in groups.values():
        for codename in COLLECTION_PERMISSIONS:
            permission = Permission.objects.filter(codename=codename).first()
            if permission is not None:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=permission
                )
    task = GroupApprovalTask.objects.filter(name=APPROVAL_TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=APPROVAL_TASK_NAME)
    task.groups.add(groups[HOOFDREDACTEUREN])
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    WorkflowTask.objects.get_or_create(
        workflow=workflow, task=task.task_ptr, defaults={"sort_order": 0}
    )
    WorkflowPage.objects.get_or_create(page=home, defaults={"workflow": workflow})
    return workflow
