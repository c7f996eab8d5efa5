import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
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


@pytest.fixture(scope="session")
def migrated_state(django_db_setup, django_db_blocker):
    """What the migrations left in the test database (countries, groups, root page, workflows…), serialised."""
    with django_db_blocker.unblock():
        return connection.creation.serialize_db_to_string()


@pytest.fixture(autouse=True)
def restore_migrated_state(request):
    """A transactional test flushes every table when it ends; put back what the migrations seeded.

    pytest-django's serialized_rollback does not apply when live_server is what asks for the database, so the
    suite does the same itself: flush without post_migrate, then reload the serialised state.
    """
    if not {"transactional_db", "live_server"} & set(request.fixturenames):
        return
    state = request.getfixturevalue("migrated_state")
    request.getfixturevalue("transactional_db")
    if Page.get_first_root_node() is None:
        call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)
        connection.creation.deserialize_db_from_string(state)
        _reset_sequences()  # PostgreSQL: the reloaded rows keep their ids, so move the sequences past them
        ContentType.objects.clear_cache()  # ids are the serialised ones again, not post_migrate's


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: cached pages and citations never cross from one test to another."""
    from django.core.cache import cache

    cache.clear()


def _reset_sequences():
    from django.apps import apps
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
