"""Notices (告知书、决定书、回执) as PDF: WeasyPrint from templates/cases/notices/, with a QR code (SVG)
that leads to the public progress page of the case.

Rendered on demand from the case and its events (nothing stored): the same case gives the same text.
Sealing (电子印章) is added by the licences issue through an after-transition handler; until then the
notice carries the department's name where the seal goes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bianmin.cases.constants import CaseState, Decision, SuspensionKind
from bianmin.cases.exceptions import CaseStateConflict


@dataclass(frozen=True)
class NoticeKind:
    key: str
    title: str
    template: str


NOTICE_KINDS: dict[str, NoticeKind] = {
    k.key: k
    for k in (
        NoticeKind("acceptance", _("受理通知书"), "cases/notices/acceptance.html"),
        NoticeKind("decline", _("不予受理决定书"), "cases/notices/decline.html"),
        NoticeKind("correction", _("补正材料通知书"), "cases/notices/correction.html"),
        NoticeKind("special_procedure", _("特别程序告知书"), "cases/notices/special_procedure.html"),
        NoticeKind("extension", _("延期告知书"), "cases/notices/extension.html"),
        NoticeKind("decision", _("行政许可决定书"), "cases/notices/decision.html"),
        NoticeKind("delivery_receipt", _("送达回执"), "cases/notices/delivery_receipt.html"),
    )
}


def available_notices(case) -> list[str]:
    """The notices that exist for the case in its current history."""
    kinds = []
    if case.accepted_on is not None:
        kinds.append("acceptance")
    if case.state == CaseState.DECLINED:
        kinds.append("decline")
    if case.correction_notes or case.events.filter(kind="request_correction").exists():
        kinds.append("correction")
    if case.suspensions.filter(kind=SuspensionKind.SPECIAL_PROCEDURE).exists():
        kinds.append("special_procedure")
    if case.extensions.exists():
        kinds.append("extension")
    if case.decision:
        kinds.append("decision")
    if case.state == CaseState.DELIVERED:
        kinds.append("delivery_receipt")
    return kinds


def status_url(case) -> str:
    return (
        settings.PUBLIC_BASE_URL.rstrip("/")
        + reverse("cases:lookup")
        + "?"
        + urlencode({"number": case.number})
    )


def qr_svg(text: str) -> str:
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg") :]


def notice_context(case, kind: str) -> dict:
    correction = case.correction_notes
    if not correction:
        event = case.events.filter(kind="request_correction").order_by("-at", "-pk").first()
        correction = event.data.get("problems", []) if event else []
    return {
        "case": case,
        "kind": NOTICE_KINDS[kind],
        "today": timezone.localdate(),
        "qr_svg": qr_svg(status_url(case)),
        "status_url": status_url(case),
        "correction": correction,
        "procedures": list(case.suspensions.filter(kind=SuspensionKind.SPECIAL_PROCEDURE)),
        "extensions": list(case.extensions.all()),
        "approved": case.decision == Decision.APPROVED,
        "materials": list(case.materials.filter(is_current=True)),
        "site_name": settings.SITE_NAME,
    }


def render_notice_html(case, kind: str) -> str:
    if kind not in NOTICE_KINDS or kind not in available_notices(case):
        raise CaseStateConflict(case=case, action=str(_("出具文书")), message=str(_("该办件没有这份文书。")))
    return render_to_string(NOTICE_KINDS[kind].template, notice_context(case, kind))


def render_notice_pdf(case, kind: str) -> bytes:
    """The notice as PDF bytes (≈0.2 s per page; fonts-noto-cjk embedded)."""
    import weasyprint

    html = render_notice_html(case, kind)
    return weasyprint.HTML(string=html, base_url=settings.PUBLIC_BASE_URL).write_pdf()
