"""Agreements recorded before parties existed: each gets a reference, its one partner
organisation as a signatory party (and the commune itself, when the plan names it),
and the status its dates give it, kept in its history."""

from django.db import migrations
from django.utils import timezone


def forward(apps, schema_editor):
    Agreement = apps.get_model("partners", "Agreement")
    Party = apps.get_model("partners", "Party")
    Organisation = apps.get_model("partners", "Organisation")
    StatusChange = apps.get_model("partners", "AgreementStatusChange")
    Commune = apps.get_model("programs", "Commune")
    agreements = Agreement.objects.filter(reference__isnull=True).order_by("pk")
    if not agreements.exists():
        return
    own = Organisation.objects.filter(kind="own").first()
    commune = Commune.objects.order_by("pk").first()
    if own is None and commune is not None:
        names = {
            f"name_{code}": getattr(commune, f"name_{code}", None) or commune.name
            for code in ("ar", "fr", "en")
        }
        own = Organisation.objects.create(
            kind="own", name=commune.name, country="MA", city=commune.name, **names
        )
    today = timezone.localdate()
    taken = set(Agreement.objects.exclude(reference=None).values_list("reference", flat=True))
    for agreement in agreements:
        reference = f"AGR-{agreement.signed_on.year}-{agreement.pk:03d}"
        while reference in taken:
            reference += "b"
        taken.add(reference)
        agreement.reference = reference
        if agreement.ends_on is not None and agreement.ends_on < today:
            agreement.status = "ended"
        elif agreement.signed_on <= today:
            agreement.status = "active"
        else:
            agreement.status = "signed"
        agreement.save(update_fields=["reference", "status"])
        Party.objects.create(
            agreement=agreement, organisation_id=agreement.organisation_id, role="signatory"
        )
        if own is not None and own.pk != agreement.organisation_id:
            Party.objects.create(agreement=agreement, organisation=own, role="signatory")
        StatusChange.objects.create(
            agreement=agreement,
            from_status="draft",
            to_status=agreement.status,
            note="Recorded before the agreements' life cycle; status from its dates.",
        )


def backward(apps, schema_editor):
    Agreement = apps.get_model("partners", "Agreement")
    Party = apps.get_model("partners", "Party")
    for agreement in Agreement.objects.filter(organisation__isnull=True):
        party = (
            Party.objects.filter(agreement=agreement, role="signatory")
            .exclude(organisation__kind="own")
            .order_by("pk")
            .first()
        )
        if party is not None:
            agreement.organisation_id = party.organisation_id
            agreement.save(update_fields=["organisation"])


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0002_agreements_life_cycle"),
        ("programs", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward)]
