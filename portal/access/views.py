"""Sign-up, sign-in with a second factor, applying as an official, and requests for access.

The policy decides; these views only collect what it needs (who the user is, their proof of a second factor,
their reasons) and tell them the outcome.
"""

from __future__ import annotations

from io import BytesIO

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.safestring import mark_safe
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import audit, policy
from .forms import AccessRequestForm, OfficialApplicationForm, SignUpForm, TokenForm
from .models import AccessControlled, AccessProfile, AccessRequest

User = get_user_model()


# ---- signing in -------------------------------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    """Password first; staff, officials and focal points then pass the second factor before reaching further."""

    template_name = "access/login.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        if not policy.needs_second_factor(user) and not _confirmed_device(user):
            return response
        step = "access:otp_verify" if _confirmed_device(user) else "access:otp_setup"
        return redirect(f"{reverse(step)}?next={_safe_next(self.request, self.get_success_url())}")


def _confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def _safe_next(request, candidate: str | None) -> str:
    allowed = {request.get_host()}
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed, require_https=request.is_secure()):
        return candidate
    return settings.LOGIN_REDIRECT_URL


@login_required
@sensitive_post_parameters("token")
def otp_verify(request):
    """The second step of signing in: a code from the authenticator app."""
    device = _confirmed_device(request.user)
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if device is None:
        return redirect(f"{reverse('access:otp_setup')}?next={next_url}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            otp_login(request, device)
            return redirect(next_url)
        form.add_error("token", "That code is not valid. Wait for the next one and try again.")
    return render(request, "access/otp_verify.html", {"form": form, "next": next_url})


@login_required
@sensitive_post_parameters("token")
def otp_setup(request):
    """Enrolment: a QR code for the authenticator app, then one code to confirm it works."""
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if _confirmed_device(request.user) and not request.user.is_verified():
        return redirect(f"{reverse('access:otp_verify')}?next={next_url}")
    device, _ = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "Authenticator app"}
    )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=request.user).exclude(pk=device.pk).delete()
            otp_login(request, device)
            messages.success(request, "Your authenticator app is set up. You will need it each time you sign in.")
            return redirect(next_url)
        form.add_error("token", "That code is not valid. Check the time on your phone and try again.")
    context = {"form": form, "next": next_url, "qr_svg": _qr_svg(device.config_url), "secret": _b32_key(device)}
    return render(request, "access/otp_setup.html", context)


def _qr_svg(data: str) -> str:
    """The QR code as inline SVG, drawn here: the secret never leaves the portal."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    out = BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    svg = svg[svg.index("<svg") :]  # drop the XML declaration, the SVG goes inline
    svg = svg.replace("<svg ", '<svg role="img" aria-label="QR code for your authenticator app" ', 1)
    return mark_safe(svg)  # noqa: S308 - generated by qrcode from our own URL, no user input


def _b32_key(device) -> str:
    from base64 import b32encode

    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


# ---- signing up ---------------------------------------------------------------------------------------------


@sensitive_post_parameters("password1", "password2")
def signup(request):
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save(commit=False)
        user.is_active = False  # until the address is confirmed
        user.save()
        _send_confirmation(request, user)
        return render(request, "access/signup_done.html", {"email": user.email})
    return render(request, "access/signup.html", {"form": form})


def _send_confirmation(request, user):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = request.build_absolute_uri(reverse("access:confirm_email", args=[uid, token]))
    body = render_to_string("access/email/confirm_email.txt", {"user": user, "link": link})
    send_mail("Confirm your address for the CAU portal", body, None, [user.email])


def confirm_email(request, uidb64, token):
    try:
        user = User.objects.get(pk=urlsafe_base64_decode(uidb64).decode())
    except (User.DoesNotExist, ValueError, TypeError, OverflowError):
        user = None
    if user is None or not default_token_generator.check_token(user, token):
        return render(request, "access/confirm_invalid.html", status=400)
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    messages.success(request, "Your address is confirmed. You can now sign in.")
    return redirect("access:login")


# ---- applying as an official --------------------------------------------------------------------------------


@login_required
def apply_official(request):
    """Apply (or re-apply) as an official: the profile waits for unit staff to verify it."""
    profile, _ = AccessProfile.objects.get_or_create(user=request.user)
    form = OfficialApplicationForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            profile = form.save(commit=False)
            if profile.role == AccessProfile.Role.REGISTERED:
                profile.role = AccessProfile.Role.OFFICIAL
            profile.verified_at = None  # a changed application is checked again
            profile.verified_by = None
            profile.save()
            audit.record(audit.Action.OFFICIAL_APPLIED, profile, request=request, detail=_application_summary(profile))
        _notify_staff(request, profile)
        messages.success(request, "Thank you. Unit staff will check your application and write to you.")
        return redirect("access:account")
    return render(request, "access/apply_official.html", {"form": form, "profile": profile})


def _application_summary(profile) -> str:
    return f"{profile.get_role_display()} of {profile.country}, {profile.agency}, {profile.position}"


def _notify_staff(request, profile):
    recipients = list(
        User.objects.filter(groups__name="Unit staff", is_active=True).exclude(email="").values_list("email", flat=True)
    )
    if recipients:
        link = request.build_absolute_uri(reverse("access_profiles:edit", args=[profile.pk]))
        body = render_to_string("access/email/application_received.txt", {"profile": profile, "link": link})
        send_mail("An official applies for access to the CAU portal", body, None, recipients)


@login_required
def account(request):
    profile = getattr(request.user, "access_profile", None)
    context = {
        "profile": profile,
        "audience": policy.audience_for(request),
        "needs_second_factor": policy.needs_second_factor(request.user),
        "has_device": _confirmed_device(request.user) is not None,
        "requests": request.user.access_requests.all()[:20],
    }
    return render(request, "access/account.html", context)


# ---- requests for access --------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def request_access(request, content_type_id, object_id):
    """Ask for the files of an item whose record the user may see (anything else: 404)."""
    item = _visible_item(request, content_type_id, object_id)
    audience = policy.audience_for(request)
    if policy.can_open_files(audience, item):
        messages.info(request, "You may already open these files.")
        return redirect(_item_url(item))
    pending = AccessRequest.objects.filter(
        user=request.user, content_type_id=content_type_id, object_id=object_id, status=AccessRequest.Status.PENDING
    ).first()
    form = AccessRequestForm(request.POST or None)
    if request.method == "POST" and pending is None and form.is_valid():
        access_request = form.save(commit=False)
        access_request.user = request.user
        access_request.content_type_id = content_type_id
        access_request.object_id = object_id
        access_request.title = str(getattr(item, "title", item))[:500]
        access_request.save()
        audit.record(audit.Action.ACCESS_REQUESTED, item, request=request, detail=access_request.reason)
        messages.success(request, "Your request has been sent. You will receive an email with the decision.")
        return redirect("access:account")
    context = {"item": item, "form": form, "pending": pending, "explanation": policy.explain(audience, item)}
    return render(request, "access/request_access.html", context)


def _visible_item(request, content_type_id, object_id):
    content_type = get_object_or_404(ContentType, pk=content_type_id)
    model = content_type.model_class()
    if model is None:
        raise Http404
    item = get_object_or_404(model._base_manager, pk=object_id)
    item = getattr(item, "specific", item)
    if not isinstance(item, AccessControlled) or not policy.can_see_record(policy.audience_for(request), item):
        raise Http404
    if not getattr(item, "live", True):
        raise Http404  # a draft or expired page is known to no reader, whatever its tiers say
    return item


def _item_url(item) -> str:
    for attr in ("url", "get_absolute_url"):
        value = getattr(item, attr, None)
        value = value() if callable(value) else value
        if value:
            return value
    return reverse("access:account")


def request_access_url(item) -> str:
    """The address of the request form for `item` (used by the restricted panel)."""
    from wagtail.models import Page

    model = Page if isinstance(item, Page) else type(item)
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=True)
    return reverse("access:request_access", args=[content_type.pk, item.pk])
