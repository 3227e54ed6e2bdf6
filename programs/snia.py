"""The programmes of the National Strategy on Immigration and Asylum (SNIA, 2014), as
data: seven sectoral programmes and four cross-cutting ones, with their official
French names and the Arabic the ministry in charge of migration uses. The migration
0003 seeds them; the demo seeds them again if a test emptied the tables."""

from typing import Any

SECTORAL, CROSS_CUTTING = "sectoral", "cross_cutting"
# (code, kind, ar, fr, en)
SNIA = [
    (
        "education-culture",
        SECTORAL,
        "التربية والثقافة",
        "Éducation et culture",
        "Education and culture",
    ),
    ("youth-leisure", SECTORAL, "الشباب والترفيه", "Jeunesse et loisirs", "Youth and leisure"),
    ("health", SECTORAL, "الصحة", "Santé", "Health"),
    ("housing", SECTORAL, "السكن", "Logement", "Housing"),
    (
        "social-humanitarian",
        SECTORAL,
        "المساعدة الاجتماعية والإنسانية",
        "Assistance sociale et humanitaire",
        "Social and humanitarian assistance",
    ),
    (
        "vocational-training",
        SECTORAL,
        "التكوين المهني",
        "Formation professionnelle",
        "Vocational training",
    ),
    ("employment", SECTORAL, "التشغيل", "Emploi", "Employment"),
    (
        "flows-trafficking",
        CROSS_CUTTING,
        "تدبير تدفقات الهجرة ومحاربة الاتجار في البشر",
        "Gestion des flux et lutte contre la traite des êtres humains",
        "Managing migration flows and fighting human trafficking",
    ),
    (
        "cooperation-partnerships",
        CROSS_CUTTING,
        "التعاون والشراكة الدولية",
        "Coopération et partenariats internationaux",
        "International cooperation and partnerships",
    ),
    (
        "legal-framework",
        CROSS_CUTTING,
        "الإطار التنظيمي والتعاقدي",
        "Cadre réglementaire et conventionnel",
        "Regulatory and treaty framework",
    ),
    (
        "governance-communication",
        CROSS_CUTTING,
        "الحكامة والتواصل",
        "Gouvernance et communication",
        "Governance and communication",
    ),
]


def snia_seed(model: Any) -> None:
    """Create or update the list (`model`: SNIAProgramme, or its historical version in
    a migration)."""
    for order, (code, kind, ar, fr, en) in enumerate(SNIA, start=1):
        model.objects.update_or_create(
            code=code,
            defaults={
                "kind": kind,
                "order": order,
                "title": ar,  # the default language (LANGUAGE_CODE)
                "title_ar": ar,
                "title_fr": fr,
                "title_en": en,
            },
        )
