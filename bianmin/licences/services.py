"""The one write path of e-licences: issue (from a case, directly, or by import), renew (延续), change (变更),
revoke (注销/吊销), expire; share links; the inter-department query (数据共享, logged). Verification lives in
licences/verification.py (it writes nothing)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bianmin.accounts import rules as account_rules
from bianmin.audit.services import audit_record
from bianmin.core.crypto import pii_hash, sm3_hex
from bianmin.core.masking import mask_id_card
from bianmin.core.validators import is_valid_id_card, is_valid_uscc, normalise_id_card, normalise_uscc
from bianmin.documents import services as seals
from bianmin.documents.models import Seal
from bianmin.documents.pdf import qr_svg, render_pdf
from bianmin.licences import canonical, identifiers
from bianmin.licences.constants import (
    SHARE_LINK_DEFAULT_DAYS,
    SHARE_LINK_MAX_DAYS,
    HolderCodeType,
    LicenceSource,
    LicenceStatus,
    RevocationKind,
)
from bianmin.licences.exceptions import (
    LicenceConflict,
    LicenceInvalid,
    LicencePermissionDenied,
    ShareLinkInvalid,
)
from bianmin.licences.models import Licence, LicenceAccessLog, LicenceSerialCounter, LicenceType

SHARE_SALT = "bianmin.licences.share"


# --- helpers ---------------------------------------------------------------------------------------


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def default_valid_until(licence_type: LicenceType, valid_from: dt.date) -> dt.date | None:
    if not licence_type.validity_years:
        return None
    return add_years(valid_from, licence_type.validity_years) - dt.timedelta(days=1)


def verify_url(identifier: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse("licences:verify", args=[identifier])


def normalise_holder_code(code: str, code_type: str | None = None) -> tuple[str, str]:
    """(code, code_type) checked against GB 11643 / GB 32100; the type is inferred when not given."""
    raw = (code or "").strip()
    if code_type in (None, "", HolderCodeType.ID_CARD) and is_valid_id_card(normalise_id_card(raw)):
        return normalise_id_card(raw), HolderCodeType.ID_CARD
    if code_type in (None, "", HolderCodeType.USCC) and is_valid_uscc(normalise_uscc(raw)):
        return normalise_uscc(raw), HolderCodeType.USCC
    message = _("持证主体代码不是有效的身份证号或统一社会信用代码。")
    raise LicenceInvalid(message, fields={"holder_code": [message]})


def holder_hashes(user) -> set[str]:
    """The holder codes (hashed) a signed-in user holds licences under: own ID, enterprises acted for."""
    if not getattr(user, "is_authenticated", False):
        return set()
    hashes = set()
    if user.id_card_no:
        hashes.add(pii_hash(user.id_card_no))
    from bianmin.accounts.models import Enterprise

    for uscc in Enterprise.objects.filter(pk__in=account_rules.enterprise_ids(user)).values_list(
        "uscc", flat=True
    ):
        hashes.add(pii_hash(uscc))
    return hashes


def is_holder(user, licence: Licence) -> bool:
    return licence.holder_code_hash in holder_hashes(user)


def can_manage(user, licence_or_department) -> bool:
    """Renew, change, revoke: a head (负责人) of the issuing department."""
    department = getattr(licence_or_department, "issuer", licence_or_department)
    return account_rules.has_role(user, "head", department=department)


def _seal_for(department) -> Seal:
    seal = Seal.objects.filter(department=department, is_active=True).first()
    if seal is None:
        raise LicenceConflict(_("颁发部门尚未配置电子印章，不能签发电子证照。"))
    return seal


def _next_serial(issuer, day: dt.date) -> str:
    counter, _created = LicenceSerialCounter.objects.select_for_update().get_or_create(issuer=issuer, day=day)
    counter.last_serial += 1
    counter.save(update_fields=["last_serial"])
    return f"{day:%Y%m%d}{counter.last_serial:06d}"


def _fields(licence_type: LicenceType, values: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for spec in licence_type.fields or []:
        key = spec["key"]
        value = values.get(key, "")
        if isinstance(value, dt.date):
            value = value.isoformat()
        if isinstance(value, list | tuple):
            # Stored, signed face data of a Chinese licence: always 、, whatever the request's language.
            value = "、".join(str(v) for v in value)
        out[key] = "" if value is None else str(value) if not isinstance(value, int | float) else value
    return out


def _seal_and_render(licence: Licence, *, today: dt.date) -> None:
    """Sign the canonical data with the issuer's seal, render the PDF and record both digests."""
    seal = _seal_for(licence.issuer)
    key = seals.current_key(seal)
    data = canonical.licence_data(
        licence, seal_code=seal.code, key_version=key.version, key_fingerprint=key.fingerprint
    )
    payload = canonical.dumps(data)
    signed = seals.sign(seal, payload, today=today)
    if signed.fingerprint != key.fingerprint:  # rotated in between: sign again with the data it names
        raise LicenceConflict(_("印章密钥刚刚更换，请重试。"))
    licence.canonical_json = payload.decode("utf-8")
    licence.digest_sm3 = sm3_hex(payload)
    licence.signature = signed.signature.hex()
    licence.seal = seal
    licence.key_version = signed.key_version
    licence.key_fingerprint = signed.fingerprint
    licence.save()
    pdf = render_licence_pdf(licence)
    licence.pdf.save(f"{licence.identifier}.pdf", ContentFile(pdf), save=False)
    licence.pdf_sm3 = sm3_hex(pdf)
    licence.save(update_fields=["pdf", "pdf_sm3", "updated_at"])


def pdf_context(licence: Licence) -> dict[str, Any]:
    url = verify_url(licence.identifier)
    return {
        "licence": licence,
        "fields": labelled_fields(licence),
        "seal": licence.seal,
        "qr_svg": qr_svg(url, box_size=6, border=1),
        "verify_url": url,
        "site_name": settings.SITE_NAME,
    }


def render_licence_pdf(licence: Licence) -> bytes:
    """The licence PDF; a trailing comment line names the identifier (PDF readers ignore it) so that a
    modified copy can still be recognised as a tampered licence rather than an unknown file."""
    # The licence is a Chinese document whoever issues it: never in the language of the request that issued it.
    with translation.override(settings.LANGUAGE_CODE):
        pdf = render_pdf(licence.licence_type.template or "licences/pdf/licence.html", pdf_context(licence))
    return pdf + f"%BIANMIN-LICENCE {licence.identifier}\n".encode("ascii")


def labelled_fields(licence: Licence) -> list[tuple[str, Any]]:
    """(label, value) of the face fields; labels in the active language when the catalog knows them (the PDF
    renders in Chinese), else as the licence type defines them."""
    specs = licence.licence_type.fields or []
    known = {s["key"]: _(s["label"]) if s.get("label") else s["key"] for s in specs}
    rows = [(known[k], licence.data.get(k, "")) for k in known]
    rows += [(k, v) for k, v in (licence.data or {}).items() if k not in known]
    return rows


def licence_file_bytes(licence: Licence) -> bytes:
    """The exported licence file (JSON, canonical form) the holder keeps and anyone verifies offline."""
    from bianmin.documents.models import SealKey

    key = SealKey.objects.select_related("seal").get(fingerprint=licence.key_fingerprint)
    return canonical.dumps(
        canonical.licence_file(
            data_json=licence.canonical_json,
            digest_sm3=licence.digest_sm3,
            signature_hex=licence.signature,
            key=key,
        )
    )


# --- issuing ---------------------------------------------------------------------------------------


def _issue(
    *,
    licence_type: LicenceType,
    holder_name: str,
    holder_code: str,
    holder_code_type: str | None,
    fields: Mapping[str, Any],
    acting_user,
    source: str,
    case=None,
    issued_on: dt.date | None = None,
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
    licence_no: str = "",
    today: dt.date | None = None,
) -> Licence:
    today = today or timezone.localdate()
    if not licence_type.is_active:
        raise LicenceConflict(_("该证照类型已停用。"))
    holder_name = (holder_name or "").strip()
    if not holder_name:
        raise LicenceInvalid(_("请填写持证主体。"), fields={"holder_name": [_("必填。")]})
    code, code_type = normalise_holder_code(holder_code, holder_code_type)
    issued_on = issued_on or today
    valid_from = valid_from or issued_on
    if valid_until is None:
        valid_until = default_valid_until(licence_type, valid_from)
    if valid_until is not None and valid_until < valid_from:
        raise LicenceInvalid(_("有效期止不能早于有效期起。"), fields={"valid_until": [_("日期不正确。")]})
    issuer = licence_type.issuing_department
    serial = _next_serial(issuer, issued_on)
    identifier = identifiers.build(
        type_code=licence_type.code, issuer_code=issuer.uscc, serial=serial, version=1
    )
    licence = Licence(
        identifier=identifier,
        licence_type=licence_type,
        serial=serial,
        version=1,
        licence_no=(licence_no or f"{licence_type.number_prefix}{serial}")[:64],
        holder_name=holder_name[:200],
        holder_code=code,
        holder_code_hash=pii_hash(code),
        holder_code_masked=mask_id_card(code),
        holder_code_type=code_type,
        issuer=issuer,
        issued_on=issued_on,
        valid_from=valid_from,
        valid_until=valid_until,
        data=_fields(licence_type, fields),
        status=LicenceStatus.EXPIRED if valid_until and valid_until < today else LicenceStatus.VALID,
        source=source,
        case=case,
        issued_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    _seal_and_render(licence, today=today)
    audit_record(
        actor=acting_user,
        action=f"licences.issue_{source}",
        target=licence,
        changes={
            "identifier": identifier,
            "holder_code": code,
            "case": case.number if case is not None else None,
            "digest_sm3": licence.digest_sm3,
            "key_fingerprint": licence.key_fingerprint,
        },
    )
    return licence


@transaction.atomic
def licence_issue(
    *,
    licence_type: LicenceType,
    acting_user,
    holder_name: str,
    holder_code: str,
    holder_code_type: str | None = None,
    fields: Mapping[str, Any] | None = None,
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
) -> Licence:
    """Direct issue by a head of the issuing department (e.g. a result handled outside the platform)."""
    if not can_manage(acting_user, licence_type.issuing_department):
        raise LicencePermissionDenied(_("只有颁发部门负责人可以签发该证照。"))
    return _issue(
        licence_type=licence_type,
        holder_name=holder_name,
        holder_code=holder_code,
        holder_code_type=holder_code_type,
        fields=fields or {},
        acting_user=acting_user,
        source=LicenceSource.MANUAL,
        valid_from=valid_from,
        valid_until=valid_until,
    )


@transaction.atomic
def licence_issue_for_case(*, case, licence_type: LicenceType, acting_user=None) -> Licence | None:
    """Issue the licence an approved case produces (idempotent: one licence per case and type)."""
    from bianmin.cases.constants import ApplicantKind, Decision

    if case.decision != Decision.APPROVED:
        raise LicenceConflict(_("办件未准予许可，不能签发证照。"))
    existing = Licence.objects.filter(case=case, licence_type=licence_type).first()
    if existing is not None:
        return None
    form = case.form_data or {}
    values = {
        s["key"]: form.get(s.get("form_key") or s["key"], s.get("default", ""))
        for s in licence_type.fields or []
    }
    return _issue(
        licence_type=licence_type,
        holder_name=case.applicant_name,
        holder_code=case.applicant_id_no,
        holder_code_type=HolderCodeType.USCC
        if case.applicant_kind == ApplicantKind.ENTERPRISE
        else HolderCodeType.ID_CARD,
        fields=values,
        acting_user=acting_user,
        source=LicenceSource.CASE,
        case=case,
    )


def _new_version(
    old: Licence,
    *,
    acting_user,
    source: str,
    reason: str,
    holder_name: str | None = None,
    fields: Mapping[str, Any] | None = None,
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
) -> Licence:
    today = timezone.localdate()
    if not can_manage(acting_user, old):
        raise LicencePermissionDenied(_("只有颁发部门负责人可以办理证照延续、变更或注销。"))
    old = Licence.objects.select_for_update().get(pk=old.pk)
    if old.status not in (LicenceStatus.VALID, LicenceStatus.EXPIRED):
        raise LicenceConflict(_("该证照已注销、吊销或已有新版本，不能再办理。"))
    if source == LicenceSource.CHANGE and old.status != LicenceStatus.VALID:
        raise LicenceConflict(_("已过期的证照不能变更，请办理延续。"))
    if not (reason or "").strip():
        raise LicenceInvalid(_("请填写办理说明。"), fields={"reason": [_("必填。")]})
    if old.version >= 999:
        raise LicenceConflict(_("版本号已用尽。"))
    merged = dict(old.data)
    merged.update(fields or {})
    version = old.version + 1
    new = Licence(
        identifier=identifiers.build(
            type_code=old.licence_type.code, issuer_code=old.issuer.uscc, serial=old.serial, version=version
        ),
        licence_type=old.licence_type,
        serial=old.serial,
        version=version,
        previous=old,
        licence_no=old.licence_no,
        holder_name=(holder_name or old.holder_name).strip()[:200],
        holder_code=old.holder_code,
        holder_code_hash=old.holder_code_hash,
        holder_code_masked=old.holder_code_masked,
        holder_code_type=old.holder_code_type,
        issuer=old.issuer,
        issued_on=today,
        data=_fields(old.licence_type, merged) if old.licence_type.fields else merged,
        source=source,
        change_reason=reason.strip(),
        case=old.case,
        issued_by=acting_user,
    )
    if source == LicenceSource.RENEWAL:
        # in force from today (no gap while the old version is superseded); the new period runs on from
        # the end of the old one when renewed in time, else from today
        new.valid_from = valid_from or today
        period_start = max(today, (old.valid_until or today) + dt.timedelta(days=1))
        new.valid_until = valid_until or default_valid_until(old.licence_type, period_start)
    else:
        new.valid_from = old.valid_from
        new.valid_until = old.valid_until
    old.status = LicenceStatus.SUPERSEDED
    old.save(update_fields=["status", "updated_at"])
    _seal_and_render(new, today=today)
    audit_record(
        actor=acting_user,
        action=f"licences.{source}",
        target=new,
        changes={
            "identifier": [old.identifier, new.identifier],
            "valid_until": [old.valid_until, new.valid_until],
            "holder_name": [old.holder_name, new.holder_name],
            "data": [old.data, new.data],
            "reason": new.change_reason,
        },
    )
    return new


@transaction.atomic
def licence_renew(
    *, licence: Licence, acting_user, reason: str, valid_until: dt.date | None = None
) -> Licence:
    """延续: a new signed version with a new validity period."""
    return _new_version(
        licence, acting_user=acting_user, source=LicenceSource.RENEWAL, reason=reason, valid_until=valid_until
    )


@transaction.atomic
def licence_change(
    *,
    licence: Licence,
    acting_user,
    reason: str,
    holder_name: str | None = None,
    fields: Mapping[str, Any] | None = None,
) -> Licence:
    """变更: a new signed version with changed holder name or licence fields, same validity."""
    if holder_name is None and not fields:
        raise LicenceInvalid(_("没有需要变更的内容。"))
    return _new_version(
        licence,
        acting_user=acting_user,
        source=LicenceSource.CHANGE,
        reason=reason,
        holder_name=holder_name,
        fields=fields,
    )


@transaction.atomic
def licence_revoke(*, licence: Licence, acting_user, kind: str, reason: str) -> Licence:
    """注销 / 吊销 by a head of the issuing department, with the reason (shown to verifiers)."""
    if not can_manage(acting_user, licence):
        raise LicencePermissionDenied(_("只有颁发部门负责人可以注销或吊销证照。"))
    if kind not in RevocationKind.values:
        raise LicenceInvalid(_("请选择注销或吊销。"), fields={"kind": [_("取值不正确。")]})
    if not (reason or "").strip():
        raise LicenceInvalid(_("请填写注销或吊销的原因。"), fields={"reason": [_("必填。")]})
    licence = Licence.objects.select_for_update().get(pk=licence.pk)
    if licence.status not in (LicenceStatus.VALID, LicenceStatus.EXPIRED):
        raise LicenceConflict(_("该证照已注销、吊销或已有新版本。"))
    state_from = licence.status
    licence.status = LicenceStatus.REVOKED
    licence.revocation_kind = kind
    licence.revocation_reason = reason.strip()
    licence.revoked_on = timezone.localdate()
    licence.save(update_fields=["status", "revocation_kind", "revocation_reason", "revoked_on", "updated_at"])
    audit_record(
        actor=acting_user,
        action=f"licences.{kind}",
        target=licence,
        changes={"status": [state_from, licence.status], "reason": licence.revocation_reason},
    )
    return licence


@transaction.atomic
def licence_expire_due(*, today: dt.date | None = None) -> int:
    """Mark valid licences whose validity ended before `today` as expired (periodic task)."""
    today = today or timezone.localdate()
    ids = list(
        Licence.objects.filter(status=LicenceStatus.VALID, valid_until__lt=today).values_list("pk", flat=True)
    )
    if not ids:
        return 0
    Licence.objects.filter(pk__in=ids, status=LicenceStatus.VALID).update(
        status=LicenceStatus.EXPIRED, updated_at=timezone.now()
    )
    audit_record(
        actor=None,
        action="licences.expire",
        object_type="licences.licence",
        object_id="batch",
        object_repr=f"{len(ids)}",
        changes={"ids": ids, "today": today.isoformat()},
    )
    return len(ids)


# --- import of historical licences -----------------------------------------------------------------

IMPORT_COLUMNS = (
    "type_code",
    "licence_no",
    "holder_name",
    "holder_code",
    "issued_on",
    "valid_from",
    "valid_until",
)


def _date(value, field: str, problems: list[str], *, required: bool) -> dt.date | None:
    if value in (None, ""):
        if required:
            problems.append(_("%(field)s 为空") % {"field": field})
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        problems.append(_("%(field)s 日期格式应为 YYYY-MM-DD") % {"field": field})
        return None


def import_validate(rows: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Check every row first: [{row, ok, problems, values}]. Extra columns are licence fields by key."""
    types = {t.code: t for t in LicenceType.objects.select_related("issuing_department")}
    report = []
    for n, row in enumerate(rows, start=2):
        problems: list[str] = []
        licence_type = types.get(str(row.get("type_code") or "").strip())
        if licence_type is None:
            problems.append(_("证照类型代码不存在"))
        code = str(row.get("holder_code") or "").strip()
        try:
            code, _t = normalise_holder_code(code)
        except LicenceInvalid:
            problems.append(_("持证主体代码无效"))
        if not str(row.get("holder_name") or "").strip():
            problems.append(_("持证主体为空"))
        issued_on = _date(row.get("issued_on"), "issued_on", problems, required=True)
        valid_from = _date(row.get("valid_from"), "valid_from", problems, required=False) or issued_on
        valid_until = _date(row.get("valid_until"), "valid_until", problems, required=False)
        fields = {k: v for k, v in row.items() if k not in IMPORT_COLUMNS and v not in (None, "")}
        report.append(
            {
                "row": n,
                "ok": not problems,
                "problems": problems,
                "values": {
                    "licence_type": licence_type,
                    "licence_no": str(row.get("licence_no") or "").strip(),
                    "holder_name": str(row.get("holder_name") or "").strip(),
                    "holder_code": code,
                    "issued_on": issued_on,
                    "valid_from": valid_from,
                    "valid_until": valid_until,
                    "fields": fields,
                },
            }
        )
    return report


@transaction.atomic
def licence_import(*, rows: list[Mapping[str, Any]], acting_user, valid_only: bool = False) -> dict[str, Any]:
    """导入历史证照 (platform administrators): validate every row, then write all (or only the valid ones)."""
    if not account_rules.is_platform_admin(acting_user):
        raise LicencePermissionDenied(_("只有平台管理员可以导入历史证照。"))
    report = import_validate(rows)
    bad = [r for r in report if not r["ok"]]
    if bad and not valid_only:
        return {"written": 0, "report": report}
    written = 0
    for entry in report:
        if not entry["ok"]:
            continue
        v = entry["values"]
        _issue(
            licence_type=v["licence_type"],
            holder_name=v["holder_name"],
            holder_code=v["holder_code"],
            holder_code_type=None,
            fields=v["fields"],
            acting_user=acting_user,
            source=LicenceSource.IMPORT,
            issued_on=v["issued_on"],
            valid_from=v["valid_from"],
            valid_until=v["valid_until"],
            licence_no=v["licence_no"],
        )
        written += 1
    return {"written": written, "report": report}


# --- share links and shared queries ----------------------------------------------------------------


def share_link_create(
    *, licence: Licence, acting_user, days: int = SHARE_LINK_DEFAULT_DAYS
) -> tuple[str, dt.datetime]:
    """A signed token for a time-limited verification link (the holder only)."""
    if not is_holder(acting_user, licence):
        raise LicencePermissionDenied(_("只有持证人可以分享该证照。"))
    if not 1 <= int(days) <= SHARE_LINK_MAX_DAYS:
        message = _("有效天数应在 1 到 %(max)s 天之间。") % {"max": SHARE_LINK_MAX_DAYS}
        raise LicenceInvalid(message, fields={"days": [message]})
    expires_at = timezone.now() + dt.timedelta(days=int(days))
    token = signing.dumps({"l": licence.pk, "e": int(expires_at.timestamp())}, salt=SHARE_SALT, compress=True)
    audit_record(
        actor=acting_user,
        action="licences.share",
        target=licence,
        changes={"expires_at": expires_at.isoformat()},
    )
    return token, expires_at


def share_link_resolve(token: str) -> Licence:
    try:
        payload = signing.loads(token, salt=SHARE_SALT)
    except signing.BadSignature:
        raise ShareLinkInvalid()
    if int(payload.get("e", 0)) < timezone.now().timestamp():
        raise ShareLinkInvalid()
    licence = (
        Licence.objects.select_related("licence_type", "issuer", "seal").filter(pk=payload.get("l")).first()
    )
    if licence is None:
        raise ShareLinkInvalid()
    return licence


@transaction.atomic
def licence_shared_query(
    *, acting_user, holder_code: str, purpose: str, case_number: str = ""
) -> list[Licence]:
    """数据共享: staff of a department look up a holder's current licences; who, why and which case are logged."""
    if not account_rules.is_staff_member(acting_user):
        raise LicencePermissionDenied(_("只有政务工作人员可以查询共享证照。"))
    purpose = (purpose or "").strip()
    if not purpose:
        raise LicenceInvalid(_("请说明查询用途。"), fields={"purpose": [_("必填。")]})
    code, _t = normalise_holder_code(holder_code)
    case_number = (case_number or "").strip()
    if case_number:
        from bianmin.cases.models import Case

        if not Case.objects.filter(number=case_number).exists():
            raise LicenceInvalid(_("办件编号不存在。"), fields={"case": [_("办件编号不存在。")]})
    code_hash = pii_hash(code)
    licences = list(
        Licence.objects.select_related("licence_type", "issuer")
        .filter(holder_code_hash=code_hash)
        .exclude(status=LicenceStatus.SUPERSEDED)
        .order_by("-issued_on", "-pk")
    )
    departments = sorted(account_rules.department_ids(acting_user))
    log = LicenceAccessLog.objects.create(
        requested_by=acting_user,
        department_id=departments[0] if departments else None,
        holder_code_hash=code_hash,
        holder_code_masked=mask_id_card(code),
        purpose=purpose[:200],
        case_number=case_number[:40],
        result_count=len(licences),
        licence_ids=[licence.identifier for licence in licences],
    )
    audit_record(
        actor=acting_user,
        action="licences.shared_query",
        target=log,
        changes={"holder_code": code, "purpose": purpose, "case": case_number, "count": len(licences)},
    )
    return licences


def parse_licence_file(raw: bytes) -> dict[str, Any] | None:
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return value if isinstance(value, dict) else None
