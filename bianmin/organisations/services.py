"""The one write path for regions, departments, halls and windows. Each change is audited.

acting_user=None means the system itself (seed command, data migration); a person must be a platform admin.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from bianmin.accounts import rules
from bianmin.accounts.constants import Role
from bianmin.audit.services import audit_record
from bianmin.organisations.exceptions import OrganisationInvalid, OrganisationPermissionDenied
from bianmin.organisations.models import Department, Hall, Region, Window
from bianmin.web.text import clause_separator

REGION_FIELDS = ("code", "name", "level", "parent", "is_active", "sort_order")
DEPARTMENT_FIELDS = (
    "name",
    "short_name",
    "uscc",
    "short_code",
    "kind",
    "parent",
    "region",
    "phone",
    "address",
    "is_active",
    "sort_order",
)
HALL_FIELDS = (
    "name",
    "kind",
    "region",
    "address",
    "latitude",
    "longitude",
    "phone",
    "opening_hours",
    "managing_department",
    "is_active",
    "sort_order",
)
WINDOW_FIELDS = ("hall", "number", "name", "kind", "is_active")
# What a hall manager may change of their own hall (the rest is the platform administrator's).
HALL_MANAGER_FIELDS = ("address", "latitude", "longitude", "phone", "opening_hours")


def _check_admin(acting_user) -> str:
    if acting_user is None:
        return "system"
    if not rules.is_platform_admin(acting_user):
        raise OrganisationPermissionDenied()
    return Role.PLATFORM_ADMIN


def _check_hall_manager(acting_user, hall_ids) -> str:
    """Platform admins anywhere; a hall manager only for their own hall(s)."""
    if acting_user is None or rules.is_platform_admin(acting_user):
        return _check_admin(acting_user)
    pks = [pk for pk in hall_ids if pk is not None]
    if pks and all(rules.has_role(acting_user, Role.HALL_MANAGER, hall=pk) for pk in pks):
        return Role.HALL_MANAGER
    raise OrganisationPermissionDenied(_("只有本大厅的管理员或平台管理员可以修改大厅数据。"))


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    return value if value is None or isinstance(value, bool | int | str) else str(value)


def _save(
    *,
    instance: models.Model,
    data: dict[str, Any],
    allowed: tuple[str, ...],
    acting_user,
    action: str,
    exclude_unique: bool = False,
    role: str | None = None,
) -> tuple[models.Model, dict[str, Any]]:
    """Apply data, validate, save and audit. Returns (instance, changes); nothing is written if nothing changed.

    `role` is given by callers that checked the permission themselves (hall managers); else platform admin."""
    role = role or _check_admin(acting_user)
    unknown = set(data) - set(allowed)
    if unknown:
        raise OrganisationInvalid(_("不能修改这些字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    creating = instance.pk is None
    changes: dict[str, Any] = {}
    for field, value in data.items():
        model_field = instance._meta.get_field(field)
        old = getattr(instance, model_field.attname)
        new = value.pk if isinstance(value, models.Model) else value
        try:
            new = model_field.to_python(new)
        except ValidationError:
            pass  # full_clean reports it
        if creating or old != new:
            changes[field] = [None if creating else _plain(old), _plain(value)]
        setattr(instance, field, value)
    if not creating and not changes:
        return instance, {}
    try:
        instance.full_clean()
    except ValidationError as exc:
        raise OrganisationInvalid(
            clause_separator().join(str(m) for m in exc.messages),
            fields={k: [str(m) for m in v] for k, v in exc.message_dict.items()},
        )
    instance.save()
    audit_record(actor=acting_user, action=action, target=instance, changes=changes, role=role)
    return instance, changes


def _upsert(model, *, lookup: dict[str, Any], values: dict[str, Any], allowed, acting_user, label: str):
    instance = model.objects.filter(**lookup).first()
    creating = instance is None
    if creating:
        instance = model()
    instance, changes = _save(
        instance=instance,
        data={**lookup, **values} if creating else values,
        allowed=allowed,
        acting_user=acting_user,
        action=f"{label}.{'create' if creating else 'update'}",
    )
    return instance, creating, bool(changes)


# Regions ------------------------------------------------------------------------------------------


@transaction.atomic
def region_create(*, acting_user, **data) -> Region:
    return _save(
        instance=Region(), data=data, allowed=REGION_FIELDS, acting_user=acting_user, action="region.create"
    )[0]


@transaction.atomic
def region_update(*, region: Region, acting_user, **data) -> Region:
    region = Region.objects.select_for_update().get(pk=region.pk)
    if data.get("parent") is not None and data["parent"].pk == region.pk:
        raise OrganisationInvalid(
            _("上级区划不能是它自己。"), fields={"parent": [_("上级区划不能是它自己。")]}
        )
    return _save(
        instance=region, data=data, allowed=REGION_FIELDS, acting_user=acting_user, action="region.update"
    )[0]


@transaction.atomic
def region_upsert(*, code: str, acting_user=None, **values) -> tuple[Region, bool, bool]:
    """Create or update by 区划代码. Returns (region, created, changed)."""
    return _upsert(
        Region,
        lookup={"code": code},
        values=values,
        allowed=REGION_FIELDS,
        acting_user=acting_user,
        label="region",
    )


# Departments --------------------------------------------------------------------------------------


@transaction.atomic
def department_create(*, acting_user, **data) -> Department:
    return _save(
        instance=Department(),
        data=data,
        allowed=DEPARTMENT_FIELDS,
        acting_user=acting_user,
        action="department.create",
    )[0]


@transaction.atomic
def department_update(*, department: Department, acting_user, **data) -> Department:
    department = Department.objects.select_for_update().get(pk=department.pk)
    if data.get("parent") is not None and data["parent"].pk == department.pk:
        raise OrganisationInvalid(
            _("上级单位不能是它自己。"), fields={"parent": [_("上级单位不能是它自己。")]}
        )
    return _save(
        instance=department,
        data=data,
        allowed=DEPARTMENT_FIELDS,
        acting_user=acting_user,
        action="department.update",
    )[0]


@transaction.atomic
def department_upsert(*, name: str, acting_user=None, **values) -> tuple[Department, bool, bool]:
    """Create or update by name (the natural key of an implementing unit)."""
    return _upsert(
        Department,
        lookup={"name": name},
        values=values,
        allowed=DEPARTMENT_FIELDS,
        acting_user=acting_user,
        label="department",
    )


# Halls and windows --------------------------------------------------------------------------------


@transaction.atomic
def hall_create(*, acting_user, **data) -> Hall:
    return _save(
        instance=Hall(), data=data, allowed=HALL_FIELDS, acting_user=acting_user, action="hall.create"
    )[0]


@transaction.atomic
def hall_update(*, hall: Hall, acting_user, **data) -> Hall:
    """Platform admins change any field; the hall's manager its address, map position, phone and hours."""
    role = _check_hall_manager(acting_user, [hall.pk])
    allowed = HALL_FIELDS if role != Role.HALL_MANAGER else HALL_MANAGER_FIELDS
    hall = Hall.objects.select_for_update().get(pk=hall.pk)
    return _save(
        instance=hall, data=data, allowed=allowed, acting_user=acting_user, action="hall.update", role=role
    )[0]


@transaction.atomic
def hall_upsert(*, name: str, acting_user=None, **values) -> tuple[Hall, bool, bool]:
    return _upsert(
        Hall, lookup={"name": name}, values=values, allowed=HALL_FIELDS, acting_user=acting_user, label="hall"
    )


def _window_departments(*, window: Window, departments, acting_user, role) -> bool:
    if departments is None:
        return False
    new_ids = sorted(d.pk for d in departments)
    old_ids = sorted(window.departments.values_list("pk", flat=True))
    if new_ids == old_ids:
        return False
    window.departments.set(departments)
    audit_record(
        actor=acting_user,
        action="window.departments",
        target=window,
        changes={"departments": [old_ids, new_ids]},
        role=role,
    )
    return True


def _hall_pk(value) -> int | None:
    return getattr(value, "pk", value)


@transaction.atomic
def window_create(*, acting_user, departments=None, **data) -> Window:
    """Platform admins, or the manager of the window's hall."""
    role = _check_hall_manager(acting_user, [_hall_pk(data.get("hall"))])
    window = _save(
        instance=Window(),
        data=data,
        allowed=WINDOW_FIELDS,
        acting_user=acting_user,
        action="window.create",
        role=role,
    )[0]
    _window_departments(window=window, departments=departments, acting_user=acting_user, role=role)
    return window


@transaction.atomic
def window_update(*, window: Window, acting_user, departments=None, **data) -> Window:
    """Platform admins, or the manager of the window's hall (who cannot move it to another hall)."""
    window = Window.objects.select_for_update().get(pk=window.pk)
    halls = [window.hall_id] + ([_hall_pk(data["hall"])] if "hall" in data else [])
    role = _check_hall_manager(acting_user, halls)
    window = _save(
        instance=window,
        data=data,
        allowed=WINDOW_FIELDS,
        acting_user=acting_user,
        action="window.update",
        role=role,
    )[0]
    _window_departments(window=window, departments=departments, acting_user=acting_user, role=role)
    return window


@transaction.atomic
def window_upsert(*, hall: Hall, number: str, acting_user=None, departments=None, **values):
    window, created, changed = _upsert(
        Window,
        lookup={"hall": hall, "number": number},
        values=values,
        allowed=WINDOW_FIELDS,
        acting_user=acting_user,
        label="window",
    )
    changed |= _window_departments(
        window=window, departments=departments, acting_user=acting_user, role=_check_admin(acting_user)
    )
    return window, created, changed
