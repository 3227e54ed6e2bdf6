"""Encrypt the two-step verification secrets stored in clear before belfaa.mfa did it.
Safe to run again: a secret already encrypted with the current key is left as it is."""

from django.db import migrations

from belfaa.mfa import authenticators_reseal, authenticators_unseal


def encrypt(apps, schema_editor):
    Authenticator = apps.get_model("mfa", "Authenticator")
    authenticators_reseal(Authenticator.objects.order_by("pk"))


def decrypt(apps, schema_editor):
    Authenticator = apps.get_model("mfa", "Authenticator")
    authenticators_unseal(Authenticator.objects.order_by("pk"))


class Migration(migrations.Migration):
    dependencies = [
        ("belfaa", "0003_authenticatorremoval"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt, decrypt)]
