"""Load the demo content: users per role, the page tree, then each app's own demo content.

Idempotent: what exists is reused, never duplicated or overwritten.
"""

import importlib
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from wagtail.models import Page, Site

from portal.access.models import AccessProfile
from portal.home.models import CountryIndexPage, CountryPage, HomePage, StandardPage
from portal.taxonomy.models import Country

DEMO_USERS = [
    # username, password, role description, groups, profile role, country code, superuser
    ("admin", "demo-admin-pass", "superuser", [], None, None, True),
    ("editor", "demo-editor-pass", "editor (unit staff)", ["Editors", "Unit staff"], None, None, False),
    ("official.th", "demo-official-pass", "official of Thailand", [], "official", "TH", False),
    ("focal.th", "demo-focal-pass", "national focal point of Thailand", [], "focal_point", "TH", False),
    ("trainee", "demo-trainee-pass", "trainee (registered user)", [], "registered", None, False),
]

HOME_INTRO = (
    "<p>The Coordination and Analysis Unit on the smuggling of migrants collects, analyses and shares information "
    "on migrant smuggling in Cambodia, China, Indonesia, Lao PDR, Myanmar, Thailand and Viet Nam, and supports the "
    "officials who respond to it.</p>"
)

STANDARD_PAGES = [
    ("about", "About the unit", "Who we are, what we do and who we work with."),
    (
        "dissemination-guidelines",
        "Dissemination guidelines",
        "How the unit shares its information, and with whom.",
    ),
]

# Apps that add their own demo content expose `demo.load(stdout)`; missing modules are simply skipped.
APP_DEMOS = ["bibliography", "publications", "trainings", "workplans", "portal.documents"]


class Command(BaseCommand):
    help = "Load demo content (idempotent): users per role, home, country pages and each app's demo items."

    def handle(self, *args, **options):
        # Demo loading sends moderation emails and logs audit lines; keep its output to what a newcomer needs.
        logging.disable(logging.INFO)
        try:
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
                with transaction.atomic():
                    users = self.load_users()
                    self.load_pages()
                for module_name in APP_DEMOS:
                    self.load_app_demo(module_name)
        finally:
            logging.disable(logging.NOTSET)
        self.print_summary(users)

    def load_users(self):
        user_model = get_user_model()
        created = []
        for username, password, label, groups, role, code, superuser in DEMO_USERS:
            user, is_new = user_model.objects.get_or_create(
                username=username,
                defaults={
                    "email": f"{username}@example.org",
                    "is_superuser": superuser,
                    "is_staff": superuser or bool(groups),
                    "first_name": label.split(" ")[0].capitalize(),
                },
            )
            if is_new:
                user.set_password(password)
                user.save()
            for name in groups:
                group, _ = Group.objects.get_or_create(name=name)
                user.groups.add(group)
            if role:
                AccessProfile.objects.get_or_create(
                    user=user,
                    defaults={
                        "role": role,
                        "country": Country.objects.filter(code=code).first() if code else None,
                        "agency": "Royal Thai Police, Immigration Bureau" if code else "",
                        "verified_at": timezone.now() if code else None,
                    },
                )
            created.append((username, password, label))
        return created

    def load_pages(self):
        home = HomePage.objects.first()
        if home is None:
            root = Page.get_first_root_node()
            for placeholder in root.get_children().filter(slug="home"):
                if placeholder.specific_class is Page:
                    placeholder.delete()  # Wagtail's "Welcome" page, and the site pointing at it
            home = root.add_child(
                instance=HomePage(
                    title="Smuggling of migrants in East Asia and the Pacific", slug="home", intro=HOME_INTRO
                )
            )
            self.stdout.write("Created the home page.")
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            Site.objects.create(
                hostname="localhost",
                port=80,
                root_page=home,
                is_default_site=True,
                site_name=settings.WAGTAIL_SITE_NAME,
            )
        elif site.root_page_id != home.pk:
            site.root_page = home
            site.save()
        for slug, title, intro in STANDARD_PAGES:
            if not home.get_children().filter(slug=slug).exists():
                home.add_child(instance=StandardPage(title=title, slug=slug, intro=intro, show_in_menus=True))
        self.load_country_pages(home)
        return home

    def load_country_pages(self, home):
        index = CountryIndexPage.objects.first()
        if index is None:
            index = home.add_child(
                instance=CountryIndexPage(
                    title="Countries",
                    slug="countries",
                    show_in_menus=True,
                    intro="The participating countries: their assessments, workplans and literature.",
                )
            )
        for country in Country.objects.filter(participating=True):
            if not CountryPage.objects.filter(country=country).exists():
                index.add_child(
                    instance=CountryPage(
                        title=country.name,
                        slug=country.code.lower(),
                        country=country,
                        intro=f"Migrant smuggling information for {country.name}.",
                    )
                )

    def load_app_demo(self, module_name):
        try:
            module = importlib.import_module(f"{module_name}.demo")
        except ModuleNotFoundError as error:
            if error.name != f"{module_name}.demo":
                raise
            return
        module.load(self.stdout)

    def print_summary(self, users):
        self.stdout.write(self.style.SUCCESS("\nDemo content is ready. Demo logins (demo only, never in production):"))
        for username, password, label in users:
            self.stdout.write(f"  {label:36} {username:14} {password}")
        self.stdout.write(
            "Staff, officials and focal points add the portal to an authenticator app (TOTP) at their first sign-in."
        )
