"""On PostgreSQL the access log also refuses TRUNCATE (a statement-level trigger: the
row triggers of 0002 do not fire for it), so neither `manage.py flush` nor a careless
statement run as the owner empties it. The owner of a table can still disable its
triggers: the web and worker processes therefore run as a role that owns nothing and
may only read and add to the log (`manage.py grant_app_role`, see README). The test
suite, which empties every table between transactional tests with one TRUNCATE,
disables this one trigger in its own test database only (tests/conftest.py)."""

from django.db import migrations

REFUSE_TRUNCATE = """
CREATE TRIGGER participants_accesslog_no_truncate
    BEFORE TRUNCATE ON participants_accesslog
    FOR EACH STATEMENT EXECUTE FUNCTION participants_accesslog_refuse();
"""
DROP = "DROP TRIGGER IF EXISTS participants_accesslog_no_truncate ON participants_accesslog;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REFUSE_TRUNCATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("participants", "0005_participantmerge")]

    operations = [migrations.RunPython(forwards, backwards)]
