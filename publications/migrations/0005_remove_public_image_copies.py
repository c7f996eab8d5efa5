from django.core.files.storage import default_storage
from django.db import migrations


def remove_public_copies(apps, schema_editor):
    """The images now live in private storage (previous migration): nothing of them stays under public media."""
    OldImage = apps.get_model("wagtailimages", "Image")
    OldRendition = apps.get_model("wagtailimages", "Rendition")
    for model in (OldRendition, OldImage):
        for name in model.objects.exclude(file="").values_list("file", flat=True).iterator():
            if default_storage.exists(name):
                default_storage.delete(name)
        model.objects.all().delete()


class Migration(migrations.Migration):
    # In its own migration: on PostgreSQL, deleting the rows the old foreign keys pointed at in the same transaction
    # as altering those keys fails ("pending trigger events").
    dependencies = [("publications", "0004_alter_publicationpage_cover_image_and_more")]
    operations = [migrations.RunPython(remove_public_copies, migrations.RunPython.noop)]
