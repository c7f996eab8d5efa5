from django import forms

from portal.access.tiers import FILE_TIER_HELP, RECORD_TIER_HELP, Tier
from portal.taxonomy.models import Country, Theme

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
ALLOWED_SUFFIXES = (".bib", ".bibtex", ".ris", ".txt", ".ciw")


class ImportForm(forms.Form):
    file = forms.FileField(help_text="A BibTeX (.bib) or RIS (.ris) file from Zotero, EndNote, Mendeley, JabRef…")
    record_tier = forms.TypedChoiceField(
        choices=Tier.choices, coerce=int, initial=Tier.PUBLIC, help_text=RECORD_TIER_HELP,
        label="Who may see the new entries",
    )  # fmt: skip
    file_tier = forms.TypedChoiceField(
        choices=[("", "Same as who may see them"), *Tier.choices], coerce=int, empty_value=None, required=False,
        help_text=FILE_TIER_HELP, label="Who may open their full text",
    )  # fmt: skip
    themes = forms.ModelMultipleChoiceField(Theme.objects.all(), required=False,
                                            widget=forms.CheckboxSelectMultiple)  # fmt: skip
    countries = forms.ModelMultipleChoiceField(
        Country.objects.filter(participating=True), required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Countries the works cover; for restricted entries, also whose officials may see them.",
    )  # fmt: skip
    dry_run = forms.BooleanField(required=False, label="Dry run: show the report, write nothing")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file is larger than 20 MB; split it and import the parts.")
        if not upload.name.lower().endswith(ALLOWED_SUFFIXES):
            raise forms.ValidationError("Upload a .bib or .ris file.")
        return upload
