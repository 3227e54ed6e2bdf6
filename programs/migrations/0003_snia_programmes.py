"""Seeds the programmes of the national strategy (SNIA), kept in programs/snia.py."""

from django.db import migrations

from programs.snia import SNIA, snia_seed


def seed(apps, schema_editor):
    snia_seed(apps.get_model("programs", "SNIAProgramme"))


def unseed(apps, schema_editor):
    apps.get_model("programs", "SNIAProgramme").objects.filter(
        code__in=[row[0] for row in SNIA], programmes__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("programs", "0002_plan_axes_indicators")]

    operations = [migrations.RunPython(seed, unseed)]
