"""The partners of the Belfaa story: Migrations & Développement (the June 2022
convention that created the BAOM), the twin commune of Jette, Enabel, a local
association; and a partner account at M&D."""

from datetime import date
from typing import Any

from belfaa.demo import demo_user, tr, translated
from partners.models import Agreement, Membership, Organisation
from programs.demo import programme

PARTNER_USER = ("partner@md.demo", "Hassan", "Bouzid")

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
    line = f"  {'Partner':<12} {PARTNER_USER[0]} (Migrations & Développement)"
    if Organisation.objects.exists():
        return [line]
    organisations = {}
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
        organisation=organisations["md"],
        kind=Agreement.Kind.PARTNERSHIP,
        signed_on=date(2022, 6, 1),
        **translated(
            "title",
            tr(
                "اتفاقية شراكة لإحداث مكتب استقبال وتوجيه المهاجرين",
                "Convention de partenariat créant le BAOM",
                "Partnership agreement creating the BAOM",
            ),
        ),
        **translated(
            "summary",
            tr(
                "يونيو 2022: إحداث مكتب استقبال وتوجيه المهاجرين بالجماعة.",
                "Juin 2022 : création du bureau d'accueil et d'orientation des migrants.",
                "June 2022: creation of the reception and orientation office for migrants.",
            ),
        ),
    )
    baom.programmes.set([programme("mig-1-accueil")])
    twinning = Agreement.objects.create(
        organisation=organisations["jette"],
        kind=Agreement.Kind.TWINNING,
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
            "summary",
            tr(
                "التعاون بين الجماعات منذ 2015.",
                "Coopération de commune à commune depuis 2015.",
                "Commune-to-commune cooperation since 2015.",
            ),
        ),
    )
    twinning.programmes.set([programme("mig-2-mre"), programme("mig-3-jeunesse")])
    partner = demo_user(*PARTNER_USER, is_staff=False)
    Membership.objects.get_or_create(user=partner, defaults={"organisation": organisations["md"]})
    return [line]
