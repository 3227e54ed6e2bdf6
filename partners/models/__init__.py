"""The partners models, one submodule per topic; every name stays importable from
``partners.models`` (Django loads the app's models from this package)."""

from .agreements import (
    ENDING_SOON_DAYS,
    Agreement,
    AgreementQuerySet,
    AgreementStatusChange,
    Amendment,
    Organisation,
    Party,
    ending_within,
)
from .alerts import Alert, Membership
from .base import CENT, document_field
from .money import Commitment, Contribution, Currency
from .reports import (
    ProgressReport,
    ProgressReportQuerySet,
    ReportAttachment,
    ReportFigure,
    ReportTransition,
    report_stages,
)

__all__ = [
    "CENT",
    "ENDING_SOON_DAYS",
    "Agreement",
    "AgreementQuerySet",
    "AgreementStatusChange",
    "Alert",
    "Amendment",
    "Commitment",
    "Contribution",
    "Currency",
    "Membership",
    "Organisation",
    "Party",
    "ProgressReport",
    "ProgressReportQuerySet",
    "ReportAttachment",
    "ReportFigure",
    "ReportTransition",
    "document_field",
    "ending_within",
    "report_stages",
]
