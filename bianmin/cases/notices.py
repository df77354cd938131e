"""Notices (告知书、决定书、回执) as PDF: WeasyPrint from templates/cases/notices/, with a QR code (SVG)
that leads to the public progress page of the case.

A notice is issued at the step it records (受理, 不予受理, 补正, 特别程序, 延期, 办结, 送达): when the step
commits, an after-transition handler schedules `cases.tasks.notice_issue_task`, which renders it as of that
step (its date, and what was said then), seals it and stores it as a CaseNotice tied to the step's
CaseEvent; a download before the task ran issues it the same way (the fallback). Afterwards the stored file
is served, byte for byte, whoever asks and whenever.

Sealing uses the department's approval seal (documents app, 一枚印章管审批): the canonical data (case, kind,
step, SM3 of the text, seal and key) is signed with SM2, and the PDF shows the seal's picture and a
verification address. A department without a usable seal gets its notice stored all the same, marked
未加盖电子印章 and listed on the verification page as unsealed. Notices are written in the site's language
(they are official documents), whoever's request or task issues them.

The decision notice of the conclusion is the case's result document (审批结果文书): `result_document(case)`.
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
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from bianmin.cases.constants import CaseState, Decision, MaterialKind, SuspensionKind
from bianmin.cases.exceptions import CaseStateConflict
from bianmin.cases.models import CaseEvent, CaseNotice
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

# The notices a step issues (when it commits).
STEP_NOTICES: dict[str, tuple[str, ...]] = {}
for _kind, _events in NOTICE_EVENTS.items():
    for _event in _events:
        STEP_NOTICES.setdefault(_event, ())
        STEP_NOTICES[_event] += (_kind,)


def step_event(case, kind: str) -> CaseEvent | None:
    """The latest step of the case that issues this kind of notice (None if none is recorded)."""
    return case.events.filter(kind__in=NOTICE_EVENTS.get(kind, ())).order_by("-at", "-pk").first()


def notice_date(case, kind: str, event: CaseEvent | None = None):
    """The date of the step the notice records, today if none is recorded."""
    event = event if event is not None else step_event(case, kind)
    return timezone.localdate(event.at) if event is not None else timezone.localdate()


def _event_date(event: CaseEvent | None, key: str, default):
    raw = (event.data or {}).get(key) if event is not None else None
    try:
        return dt.date.fromisoformat(raw) if raw else default
    except (TypeError, ValueError):
        return default


def _steps_up_to(case, event: CaseEvent, kinds: tuple[str, ...]) -> int:
    """How many steps of these kinds the case had taken up to `event`, itself included (each made one row)."""
    return case.events.filter(kind__in=kinds, at__lte=event.at, pk__lte=event.pk).count()


def _procedures_as_of(case, event: CaseEvent | None) -> list:
    """The special procedures as the 特别程序告知书 of `event` told them: those started up to that step, the
    step's own one still running (suspensions follow each other: a case is never suspended twice at once)."""
    rows = list(case.suspensions.order_by("pk"))
    if event is not None and event.kind == "suspend":
        rows = rows[: _steps_up_to(case, event, ("suspend", "return_to_applicant"))]
        if rows:
            rows[-1].resumed_on, rows[-1].days = None, 0  # not saved: as it stood on the day
    return [row for row in rows if row.kind == SuspensionKind.SPECIAL_PROCEDURE]


def notice_context(case, kind: str, event: CaseEvent | None = None) -> dict:
    """What the notice says, as of the step it records (`event`, the latest such step if None)."""
    event = event if event is not None else step_event(case, kind)
    if kind == "correction" and event is not None:
        correction = (event.data or {}).get("problems", [])
    else:
        correction = case.correction_notes
        if not correction:
            last = case.events.filter(kind="request_correction").order_by("-at", "-pk").first()
            correction = last.data.get("problems", []) if last else []
    extensions = list(case.extensions.order_by("pk"))
    if kind == "extension" and event is not None:  # those approved up to this step (one per extend event)
        extensions = extensions[: _steps_up_to(case, event, ("extend",))]
    return {
        "case": case,
        "kind": NOTICE_KINDS[kind],
        "title": notice_title(case, kind),
        "today": notice_date(case, kind, event),
        "qr_svg": qr_svg(status_url(case)),
        "status_url": status_url(case),
        "correction": correction,
        "procedures": _procedures_as_of(case, event) if kind == "special_procedure" else [],
        "extensions": extensions,
        # the deadline the extension set, not a later one
        "extended_deadline": _event_date(event, "deadline_to", case.deadline_on)
        if kind == "extension"
        else case.deadline_on,
        "approved": case.decision == Decision.APPROVED,
        "materials": list(case.materials.filter(is_current=True)),
        # as on the day of acceptance: later suspensions, extensions or supplements do not rewrite it
        "accepted_deadline": _event_date(event, "deadline_on", case.deadline_on)
        if kind == "acceptance"
        else case.deadline_on,
        "tolerated": list(case.materials.filter(kind=MaterialKind.MISSING).order_by("pk")),
        "result_notice": _stored(case, "decision", step_event(case, "decision"))
        if kind == "delivery_receipt"
        else None,
        "site_name": settings.SITE_NAME,
    }


def _check_available(case, kind: str) -> None:
    if kind not in NOTICE_KINDS or kind not in available_notices(case):
        raise CaseStateConflict(case=case, action=str(_("出具文书")), message=str(_("该办件没有这份文书。")))


def render_notice_html(case, kind: str, event: CaseEvent | None = None, **extra) -> str:
    """The notice's HTML as of its step. `extra` adds the seal block (sealed) or the unsealed mark."""
    if event is None:
        _check_available(case, kind)
    context = notice_context(case, kind, event)
    context.update(extra)
    return render_to_string(NOTICE_KINDS[kind].template, context)


def content_digest(case, kind: str, event: CaseEvent | None = None) -> str:
    """SM3 of the notice's text (with its date, without the seal block)."""
    return sm3_hex(render_notice_html(case, kind, event).encode("utf-8"))


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


def _stored(case, kind: str, event: CaseEvent | None, digest: str | None = None) -> CaseNotice | None:
    rows = CaseNotice.objects.select_related("seal").filter(case=case, kind=kind)
    if event is not None:
        return rows.filter(event=event).first()
    if digest is None:
        return None
    # a case without a recorded step (older data): one notice per content, as notices were once issued
    return rows.filter(event__isnull=True, content_sm3=digest).order_by("issued_at").first()


def _issue(case, kind: str, event: CaseEvent | None, digest: str, seal) -> CaseNotice:
    from bianmin.documents import services as seals

    notice = CaseNotice(
        case=case, kind=kind, event=event, content_sm3=digest, issued_at=timezone.now(), seal=seal
    )
    data = {
        "notice_id": str(notice.pk),
        "case_number": case.number,
        "kind": kind,
        "event_id": event.pk if event is not None else None,
        "title": notice_title(case, kind),
        "applicant_name": case.applicant_name,
        "department": case.department.name,
        "department_uscc": case.department.uscc,
        "issued_at": notice.issued_at.isoformat(),
        "content_sm3": digest,
        "sealed": seal is not None,
    }
    if seal is not None:
        key = seals.current_key(seal)
        data.update({"seal_code": seal.code, "key_version": key.version, "key_fingerprint": key.fingerprint})
        payload = _dumps(data)
        signed = seals.sign(seal, payload)
        if signed.fingerprint != key.fingerprint:  # rotated in between
            raise ApplicationError(str(_("印章密钥刚刚更换，请重试。")))
        notice.signature = signed.signature.hex()
        notice.key_version = signed.key_version
        notice.key_fingerprint = signed.fingerprint
    else:
        payload = _dumps(data)
    notice.canonical_json = payload.decode("utf-8")
    html = render_notice_html(
        case,
        kind,
        event,
        sealed=seal is not None,
        unsealed=seal is None,
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
            "event": event.pk if event is not None else None,
            "sealed": seal is not None,
            "seal_code": seal.code if seal is not None else None,
            "key_fingerprint": notice.key_fingerprint,
            "pdf_sm3": notice.pdf_sm3,
        },
    )
    return notice


def notice_issue(case, kind: str, *, event: CaseEvent | None = None) -> CaseNotice:
    """The stored notice of a step, issued now if it has not been yet: sealed when the department has a
    usable seal, else marked 未加盖电子印章. Without `event`, the latest step that issues this kind."""
    if event is None:
        _check_available(case, kind)
        event = step_event(case, kind)
    elif event.case_id != case.pk or event.kind not in NOTICE_EVENTS.get(kind, ()):
        raise CaseStateConflict(case=case, action=str(_("出具文书")), message=str(_("该办件没有这份文书。")))
    existing = _stored(case, kind, event)
    if existing is not None:
        return existing
    if kind == "delivery_receipt":
        result_document(case)  # the receipt names the decision notice it delivered: issue that first
    with translation.override(settings.LANGUAGE_CODE):
        digest = content_digest(case, kind, event)
        if event is None:
            existing = _stored(case, kind, event, digest)
            if existing is not None:
                return existing
        seal = usable_seal(case)
        if seal is None:
            logger.info("cases.notice_unsealed case=%s kind=%s", case.number, kind)
        try:
            with transaction.atomic():
                return _issue(case, kind, event, digest, seal)
        except IntegrityError:  # issued by the task or a concurrent download a moment ago
            existing = _stored(case, kind, event, digest)
            if existing is None:
                raise
            return existing


def notice_read(notice: CaseNotice) -> bytes:
    with notice.pdf.open("rb") as handle:
        return handle.read()


def render_notice_pdf(case, kind: str) -> bytes:
    """The notice as PDF bytes: the stored file of its step (issued now if the task has not run yet)."""
    return notice_read(notice_issue(case, kind))


def result_document(case) -> CaseNotice | None:
    """审批结果文书: the decision notice (准予/不予行政许可决定书) of the conclusion, as stored; None before the
    case is concluded."""
    if not case.decision or "decision" not in available_notices(case):
        return None
    return notice_issue(case, "decision")


@dataclass(frozen=True)
class NoticeCheck:
    intact: bool  # the stored PDF and the recorded data are the ones issued
    sealed: bool  # issued with an electronic seal
    valid: bool  # sealed, the SM2 signature verifies, and intact


def notice_check(notice: CaseNotice) -> NoticeCheck:
    """The stored notice is the one issued (its data names it and its content, its PDF is the one whose
    digest was recorded) and, if sealed, the SM2 signature verifies with the published key."""
    from bianmin.documents import services as seals

    sealed = notice.is_sealed
    try:
        data = json.loads(notice.canonical_json)
    except ValueError:
        return NoticeCheck(intact=False, sealed=sealed, valid=False)
    named = (
        data.get("notice_id") == str(notice.pk)
        and data.get("content_sm3") == notice.content_sm3
        and data.get("case_number") == notice.case.number
        and data.get("kind") == notice.kind
        and data.get("sealed", True) == sealed
        and (not sealed or data.get("key_fingerprint") == notice.key_fingerprint)
    )
    try:
        with notice.pdf.open("rb") as handle:
            intact = named and sm3_hex(handle.read()) == notice.pdf_sm3
    except (OSError, ValueError):
        intact = False
    if not (sealed and intact):
        return NoticeCheck(intact=intact, sealed=sealed, valid=False)
    try:
        signature = bytes.fromhex(notice.signature)
    except ValueError:
        return NoticeCheck(intact=intact, sealed=sealed, valid=False)
    signed = seals.verify(
        data=notice.canonical_json.encode("utf-8"), signature=signature, fingerprint=notice.key_fingerprint
    )
    return NoticeCheck(intact=intact, sealed=sealed, valid=bool(signed))


def notice_verify(notice: CaseNotice) -> bool:
    """The stored notice is sealed, its SM2 signature verifies and its stored PDF is the one issued."""
    return notice_check(notice).valid


def issue_step_notices(done) -> None:
    """After-transition handler: a step that issues notices schedules them (rendered in the background)."""
    kinds = STEP_NOTICES.get(done.action, ())
    if not kinds or done.event_id is None:
        return
    from bianmin.cases.tasks import notice_issue_task

    for kind in kinds:
        notice_issue_task(str(done.case_id), kind, done.event_id)


def notice_for_pdf(raw: bytes) -> CaseNotice | None:
    """The issued notice whose PDF is exactly these bytes (a modified copy matches none)."""
    return CaseNotice.objects.select_related("case", "seal").filter(pdf_sm3=sm3_hex(raw)).first()
