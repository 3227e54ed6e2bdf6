"""Periodic tasks of the registry."""

from celery import shared_task

from participants import services


@shared_task
def retention_apply() -> dict[str, list[str]]:
    """Daily: announce records reaching the end of retention, anonymise those whose
    notice has run out. Idempotent."""
    return {"warned": services.retention_warn(), "anonymised": services.retention_apply()}
