from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views

app_name = "access"

urlpatterns = [
    path("", views.account, name="account"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("signup/", views.signup, name="signup"),
    path("confirm/<uidb64>/<token>/", views.confirm_email, name="confirm_email"),
    path("two-factor/", views.otp_verify, name="otp_verify"),
    path("two-factor/setup/", views.otp_setup, name="otp_setup"),
    path("apply/", views.apply_official, name="apply_official"),
    path("request/<int:content_type_id>/<int:object_id>/", views.request_access, name="request_access"),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(
            template_name="access/password_reset.html",
            email_template_name="access/email/password_reset.txt",
            subject_template_name="access/email/password_reset_subject.txt",
            success_url=reverse_lazy("access:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="access/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="access/password_reset_confirm.html",
            success_url=reverse_lazy("access:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="access/password_reset_complete.html"),
        name="password_reset_complete",
    ),
]
