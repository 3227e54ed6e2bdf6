"""The commune of Belfaa and its action plan 2021-2027, with three migration programmes."""

from belfaa.demo import tr, translated
from programs.models import Commune, PlanPeriod, Programme

PROGRAMMES = {
    "mig-1-accueil": (
        tr(
            "استقبال وتوجيه الوافدين الجدد",
            "Accueil et orientation des nouveaux arrivants",
            "Reception and orientation of newcomers",
        ),
        tr(
            "مكتب استقبال وتوجيه المهاجرين: الإرشاد والتوجيه نحو الخدمات والشركاء.",
            "Le BAOM informe et oriente vers les services et les partenaires.",
            "The BAOM informs and refers people to services and partners.",
        ),
    ),
    "mig-2-mre": (
        tr(
            "مغاربة العالم: الروابط والاستثمار",
            "Marocains du monde : liens et investissement",
            "Moroccans living abroad: ties and investment",
        ),
        tr(
            "مواكبة مغاربة العالم المنحدرين من الجماعة في مشاريعهم.",
            "Accompagner les Marocains du monde originaires de la commune dans leurs projets.",
            "Support Moroccans living abroad from the commune in their projects.",
        ),
    ),
    "mig-3-jeunesse": (
        tr(
            "أنشطة مشتركة بين شباب الجماعة والوافدين الجدد",
            "Activités communes des jeunes de la commune et des nouveaux arrivants",
            "Joint activities for local youth and newcomers",
        ),
        tr(
            "لقاءات ورياضة وثقافة من أجل العيش المشترك.",
            "Rencontres, sport et culture pour vivre ensemble.",
            "Meetings, sport and culture for living together.",
        ),
    ),
}


def programme(code: str) -> Programme:
    """A demo programme, for the demo parts of the apps that serve the plan."""
    return Programme.objects.get(code=code)


def seed() -> list[str]:
    if PlanPeriod.objects.exists():
        return []
    commune = Commune.objects.create(
        **translated("name", tr("بلفاع", "Belfaa", "Belfaa")),
        **translated(
            "province", tr("إقليم اشتوكة آيت باها", "Chtouka Aït Baha", "Chtouka Aït Baha")
        ),
        **translated("region", tr("جهة سوس ماسة", "Souss-Massa", "Souss-Massa")),
    )
    period = PlanPeriod.objects.create(
        commune=commune,
        start_year=2021,
        end_year=2027,
        **translated(
            "title",
            tr(
                "برنامج عمل الجماعة",
                "Plan d'action de la commune (PAC)",
                "Commune action plan (PAC)",
            ),
        ),
    )
    for code, (title, description) in PROGRAMMES.items():
        Programme.objects.create(
            period=period,
            code=code,
            **translated("title", title),
            **translated("description", description),
        )
    return []
