"""The programmes of the National Strategy on Immigration and Asylum (SNIA, 2014), as
data: seven sectoral programmes and four cross-cutting ones, with their official
French names and the Arabic the ministry in charge of migration uses."""

from django.db import migrations

SECTORAL, CROSS_CUTTING = "sectoral", "cross_cutting"
# (code, kind, ar, fr, en)
SNIA = [
    ("education-culture", SECTORAL, "التربية والثقافة", "Éducation et culture", "Education and culture"),
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
    ("vocational-training", SECTORAL, "التكوين المهني", "Formation professionnelle", "Vocational training"),
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


def seed(apps, schema_editor):
    SNIAProgramme = apps.get_model("programs", "SNIAProgramme")
    for order, (code, kind, ar, fr, en) in enumerate(SNIA, start=1):
        SNIAProgramme.objects.update_or_create(
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


def unseed(apps, schema_editor):
    apps.get_model("programs", "SNIAProgramme").objects.filter(
        code__in=[row[0] for row in SNIA], programmes__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("programs", "0002_plan_axes_indicators")]

    operations = [migrations.RunPython(seed, unseed)]
