"""Indexes for a registry of 100,000 people on PostgreSQL.

- The admin list is ordered by creation, newest first.
- Its search uses icontains, i.e. UPPER(col::text) LIKE '%...%': trigram GIN indexes
  on those expressions serve it; references and e-mails are searched exactly.
- Possible duplicates ask for a similar name with the same birth year: one GiST index
  on (birth_year, name) answers `birth_year = y AND name % 'x'` without reading the
  people of other years (btree_gist lets GiST index the integer)."""

from django.db import migrations

INDEXES = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS btree_gist;
DROP INDEX IF EXISTS participant_name_trgm;
CREATE INDEX IF NOT EXISTS participant_recent
    ON participants_participant (created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS participant_given_name_trgm
    ON participants_participant USING gin ((UPPER(given_name::text)) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS participant_family_name_trgm
    ON participants_participant USING gin ((UPPER(family_name::text)) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS participant_phone_trgm
    ON participants_participant USING gin ((UPPER(phone::text)) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS participant_reference_upper
    ON participants_participant ((UPPER(reference::text)));
CREATE INDEX IF NOT EXISTS participant_email_upper
    ON participants_participant ((UPPER(email::text)));
CREATE INDEX IF NOT EXISTS participant_year_name_trgm
    ON participants_participant
    USING gist (birth_year, (lower(given_name || ' ' || family_name)) gist_trgm_ops);
"""
DROP = """
DROP INDEX IF EXISTS participant_recent;
DROP INDEX IF EXISTS participant_given_name_trgm;
DROP INDEX IF EXISTS participant_family_name_trgm;
DROP INDEX IF EXISTS participant_phone_trgm;
DROP INDEX IF EXISTS participant_reference_upper;
DROP INDEX IF EXISTS participant_email_upper;
DROP INDEX IF EXISTS participant_year_name_trgm;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INDEXES)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("participants", "0002_accesslog_append_only")]

    operations = [migrations.RunPython(forwards, backwards)]
