"""Tasks of the action plan: generating a PAC report file, deleting expired ones."""

from celery import shared_task

from programs import report_files


@shared_task
def report_file_generate(report_file_id: int) -> str:
    """Generate one requested report file. Idempotent: a ready file is left as it is."""
    report_file = report_files.report_file_generate(report_file_id=report_file_id)
    return report_file.status if report_file else "missing"


@shared_task
def report_files_cleanup() -> int:
    """Daily: report files kept past PAC_REPORT_KEEP_DAYS are deleted."""
    return report_files.report_files_cleanup()
