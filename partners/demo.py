"""The partners of the Belfaa story: Migrations & Développement (the June 2022
convention that created the BAOM), the twin commune of Jette, Enabel, a local
association; and a partner account at M&D. The agreements have their parties (the
commune among them), contributions in dirhams and euros, commitments, and two progress
reports: one accepted, one sent back with its reason."""

from datetime import date
from decimal import Decimal
from typing import Any

from belfaa.demo import coordinator, demo_user, tr, translated
from partners import services
from partners.models import Agreement, Contribution, Membership, Organisation, Party, ProgressReport
from programs.demo import programme
from programs.models import Commune

PARTNER_USER = ("partner@md.demo", "Hassan", "Bouzid")
JETTE_USER = ("partner@jette.demo", "Els", "Peeters")

ORGANISATIONS: dict[str, dict[str, Any]] = {
    "md": {
        "acronym": "M&D",
        "kind": Organisation.Kind.NGO,
        "city": "Agadir",
        "country": "MA",
        "name": tr(
            "جمعية الهجرة والتنمية (فرع أكادير)",
            "Migrations & Développement (antenne d'Agadir)",
            "Migrations & Développement (Agadir branch)",
        ),
        "description": tr(
            "شريك الجماعة في إحداث مكتب استقبال وتوجيه المهاجرين.",
            "Partenaire de la commune pour la création du BAOM.",
            "The commune's partner in creating the BAOM.",
        ),
    },
    "jette": {
        "acronym": "",
        "kind": Organisation.Kind.COMMUNE,
        "city": "Jette",
        "country": "BE",
        "name": tr("جماعة جيت", "Commune de Jette", "Commune of Jette"),
        "description": tr(
            "جماعة بلجيكية شريكة في إطار برنامج التعاون بين الجماعات منذ 2015.",
            "Commune belge jumelée dans le programme de coopération "
            "de commune à commune depuis 2015.",
            "Belgian twin commune in the commune-to-commune cooperation programme since 2015.",
        ),
    },
    "enabel": {
        "acronym": "Enabel",
        "kind": Organisation.Kind.AGENCY,
        "city": "Bruxelles",
        "country": "BE",
        "name": tr(
            "الوكالة البلجيكية للتنمية (إنابل)",
            "Enabel, agence belge de développement",
            "Enabel, Belgian development agency",
        ),
        "description": tr(
            "تدعم تنزيل السياسات الجهوية للهجرة (مشروع DEPOMI).",
            "Appuie le déploiement des politiques migratoires régionales (projet DEPOMI).",
            "Supports regional migration policies (DEPOMI project).",
        ),
    },
    "assoc": {
        "acronym": "",
        "kind": Organisation.Kind.ASSOCIATION,
        "city": "Belfaa",
        "country": "MA",
        "name": tr(
            "جمعية شباب بلفاع (تجريبية)",
            "Association des jeunes de Belfaa (démo)",
            "Belfaa youth association (demo)",
        ),
        "description": tr(
            "جمعية محلية تشارك في تنظيم الأنشطة المشتركة.",
            "Association locale qui co-organise les activités communes.",
            "Local association that co-organises the joint activities.",
        ),
    },
}


def organisation(key: str) -> Organisation:
    """A demo organisation by its key in ORGANISATIONS (for the apps above)."""
    return Organisation.objects.get(name_fr=ORGANISATIONS[key]["name"]["fr"])


def seed() -> list[str]:
    lines = [
        f"  {'Partner':<12} {PARTNER_USER[0]} (Migrations & Développement)",
        f"  {'Partner':<12} {JETTE_USER[0]} (Commune de Jette)",
    ]
    if Organisation.objects.exists():
        return lines
    commune = Commune.objects.order_by("pk").get()
    organisations = {
        "own": Organisation.objects.create(
            kind=Organisation.Kind.OWN,
            city="Belfaa",
            country="MA",
            **{f"name_{code}": getattr(commune, f"name_{code}") for code in ("ar", "fr", "en")},
        )
    }
    for key, spec in ORGANISATIONS.items():
        organisations[key] = Organisation.objects.create(
            acronym=spec["acronym"],
            kind=spec["kind"],
            city=spec["city"],
            country=spec["country"],
            **translated("name", spec["name"]),
            **translated("description", spec["description"]),
        )
    baom = Agreement.objects.create(
        reference="BLF-CONV-2022-01",
        kind=Agreement.Kind.PARTNERSHIP,
        status=Agreement.Status.ACTIVE,
        signed_on=date(2022, 6, 1),
        starts_on=date(2022, 6, 15),
        ends_on=date(2027, 6, 14),
        reporting=Agreement.Reporting.HALF_YEARLY,
        **translated(
            "title",
            tr(
                "اتفاقية شراكة لإحداث مكتب استقبال وتوجيه المهاجرين",
                "Convention de partenariat créant le BAOM",
                "Partnership agreement creating the BAOM",
            ),
        ),
        **translated(
            "objectives",
            tr(
                "يونيو 2022: إحداث مكتب استقبال وتوجيه المهاجرين بالجماعة.",
                "Juin 2022 : création du bureau d'accueil et d'orientation des migrants.",
                "June 2022: creation of the reception and orientation office for migrants.",
            ),
        ),
    )
    baom.programmes.set([programme("mig-1-accueil")])
    twinning = Agreement.objects.create(
        reference="BLF-JUM-2015-01",
        kind=Agreement.Kind.TWINNING,
        status=Agreement.Status.ACTIVE,
        signed_on=date(2015, 1, 1),
        **translated(
            "title",
            tr(
                "اتفاقية توأمة وتعاون بين بلفاع وجيت",
                "Accord de jumelage et de coopération Belfaa-Jette",
                "Belfaa-Jette twinning and cooperation agreement",
            ),
        ),
        **translated(
            "objectives",
            tr(
                "التعاون بين الجماعات منذ 2015.",
                "Coopération de commune à commune depuis 2015.",
                "Commune-to-commune cooperation since 2015.",
            ),
        ),
    )
    twinning.programmes.set([programme("mig-2-mre"), programme("mig-3-jeunesse")])
    _money_and_promises(baom, twinning, organisations)
    _past_agreements(organisations)
    partner = demo_user(*PARTNER_USER, is_staff=False)
    Membership.objects.get_or_create(user=partner, defaults={"organisation": organisations["md"]})
    jette = demo_user(*JETTE_USER, is_staff=False)
    Membership.objects.get_or_create(user=jette, defaults={"organisation": organisations["jette"]})
    return lines


def _money_and_promises(
    baom: Agreement, twinning: Agreement, organisations: dict[str, Organisation]
) -> None:
    own, md, jette = organisations["own"], organisations["md"], organisations["jette"]
    for agreement, partner in ((baom, md), (twinning, jette)):
        services.party_add(
            agreement_id=agreement.pk, organisation_id=own.pk, role=Party.Role.SIGNATORY
        )
        services.party_add(
            agreement_id=agreement.pk, organisation_id=partner.pk, role=Party.Role.SIGNATORY
        )
    services.party_add(agreement_id=baom.pk, organisation_id=md.pk, role=Party.Role.IMPLEMENTER)
    services.party_add(agreement_id=twinning.pk, organisation_id=jette.pk, role=Party.Role.FUNDER)
    services.contribution_add(
        agreement_id=baom.pk,
        organisation_id=own.pk,
        year=2025,
        amount=Decimal("120000.00"),
        currency="MAD",
        description="Local, staff and running costs of the BAOM",
    )
    services.contribution_add(
        agreement_id=baom.pk,
        organisation_id=md.pk,
        year=2025,
        amount=Decimal("45000.00"),
        currency="MAD",
        nature=Contribution.Nature.IN_KIND,
        description="Legal aid sessions",
    )
    services.contribution_add(
        agreement_id=twinning.pk,
        organisation_id=jette.pk,
        year=2025,
        amount=Decimal("15000.00"),
        currency="EUR",
        rate_to_mad=Decimal("10.850000"),
        rate_on=date(2025, 3, 1),
        description="Youth exchange and training",
    )
    services.commitment_add(
        agreement_id=baom.pk,
        organisation_id=md.pk,
        description="Train the BAOM's two officers in reception and orientation",
        due_on=date(2025, 12, 31),
    )
    services.commitment_add(
        agreement_id=baom.pk,
        organisation_id=own.pk,
        description="Provide and equip the BAOM's office",
        due_on=date(2027, 3, 31),
    )
    services.commitment_add(
        agreement_id=twinning.pk,
        organisation_id=jette.pk,
        description="Host a delegation of Belfaa's youth in Jette",
        due_on=date(2026, 7, 31),
    )
    _reports(baom, md)


# (year, amount in MAD) of the commune's and M&D's yearly part of the BAOM, and of
# Jette's in euros, for the years before the last one (whose figures are above).
PAST_CONTRIBUTIONS = {2023: (95_000, 30_000, 8_000), 2024: (110_000, 40_000, 12_000)}


def _past_agreements(organisations: dict[str, Organisation]) -> None:
    """The years before: the BAOM's and Jette's contributions of 2023 and 2024, a
    grant agreement with Enabel that ended in 2025, and the local association's
    convention for the joint activities since 2025 (the figures of those years)."""
    own, md, jette = organisations["own"], organisations["md"], organisations["jette"]
    baom = Agreement.objects.get(reference="BLF-CONV-2022-01")
    twinning = Agreement.objects.get(reference="BLF-JUM-2015-01")
    for year, (commune_mad, md_mad, jette_eur) in PAST_CONTRIBUTIONS.items():
        services.contribution_add(
            agreement_id=baom.pk,
            organisation_id=own.pk,
            year=year,
            amount=Decimal(commune_mad),
            currency="MAD",
            description="Local, staff and running costs of the BAOM",
        )
        services.contribution_add(
            agreement_id=baom.pk,
            organisation_id=md.pk,
            year=year,
            amount=Decimal(md_mad),
            currency="MAD",
            nature=Contribution.Nature.IN_KIND,
            description="Legal aid sessions",
        )
        services.contribution_add(
            agreement_id=twinning.pk,
            organisation_id=jette.pk,
            year=year,
            amount=Decimal(jette_eur),
            currency="EUR",
            rate_to_mad=Decimal("10.900000"),
            rate_on=date(year, 3, 1),
            description="Youth exchange and training",
        )
    enabel = Agreement.objects.create(
        reference="BLF-ENB-2023-01",
        kind=Agreement.Kind.GRANT,
        status=Agreement.Status.ENDED,
        signed_on=date(2023, 9, 1),
        starts_on=date(2023, 10, 1),
        ends_on=date(2025, 9, 30),
        **translated(
            "title",
            tr(
                "اتفاقية مشروع مع إنابل لدعم التوجيه نحو التكوين والتشغيل",
                "Convention de projet avec Enabel : orientation vers la formation et l'emploi",
                "Project agreement with Enabel: orientation to training and employment",
            ),
        ),
    )
    enabel.programmes.set([programme("mig-1-accueil")])
    youth = Agreement.objects.create(
        reference="BLF-ASS-2025-01",
        kind=Agreement.Kind.PARTNERSHIP,
        status=Agreement.Status.ACTIVE,
        signed_on=date(2025, 2, 1),
        starts_on=date(2025, 2, 15),
        ends_on=date(2026, 12, 31),
        **translated(
            "title",
            tr(
                "اتفاقية شراكة مع جمعية شباب بلفاع للأنشطة المشتركة",
                "Convention avec l'Association des jeunes de Belfaa pour les activités communes",
                "Agreement with the Belfaa youth association for the joint activities",
            ),
        ),
    )
    youth.programmes.set([programme("mig-3-jeunesse")])
    for agreement, partner, role in (
        (enabel, organisations["enabel"], Party.Role.FUNDER),
        (youth, organisations["assoc"], Party.Role.IMPLEMENTER),
    ):
        services.party_add(
            agreement_id=agreement.pk, organisation_id=own.pk, role=Party.Role.SIGNATORY
        )
        services.party_add(
            agreement_id=agreement.pk, organisation_id=partner.pk, role=Party.Role.SIGNATORY
        )
        services.party_add(agreement_id=agreement.pk, organisation_id=partner.pk, role=role)
    for year, amount in ((2024, 150_000), (2025, 90_000)):
        services.contribution_add(
            agreement_id=enabel.pk,
            organisation_id=organisations["enabel"].pk,
            year=year,
            amount=Decimal(amount),
            currency="MAD",
            description="Orientation workshops and training places",
        )
    services.contribution_add(
        agreement_id=youth.pk,
        organisation_id=organisations["assoc"].pk,
        year=2025,
        amount=Decimal(18_000),
        currency="MAD",
        nature=Contribution.Nature.IN_KIND,
        description="Volunteers and equipment for the joint activities",
    )


def _reports(baom: Agreement, md: Organisation) -> None:
    partner = demo_user(*PARTNER_USER, is_staff=False)
    Membership.objects.get_or_create(user=partner, defaults={"organisation": md})
    reviewer = coordinator()
    accepted = ProgressReport.objects.create(
        agreement=baom,
        organisation=md,
        period_start=date(2025, 6, 15),
        period_end=date(2025, 12, 14),
        due_on=date(2026, 1, 13),
        achievements="412 people received and oriented; 96 referred to legal aid.",
        difficulties="Waiting times for appointments at the health centre.",
        next_steps="A second reception desk on market day.",
    )
    accepted.figures.create(label="People received", value=Decimal(412), unit="people")
    services.report_submit(report_id=accepted.pk, by=partner)
    services.report_accept(report_id=accepted.pk, by=reviewer)
    sent_back = ProgressReport.objects.create(
        agreement=baom,
        organisation=md,
        period_start=date(2025, 12, 15),
        period_end=date(2026, 6, 14),
        due_on=date(2026, 7, 14),
        achievements="Reception continued.",
    )
    services.report_submit(report_id=sent_back.pk, by=partner)
    services.report_send_back(
        report_id=sent_back.pk,
        by=reviewer,
        reason="Please give the number of people received and referred, as last time.",
    )
