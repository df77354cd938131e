"""Notices (告知书、决定书、回执) as PDF: WeasyPrint from templates/cases/notices/, with a QR code (SVG)
that leads to the public progress page of the case.

Sealed with the department's approval seal (documents app, 一枚印章管审批): the first time a notice is
asked for with a given content it is issued — its canonical data (case, kind, SM3 of the text, seal and
key) signed with SM2 and the PDF, showing the seal's picture and a verification address, stored as a
CaseNotice — and afterwards served as stored. A department without a usable seal gets the notice rendered
on demand, marked 未加盖电子印章, and nothing is stored (it is sealed once the seal exists).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bianmin.cases.constants import CaseState, Decision, MaterialKind, SuspensionKind
from bianmin.cases.exceptions import CaseStateConflict
from bianmin.cases.models import CaseNotice
from bianmin.core import storage_tx
from bianmin.core.crypto import sm3_hex
from bianmin.core.exceptions import ApplicationError

logger = logging.getLogger(__name__)


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


def notice_title(case, kind: str) -> str:
    """The document's title: the decision says which (准予/不予行政许可决定书)."""
    if kind == "decision":
        return str(_("准予行政许可决定书") if case.decision == Decision.APPROVED else _("不予行政许可决定书"))
    return str(NOTICE_KINDS[kind].title)


# The step each notice records: its date is the day of that step, whenever the notice is printed.
NOTICE_EVENTS = {
    "acceptance": ("accept", "accept_and_conclude"),
    "decline": ("decline",),
    "correction": ("request_correction",),
    "special_procedure": ("suspend",),
    "extension": ("extend",),
    "decision": ("conclude", "accept_and_conclude"),
    "delivery_receipt": ("deliver",),
}


def notice_date(case, kind: str):
    """The date of the step the notice records (the latest such event), today if none is recorded."""
    event = case.events.filter(kind__in=NOTICE_EVENTS.get(kind, ())).order_by("-at", "-pk").first()
    return timezone.localdate(event.at) if event is not None else timezone.localdate()


def _accepted_deadline(case):
    event = case.events.filter(kind__in=NOTICE_EVENTS["acceptance"]).order_by("-at", "-pk").first()
    raw = (event.data or {}).get("deadline_on") if event is not None else None
    try:
        return dt.date.fromisoformat(raw) if raw else case.deadline_on
    except (TypeError, ValueError):
        return case.deadline_on


def notice_context(case, kind: str) -> dict:
    correction = case.correction_notes
    if not correction:
        event = case.events.filter(kind="request_correction").order_by("-at", "-pk").first()
        correction = event.data.get("problems", []) if event else []
    return {
        "case": case,
        "kind": NOTICE_KINDS[kind],
        "title": notice_title(case, kind),
        "today": notice_date(case, kind),
        "qr_svg": qr_svg(status_url(case)),
        "status_url": status_url(case),
        "correction": correction,
        "procedures": list(case.suspensions.filter(kind=SuspensionKind.SPECIAL_PROCEDURE)),
        "extensions": list(case.extensions.all()),
        "approved": case.decision == Decision.APPROVED,
        "materials": list(case.materials.filter(is_current=True)),
        # as on the day of acceptance: later suspensions, extensions or supplements do not rewrite it
        "accepted_deadline": _accepted_deadline(case),
        "tolerated": list(case.materials.filter(kind=MaterialKind.MISSING).order_by("pk")),
        "site_name": settings.SITE_NAME,
    }


def _check_available(case, kind: str) -> None:
    if kind not in NOTICE_KINDS or kind not in available_notices(case):
        raise CaseStateConflict(case=case, action=str(_("出具文书")), message=str(_("该办件没有这份文书。")))


def render_notice_html(case, kind: str, **extra) -> str:
    """The notice's HTML. `extra` adds the seal block (sealed notice) or the unsealed mark."""
    _check_available(case, kind)
    context = notice_context(case, kind)
    context.update(extra)
    return render_to_string(NOTICE_KINDS[kind].template, context)


def content_digest(case, kind: str) -> str:
    """SM3 of the notice's text (with its date, without the seal): a new digest means a new notice."""
    return sm3_hex(render_notice_html(case, kind).encode("utf-8"))


def _dumps(value) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def verify_url(notice: CaseNotice) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse("cases:notice_verify", args=[notice.pk])


def usable_seal(case):
    """The department's active approval seal within its validity today, or None."""
    from bianmin.documents import services as seals

    seal = seals.seal_for_department(case.department)
    today = timezone.localdate()
    if seal is None or not (seal.valid_from <= today <= seal.valid_until):
        return None
    return seal


def _pdf(html: str) -> bytes:
    import weasyprint

    return weasyprint.HTML(string=html, base_url=settings.PUBLIC_BASE_URL).write_pdf()


def _issue(case, kind: str, digest: str, seal) -> CaseNotice:
    from bianmin.documents import services as seals

    notice = CaseNotice(case=case, kind=kind, content_sm3=digest, issued_at=timezone.now(), seal=seal)
    key = seals.current_key(seal)
    data = {
        "notice_id": str(notice.pk),
        "case_number": case.number,
        "kind": kind,
        "title": notice_title(case, kind),
        "applicant_name": case.applicant_name,
        "department": case.department.name,
        "department_uscc": case.department.uscc,
        "issued_at": notice.issued_at.isoformat(),
        "content_sm3": digest,
        "seal_code": seal.code,
        "key_version": key.version,
        "key_fingerprint": key.fingerprint,
    }
    payload = _dumps(data)
    signed = seals.sign(seal, payload)
    if signed.fingerprint != key.fingerprint:  # rotated in between
        raise ApplicationError(str(_("印章密钥刚刚更换，请重试。")))
    notice.canonical_json = payload.decode("utf-8")
    notice.signature = signed.signature.hex()
    notice.key_version = signed.key_version
    notice.key_fingerprint = signed.fingerprint
    html = render_notice_html(
        case,
        kind,
        sealed=True,
        seal=seal,
        notice=notice,
        verify_url=verify_url(notice),
    )
    pdf = _pdf(html)
    notice.pdf.save(f"{case.number}-{kind}-{str(notice.pk)[:8]}.pdf", ContentFile(pdf), save=False)
    # removed again if this transaction rolls back (e.g. it lost the race to a concurrent issue)
    storage_tx.delete_on_rollback(notice.pdf.storage, notice.pdf.name)
    notice.pdf_sm3 = sm3_hex(pdf)
    notice.save(force_insert=True)
    from bianmin.audit.services import audit_record

    audit_record(
        actor=None,
        action="cases.notice_issue",
        target=case,
        changes={
            "notice": str(notice.pk),
            "kind": kind,
            "seal_code": seal.code,
            "key_fingerprint": notice.key_fingerprint,
            "pdf_sm3": notice.pdf_sm3,
        },
    )
    return notice


def notice_issue(case, kind: str) -> CaseNotice | None:
    """The sealed notice for the case's current content (issued now if needed), or None when the
    department has no usable seal."""
    _check_available(case, kind)
    seal = usable_seal(case)
    if seal is None:
        return None
    digest = content_digest(case, kind)
    existing = CaseNotice.objects.filter(case=case, kind=kind, content_sm3=digest).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return _issue(case, kind, digest, seal)
    except IntegrityError:  # issued by a concurrent request a moment ago
        return CaseNotice.objects.get(case=case, kind=kind, content_sm3=digest)


def render_notice_pdf(case, kind: str) -> bytes:
    """The notice as PDF bytes: the sealed, stored one, or an unsealed rendering (≈0.2 s per page)."""
    notice = notice_issue(case, kind)
    if notice is not None:
        with notice.pdf.open("rb") as handle:
            return handle.read()
    logger.info("cases.notice_unsealed case=%s kind=%s", case.number, kind)
    return _pdf(render_notice_html(case, kind, unsealed=True))


def notice_verify(notice: CaseNotice) -> bool:
    """The stored notice is intact: its signed data names it and its content, the SM2 signature
    verifies with the published key of its fingerprint, and the stored PDF is the one issued."""
    from bianmin.documents import services as seals

    try:
        data = json.loads(notice.canonical_json)
        signature = bytes.fromhex(notice.signature)
    except ValueError:
        return False
    if (
        data.get("notice_id") != str(notice.pk)
        or data.get("content_sm3") != notice.content_sm3
        or data.get("key_fingerprint") != notice.key_fingerprint
        or data.get("case_number") != notice.case.number
        or data.get("kind") != notice.kind
    ):
        return False
    if not seals.verify(
        data=notice.canonical_json.encode("utf-8"), signature=signature, fingerprint=notice.key_fingerprint
    ):
        return False
    try:
        with notice.pdf.open("rb") as handle:
            return sm3_hex(handle.read()) == notice.pdf_sm3
    except OSError:
        return False


def notice_for_pdf(raw: bytes) -> CaseNotice | None:
    """The issued notice whose PDF is exactly these bytes (a modified copy matches none)."""
    return CaseNotice.objects.select_related("case", "seal").filter(pdf_sm3=sm3_hex(raw)).first()
