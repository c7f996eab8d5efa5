"""The access admin: verifying officials, deciding on access requests, revoking grants, reading the audit log."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets.button import MenuItem
from wagtail.permission_policies.base import BasePermissionPolicy

from . import audit, decisions
from .models import AccessGrant, AccessProfile, AccessRequest, AuditEvent
from .policy import STAFF_PERMISSION


class UnitStaffPolicy(BasePermissionPolicy):
    """Unit staff (and superusers) may do `actions` on the model; nobody may do anything else through the admin."""

    def __init__(self, model, actions):
        super().__init__(model)
        self.actions = frozenset(actions)

    def _is_staff(self, user) -> bool:
        return user.is_active and (user.is_superuser or user.has_perm(STAFF_PERMISSION))

    def user_has_permission(self, user, action):
        return action in self.actions and self._is_staff(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        users = get_user_model().objects.filter(is_active=True)
        if not self.actions & set(actions):
            return users.none()
        staff = Q(is_superuser=True) | Q(groups__permissions__codename="view_all_tiers")
        return users.filter(staff | Q(user_permissions__codename="view_all_tiers")).distinct()

    def users_with_permission(self, action):
        return self.users_with_any_permission([action])


# ---- officials ------------------------------------------------------------------------------------------------


class AccessProfileForm(WagtailAdminModelForm):
    verified = forms.BooleanField(
        required=False,
        help_text="Tick once you have checked the application with the country's national focal point.",
    )

    class Meta:
        model = AccessProfile
        fields = ["role", "country", "agency", "position", "justification"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["verified"].initial = self.instance.verified_at is not None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("verified") and not cleaned.get("country"):
            self.add_error("country", "A verified official or focal point needs a country.")
        return cleaned


def verify_profile(profile: AccessProfile, by, request=None) -> None:
    profile.verified_at = timezone.now()
    profile.verified_by = by
    profile.save(update_fields=["verified_at", "verified_by"])
    audit.record(audit.Action.OFFICIAL_VERIFIED, profile, request=request, detail=str(profile))
    if profile.user.email:
        send_mail(
            "You are verified on the CAU portal",
            f"You are now verified as {profile.get_role_display().lower()} of {profile.country}. "
            "Sign in with your authenticator app to see restricted information.",
            None,
            [profile.user.email],
        )


class AccessProfileEditView(generic.EditView):
    def save_instance(self):
        was_verified = self.form.instance.pk and AccessProfile.objects.get(pk=self.form.instance.pk).verified_at
        profile = self.form.save()
        if self.form.cleaned_data["verified"] and not was_verified:
            verify_profile(profile, self.request.user, self.request)
        elif not self.form.cleaned_data["verified"] and was_verified:
            profile.verified_at, profile.verified_by = None, None
            profile.save(update_fields=["verified_at", "verified_by"])
        return profile


class AccessProfileIndexView(generic.IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if not instance.is_verified and instance.country_id:
            url = reverse("access_profiles:verify", args=[instance.pk])
            buttons.append(MenuItem("Verify", url=url, icon_name="tick", priority=5))
        return buttons


class AccessProfileViewSet(ModelViewSet):
    model = AccessProfile
    icon = "user"
    menu_label = "Officials"
    url_prefix = "access/officials"
    name = "access_profiles"
    form_fields = ["role", "country", "agency", "position", "justification"]
    list_display = ["user", "role", "country", "agency", "verified_at"]
    list_filter = ["role", "country", "verified_at"]
    search_fields = ["user__username", "user__email", "user__last_name", "agency"]
    copy_view_enabled = False
    index_view_class = AccessProfileIndexView
    edit_view_class = AccessProfileEditView

    def get_form_class(self, for_update=False):
        return AccessProfileForm

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("verify/<int:pk>/", self.verify_view, name="verify")]

    def verify_view(self, request, pk):
        if not UnitStaffPolicy(AccessProfile, ["change"]).user_has_permission(request.user, "change"):
            return redirect("wagtailadmin_home")
        profile = get_object_or_404(AccessProfile, pk=pk)
        if request.method == "POST":
            verify_profile(profile, request.user, request)
            messages.success(request, f"{profile.user} is verified as {profile.get_role_display().lower()}.")
            return redirect(f"{self.name}:index")
        context = {"profile": profile, "view": self}
        return TemplateResponse(request, "access/admin/verify_profile.html", context)


# ---- access requests -----------------------------------------------------------------------------------------


class DecisionForm(WagtailAdminModelForm):
    decision = forms.ChoiceField(
        choices=[("approve", "Approve"), ("refuse", "Refuse")], widget=forms.RadioSelect, required=True
    )

    class Meta:
        model = AccessRequest
        fields = ["valid_until", "refusal_reason"]

    def clean(self):
        cleaned = super().clean()
        if self.instance.status != AccessRequest.Status.PENDING:
            raise forms.ValidationError("This request has already been decided.")
        decision = cleaned.get("decision")
        if decision == "approve":
            until = cleaned.get("valid_until")
            if not until:
                self.add_error("valid_until", "An approval needs an end date.")
            elif until <= timezone.now():
                self.add_error("valid_until", "The end date must be in the future.")
        if decision == "refuse" and not cleaned.get("refusal_reason", "").strip():
            self.add_error("refusal_reason", "Tell the requester why.")
        return cleaned


class AccessRequestEditView(generic.EditView):
    def save_instance(self):
        access_request = self.object
        data = self.form.cleaned_data
        if data["decision"] == "approve":
            decisions.approve(access_request, self.request.user, data["valid_until"], request=self.request)
        else:
            decisions.refuse(access_request, self.request.user, data["refusal_reason"], request=self.request)
        return access_request


class AccessRequestViewSet(ModelViewSet):
    model = AccessRequest
    icon = "key"
    menu_label = "Access requests"
    url_prefix = "access/requests"
    name = "access_requests"
    list_display = ["title", "user", "status", "created_at", "valid_until"]
    list_filter = ["status", "created_at"]
    search_fields = ["title", "user__username", "reason"]
    copy_view_enabled = False
    inspect_view_enabled = True
    edit_view_class = AccessRequestEditView
    form_fields = ["valid_until", "refusal_reason"]

    def get_form_class(self, for_update=False):
        return DecisionForm


class AccessGrantViewSet(ModelViewSet):
    model = AccessGrant
    icon = "lock-open"
    menu_label = "Grants"
    url_prefix = "access/grants"
    name = "access_grants"
    list_display = ["user", "content_type", "object_id", "valid_until", "granted_by"]
    list_filter = ["valid_until"]
    copy_view_enabled = False
    form_fields = ["valid_until"]


# ---- the audit log ------------------------------------------------------------------------------------------


class AuditEventViewSet(ModelViewSet):
    model = AuditEvent
    icon = "history"
    menu_label = "Audit log"
    url_prefix = "access/audit"
    name = "audit_log"
    list_display = ["created_at", "action", "username", "object_title", "ip_address"]
    list_filter = ["action", "created_at", "content_type"]
    search_fields = ["username", "object_title", "detail", "ip_address"]
    list_export = [
        "created_at",
        "action",
        "username",
        "content_type",
        "object_id",
        "object_title",
        "detail",
        "ip_address",
        "user_agent",
    ]
    export_filename = "cau-portal-audit-log"
    copy_view_enabled = False
    inspect_view_enabled = True
    # Append-only: UnitStaffPolicy allows only "view", and the model refuses updates and deletes.
    form_fields = ["action"]


class AccessViewSetGroup(ModelViewSetGroup):
    menu_label = "Access"
    menu_icon = "lock"
    items = (AccessProfileViewSet, AccessRequestViewSet, AccessGrantViewSet, AuditEventViewSet)


POLICY_ACTIONS = {
    AccessProfile: ["view", "change"],
    AccessRequest: ["view", "change"],
    AccessGrant: ["view", "change", "delete"],
    AuditEvent: ["view"],
}
