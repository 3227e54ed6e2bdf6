"""The accounts of the Belfaa demo, and what every app's demo shares.

Each app tells its own part of the story in its `demo.py` (a `seed()` that returns the
lines to show); `manage.py seed_demo` runs them in the apps' dependency order. A part
is loaded once: when its records are already there, it leaves them as people edited
them, so a demo that has been used survives the next `make run`."""

from django.contrib.auth.models import Group

from belfaa.models import User
from belfaa.roles import COORDINATOR, OFFICER, VIEWER, roles_sync

DEMO_PASSWORD = "belfaa-demo-2026"  # noqa: S105 (demo only; the command refuses production)

STAFF = [
    ("coordinator@belfaa.demo", "Samira", "Aït Lahcen", COORDINATOR),
    ("officer@belfaa.demo", "Youssef", "Id Brahim", OFFICER),
    ("viewer@belfaa.demo", "Fatima", "Ouhammou", VIEWER),
]


def tr(ar: str, fr: str, en: str) -> dict[str, str]:
    return {"ar": ar, "fr": fr, "en": en}


def translated(field: str, texts: dict[str, str]) -> dict[str, str]:
    """modeltranslation's columns for one field: title_ar, title_fr, title_en."""
    return {f"{field}_{lang}": text for lang, text in texts.items()}


def demo_user(email: str, first: str, last: str, *, is_staff: bool) -> User:
    """A demo account, made once with the demo password; later runs leave it alone."""
    user, created = User.objects.get_or_create(
        email=email,
        defaults={"first_name": first, "last_name": last, "is_staff": is_staff},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def coordinator() -> User:
    return User.objects.get(email=STAFF[0][0])


def seed() -> list[str]:
    roles_sync()
    lines = [f"  password: {DEMO_PASSWORD}"]
    for email, first, last, role in STAFF:
        user = demo_user(email, first, last, is_staff=True)
        if not user.groups.exists():
            user.groups.add(Group.objects.get(name=role))
        lines.append(f"  {role:<12} {email}")
    return lines
