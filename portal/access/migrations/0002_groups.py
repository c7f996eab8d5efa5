from django.db import migrations

STAFF_GROUP = "Unit staff"


def seed_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label="access", model="accessprofile")
    permission, _ = Permission.objects.get_or_create(
        codename="view_all_tiers",
        content_type=content_type,
        defaults={"name": "Unit staff: may see and open every item"},
    )
    staff, _ = Group.objects.get_or_create(name=STAFF_GROUP)
    staff.permissions.add(permission)
    admin_access = Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin")
    staff.permissions.add(*admin_access)
    for name in ("Editors", "Moderators"):
        group, _ = Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0002_initial_data"),
    ]
    operations = [migrations.RunPython(seed_groups, migrations.RunPython.noop)]
