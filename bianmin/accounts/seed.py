"""Demo accounts (docs/demo-accounts.md). Only `manage.py seed_demo` creates them — never a migration.

Password: settings.DEMO_PASSWORD (default "bianmin-demo"), set when an account is created. Idempotent: accounts
are found by username, roles granted only if missing, the demo enterprise found by its USCC.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from bianmin.accounts import services
from bianmin.accounts.constants import PRIVACY_NOTICE_VERSION, Role, UserKind
from bianmin.accounts.models import Enterprise, EnterpriseMembership, RoleAssignment, User
from bianmin.core.validators import id_card_check_char, uscc_check_char
from bianmin.organisations.models import Department, Hall

CENTRE = "龙湖区政务服务中心"
SCJ = "汕头市龙湖区市场监督管理局"
ZJJ = "汕头市龙湖区住房和城乡建设局"
MZJ = "汕头市龙湖区民政局"
ZSJ = "汕头市龙湖区政务服务数据管理局"
JX_HALL = "金霞街道政务服务中心"


def demo_id_card(born: dt.date, seq: str) -> str:
    first17 = f"440507{born:%Y%m%d}{seq}"
    return first17 + id_card_check_char(first17)


def demo_uscc() -> str:
    first17 = "91440507MA4W0D0E1"
    return first17 + uscc_check_char(first17)


DEMO_ENTERPRISE = {
    "name": "汕头市龙湖区便民示范科技有限公司",
    "legal_representative": "陈志强",
    "address": "汕头市龙湖区黄山路28号",
}

# username, full_name, id card (born, seq), mobile, kind
APPLICANTS = [
    ("citizen", "张晓明", (dt.date(1990, 3, 7), "123"), "13800138000", UserKind.CITIZEN),
    ("company", "陈志强", (dt.date(1982, 11, 20), "151"), "13800138001", UserKind.ENTERPRISE),
    ("agent", "林小红", (dt.date(1995, 6, 18), "242"), "13800138002", UserKind.ENTERPRISE),
]

# username, full_name, role, department name, hall name, platform superuser
STAFF = [
    ("clerk", "李综窗", Role.WINDOW_CLERK, None, CENTRE),
    ("jx_clerk", "黄街窗", Role.WINDOW_CLERK, None, JX_HALL),
    ("manager", "王厅长", Role.HALL_MANAGER, None, CENTRE),
    ("reviewer", "刘审核", Role.REVIEWER, SCJ, None),
    ("head", "赵局长", Role.HEAD, SCJ, None),
    ("editor", "孙编辑", Role.CATALOG_EDITOR, SCJ, None),
    ("zj_reviewer", "周住审", Role.REVIEWER, ZJJ, None),
    ("zj_head", "吴住长", Role.HEAD, ZJJ, None),
    ("zj_editor", "郑住编", Role.CATALOG_EDITOR, ZJJ, None),
    ("mz_reviewer", "冯民审", Role.REVIEWER, MZJ, None),
    ("mz_head", "陈民长", Role.HEAD, MZJ, None),
    ("mz_editor", "褚民编", Role.CATALOG_EDITOR, MZJ, None),
    ("zs_head", "何政数", Role.HEAD, ZSJ, None),  # files the 政数局's progress reports on the reform plan
    ("admin", "政数局管理员", Role.PLATFORM_ADMIN, None, None),
    ("supervisor", "效能监督员", Role.SUPERVISOR, None, None),
    ("hotline", "热线坐席", Role.HOTLINE_OPERATOR, None, None),
]


def _applicant(username, full_name, born_seq, mobile, kind, stats) -> User:
    user = User.objects.filter(username=username).first()
    if user:
        stats["unchanged"] += 1
        return user
    user = services.applicant_create_verified(
        acting_user=None,
        username=username,
        full_name=full_name,
        id_card_no=demo_id_card(*born_seq),
        mobile=mobile,
        password=settings.DEMO_PASSWORD,
        kind=kind,
    )
    # demo people have read the notice, so the first login goes straight to their home page
    User.objects.filter(pk=user.pk).update(
        privacy_accepted_at=timezone.now(), privacy_version=PRIVACY_NOTICE_VERSION
    )
    stats["created"] += 1
    return user


def seed(*, today=None) -> str:
    stats = {"created": 0, "unchanged": 0, "roles": 0}
    people = {row[0]: _applicant(*row, stats) for row in APPLICANTS}

    enterprise = Enterprise.objects.filter(uscc=demo_uscc()).first()
    if enterprise is None:
        enterprise = services.enterprise_register(
            acting_user=people["company"], uscc=demo_uscc(), **DEMO_ENTERPRISE
        )
    if not EnterpriseMembership.objects.filter(
        enterprise=enterprise, user=people["agent"], is_active=True
    ).exists():
        services.enterprise_member_add(
            enterprise=enterprise, acting_user=people["company"], mobile="13800138002", full_name="林小红"
        )

    for username, full_name, role, department_name, hall_name in STAFF:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = services.staff_create(
                acting_user=None, username=username, full_name=full_name, password=settings.DEMO_PASSWORD
            )
            stats["created"] += 1
        else:
            stats["unchanged"] += 1
        department = Department.objects.get(name=department_name) if department_name else None
        hall = Hall.objects.get(name=hall_name) if hall_name else None
        if not RoleAssignment.objects.filter(
            user=user, role=role, department=department, hall=hall, is_active=True
        ).exists():
            services.role_grant(acting_user=None, user=user, role=role, department=department, hall=hall)
            stats["roles"] += 1
        if username == "admin" and not (user.is_superuser and user.is_staff):
            services.user_update(acting_user=None, user=user, is_superuser=True, is_staff=True)
    return (
        f"{stats['created']} accounts created, {stats['unchanged']} unchanged, {stats['roles']} roles granted"
    )
