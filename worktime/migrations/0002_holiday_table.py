"""payroll_holiday → worktime_holiday (a rename: the rows, ids and constraint stay), and the
content type (with its permissions) follows the model to its new app."""

from django.db import migrations


def _move_content_type(apps, schema_editor, old_label: str, new_label: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.using(schema_editor.connection.alias)
    if types.filter(app_label=new_label, model="holiday").exists():
        return  # already made by post_migrate; the old one is left to remove_stale_contenttypes
    types.filter(app_label=old_label, model="holiday").update(app_label=new_label)


def content_type_to_worktime(apps, schema_editor):
    _move_content_type(apps, schema_editor, "payroll", "worktime")


def content_type_to_payroll(apps, schema_editor):
    _move_content_type(apps, schema_editor, "worktime", "payroll")


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("payroll", "0008_holiday_to_worktime"),
        ("worktime", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelTable(name="holiday", table=None),
        migrations.RunPython(content_type_to_worktime, content_type_to_payroll),
    ]
