"""Factories shared by every app's tests."""

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from django.utils import timezone

from portal.access.models import AccessProfile
from portal.home.models import CountryIndexPage, CountryPage, HomePage, StandardPage
from portal.taxonomy.models import Country


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("a-test-password")


class AccessProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccessProfile

    user = factory.SubFactory(UserFactory)
    role = AccessProfile.Role.OFFICIAL
    agency = "Immigration Bureau"
    country = factory.LazyFunction(lambda: Country.objects.get(code="TH"))
    verified_at = factory.LazyFunction(timezone.now)


class HomePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = HomePage

    title = "Smuggling of migrants in East Asia and the Pacific"
    slug = "home-test"


class StandardPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = StandardPage

    title = factory.Sequence(lambda n: f"Standard page {n}")
    intro = "An introduction."


class CountryIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CountryIndexPage

    title = "Countries"
    slug = "countries"


class CountryPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CountryPage

    title = factory.LazyAttribute(lambda p: p.country.name)
    slug = factory.LazyAttribute(lambda p: p.country.code.lower())
    country = factory.LazyFunction(lambda: Country.objects.get(code="TH"))
