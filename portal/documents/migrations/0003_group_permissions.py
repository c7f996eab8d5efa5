from django.db import migrations

GROUPS = ("Editors", "Moderators", "Unit staff")
CODENAMES = ("add_portaldocument", "change_portaldocument", "delete_portaldocument", "choose_portaldocument")


def grant_document_permissions(apps, schema_editor):
    """Wagtail gives its groups permissions on its own Document model; the portal's model needs them too."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    root = Collection.objects.filter(depth=1).first()
    if root is None:
        return
    content_type, _ = ContentType.objects.get_or_create(app_label="documents", model="portaldocument")
    permissions = [
        Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": codename.replace("_", " ").capitalize()}
        )[0]
        for codename in CODENAMES
    ]
    for name in GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        for permission in permissions:
            GroupCollectionPermission.objects.get_or_create(group=group, collection=root, permission=permission)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0002_ingestion"),
        ("access", "0002_groups"),
        ("wagtailcore", "0002_initial_data"),
    ]
    operations = [migrations.RunPython(grant_document_permissions, migrations.RunPython.noop)]
