from wagtail.documents.forms import BaseDocumentForm


class PortalDocumentForm(BaseDocumentForm):
    """Wagtail's document form, saving the countries too (see portal.images.forms.PortalImageForm)."""

    def _save_m2m(self):
        super()._save_m2m()
        self.instance.countries.commit()
