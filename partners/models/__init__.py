"""The partners models, one submodule per topic; every name stays importable from
``partners.models`` (Django loads the app's models from this package)."""

from .agreements import (
    Agreement,
    AgreementQuerySet,
    AgreementStatusChange,
    Amendment,
    Organisation,
    Party,
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
)

__all__ = [
    "CENT",
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
]
