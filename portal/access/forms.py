from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm

from portal.taxonomy.models import Country

from .models import AccessProfile, AccessRequest


class SignUpForm(UserCreationForm):
    email = forms.EmailField(help_text="We send a link to this address to confirm it.")
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email", "first_name", "last_name")

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("An account with this address exists: sign in, or reset your password.")
        return email


class OfficialApplicationForm(forms.ModelForm):
    country = forms.ModelChoiceField(queryset=Country.objects.all(), help_text="The country whose official you are.")
    agency = forms.CharField(max_length=200, help_text="Your ministry, agency or department.")
    position = forms.CharField(max_length=200)
    justification = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Why you need restricted information: your role on the smuggling of migrants.",
    )

    class Meta:
        model = AccessProfile
        fields = ("country", "agency", "position", "justification")


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Code from your authenticator app",
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def clean_token(self):
        token = "".join(self.cleaned_data["token"].split())
        if not token.isdigit():
            raise forms.ValidationError("Enter the digits shown in your authenticator app.")
        return token


class AccessRequestForm(forms.ModelForm):
    class Meta:
        model = AccessRequest
        fields = ("reason",)
        widgets = {"reason": forms.Textarea(attrs={"rows": 5})}
        labels = {"reason": "Why do you need these files?"}
