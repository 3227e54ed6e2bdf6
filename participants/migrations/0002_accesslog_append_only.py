"""On PostgreSQL, the access log refuses UPDATE and DELETE at the database itself,
whatever the application does (TRUNCATE, which only the test suite's flush uses, stays
possible). (On SQLite, used only for local demos, the application
offers no way to change the log either.) Trigram search for similar names."""

from django.db import migrations

APPEND_ONLY = """
CREATE OR REPLACE FUNCTION participants_accesslog_refuse() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = 'the access log is append-only: ' || TG_OP || ' refused';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER participants_accesslog_append_only
    BEFORE UPDATE OR DELETE ON participants_accesslog
    FOR EACH ROW EXECUTE FUNCTION participants_accesslog_refuse();
"""
DROP = """
DROP TRIGGER IF EXISTS participants_accesslog_append_only ON participants_accesslog;
DROP FUNCTION IF EXISTS participants_accesslog_refuse();
"""
TRIGRAM = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS participant_name_trgm ON participants_participant
    USING gin ((lower(given_name || ' ' || family_name)) gin_trgm_ops);
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY)
        schema_editor.execute(TRIGRAM)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)
        schema_editor.execute("DROP INDEX IF EXISTS participant_name_trgm;")


class Migration(migrations.Migration):
    dependencies = [("participants", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
