"""The audit log page for supervisors and platform administrators (/audit/)."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from bianmin.accounts.constants import Role, UserKind
from bianmin.audit import selectors
from bianmin.audit.forms import AuditFilterForm

PAGE_SIZE = 50
ROLE_LABELS = {**dict(UserKind.choices), **dict(Role.choices)}


def _short(value) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 120 else text[:119] + "…"


def changes_lines(changes) -> list[tuple[str, str]]:
    """(field, "old → new" or value) pairs for the dense table; the full JSON is in the API."""
    if not isinstance(changes, dict):
        return [("", _short(changes))] if changes else []
    lines = []
    for key, value in changes.items():
        if (
            isinstance(value, list)
            and len(value) == 2
            and not any(isinstance(v, (dict, list)) for v in value)
        ):
            old, new = ("—" if v in (None, "") else _short(v) for v in value)
            lines.append((key, f"{old} → {new}"))
        else:
            lines.append((key, _short(value)))
    return lines


@login_required
def audit_list(request):
    if not selectors.audit_can_browse(request.user):
        raise PermissionDenied(_("只有效能监督员和平台管理员可以查看审计日志。"))
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.audit_entry_list(user=request.user, filters=filters)
    page_obj = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "entry": entry,
            "role_label": ROLE_LABELS.get(entry.actor_role, entry.actor_role),
            "changes": changes_lines(entry.changes),
        }
        for entry in page_obj.object_list
    ]
    return render(
        request,
        "audit/audit_list.html",
        {
            "form": form,
            "page_obj": page_obj,
            "rows": rows,
            "chain_status": selectors.audit_chain_status(user=request.user),
        },
    )
