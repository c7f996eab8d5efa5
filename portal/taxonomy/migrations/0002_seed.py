from django.db import migrations

from portal.taxonomy.seed import COUNTRIES, LANGUAGES, THEMES


def seed(apps, schema_editor):
    Country = apps.get_model("taxonomy", "Country")
    Theme = apps.get_model("taxonomy", "Theme")
    Language = apps.get_model("taxonomy", "Language")
    for order, (code, name, local_name, language) in enumerate(COUNTRIES):
        Country.objects.update_or_create(
            code=code, defaults={
                "name": name,
                "local_name": local_name,
                "language_code": language,
                "participating": True,
                "sort_order": order,
            },
        )
    for slug, name, description in THEMES:
        Theme.objects.get_or_create(slug=slug, defaults={"name": name, "description": description})
    for code, name, local_name in LANGUAGES:
        Language.objects.get_or_create(code=code, defaults={"name": name, "local_name": local_name})


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
