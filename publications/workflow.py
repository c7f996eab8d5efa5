"""The "CAU review" moderation step of publications and contributions, and who may edit under the index."""

from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupApprovalTask, GroupPagePermission, Workflow, WorkflowPage

WORKFLOW_NAME = "Publications review"
TASK_NAME = "CAU review"
REVIEWERS = "Moderators"
EDITORS = "Editors"
PAGE_PERMISSIONS = {EDITORS: ["add_page", "change_page"], REVIEWERS: ["add_page", "change_page", "publish_page"]}


def review_workflow() -> Workflow:
    """The workflow (seeded by migration 0002); recreated if someone deleted it."""
    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first()
    if workflow is not None:
        return workflow
    reviewers, _ = Group.objects.get_or_create(name=REVIEWERS)
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
        task.groups.set([reviewers])
    workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
    workflow.workflow_tasks.create(task=task, sort_order=0)
    return workflow


def assign_review_workflow(index_page) -> None:
    """Every page under the publications index goes through CAU review; editors and reviewers may work there."""
    if not WorkflowPage.objects.filter(page=index_page).exists():
        WorkflowPage.objects.create(page=index_page, workflow=review_workflow())
    for group_name, codenames in PAGE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for permission in Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=codenames):
            GroupPagePermission.objects.get_or_create(group=group, page=index_page, permission=permission)
