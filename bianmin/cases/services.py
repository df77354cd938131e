"""The case spine's one write path: one function per action of the transition table (design.md §5).

Every action service:
1. runs in one transaction and locks the case row (select_for_update on PostgreSQL);
2. refuses with 404 a case the user may not see, 409 a stale `expected_version` (when given),
   403 a user without the capacity the table asks for, 409 an action the state does not allow;
3. validates, sets the fields, and writes them with a compare-and-set on `version` (so SQLite, which
   ignores row locks, refuses the second of two conflicting writers as well);
4. records one audit entry and one CaseEvent;
5. schedules the after-transition handlers (registries.py) with transaction.on_commit.

Material giving (upload, held licence, 告知承诺) happens while the case is a draft or awaiting
correction (case_material_add), and later only through the `supplement` action.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from bianmin.accounts import rules as account_rules
from bianmin.accounts.constants import Role
from bianmin.accounts.models import Enterprise, User
from bianmin.audit.services import audit_record
from bianmin.cases import access, clock, registries
from bianmin.cases import transitions as t
from bianmin.cases.constants import (
    ALLOWED_UPLOAD_TYPES,
    EXTENSION_MAX_DAYS,
    EXTENSION_MAX_DAYS_JOINT,
    LITIGATION_REMEDY_MONTHS,
    REVIEW_REMEDY_DAYS,
    AcceptanceMode,
    ApplicantKind,
    CaseState,
    Channel,
    Decision,
    DeliveryChannel,
    EventKind,
    MaterialKind,
    ReviewTaskState,
    SpecialProcedure,
    SuspensionKind,
    TrustLevel,
)
from bianmin.cases.exceptions import (
    CaseNotFound,
    CasePermissionDenied,
    CaseStaleVersion,
    CaseStateConflict,
    CaseValidationError,
    UploadRejected,
)
from bianmin.cases.models import (
    Case,
    CaseEvent,
    CaseMaterial,
    CaseNumberCounter,
    Extension,
    InstantAuthorisation,
    ReviewTask,
    Suspension,
    Visit,
)
from bianmin.catalog.constants import FormFieldKind, HandleKind, Necessity
from bianmin.catalog.models import Material, ServiceItem
from bianmin.core import storage_tx
from bianmin.core.crypto import pii_hash
from bianmin.core.masking import mask_id_card
from bianmin.core.validators import is_valid_id_card, is_valid_uscc, normalise_id_card, normalise_uscc
from bianmin.organisations.models import Hall, Window
from bianmin.web.text import join_list

# --------------------------------------------------------------------------------------------------
# plumbing shared by every action
# --------------------------------------------------------------------------------------------------


_as_of: ContextVar[dt.datetime | None] = ContextVar("cases_as_of", default=None)


@contextmanager
def acting_as_of(moment: dt.datetime) -> Iterator[None]:
    """Run services as if it were `moment` (demo data and imports of historical cases only).

    Dates on the case, its events, suspensions and visits follow `moment`; the audit entries keep the
    real time they were written.
    """
    token = _as_of.set(moment)
    try:
        yield
    finally:
        _as_of.reset(token)


def _now() -> dt.datetime:
    return _as_of.get() or timezone.now()


def _today() -> dt.date:
    return timezone.localdate(_now())


def _lock(case: Case | Any, user: User, *, expected_version: int | None = None) -> Case:
    """Fetch the case row locked, refuse 404 if the user may not see it, 409 if the version is stale."""
    pk = case.pk if isinstance(case, Case) else case
    locked = (
        Case.objects.select_for_update(of=("self",))
        .select_related("item_version", "department", "item")
        .filter(pk=pk)
        .first()
    )
    if locked is None or not access.can_see(user, locked):
        raise CaseNotFound()
    if expected_version is not None and int(expected_version) != locked.version:
        raise CaseStaleVersion(case=locked)
    return locked


def _begin(action: str, case: Case, user: User, *, need: Iterable[str] | None = None) -> tuple[set[str], str]:
    """Check the table: the actor's capacity (403) and the source state (409). Returns (roles, role used)."""
    transition = t.get(action)
    roles = access.actor_roles(user, case)
    allowed = set(need) if need is not None else set(transition.roles)
    usable = roles & allowed
    if not usable:
        raise CasePermissionDenied(
            _("您无权对该办件执行“%(action)s”。") % {"action": transition.label},
            extra={"action": action},
        )
    if case.state not in transition.sources:
        raise CaseStateConflict(case=case, action=transition.label)
    for preferred in (t.LEAD_HEAD, t.INSTANT_CLERK, t.LEAD_REVIEWER, t.TASK_REVIEWER, t.CLERK, t.APPLICANT):
        if preferred in usable:
            return roles, preferred
    return roles, sorted(usable)[0]


def _write(case: Case, fields: Iterable[str]) -> None:
    """Compare-and-set update of the given fields; bumps `version`. Refuses (409) if the row moved on."""
    values: dict[str, Any] = {}
    for name in set(fields) - {"version", "updated_at"}:
        field = Case._meta.get_field(name)
        values[field.attname] = getattr(case, field.attname)
    now = _now()
    values["version"] = case.version + 1
    values["updated_at"] = now
    updated = Case.objects.filter(pk=case.pk, version=case.version).update(**values)
    if updated != 1:
        raise CaseStaleVersion(case=case)
    case.version += 1
    case.updated_at = now


def _json(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _json(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_json(v) for v in value]
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    return value


def _record(
    case: Case,
    *,
    kind: str,
    actor: User | None,
    role: str,
    state_from: str,
    data: Mapping[str, Any] | None = None,
    audit: bool = True,
) -> CaseEvent:
    """The CaseEvent, the audit entry and the after-transition handlers of one action."""
    payload = _json(dict(data or {}))
    event = CaseEvent.objects.create(
        case=case,
        kind=kind,
        actor=actor if getattr(actor, "pk", None) else None,
        role=role,
        at=_now(),
        state_from=state_from,
        state_to=case.state,
        data=payload,
    )
    if audit:
        audit_record(
            actor=actor,
            action=f"cases.{kind}",
            target=case,
            role=access.AUDIT_ROLE.get(role, ""),
            changes={"state": [state_from, case.state], **payload},
        )
    done = registries.TransitionDone(
        case_id=case.pk,
        number=case.number,
        action=kind,
        state_from=state_from,
        state_to=case.state,
        event_id=event.pk,
        actor_id=getattr(actor, "pk", None),
        data=payload,
    )
    for handler in registries.after_transition_handlers():
        transaction.on_commit(lambda handler=handler: handler(done), robust=True)
    return event


def _visit(case: Case, *, user: User, hall: Hall | None, purpose: str) -> None:
    """The applicant came to a window: record it (到现场次数, realised)."""
    Visit.objects.create(case=case, hall=hall, at=_now(), purpose=purpose, recorded_by=user)
    case.visits_count += 1


def _clerk_hall(user: User, hall: Hall | int | None = None) -> Hall:
    """The hall a clerk acts at: the one given (must be theirs) or their only one."""
    halls = account_rules.hall_ids(user, Role.WINDOW_CLERK)
    if hall is not None:
        hall_id = getattr(hall, "pk", hall)
        if hall_id not in halls:
            raise CasePermissionDenied(_("您不是该大厅的窗口人员。"))
        return hall if isinstance(hall, Hall) else Hall.objects.get(pk=hall_id)
    if not halls:
        raise CasePermissionDenied(_("您不是窗口人员。"))
    return Hall.objects.get(pk=min(halls))


def _claim_hall(case: Case, user: User, fields: list[str]) -> None:
    """An online case taken in at a front desk belongs to that desk's hall from then on."""
    if case.hall_id is None and account_rules.can_intake(user):
        case.hall = _clerk_hall(user)
        fields.append("hall")


def _require_text(value: str | None, field: str, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise CaseValidationError(message, fields={field: [message]})
    return text


# --------------------------------------------------------------------------------------------------
# form data and materials
# --------------------------------------------------------------------------------------------------


def _validate_form(version, data: Mapping[str, Any], *, complete: bool) -> dict[str, Any]:
    """Check the form data against the version's field list; `complete` also requires required fields."""
    fields = {f.key: f for f in version.form_fields.all()}
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    for key, value in (data or {}).items():
        field = fields.get(key)
        if field is None:
            errors.setdefault(key, []).append(_("未知字段。"))
            continue
        text = "" if value is None else str(value).strip()
        if not text:
            continue
        if field.max_length and len(text) > field.max_length:
            errors.setdefault(key, []).append(_("不能超过%(n)d字。") % {"n": field.max_length})
        elif field.kind == FormFieldKind.ID_CARD and not is_valid_id_card(text):
            errors.setdefault(key, []).append(_("身份证号码不正确。"))
        elif field.kind == FormFieldKind.USCC and not is_valid_uscc(text):
            errors.setdefault(key, []).append(_("统一社会信用代码不正确。"))
        elif field.kind == FormFieldKind.NUMBER:
            try:
                Decimal(text)
            except Exception:
                errors.setdefault(key, []).append(_("请填写数字。"))
        elif field.kind == FormFieldKind.DATE:
            try:
                dt.date.fromisoformat(text)
            except ValueError:
                errors.setdefault(key, []).append(_("请填写日期（YYYY-MM-DD）。"))
        elif (
            field.kind == FormFieldKind.CHOICE
            and field.choices
            and text not in [str(c) for c in field.choices]
        ):
            errors.setdefault(key, []).append(_("请从选项中选择。"))
        clean[key] = text
    if complete:
        for key, field in fields.items():
            if field.required and not clean.get(key):
                errors.setdefault(key, []).append(_("请填写“%(label)s”。") % {"label": field.label})
    if errors:
        raise CaseValidationError(_("申请表填写有误，请检查后重试。"), fields=errors)
    return clean


def _current_materials(case: Case) -> dict[int | None, list[CaseMaterial]]:
    by_material: dict[int | None, list[CaseMaterial]] = {}
    for row in case.materials.filter(is_current=True):
        by_material.setdefault(row.material_id, []).append(row)
    return by_material


def _material_problems(case: Case, *, allow_missing_tolerated: bool) -> list[str]:
    """Names of the catalog materials that are required and not given (一次性告知 lists the same)."""
    given = _current_materials(case)
    problems = []
    for material in case.item_version.materials.all():
        if material.necessity == Necessity.OPTIONAL:
            continue
        rows = [r for r in given.get(material.pk, []) if not r.is_missing]
        if rows:
            continue
        if material.necessity == Necessity.TOLERATED and allow_missing_tolerated:
            continue
        problems.append(material.name)
    return problems


def _detect_type(head: bytes) -> str | None:
    """The content type by magic bytes (never by the file name)."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    return None


def _store_upload(case: Case, upload) -> dict[str, Any]:
    """Check size and type by content, then store through the default storage (outside static)."""
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
    if size <= 0:
        raise UploadRejected(_("文件是空的。"), fields={"file": [_("文件是空的。")]})
    if size > settings.UPLOAD_MAX_BYTES:
        message = _("文件不能超过 %(mb)d MB。") % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024) or 1}
        raise UploadRejected(message, fields={"file": [message]})
    upload.seek(0)
    head = upload.read(16)
    content_type = _detect_type(head)
    if content_type is None:
        message = _("只接受 PDF、JPEG、PNG 文件（按文件内容判断）。")
        raise UploadRejected(message, fields={"file": [message]})
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(65536), b""):
        digest.update(chunk)
    upload.seek(0)
    name = f"cases/materials/{case.pk}/{uuid.uuid4().hex}.{ALLOWED_UPLOAD_TYPES[content_type]}"
    stored = storage_tx.save(default_storage, name, upload)  # deleted again if the transaction rolls back
    return {
        "file": stored,
        "file_name": (getattr(upload, "name", "") or "")[-200:],
        "content_type": content_type,
        "size": size,
        "sha256": digest.hexdigest(),
    }


def _intake_verdicts(case: Case) -> list[registries.IntakeVerdict]:
    return registries.intake_verdicts(case)


def _give_material(
    case: Case,
    *,
    user: User,
    roles: set[str],
    material: Material | None,
    name: str = "",
    upload=None,
    licence_provider: str = "",
    licence_ref: str = "",
    commitment_text: str = "",
) -> CaseMaterial:
    """Add one material (replacing the current one for the same catalog material). Exactly one form."""
    if material is not None and material.version_id != case.item_version_id:
        raise CaseValidationError(_("该材料不属于本事项版本。"), fields={"material": [_("材料不存在。")]})
    given = [bool(upload), bool(licence_provider or licence_ref), bool((commitment_text or "").strip())]
    if sum(given) != 1:
        message = _("请上传文件、选择电子证照或签署告知承诺，三者选一。")
        raise CaseValidationError(message, fields={"file": [message]})
    by_clerk = t.CLERK in roles and t.APPLICANT not in roles
    row = CaseMaterial(
        case=case,
        material=material,
        name=(material.name if material is not None else _require_text(name, "name", _("请填写材料名称。")))[
            :300
        ],
        added_by=user,
    )
    if upload:
        row.kind = MaterialKind.UPLOAD
        for key, value in _store_upload(case, upload).items():
            setattr(row, key, value)
        row.trust_level = TrustLevel.B if by_clerk else TrustLevel.C
    elif licence_provider or licence_ref:
        provider = registries.material_provider(licence_provider)
        offer = (
            provider.resolve(case=case, material=material, user=user, ref=licence_ref)
            if provider is not None
            else None
        )
        if offer is None:
            message = _("所选证照不可用，请重新选择或上传文件。")
            raise CaseValidationError(message, fields={"licence_ref": [message]})
        row.kind = MaterialKind.LICENCE
        row.licence_provider = offer.provider
        row.licence_ref = offer.ref
        row.trust_level = offer.trust_level
    else:
        certificate = material.certificate if material is not None else None
        if certificate is None or not certificate.commitment_allowed:
            message = _("该材料不能以告知承诺代替。")
            raise CaseValidationError(message, fields={"commitment_text": [message]})
        for verdict in _intake_verdicts(case):
            if verdict.forbid_commitment:
                message = verdict.reason or _("该申请人当前不适用告知承诺。")
                raise CasePermissionDenied(message, code="commitment_forbidden")
        row.kind = MaterialKind.COMMITMENT
        row.commitment_text = commitment_text.strip()
        row.commitment_signed_at = _now()
        row.trust_level = TrustLevel.D
    if material is not None:
        case.materials.filter(material=material, is_current=True).exclude(kind=MaterialKind.MISSING).update(
            is_current=False
        )
    row.save()
    return row


# --------------------------------------------------------------------------------------------------
# applying: draft, materials, submit
# --------------------------------------------------------------------------------------------------


def _applicant_fields_for_user(user: User, enterprise: Enterprise | None) -> dict[str, Any]:
    if enterprise is not None:
        if not account_rules.can_act_for_enterprise(user, enterprise):
            raise CasePermissionDenied(_("您不能代表该企业申请。"))
        return {
            "applicant": user,
            "enterprise": enterprise,
            "applicant_kind": ApplicantKind.ENTERPRISE,
            "applicant_name": enterprise.name,
            "applicant_id_no": enterprise.uscc,
            "applicant_id_hash": pii_hash(enterprise.uscc),
            "applicant_id_masked": mask_id_card(enterprise.uscc),
            "applicant_mobile": user.mobile,
            "applicant_mobile_tail": (user.mobile or "")[-4:],
        }
    if not user.id_card_no:
        raise CaseValidationError(_("请先完成实名认证（身份证号）再申请。"))
    return {
        "applicant": user,
        "enterprise": None,
        "applicant_kind": ApplicantKind.PERSON,
        "applicant_name": user.full_name or user.username,
        "applicant_id_no": user.id_card_no,
        "applicant_id_hash": pii_hash(user.id_card_no),
        "applicant_id_masked": mask_id_card(user.id_card_no),
        "applicant_mobile": user.mobile,
        "applicant_mobile_tail": (user.mobile or "")[-4:],
    }


def _applicant_fields_at_window(data: Mapping[str, Any]) -> dict[str, Any]:
    """A window clerk identifies the applicant: a person by ID number, an enterprise by USCC."""
    kind = data.get("kind") or ApplicantKind.PERSON
    name = _require_text(data.get("name"), "applicant.name", _("请填写申请人名称。"))[:200]
    id_no = str(data.get("id_no") or "").strip()
    mobile = str(data.get("mobile") or "").strip()
    if kind == ApplicantKind.ENTERPRISE:
        id_no = normalise_uscc(id_no)
        if not is_valid_uscc(id_no):
            raise CaseValidationError(
                _("统一社会信用代码不正确。"), fields={"applicant.id_no": [_("统一社会信用代码不正确。")]}
            )
        enterprise = Enterprise.objects.filter(uscc=id_no).first()
        applicant = None
    elif kind == ApplicantKind.PERSON:
        id_no = normalise_id_card(id_no)
        if not is_valid_id_card(id_no):
            raise CaseValidationError(
                _("身份证号码不正确。"), fields={"applicant.id_no": [_("身份证号码不正确。")]}
            )
        enterprise = None
        applicant = User.objects.filter(id_card_hash=pii_hash(id_no)).first()
    else:
        raise CaseValidationError(
            _("申请人类型不正确。"), fields={"applicant.kind": [_("申请人类型不正确。")]}
        )
    return {
        "applicant": applicant,
        "enterprise": enterprise,
        "applicant_kind": kind,
        "applicant_name": name,
        "applicant_id_no": id_no,
        "applicant_id_hash": pii_hash(id_no),
        "applicant_id_masked": mask_id_card(id_no),
        "applicant_mobile": mobile,
        "applicant_mobile_tail": mobile[-4:],
    }


def _agent_fields(agent: Mapping[str, Any] | None) -> dict[str, Any]:
    if not agent:
        return {"agent_name": "", "agent_id_no": "", "agent_id_masked": "", "agent_mobile": ""}
    name = _require_text(agent.get("name"), "agent.name", _("请填写代办人姓名。"))[:64]
    id_no = normalise_id_card(str(agent.get("id_no") or ""))
    if not is_valid_id_card(id_no):
        raise CaseValidationError(
            _("代办人身份证号码不正确。"), fields={"agent.id_no": [_("身份证号码不正确。")]}
        )
    return {
        "agent_name": name,
        "agent_id_no": id_no,
        "agent_id_masked": mask_id_card(id_no),
        "agent_mobile": str(agent.get("mobile") or "").strip()[:20],
    }


def _delivery_fields(delivery: Mapping[str, Any] | None) -> dict[str, Any]:
    """The applicant's choice of how to receive the result (changeable until delivery)."""
    if not delivery:
        return {}
    channel = delivery.get("channel") or ""
    if channel and channel not in DeliveryChannel.values:
        raise CaseValidationError(_("送达方式不正确。"), fields={"delivery.channel": [_("送达方式不正确。")]})
    out: dict[str, Any] = {"delivery_channel": channel}
    if channel == DeliveryChannel.PICKUP and delivery.get("hall"):
        hall = delivery["hall"]
        out["delivery_hall"] = hall if isinstance(hall, Hall) else Hall.objects.filter(pk=hall).first()
        if out["delivery_hall"] is None:
            raise CaseValidationError(
                _("领取大厅不存在。"), fields={"delivery.hall": [_("领取大厅不存在。")]}
            )
    if channel == DeliveryChannel.POST:
        out["delivery_address"] = str(delivery.get("address") or "").strip()[:300]
    return out


@transaction.atomic
def case_save_draft(
    *,
    acting_user: User,
    case: Case | None = None,
    item: ServiceItem | None = None,
    form_data: Mapping[str, Any] | None = None,
    enterprise: Enterprise | None = None,
    applicant: Mapping[str, Any] | None = None,
    agent: Mapping[str, Any] | None = None,
    hall: Hall | int | None = None,
    window: Window | int | None = None,
    delivery: Mapping[str, Any] | None = None,
    idempotency_key: str = "",
    expected_version: int | None = None,
) -> Case:
    """Create a draft (case=None, item given) or update one. Action `save_draft`.

    Online (an applicant): the person themself, or a member acting for `enterprise`; the item must be 网上办.
    At a window (a clerk): `applicant` = {kind: person|enterprise, name, id_no, mobile}, optional `agent`
    (代办: {name, id_no, mobile}; the power of attorney is added as a material), `hall` (the clerk's),
    optional `window`; the item must be handled at windows. Same `idempotency_key` + user → same draft.
    """
    if case is not None:
        return _draft_update(
            case=case,
            acting_user=acting_user,
            form_data=form_data,
            agent=agent,
            delivery=delivery,
            expected_version=expected_version,
        )
    if item is None:
        raise CaseValidationError(_("请选择事项。"), fields={"item": [_("请选择事项。")]})
    key = (idempotency_key or "").strip()[:64]
    if key:
        existing = Case.objects.filter(created_by=acting_user, idempotency_key=key).first()
        if existing is not None:
            return existing
    version = item.current_version
    if version is None or not version.accepts_applications:
        raise CaseValidationError(_("该事项当前不受理申请。"), code="item_not_open")
    if item.sub_items.exists():
        raise CaseValidationError(_("请选择具体的子项申请。"), code="item_has_sub_items")

    if account_rules.is_applicant(acting_user):
        if not version.is_online:
            raise CaseValidationError(_("该事项不能网上申请，请到窗口办理。"), code="item_not_online")
        fields = _applicant_fields_for_user(acting_user, enterprise)
        if fields["applicant_kind"] == ApplicantKind.PERSON and not version.serves_natural_person:
            raise CaseValidationError(_("该事项不面向自然人。"), code="item_wrong_target")
        if fields["applicant_kind"] == ApplicantKind.ENTERPRISE and not version.serves_legal_person:
            raise CaseValidationError(_("该事项不面向法人。"), code="item_wrong_target")
        fields.update(channel=Channel.ONLINE, hall=None, window=None)
        role = t.APPLICANT
    elif account_rules.can_intake(acting_user):
        if not version.is_window_handled:
            raise CaseValidationError(_("该事项不在窗口受理。"), code="item_not_window")
        fields = _applicant_fields_at_window(applicant or {})
        hall_obj = _clerk_hall(acting_user, hall)
        window_obj = None
        if window is not None:
            window_obj = Window.objects.filter(pk=getattr(window, "pk", window), hall=hall_obj).first()
            if window_obj is None:
                raise CaseValidationError(
                    _("窗口不属于该大厅。"), fields={"window": [_("窗口不属于该大厅。")]}
                )
        fields.update(channel=Channel.WINDOW, hall=hall_obj, window=window_obj)
        role = t.CLERK
    else:
        raise CasePermissionDenied(_("只有申请人或窗口人员可以发起申请。"))

    fields.update(_agent_fields(agent))
    fields.update(_delivery_fields(delivery))
    case = Case(
        item=item,
        item_version=version,
        department_id=item.department_id,
        state=CaseState.DRAFT,
        created_by=acting_user,
        idempotency_key=key,
        form_data=_validate_form(version, form_data or {}, complete=False),
        **fields,
    )
    try:
        with transaction.atomic():
            case.save(force_insert=True)
    except IntegrityError:
        existing = Case.objects.filter(created_by=acting_user, idempotency_key=key).first() if key else None
        if existing is None:
            raise
        return existing
    _record(
        case, kind=EventKind.SAVE_DRAFT, actor=acting_user, role=role, state_from="", data={"created": True}
    )
    return case


def _draft_update(*, case, acting_user, form_data, agent, delivery, expected_version) -> Case:
    case = _lock(case, acting_user, expected_version=expected_version)
    _roles, role = _begin("save_draft", case, acting_user)
    fields: list[str] = []
    if form_data is not None:
        case.form_data = _validate_form(case.item_version, form_data, complete=False)
        fields.append("form_data")
    if agent is not None:
        for key, value in _agent_fields(agent).items():
            setattr(case, key, value)
            fields.append(key)
    for key, value in _delivery_fields(delivery).items():
        setattr(case, key, value)
        fields.append(key)
    _write(case, fields)
    _record(case, kind=EventKind.SAVE_DRAFT, actor=acting_user, role=role, state_from=case.state, audit=True)
    return case


@transaction.atomic
def case_material_add(
    *,
    case: Case,
    acting_user: User,
    material: Material | None = None,
    name: str = "",
    upload=None,
    licence_provider: str = "",
    licence_ref: str = "",
    commitment_text: str = "",
    expected_version: int | None = None,
) -> CaseMaterial:
    """Give one material while the case is a draft or awaiting correction (applicant or its clerk).

    One of: `upload` (a file: PDF/JPEG/PNG by content, ≤ UPLOAD_MAX_BYTES), `licence_provider` + `licence_ref`
    (a held licence offered by a registered material provider), or `commitment_text` (告知承诺, only
    where the certificate list allows it). `material=None` with a `name` adds an extra material such as
    a power of attorney (授权委托书) for an agent.
    """
    case = _lock(case, acting_user, expected_version=expected_version)
    action = "save_draft" if case.state == CaseState.DRAFT else "resubmit"
    roles, role = _begin(action, case, acting_user)
    row = _give_material(
        case,
        user=acting_user,
        roles=roles,
        material=material,
        name=name,
        upload=upload,
        licence_provider=licence_provider,
        licence_ref=licence_ref,
        commitment_text=commitment_text,
    )
    _write(case, [])
    _record(
        case,
        kind=EventKind.MATERIAL,
        actor=acting_user,
        role=role,
        state_from=case.state,
        data={"material": row.name, "kind": row.kind, "trust_level": row.trust_level},
    )
    return row


def _assign_number(case: Case, today: dt.date) -> str:
    """办件编号: district (6) + date (8) + department short code (4) + daily serial per department (5)."""
    counter, _created = CaseNumberCounter.objects.select_for_update().get_or_create(
        department_id=case.department_id, day=today
    )
    CaseNumberCounter.objects.filter(pk=counter.pk).update(last_serial=F("last_serial") + 1)
    counter.refresh_from_db(fields=["last_serial"])
    if counter.last_serial > 99999:
        raise CaseValidationError(_("该部门当日办件编号已用尽。"), code="number_exhausted")
    short_code = case.department.short_code
    return f"{settings.DISTRICT_REGION_CODE}{today:%Y%m%d}{short_code}{counter.last_serial:05d}"


def _check_complete(case: Case) -> None:
    case.form_data = _validate_form(case.item_version, case.form_data, complete=True)
    missing = _material_problems(case, allow_missing_tolerated=True)
    if case.agent_name and not _has_power_of_attorney(case):
        missing.append(str(_("授权委托书（代办）")))
    if missing:
        message = _("以下必要材料尚未提交：%(names)s") % {"names": join_list(missing)}
        raise CaseValidationError(message, code="materials_missing", fields={"materials": missing})


def _has_power_of_attorney(case: Case) -> bool:
    """代办: the agent's power of attorney is recorded as a material outside the item's list."""
    return any(
        "委托" in row.name and not row.is_missing
        for row in case.materials.filter(is_current=True, material__isnull=True)
    )


@transaction.atomic
def case_submit(
    *, case: Case, acting_user: User, idempotency_key: str = "", expected_version: int | None = None
) -> Case:
    """Submit a draft (收件). Assigns the number and starts the art. 32 intake period.

    The same idempotency key on an already submitted case returns it unchanged (a double click or a retry).
    Required materials (必要性 1) must be given; 容缺后补 ones may still be missing (tolerant acceptance).
    """
    key = (idempotency_key or "").strip()[:64]
    locked = _lock(case, acting_user)
    if key and locked.state != CaseState.DRAFT and locked.submit_idempotency_key == key:
        return locked
    if expected_version is not None and int(expected_version) != locked.version:
        raise CaseStaleVersion(case=locked)
    case = locked
    roles, role = _begin("submit", case, acting_user)
    _check_complete(case)
    today = _today()
    case.number = _assign_number(case, today)
    case.state = CaseState.SUBMITTED
    case.submitted_at = _now()
    case.intake_started_on = today
    case.intake_due_on = clock.intake_due_on(today)
    case.submit_idempotency_key = key
    fields = [
        "number",
        "state",
        "submitted_at",
        "intake_started_on",
        "intake_due_on",
        "submit_idempotency_key",
    ]
    fields.append("form_data")
    if role == t.CLERK:
        _visit(case, user=acting_user, hall=case.hall, purpose=EventKind.SUBMIT)
        fields.append("visits_count")
    _write(case, fields)
    _record(
        case,
        kind=EventKind.SUBMIT,
        actor=acting_user,
        role=role,
        state_from=CaseState.DRAFT,
        data={"number": case.number, "channel": case.channel, "intake_due_on": case.intake_due_on},
    )
    return case


# --------------------------------------------------------------------------------------------------
# intake at the front desk
# --------------------------------------------------------------------------------------------------


def _flag_late(case: Case, today: dt.date, fields: list[str]) -> bool:
    late = case.intake_due_on is not None and today > case.intake_due_on
    if late and not case.is_late_intake:
        case.is_late_intake = True
        fields.append("is_late_intake")
    return late


def _check_one_time(case: Case, notes: list[dict]) -> None:
    """一次性告知: once a correction notice went out, a later one may only concern what it named (the
    correction fell short); a problem not notified the first time can no longer be raised."""
    earlier = case.events.filter(kind=EventKind.REQUEST_CORRECTION)
    if not earlier.exists():
        return
    notified: set[int | None] = set()
    for event in earlier:
        notified.update(p.get("material") for p in event.data.get("problems", []))
    new = [n for n in notes if n["material"] not in notified]
    if new:
        names = join_list(n["name"] or str(_("其他问题")) for n in new)
        message = _("已一次性告知补正，不能再要求补正此前未告知的内容：%(names)s") % {"names": names}
        raise CaseValidationError(message, code="not_one_time", fields={"problems": [message]})


@transaction.atomic
def case_request_correction(
    *, case: Case, acting_user: User, problems: list[Mapping[str, Any]], expected_version: int | None = None
) -> Case:
    """一次性告知补正: every missing or wrong material in one notice. No clock runs.

    problems: [{"material": <catalog Material id or None>, "note": "what is wrong"}, ...] (at least one).
    """
    case = _lock(case, acting_user, expected_version=expected_version)
    _roles, role = _begin("request_correction", case, acting_user)
    if not problems:
        message = _("请一次性列出全部需要补正的材料。")
        raise CaseValidationError(message, fields={"problems": [message]})
    names = {m.pk: m.name for m in case.item_version.materials.all()}
    notes = []
    for index, problem in enumerate(problems, start=1):
        material_id = problem.get("material")
        material_id = getattr(material_id, "pk", material_id)
        if material_id not in (None, "") and int(material_id) not in names:
            raise CaseValidationError(
                _("第%(n)d项：材料不属于本事项。") % {"n": index}, fields={"problems": [_("材料不存在。")]}
            )
        note = _require_text(problem.get("note"), "problems", _("第%(n)d项缺少补正说明。") % {"n": index})
        notes.append(
            {
                "material": int(material_id) if material_id not in (None, "") else None,
                "name": names.get(int(material_id)) if material_id not in (None, "") else "",
                "note": note[:500],
            }
        )
    _check_one_time(case, notes)
    state_from = case.state
    fields = ["state", "correction_notes"]
    case.state = CaseState.AWAITING_CORRECTION
    case.correction_notes = notes
    _flag_late(case, _today(), fields)
    _claim_hall(case, acting_user, fields)
    _write(case, fields)
    _record(
        case,
        kind=EventKind.REQUEST_CORRECTION,
        actor=acting_user,
        role=role,
        state_from=state_from,
        data={"problems": notes},
    )
    return case


@transaction.atomic
def case_resubmit(*, case: Case, acting_user: User, expected_version: int | None = None) -> Case:
    """The applicant (online) or a clerk (at any window) hands the corrected application in again."""
    case = _lock(case, acting_user, expected_version=expected_version)
    _roles, role = _begin("resubmit", case, acting_user)
    _check_complete(case)
    today = _today()
    state_from = case.state
    case.state = CaseState.SUBMITTED
    case.intake_started_on = today
    case.intake_due_on = clock.intake_due_on(today)
    case.is_late_intake = False
    previous = case.correction_notes
    case.correction_notes = []
    fields = [
        "state",
        "intake_started_on",
        "intake_due_on",
        "is_late_intake",
        "correction_notes",
        "form_data",
    ]
    if role == t.CLERK:
        _visit(case, user=acting_user, hall=_clerk_hall(acting_user), purpose=EventKind.RESUBMIT)
        fields.append("visits_count")
    _write(case, fields)
    _record(
        case,
        kind=EventKind.RESUBMIT,
        actor=acting_user,
        role=role,
        state_from=state_from,
        data={"corrected": previous},
    )
    return case


@transaction.atomic
def case_decline(
    *, case: Case, acting_user: User, reason: str, legal_basis: str, expected_version: int | None = None
) -> Case:
    """不予受理 with the reason and its legal basis (notice 不予受理决定书)."""
    case = _lock(case, acting_user, expected_version=expected_version)
    _roles, role = _begin("decline", case, acting_user)
    reason = _require_text(reason, "reason", _("请填写不予受理的理由。"))
    legal_basis = _require_text(legal_basis, "legal_basis", _("请填写不予受理的法律依据。"))
    state_from = case.state
    fields = ["state", "decline_reason", "decline_legal_basis", "closed_at"]
    case.state = CaseState.DECLINED
    case.decline_reason, case.decline_legal_basis = reason, legal_basis
    case.closed_at = _now()
    _flag_late(case, _today(), fields)
    _claim_hall(case, acting_user, fields)
    _write(case, fields)
    _record(
        case,
        kind=EventKind.DECLINE,
        actor=acting_user,
        role=role,
        state_from=state_from,
        data={"reason": reason, "legal_basis": legal_basis},
    )
    return case


def _limit_days(case: Case) -> int | None:
    version = case.item_version
    if version.handle_kind == HandleKind.INSTANT:
        return 0
    if version.promised_limit_days is not None:
        return version.promised_limit_days
    return version.statutory_limit_days


def _start_clock(case: Case, today: dt.date, fields: list[str]) -> None:
    """Acceptance starts the clock; a late intake decision (art. 32) counts from the intake day."""
    late = _flag_late(case, today, fields)
    case.accepted_on = case.intake_started_on if late else today
    case.limit_days = _limit_days(case)
    if case.limit_days is not None:
        result = clock.compute_deadline(accepted_on=case.accepted_on, limit_days=case.limit_days)
        case.deadline_on, case.is_provisional_deadline = result.date, result.is_provisional
    fields.extend(["accepted_on", "limit_days", "deadline_on", "is_provisional_deadline"])


def _refuse_forbidden_commitments(case: Case, verdicts) -> None:
    if (
        any(v.forbid_commitment for v in verdicts)
        and case.materials.filter(is_current=True, kind=MaterialKind.COMMITMENT).exists()
    ):
        reason = next((v.reason for v in verdicts if v.forbid_commitment and v.reason), "")
        raise CasePermissionDenied(
            reason or _("该申请人当前不适用告知承诺，请一次性告知其补正相应材料。"),
            code="commitment_forbidden",
        )


@transaction.atomic
def case_accept(
    *,
    case: Case,
    acting_user: User,
    mode: str = AcceptanceMode.STANDARD,
    missing: list[Mapping[str, Any]] | None = None,
    expected_version: int | None = None,
) -> Case:
    """受理 (notice 受理通知书). Starts the clock: deadline = add(accepted_on, promised limit).

    mode standard: every required and 容缺后补 material is in. mode tolerant (容缺受理): only 容缺后补
    (必要性 3) materials may be missing, each listed in `missing` as {"material": id, "due_on": date}
    with a due date after today; an intake check (credit) may forbid tolerant acceptance.
    """
    case = _lock(case, acting_user, expected_version=expected_version)
    _roles, role = _begin("accept", case, acting_user)
    if mode not in AcceptanceMode.values:
        raise CaseValidationError(_("受理方式不正确。"), fields={"mode": [_("受理方式不正确。")]})
    today = _today()
    verdicts = _intake_verdicts(case)
    _refuse_forbidden_commitments(case, verdicts)
    missing = list(missing or [])
    materials = {m.pk: m for m in case.item_version.materials.all()}
    missing_rows: list[tuple[Material, dt.date]] = []
    if mode == AcceptanceMode.STANDARD:
        if missing:
            raise CaseValidationError(
                _("标准受理不能有缺件；如需容缺，请选择容缺受理。"),
                fields={"missing": [_("标准受理不能有缺件。")]},
            )
        problems = _material_problems(case, allow_missing_tolerated=False)
        if problems:
            message = _("以下材料尚未提交，不能标准受理：%(names)s") % {"names": join_list(problems)}
            raise CaseValidationError(message, code="materials_missing", fields={"materials": problems})
    else:
        for verdict in verdicts:
            if verdict.forbid_tolerant:
                raise CasePermissionDenied(
                    verdict.reason or _("该申请人当前不适用容缺受理。"), code="tolerant_forbidden"
                )
        given = _current_materials(case)
        listed: set[int] = set()
        for index, entry in enumerate(missing, start=1):
            material_id = getattr(entry.get("material"), "pk", entry.get("material"))
            material = materials.get(int(material_id)) if str(material_id or "").isdigit() else None
            if material is None:
                raise CaseValidationError(
                    _("第%(n)d项：材料不属于本事项。") % {"n": index}, fields={"missing": [_("材料不存在。")]}
                )
            if material.necessity != Necessity.TOLERATED:
                message = _("“%(name)s”不是容缺后补材料，不能容缺受理。") % {"name": material.name}
                raise CaseValidationError(message, code="not_tolerated", fields={"missing": [message]})
            if [r for r in given.get(material.pk, []) if not r.is_missing]:
                message = _("“%(name)s”已提交，无须容缺。") % {"name": material.name}
                raise CaseValidationError(message, fields={"missing": [message]})
            due_on = entry.get("due_on")
            if isinstance(due_on, str):
                try:
                    due_on = dt.date.fromisoformat(due_on)
                except ValueError:
                    due_on = None
            if not isinstance(due_on, dt.date) or due_on <= today:
                message = _("请为“%(name)s”设定晚于今天的补齐期限。") % {"name": material.name}
                raise CaseValidationError(message, fields={"missing": [message]})
            listed.add(material.pk)
            missing_rows.append((material, due_on))
        if not missing_rows:
            message = _("容缺受理须列出缺少的容缺后补材料及补齐期限。")
            raise CaseValidationError(message, fields={"missing": [message]})
        problems = [
            name
            for name in _material_problems(case, allow_missing_tolerated=False)
            if name not in {materials[pk].name for pk in listed}
        ]
        if problems:
            message = _("以下材料尚未提交，不能受理：%(names)s") % {"names": join_list(problems)}
            raise CaseValidationError(message, code="materials_missing", fields={"materials": problems})
    for material, due_on in missing_rows:
        CaseMaterial.objects.create(
            case=case,
            material=material,
            name=material.name,
            kind=MaterialKind.MISSING,
            due_on=due_on,
            added_by=acting_user,
        )
    state_from = case.state
    fields = ["state", "acceptance_mode", "accepted_by"]
    case.state = CaseState.ACCEPTED
    case.acceptance_mode = mode
    case.accepted_by = acting_user
    _start_clock(case, today, fields)
    _claim_hall(case, acting_user, fields)
    _write(case, fields)
    _record(
        case,
        kind=EventKind.ACCEPT,
        actor=acting_user,
        role=role,
        state_from=state_from,
        data={
            "mode": mode,
            "accepted_on": case.accepted_on,
            "deadline_on": case.deadline_on,
            "is_late_intake": case.is_late_intake,
            "missing": [{"material": m.name, "due_on": d} for m, d in missing_rows],
        },
    )
    return case


def _remedies(department_name: str) -> str:
    return _(
        "如不服本决定，可以自收到本决定之日起%(days)d日内依法申请行政复议，"
        "或者在%(months)d个月内依法向人民法院提起行政诉讼。"
    ) % {"days": REVIEW_REMEDY_DAYS, "months": LITIGATION_REMEDY_MONTHS}


def _set_decision(case: Case, decision: str, reasons: str, user: User, fields: list[str]) -> None:
    if decision not in Decision.values:
        raise CaseValidationError(_("请选择准予或不予许可。"), fields={"decision": [_("决定不正确。")]})
    reasons = (reasons or "").strip()
    if decision == Decision.DENIED and not reasons:
        message = _("不予许可须说明理由。")
        raise CaseValidationError(message, fields={"reasons": [message]})
    case.decision = decision
    case.decision_reasons = reasons
    case.remedies = _remedies(case.department.name) if decision == Decision.DENIED else ""
    case.concluded_at = _now()
    case.concluded_by = user
    case.state = CaseState.CONCLUDED
    fields.extend(["decision", "decision_reasons", "remedies", "concluded_at", "concluded_by", "state"])


@transaction.atomic
def case_accept_and_conclude(
    *,
    case: Case,
    acting_user: User,
    decision: str = Decision.APPROVED,
    reasons: str = "",
    expected_version: int | None = None,
) -> Case:
    """马上办: a clerk the department authorised accepts and concludes a 即办件 on the spot (same day)."""
    case = _lock(case, acting_user, expected_version=expected_version)
    _roles, role = _begin("accept_and_conclude", case, acting_user)
    if case.item_version.handle_kind != HandleKind.INSTANT:
        raise CaseStateConflict(
            case=case, action=_("即办办结"), message=_("该事项不是即办件，不能当场办结。")
        )
    _refuse_forbidden_commitments(case, _intake_verdicts(case))
    problems = _material_problems(case, allow_missing_tolerated=False)
    if problems:
        message = _("以下材料尚未提交：%(names)s") % {"names": join_list(problems)}
        raise CaseValidationError(message, code="materials_missing", fields={"materials": problems})
    today = _today()
    state_from = case.state
    fields = ["acceptance_mode", "accepted_by"]
    case.acceptance_mode = AcceptanceMode.STANDARD
    case.accepted_by = acting_user
    _start_clock(case, today, fields)
    _set_decision(case, decision, reasons, acting_user, fields)
    _claim_hall(case, acting_user, fields)
    _write(case, fields)
    _record(
        case,
        kind=EventKind.ACCEPT_AND_CONCLUDE,
        actor=acting_user,
        role=role,
        state_from=state_from,
        data={"decision": case.decision, "accepted_on": case.accepted_on},
    )
    return case


# --------------------------------------------------------------------------------------------------
# back office
# --------------------------------------------------------------------------------------------------


@transaction.atomic
def case_supplement(
    *,
    case: Case,
    acting_user: User,
    material: Material | None,
    name: str = "",
    upload=None,
    licence_provider: str = "",
    licence_ref: str = "",
    commitment_text: str = "",
    expected_version: int | None = None,
) -> CaseMaterial:
    """Hand in a 容缺 material (or, while returned for supplement, any material) after acceptance."""
    case = _lock(case, acting_user, expected_version=expected_version)
    roles, role = _begin("supplement", case, acting_user)
    owed = case.materials.filter(is_current=True, kind=MaterialKind.MISSING, supplied_at__isnull=True)
    open_return = (
        case.is_suspended
        and case.suspensions.filter(kind=SuspensionKind.SUPPLEMENT, resumed_on__isnull=True).exists()
    )
    if material is None or not owed.filter(material=material).exists():
        if not open_return:
            message = _("该材料无须补齐。")
            raise CaseValidationError(message, fields={"material": [message]})
    row = _give_material(
        case,
        user=acting_user,
        roles=roles,
        material=material,
        name=name,
        upload=upload,
        licence_provider=licence_provider,
        licence_ref=licence_ref,
        commitment_text=commitment_text,
    )
    now = _now()
    if material is not None:
        owed.filter(material=material).update(supplied_at=now, is_current=False)
    fields: list[str] = []
    if role == t.CLERK:
        _visit(case, user=acting_user, hall=_clerk_hall(acting_user), purpose=EventKind.SUPPLEMENT)
        fields.append("visits_count")
    _write(case, fields)
    _record(
        case,
        kind=EventKind.SUPPLEMENT,
        actor=acting_user,
        role=role,
        state_from=case.state,
        data={"material": row.name, "kind": row.kind},
    )
    return row


@transaction.atomic
def case_start_review(*, case: Case, acting_user: User, expected_version: int | None = None) -> Case:
    """The lead department starts review: one task for itself, one per partner department (并联审批)."""
    case = _lock(case, acting_user, expected_version=expected_version)
    _roles, role = _begin("start_review", case, acting_user)
    partners = list(case.item_version.partner_departments.all())
    ReviewTask.objects.create(case=case, department_id=case.department_id, is_lead=True)
    for department in partners:
        ReviewTask.objects.create(case=case, department=department, is_lead=False)
    state_from = case.state
    case.state = CaseState.IN_REVIEW
    _write(case, ["state"])
    _record(
        case,
        kind=EventKind.START_REVIEW,
        actor=acting_user,
        role=role,
        state_from=state_from,
        data={"partners": [d.short_name for d in partners]},
    )
    return case


@transaction.atomic
def case_review(
    *,
    case: Case,
    acting_user: User,
    task: ReviewTask | int,
    opinion: str,
    asks_return: bool = False,
    expected_version: int | None = None,
) -> ReviewTask:
    """A reviewer of the task's department records its opinion; the task is done."""
    case = _lock(case, acting_user, expected_version=expected_version)
    _roles, role = _begin("review", case, acting_user)
    task_obj = ReviewTask.objects.select_for_update().filter(pk=getattr(task, "pk", task), case=case).first()
    if task_obj is None:
        raise CaseNotFound(_("审查任务不存在。"))
    if not account_rules.can_review(acting_user, task_obj.department_id):
        raise CasePermissionDenied(_("只有该任务所属部门的审核人员可以审查。"))
    if task_obj.state != ReviewTaskState.OPEN:
        raise CaseStateConflict(case=case, action=_("审查意见"), message=_("该审查任务已完成。"))
    opinion = _require_text(opinion, "opinion", _("请填写审查意见。"))
    task_obj.state = ReviewTaskState.DONE
    task_obj.opinion = opinion
    task_obj.asks_return = bool(asks_return)
    task_obj.done_by = acting_user
    task_obj.done_at = _now()
    task_obj.save(update_fields=["state", "opinion", "asks_return", "done_by", "done_at", "updated_at"])
    _write(case, [])
    _record(
        case,
        kind=EventKind.REVIEW,
        actor=acting_user,
        role=role,
        state_from=case.state,
        data={"task": task_obj.pk, "department": task_obj.department_id, "asks_return": task_obj.asks_return},
    )
    return task_obj


def _suspend(case, acting_user, action, kind, procedure, reason, requested_items, expected_version) -> Case:
    case = _lock(case, acting_user, expected_version=expected_version)
    _roles, role = _begin(action, case, acting_user)
    if case.is_suspended:
        raise CaseStateConflict(case=case, action=t.get(action).label, message=_("办件已中止计时。"))
    reason = _require_text(reason, "reason", _("请填写原因。"))
    today = _today()
    Suspension.objects.create(
        case=case,
        kind=kind,
        procedure=procedure,
        reason=reason,
        requested_items=list(requested_items or []),
        started_on=today,
        started_by=acting_user,
    )
    case.is_suspended = True
    case.suspended_since = today
    _write(case, ["is_suspended", "suspended_since"])
    _record(
        case,
        kind=action,
        actor=acting_user,
        role=role,
        state_from=case.state,
        data={"kind": kind, "procedure": procedure, "reason": reason, "items": list(requested_items or [])},
    )
    return case


@transaction.atomic
def case_return_to_applicant(
    *,
    case: Case,
    acting_user: User,
    reason: str,
    requested_items: list[str] | None = None,
    expected_version: int | None = None,
) -> Case:
    """Return the case for supplementary material (补充材料); the clock stops until resumed."""
    return _suspend(
        case,
        acting_user,
        "return_to_applicant",
        SuspensionKind.SUPPLEMENT,
        "",
        reason,
        requested_items,
        expected_version,
    )


@transaction.atomic
def case_suspend(
    *, case: Case, acting_user: User, procedure: str, reason: str, expected_version: int | None = None
) -> Case:
    """Start a 特别程序 (听证、招标、拍卖、检验、检测、检疫、鉴定、专家评审, art. 45); the clock stops."""
    if procedure not in SpecialProcedure.values:
        raise CaseValidationError(_("请选择特别程序。"), fields={"procedure": [_("特别程序不正确。")]})
    return _suspend(
        case,
        acting_user,
        "suspend",
        SuspensionKind.SPECIAL_PROCEDURE,
        procedure,
        reason,
        None,
        expected_version,
    )


def _recompute(case: Case) -> None:
    if case.accepted_on is None or case.limit_days is None:
        return
    result = clock.compute_deadline(
        accepted_on=case.accepted_on,
        limit_days=case.limit_days,
        suspended_days=case.suspended_days,
        extension_days=case.extension_days,
    )
    case.deadline_on, case.is_provisional_deadline = result.date, result.is_provisional


@transaction.atomic
def case_resume(*, case: Case, acting_user: User, expected_version: int | None = None) -> Case:
    """Resume the clock: the working days in (S, R] are added to the deadline."""
    case = _lock(case, acting_user, expected_version=expected_version)
    _roles, role = _begin("resume", case, acting_user)
    suspension = case.suspensions.filter(resumed_on__isnull=True).order_by("-started_on", "-pk").first()
    if not case.is_suspended or suspension is None:
        raise CaseStateConflict(case=case, action=_("恢复计时"), message=_("办件未中止计时。"))
    today = _today()
    from bianmin.workdays.services import between

    days = max(0, between(suspension.started_on, today))
    suspension.resumed_on, suspension.days, suspension.resumed_by = today, days, acting_user
    suspension.save(update_fields=["resumed_on", "days", "resumed_by"])
    old_deadline = case.deadline_on
    case.suspended_days += days
    case.is_suspended, case.suspended_since = False, None
    _recompute(case)
    _write(
        case, ["suspended_days", "is_suspended", "suspended_since", "deadline_on", "is_provisional_deadline"]
    )
    _record(
        case,
        kind=EventKind.RESUME,
        actor=acting_user,
        role=role,
        state_from=case.state,
        data={"days": days, "deadline_from": old_deadline, "deadline_to": case.deadline_on},
    )
    return case


@transaction.atomic
def case_extend(
    *, case: Case, acting_user: User, days: int, reason: str, expected_version: int | None = None
) -> Case:
    """延期, approved by the lead department's head: ≤ 10 working days (15 for joint handling) in total,
    and never beyond the statutory limit plus that (notice 延期告知书)."""
    case = _lock(case, acting_user, expected_version=expected_version)
    _roles, role = _begin("extend", case, acting_user)
    reason = _require_text(reason, "reason", _("请填写延期理由。"))
    try:
        days = int(days)
    except (TypeError, ValueError):
        days = 0
    if days < 1:
        raise CaseValidationError(_("延期天数须为正整数。"), fields={"days": [_("延期天数须为正整数。")]})
    if case.limit_days is None:
        raise CaseStateConflict(case=case, action=_("延期"), message=_("该办件没有以工作日计的时限。"))
    cap = EXTENSION_MAX_DAYS_JOINT if case.item_version.partner_departments.exists() else EXTENSION_MAX_DAYS
    if case.extension_days + days > cap:
        message = _("延期合计不能超过%(cap)d个工作日（已延期%(done)d个）。") % {
            "cap": cap,
            "done": case.extension_days,
        }
        raise CaseValidationError(message, code="extension_too_long", fields={"days": [message]})
    statutory = case.item_version.statutory_limit_days
    if statutory is not None and case.limit_days + case.extension_days + days > statutory + cap:
        message = _("延期后不能超过法定时限%(statutory)d个工作日加%(cap)d个工作日。") % {
            "statutory": statutory,
            "cap": cap,
        }
        raise CaseValidationError(message, code="extension_too_long", fields={"days": [message]})
    Extension.objects.create(case=case, days=days, reason=reason, approved_by=acting_user, approved_at=_now())
    old_deadline = case.deadline_on
    case.extension_days += days
    _recompute(case)
    _write(case, ["extension_days", "deadline_on", "is_provisional_deadline"])
    _record(
        case,
        kind=EventKind.EXTEND,
        actor=acting_user,
        role=role,
        state_from=case.state,
        data={"days": days, "reason": reason, "deadline_from": old_deadline, "deadline_to": case.deadline_on},
    )
    return case


def _set_fee(case: Case, fee_due, fields: list[str]) -> None:
    try:
        amount = Decimal(str(fee_due or 0)).quantize(Decimal("0.01"))
    except Exception:
        amount = Decimal("-1")
    if amount < 0:
        raise CaseValidationError(_("应缴费用不正确。"), fields={"fee_due": [_("应缴费用不正确。")]})
    if amount and case.item_version.is_free:
        raise CaseValidationError(_("该事项不收费。"), fields={"fee_due": [_("该事项不收费。")]})
    if amount and case.decision != Decision.APPROVED:
        raise CaseValidationError(
            _("只有准予许可才收取费用。"), fields={"fee_due": [_("只有准予许可才收取费用。")]}
        )
    case.fee_due = amount
    fields.append("fee_due")


@transaction.atomic
def case_conclude(
    *,
    case: Case,
    acting_user: User,
    decision: str,
    reasons: str = "",
    fee_due: Decimal | str | int = 0,
    expected_version: int | None = None,
) -> Case:
    """办结 by the lead head once every review task is done and every 容缺 material is in.

    `fee_due` (approved, charged items only) must be paid (case_pay) before delivery.

    A denial (不予许可) carries its reasons and the remedies (行政复议 60 days, 行政诉讼 6 months).
    The result document and its seal come from after-transition handlers (licences issue).
    """
    case = _lock(case, acting_user, expected_version=expected_version)
    _roles, role = _begin("conclude", case, acting_user)
    if case.is_suspended:
        raise CaseStateConflict(case=case, action=_("办结"), message=_("办件中止计时中，请先恢复计时。"))
    open_tasks = [
        task.department.short_name
        for task in case.tasks.select_related("department")
        if task.state != ReviewTaskState.DONE
    ]
    if open_tasks:
        message = _("以下部门尚未完成审查：%(names)s") % {"names": join_list(open_tasks)}
        raise CaseStateConflict(case=case, action=_("办结"), message=message)
    owed = list(
        case.materials.filter(
            is_current=True, kind=MaterialKind.MISSING, supplied_at__isnull=True
        ).values_list("name", flat=True)
    )
    if owed:
        message = _("以下容缺材料尚未补齐：%(names)s") % {"names": join_list(owed)}
        raise CaseStateConflict(case=case, action=_("办结"), message=message)
    state_from = case.state
    fields: list[str] = []
    _set_decision(case, decision, reasons, acting_user, fields)
    _set_fee(case, fee_due, fields)
    _write(case, fields)
    _record(
        case,
        kind=EventKind.CONCLUDE,
        actor=acting_user,
        role=role,
        state_from=state_from,
        data={
            "decision": case.decision,
            "reasons": case.decision_reasons,
            "on_time": case.deadline_on is None or timezone.localdate(case.concluded_at) <= case.deadline_on,
        },
    )
    return case


@transaction.atomic
def case_pay(*, case: Case, acting_user: User, expected_version: int | None = None) -> Case:
    """Pay the fee of a concluded case through the payment provider; records the e-receipt number."""
    case = _lock(case, acting_user, expected_version=expected_version)
    _roles, role = _begin("pay", case, acting_user)
    if not case.fee_due:
        raise CaseStateConflict(case=case, action=_("缴费"), message=_("该办件无须缴费。"))
    if case.fee_paid_at is not None:
        raise CaseStateConflict(case=case, action=_("缴费"), message=_("费用已缴纳。"))
    receipt = registries.payment_provider().charge(case=case, amount=case.fee_due)
    case.fee_paid_at = _now()
    case.fee_receipt_no = receipt.receipt_no[:64]
    _write(case, ["fee_paid_at", "fee_receipt_no"])
    _record(
        case,
        kind=EventKind.PAY,
        actor=acting_user,
        role=role,
        state_from=case.state,
        data={"amount": case.fee_due, "receipt_no": case.fee_receipt_no, "provider": receipt.provider},
    )
    return case


@transaction.atomic
def case_deliver(
    *,
    case: Case,
    acting_user: User,
    channel: str,
    recipient: str = "",
    hall: Hall | int | None = None,
    address: str = "",
    tracking_no: str = "",
    expected_version: int | None = None,
) -> Case:
    """送达, closing the case (送达回执).

    pickup: a clerk at their hall records who picked the result up (a visit); post: a clerk or the lead
    department records address and tracking number; electronic: the applicant downloads it, or staff
    record it. Fees due must be paid first.
    """
    if channel not in DeliveryChannel.values:
        raise CaseValidationError(_("送达方式不正确。"), fields={"channel": [_("送达方式不正确。")]})
    need = {
        DeliveryChannel.PICKUP: {t.CLERK},
        DeliveryChannel.POST: {t.CLERK, t.LEAD_REVIEWER},
        DeliveryChannel.ELECTRONIC: {t.CLERK, t.LEAD_REVIEWER, t.APPLICANT},
    }[channel]
    case = _lock(case, acting_user, expected_version=expected_version)
    _roles, role = _begin("deliver", case, acting_user, need=need)
    if case.fee_due and case.fee_paid_at is None:
        raise CaseStateConflict(case=case, action=_("送达"), message=_("费用尚未缴纳，不能出件。"))
    fields = ["state", "delivery_channel", "delivered_at", "delivered_by"]
    if channel == DeliveryChannel.PICKUP:
        case.delivery_recipient = _require_text(recipient, "recipient", _("请填写领取人。"))[:64]
        case.delivery_hall = _clerk_hall(acting_user, hall)
        fields += ["delivery_recipient", "delivery_hall"]
        _visit(case, user=acting_user, hall=case.delivery_hall, purpose=EventKind.DELIVER)
        fields.append("visits_count")
    elif channel == DeliveryChannel.POST:
        case.delivery_address = _require_text(
            address or case.delivery_address, "address", _("请填写邮寄地址。")
        )[:300]
        case.delivery_tracking_no = _require_text(tracking_no, "tracking_no", _("请填写快递单号。"))[:64]
        fields += ["delivery_address", "delivery_tracking_no"]
    state_from = case.state
    case.state = CaseState.DELIVERED
    case.delivery_channel = channel
    case.delivered_at = _now()
    case.delivered_by = acting_user
    _write(case, fields)
    _record(
        case,
        kind=EventKind.DELIVER,
        actor=acting_user,
        role=role,
        state_from=state_from,
        data={
            "channel": channel,
            "recipient": case.delivery_recipient,
            "tracking_no": case.delivery_tracking_no,
        },
    )
    return case


@transaction.atomic
def case_withdraw(
    *, case: Case, acting_user: User, reason: str = "", expected_version: int | None = None
) -> Case:
    """The applicant withdraws the application (any state before conclusion)."""
    case = _lock(case, acting_user, expected_version=expected_version)
    _roles, role = _begin("withdraw", case, acting_user)
    return _close(case, acting_user, role, CaseState.WITHDRAWN, EventKind.WITHDRAW, (reason or "").strip())


@transaction.atomic
def case_void(*, case: Case, acting_user: User, reason: str, expected_version: int | None = None) -> Case:
    """作废 by the lead department's head, with a reason (audited)."""
    case = _lock(case, acting_user, expected_version=expected_version)
    _roles, role = _begin("void", case, acting_user)
    reason = _require_text(reason, "reason", _("请填写作废原因。"))
    return _close(case, acting_user, role, CaseState.VOIDED, EventKind.VOID, reason)


def _close(case: Case, user: User, role: str, state: str, kind: str, reason: str) -> Case:
    state_from = case.state
    fields = ["state", "closed_reason", "closed_at"]
    case.state, case.closed_reason, case.closed_at = state, reason, _now()
    if case.is_suspended:
        case.is_suspended, case.suspended_since = False, None
        fields += ["is_suspended", "suspended_since"]
    _write(case, fields)
    _record(case, kind=kind, actor=user, role=role, state_from=state_from, data={"reason": reason})
    return case


# --------------------------------------------------------------------------------------------------
# calendar, authorisations
# --------------------------------------------------------------------------------------------------


@transaction.atomic
def case_recompute_deadlines(*, start: dt.date, end: dt.date, acting_user=None) -> int:
    """Recompute the provisional deadlines of open cases touching [start, end] (a year was published).

    Each changed case gets a `deadline_recomputed` CaseEvent and its version bumped. Returns the count.
    """
    changed = 0
    open_cases = (
        Case.objects.select_for_update(of=("self",))
        .filter(
            state__in=[CaseState.ACCEPTED, CaseState.IN_REVIEW],
            is_provisional_deadline=True,
            deadline_on__gte=start,
            accepted_on__lte=end,
        )
        .order_by("pk")
    )
    for case in open_cases:
        old = (case.deadline_on, case.is_provisional_deadline)
        _recompute(case)
        if (case.deadline_on, case.is_provisional_deadline) == old:
            continue
        _write(case, ["deadline_on", "is_provisional_deadline"])
        _record(
            case,
            kind=EventKind.DEADLINE_RECOMPUTED,
            actor=acting_user,
            role="",
            state_from=case.state,
            data={
                "deadline_from": old[0],
                "deadline_to": case.deadline_on,
                "is_provisional": case.is_provisional_deadline,
            },
        )
        changed += 1
    return changed


@transaction.atomic
def instant_authorisation_grant(
    *, department, clerk: User, acting_user: User, active: bool = True
) -> InstantAuthorisation:
    """A department head (or a platform admin) authorises a window clerk for the department's 即办件."""
    if not (
        account_rules.can_decide(acting_user, department) or account_rules.is_platform_admin(acting_user)
    ):
        raise CasePermissionDenied(_("只有部门负责人可以授权即办。"))
    if not account_rules.can_intake(clerk):
        raise CaseValidationError(
            _("被授权人须为窗口人员。"), fields={"clerk": [_("被授权人须为窗口人员。")]}
        )
    authorisation, _created = InstantAuthorisation.objects.update_or_create(
        department=department, clerk=clerk, defaults={"is_active": active, "granted_by": acting_user}
    )
    audit_record(
        actor=acting_user,
        action="cases.instant_authorisation",
        target=authorisation,
        role=Role.HEAD,
        changes={"clerk": clerk.username, "department": department.pk, "active": active},
    )
    return authorisation
