"""The commune of Belfaa and its action plan 2021-2027: a migration axis, three
programmes aligned with the national strategy (SNIA), their budget and projects, and
indicators counted from the records or entered by hand."""

from decimal import Decimal

from belfaa.demo import STAFF, tr, translated
from belfaa.models import User
from programs.models import (
    Axis,
    BudgetLine,
    Commune,
    Evaluation,
    Indicator,
    IndicatorTarget,
    PlanPeriod,
    Programme,
    Project,
    SNIAProgramme,
    Status,
)
from programs.services import result_approve, result_enter
from programs.snia import snia_seed

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
        return seed_plan()
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
                "بلفاع، الهجرة والعيش المشترك",
                "Belfaa, migration et vivre-ensemble",
                "Belfaa, migration and living together",
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
    return seed_plan()


# code -> (SNIA programme, status, completion, responsible (index in STAFF),
#          own funds and partnership per year in MAD)
PLAN = {
    "mig-1-accueil": ("social-humanitarian", Status.UNDER_WAY, 60, 0, (120_000, 80_000)),
    "mig-2-mre": ("cooperation-partnerships", Status.STALLED, 20, 0, (40_000, 60_000)),
    "mig-3-jeunesse": ("youth-leisure", Status.UNDER_WAY, 45, 1, (90_000, 50_000)),
}

# code -> the yearly evaluations from 2021: (status, completion, projects done)
_NEW = (Status.NOT_STARTED, 0, 0)
EVALUATIONS = {
    "mig-1-accueil": [
        _NEW,
        (Status.UNDER_WAY, 15, 0),
        (Status.UNDER_WAY, 30, 1),
        (Status.UNDER_WAY, 45, 1),
        (Status.UNDER_WAY, 55, 1),
    ],
    "mig-2-mre": [
        _NEW,
        (Status.UNDER_WAY, 10, 0),
        (Status.UNDER_WAY, 20, 0),
        (Status.STALLED, 20, 0),
        (Status.STALLED, 20, 0),
    ],
    "mig-3-jeunesse": [
        _NEW,
        _NEW,
        (Status.UNDER_WAY, 15, 0),
        (Status.UNDER_WAY, 30, 0),
        (Status.UNDER_WAY, 40, 0),
    ],
}

PROJECTS = {
    "mig-1-accueil": [
        (
            tr(
                "تجهيز مكتب الاستقبال بالجماعة",
                "Équiper le bureau d'accueil de la commune",
                "Equip the commune's reception office",
            ),
            Status.DONE,
            100,
        ),
        (
            tr(
                "دليل الخدمات بثلاث لغات",
                "Guide des services en trois langues",
                "Guide to services in three languages",
            ),
            Status.UNDER_WAY,
            50,
        ),
    ],
    "mig-3-jeunesse": [
        (
            tr("دوري كرة القدم المشترك", "Tournoi de football commun", "Joint football league"),
            Status.UNDER_WAY,
            40,
        )
    ],
}

# (programme, code, name, unit, source, measure, params, disaggregations, baseline,
#  target in 2021 and yearly step)
INDICATORS = [
    (
        "mig-3-jeunesse",
        "sport-activities",
        tr("الأنشطة الرياضية المنجزة", "Activités sportives tenues", "Sport activities held"),
        Indicator.Unit.ACTIVITIES,
        "events.activities_held",
        {"kind": "sport"},
        [],
        2,
        (1, 1),
    ),
    (
        "mig-3-jeunesse",
        "participants",
        tr(
            "المشاركون في الأنشطة المشتركة",
            "Participants aux activités communes",
            "People who took part in joint activities",
        ),
        Indicator.Unit.PEOPLE,
        "events.attendees",
        {},
        ["group", "sex", "age_band"],
        30,
        (30, 10),
    ),
    (
        "mig-1-accueil",
        "health-accompanied",
        tr(
            "الأشخاص المرافقون في مجال الصحة",
            "Personnes accompagnées vers la santé",
            "People accompanied to health care",
        ),
        Indicator.Unit.PEOPLE,
        "participants.accompanied",
        {"kind": "health"},
        ["group", "sex", "age_band"],
        2,
        (2, 1),
    ),
    (
        "mig-2-mre",
        "contributions",
        tr(
            "مساهمات الشركاء (بالدرهم)",
            "Contributions des partenaires (MAD)",
            "Contributions of the partners (MAD)",
        ),
        Indicator.Unit.MAD,
        "partners.contributions_mad",
        {},
        [],
        0,
        (300_000, 25_000),
    ),
    (
        "mig-1-accueil",
        "satisfaction",
        tr(
            "نسبة الوافدين الراضين عن الاستقبال",
            "Part des nouveaux arrivants satisfaits de l'accueil",
            "Share of newcomers satisfied with their reception",
        ),
        Indicator.Unit.PERCENT,
        "",
        {},
        [],
        55,
        (60, 3),
    ),
    (
        "mig-1-accueil",
        "school-enrolled",
        tr(
            "أطفال الوافدين المسجلون في المدرسة",
            "Enfants de nouveaux arrivants inscrits à l'école",
            "Newcomers' children enrolled in school",
        ),
        Indicator.Unit.PEOPLE,
        "",
        {},
        ["sex"],
        8,
        (8, 1),
    ),
]


# Results entered by hand: (indicator, year, value, breakdown, source, approved).
type Breakdown = dict[str, dict[str, int | str]]
RESULTS: list[tuple[str, int, int, Breakdown | None, str, bool]] = [
    ("satisfaction", 2024, 62, None, "Enquête de satisfaction du BAOM, décembre 2024", True),
    ("satisfaction", 2025, 68, None, "Enquête de satisfaction du BAOM, décembre 2025", True),
    ("school-enrolled", 2024, 12, {"sex": {"female": 7, "male": 5}}, "Direction provinciale", True),
    ("school-enrolled", 2025, 14, {"sex": {"female": 8, "male": 6}}, "Direction provinciale", True),
    # This year's, waiting for a second staff member to approve it.
    ("school-enrolled", 2026, 9, {"sex": {"female": 5, "male": 4}}, "Direction provinciale", False),
]


def _results(indicators: dict[str, Indicator], *, officer: User, approver: User) -> None:
    for key, year, value, breakdown, source, approved in RESULTS:
        result = result_enter(
            indicator=indicators[key],
            year=year,
            value=Decimal(value),
            breakdown=breakdown,
            by=officer,
            source_note=source,
        )
        if approved:
            result_approve(result=result, by=approver)


def _staff(index: int) -> User | None:
    return User.objects.filter(email=STAFF[index][0]).first()


def seed_plan() -> list[str]:
    """The plan's axis, alignment, budget, projects, indicators and results (once)."""
    if Axis.objects.exists():
        return []
    snia_seed(SNIAProgramme)
    period = PlanPeriod.objects.get(start_year=2021, end_year=2027)
    period.is_current = True
    period.save(update_fields=["is_current"])
    axis = Axis.objects.create(
        period=period,
        order=1,
        **translated(
            "title",
            tr(
                "الهجرة والعيش المشترك",
                "Migration et vivre-ensemble",
                "Migration and living together",
            ),
        ),
    )
    for code, (snia, status, completion, staff, (own, partnership)) in PLAN.items():
        item = Programme.objects.get(period=period, code=code)
        item.axis = axis
        item.snia_programme = SNIAProgramme.objects.get(code=snia)
        item.status, item.completion = status, completion
        item.planned_start, item.planned_end = 2021, 2027
        item.responsible = _staff(staff)
        item.full_clean()
        item.save()
        BudgetLine.objects.bulk_create(
            BudgetLine(programme=item, year=year, source=source, amount=Decimal(amount))
            for year in range(2021, 2028)
            for source, amount in (
                (BudgetLine.Source.OWN, own),
                (BudgetLine.Source.PARTNERSHIP, partnership),
            )
        )
        Evaluation.objects.bulk_create(
            Evaluation(
                programme=item, year=year, status=state, completion=done, projects_done=projects
            )
            for year, (state, done, projects) in enumerate(EVALUATIONS[code], start=2021)
        )
        for title, project_status, project_completion in PROJECTS.get(code, []):
            Project.objects.create(
                programme=item,
                status=project_status,
                completion=project_completion,
                planned_start=2022,
                planned_end=2026,
                **translated("title", title),
            )
    indicators = {}
    for order, (code, key, name, unit, measure, params, splits, baseline, target) in enumerate(
        INDICATORS, start=1
    ):
        indicator = Indicator(
            programme=Programme.objects.get(period=period, code=code),
            code=key,
            unit=unit,
            source=Indicator.Source.MEASURE if measure else Indicator.Source.MANUAL,
            measure_code=measure,
            measure_params=params,
            disaggregations=splits,
            baseline_year=2020,
            baseline_value=Decimal(baseline),
            order=order,
            **translated("name", name),
        )
        indicator.full_clean()
        indicator.save()
        first, step = target
        IndicatorTarget.objects.bulk_create(
            IndicatorTarget(
                indicator=indicator, year=year, value=Decimal(first + step * (year - 2021))
            )
            for year in range(2021, 2028)
        )
        indicators[key] = indicator
    coordinator, officer = _staff(0), _staff(1)
    if coordinator and officer:
        _results(indicators, officer=officer, approver=coordinator)
    return ["  action plan 2021-2027: 3 programmes evaluated each year, 6 indicators"]
