"""Where a sensitive part was read becomes a fixed choice (shown in every language).
Rows already written keep their meaning: the old free-text purposes are mapped to the
new codes. The append-only trigger is lifted for this one statement, by the owner of
the table, inside the migration's transaction."""

from django.db import migrations, models

OLD_TO_NEW = {
    "admin record": "admin_record",
    "admin support request": "admin_request",
    "admin history": "admin_history",
    "access export (html)": "export_page",
    "access export (pdf)": "export_pdf",
    "access export (json)": "export_json",
}
TRIGGER = "participants_accesslog_append_only"


def forwards(apps, schema_editor):
    AccessLog = apps.get_model("participants", "AccessLog")
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        schema_editor.execute(f"ALTER TABLE participants_accesslog DISABLE TRIGGER {TRIGGER}")
    for old, new in OLD_TO_NEW.items():
        AccessLog.objects.filter(purpose=old).update(purpose=new)
    # Anything else was written by hand before the choice existed: call it a record read.
    AccessLog.objects.exclude(purpose__in=OLD_TO_NEW.values()).update(purpose="admin_record")
    if postgres:
        schema_editor.execute(f"ALTER TABLE participants_accesslog ENABLE TRIGGER {TRIGGER}")


class Migration(migrations.Migration):
    dependencies = [("participants", "0003_search_indexes")]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="accesslog",
            name="purpose",
            field=models.CharField(
                choices=[
                    ("admin_record", "record in the admin"),
                    ("admin_request", "support request in the admin"),
                    ("admin_list", "list in the admin, filtered or sorted on the sensitive part"),
                    ("admin_history", "history of the record in the admin"),
                    ("admin_merge", "merge of two records"),
                    ("export_page", "right-of-access export (page)"),
                    ("export_pdf", "right-of-access export (PDF)"),
                    ("export_json", "right-of-access export (JSON)"),
                ],
                max_length=20,
                verbose_name="where",
            ),
        ),
    ]
