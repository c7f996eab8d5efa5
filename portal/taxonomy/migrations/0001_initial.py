from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Country",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.CharField(help_text="ISO 3166-1 alpha-2, e.g. TH.", max_length=2, unique=True, verbose_name="ISO code")),
                ("name", models.CharField(max_length=100, verbose_name="English name")),
                ("local_name", models.CharField(blank=True, max_length=100, verbose_name="local name")),
                ("language_code", models.CharField(blank=True, help_text="BCP 47, e.g. th, km, zh.", max_length=10, verbose_name="language of the local name")),
                ("participating", models.BooleanField(default=True, help_text="A participating country of the unit.")),
                ("sort_order", models.PositiveSmallIntegerField(default=0)),
            ],
            options={"ordering": ["sort_order", "name"], "verbose_name_plural": "countries"},
        ),
        migrations.CreateModel(
            name="Language",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.CharField(help_text="ISO 639-1, e.g. th.", max_length=10, unique=True, verbose_name="language code")),
                ("name", models.CharField(max_length=100)),
                ("local_name", models.CharField(blank=True, max_length=100)),
            ],
            options={"ordering": ["name"]},
        ),
        migrations.CreateModel(
            name="Theme",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=100, unique=True)),
                ("slug", models.SlugField(max_length=100, unique=True)),
                ("description", models.TextField(blank=True)),
            ],
            options={"ordering": ["name"]},
        ),
    ]
