"""Downloads of a material's blank form and sample, through a permission check (never served directly)."""

from __future__ import annotations

import mimetypes

from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

from bianmin.catalog import rules
from bianmin.catalog.constants import VersionState
from bianmin.catalog.models import Material

FILE_KINDS = ("blank_form", "sample")


@require_GET
def material_file(request, pk: int, kind: str):
    """Anyone may download the files of a published (or formerly published) version; drafts only their editors."""
    if kind not in FILE_KINDS:
        raise Http404
    material = Material.objects.select_related("version", "version__item").filter(pk=pk).first()
    if material is None or not getattr(material, kind):
        raise Http404
    version = material.version
    public = (
        version.state in (VersionState.PUBLISHED, VersionState.RETIRED) and version.published_at is not None
    )
    if not public and not rules.can_see_versions(request.user, version.item):
        raise Http404
    field = getattr(material, kind)
    filename = field.name.rsplit("/", 1)[-1]
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    response = FileResponse(
        field.open("rb"), as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
