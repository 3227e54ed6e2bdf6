"""Staff downloads of the partners' documents: never through a public address, always
as an attachment, after the reader's permission is checked."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from belfaa.uploads import attachment_response
from partners.models import Agreement, Amendment, ReportAttachment

# kind in the URL -> (model, file field, permission to read it, title of the download)
DOCUMENTS: dict[str, tuple[type[models.Model], str, str]] = {
    "agreement": (Agreement, "document", "partners.view_agreement"),
    "termination": (Agreement, "termination_document", "partners.view_agreement"),
    "amendment": (Amendment, "document", "partners.view_amendment"),
    "attachment": (ReportAttachment, "file", "partners.view_progressreport"),
}


def _title(obj: models.Model, kind: str) -> str:
    if isinstance(obj, Amendment):
        return f"{obj.agreement.reference}-amendment-{obj.number}"
    if isinstance(obj, ReportAttachment):
        return obj.title
    assert isinstance(obj, Agreement)
    return f"{obj.reference}-{kind}"


@require_GET
@login_required
def document_download(request: HttpRequest, kind: str, pk: int) -> FileResponse:
    if kind not in DOCUMENTS:
        raise Http404
    model, field, permission = DOCUMENTS[kind]
    user = request.user
    if not (user.is_staff and user.has_perm(permission)):
        raise PermissionDenied
    obj = get_object_or_404(model, pk=pk)
    file = getattr(obj, field)
    if not file:
        raise Http404
    return attachment_response(file, title=_title(obj, kind))
