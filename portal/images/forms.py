from wagtail.images.forms import BaseImageForm


class PortalImageForm(BaseImageForm):
    """Wagtail's image form, saving the countries too.

    `countries` is a ParentalManyToManyField: a ModelForm sets it after saving the instance, where it stays in
    memory until the next save. Committing it here is what makes the editor's choice of countries stick.
    """

    def _save_m2m(self):
        super()._save_m2m()
        self.instance.countries.commit()
