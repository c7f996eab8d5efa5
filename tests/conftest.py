import pytest
from django.contrib.auth.models import Group
from wagtail.models import Page, Site

from portal.access.models import AccessProfile
from portal.taxonomy.models import Country
from tests.factories import AccessProfileFactory, HomePageFactory, UserFactory


@pytest.fixture
def home_page(db):
    """A HomePage as the root of the default site, replacing Wagtail's placeholder."""
    root = Page.get_first_root_node()
    home = HomePageFactory(parent=root)
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    return home


@pytest.fixture
def countries(db):
    return {c.code: c for c in Country.objects.all()}


def _profile(role, code):
    profile = AccessProfileFactory(role=role, country=Country.objects.get(code=code))
    return profile.user


@pytest.fixture
def users(db):
    """One user per audience of the guidelines' access matrix."""
    staff = UserFactory(username="staff")
    staff.groups.add(Group.objects.get(name="Unit staff"))
    return {
        "anonymous": None,
        "registered": UserFactory(username="registered"),
        "official_th": _profile(AccessProfile.Role.OFFICIAL, "TH"),
        "official_vn": _profile(AccessProfile.Role.OFFICIAL, "VN"),
        "focal_th": _profile(AccessProfile.Role.FOCAL_POINT, "TH"),
        "staff": staff,
    }
