"""Agreements recorded with one partner organisation become agreements with parties."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("partners", "0001_initial"), ("programs", "0001_initial")]
AFTER = [("partners", "0004_agreement_remove_organisation")]


@pytest.mark.django_db(transaction=True)
def test_existing_agreements_get_a_reference_their_parties_and_a_dated_status() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Organisation = old.get_model("partners", "Organisation")
    Agreement = old.get_model("partners", "Agreement")
    Commune = old.get_model("programs", "Commune")
    Commune.objects.create(name="Belfaa", name_ar="بلفاع", name_fr="Belfaa", name_en="Belfaa")
    md = Organisation.objects.create(name="M&D", kind="ngo", country="MA")
    today = timezone.localdate()
    running = Agreement.objects.create(
        organisation=md,
        kind="partnership",
        title="BAOM",
        summary="Reception",
        signed_on=date(2022, 6, 1),
    )
    over = Agreement.objects.create(
        organisation=md,
        kind="twinning",
        title="Old",
        signed_on=date(2015, 1, 1),
        ends_on=today - timedelta(days=1),
    )
    future = Agreement.objects.create(
        organisation=md, kind="partnership", title="Next", signed_on=today + timedelta(days=9)
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Agreement = new.get_model("partners", "Agreement")
    Party = new.get_model("partners", "Party")
    Change = new.get_model("partners", "AgreementStatusChange")

    statuses = dict(Agreement.objects.values_list("pk", "status"))
    assert statuses == {running.pk: "active", over.pk: "ended", future.pk: "signed"}
    migrated = Agreement.objects.get(pk=running.pk)
    assert migrated.reference == f"AGR-2022-{running.pk:03d}"
    assert migrated.objectives == "Reception"
    parties = set(
        Party.objects.filter(agreement_id=running.pk).values_list("organisation__kind", "role")
    )
    assert parties == {("ngo", "signatory"), ("own", "signatory")}
    assert Change.objects.filter(
        agreement_id=over.pk, from_status="draft", to_status="ended"
    ).exists()

    # Back to the old shape: the organisation comes back from the parties.
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    Agreement = executor.loader.project_state(BEFORE).apps.get_model("partners", "Agreement")
    assert set(Agreement.objects.values_list("organisation_id", flat=True)) == {md.pk}
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
