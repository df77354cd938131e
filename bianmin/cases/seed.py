"""Demo cases in every state, some overdue, dated relative to today, made through the services.

Each scenario is found again by its idempotency key ("demo-<name>") and skipped, so a second run changes
nothing. Needs the organisations, accounts and catalog seeds (run before, in INSTALLED_APPS order); adds
one reviewer of 区人防办 (`rf_reviewer`) for the joint-review (并联审批) demo.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from bianmin.accounts.constants import Role
from bianmin.accounts.models import Enterprise, RoleAssignment, User
from bianmin.cases import services
from bianmin.cases.constants import AcceptanceMode
from bianmin.cases.models import Case, InstantAuthorisation
from bianmin.catalog.constants import FormFieldKind, Necessity
from bianmin.catalog.models import ServiceItem
from bianmin.organisations.models import Department, Hall
from bianmin.workdays.services import add

DEMO_PDF = b"%PDF-1.4\n% bianmin demo scan\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SCJ = "汕头市龙湖区市场监督管理局"
ZJJ = "汕头市龙湖区住房和城乡建设局"
CENTRE = "龙湖区政务服务中心"


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, 0))


def _form_data(
    version, user: User, enterprise: Enterprise | None, fallback: Enterprise | None = None
) -> dict:
    data = {}
    for field in version.form_fields.all():
        value = {
            FormFieldKind.TEXT: "演示填写",
            FormFieldKind.TEXTAREA: "演示填写内容。",
            FormFieldKind.NUMBER: "1",
            FormFieldKind.DATE: timezone.localdate().isoformat(),
            FormFieldKind.ID_CARD: user.id_card_no,
            FormFieldKind.USCC: (enterprise or fallback).uscc if (enterprise or fallback) else "",
            FormFieldKind.MOBILE: user.mobile or "13800138000",
            FormFieldKind.ADDRESS: "汕头市龙湖区长平路1号",
        }.get(field.kind, "演示")
        if field.kind == FormFieldKind.CHOICE:
            value = str(field.choices[0]) if field.choices else "演示"
        if field.max_length:
            value = value[: field.max_length]
        if value:
            data[field.key] = value
    return data


class _Demo:
    def __init__(self, today: dt.date) -> None:
        self.today = today
        users = {u.username: u for u in User.objects.filter(username__in=self.USERNAMES)}
        self.users = users
        self.enterprise = Enterprise.objects.filter(memberships__user=users.get("company")).first()
        self.items = {
            v: ServiceItem.objects.select_related("current_version")
            .filter(current_version__name=v, department__name=dept)
            .first()
            for v, dept in self.ITEMS.items()
        }
        self.created = 0

    USERNAMES = (
        "citizen",
        "company",
        "clerk",
        "jx_clerk",
        "reviewer",
        "head",
        "zj_reviewer",
        "zj_head",
        "admin",
    )
    ITEMS = {
        "食品经营许可（新办）": SCJ,
        "企业设立登记": SCJ,
        "个体工商户设立登记": SCJ,
        "建筑工程施工许可证核发": ZJJ,
    }

    def ready(self) -> bool:
        return all(self.users.get(name) for name in self.USERNAMES) and all(self.items.values())

    def day(self, working_days_ago: int) -> dt.date:
        return add(self.today, -working_days_ago) if working_days_ago else self.today

    def draft(self, key: str, item_name: str, *, user: str = "citizen", enterprise: bool = False, missing=()):
        """A draft with every material uploaded except those whose names are in `missing`."""
        applicant = self.users[user]
        item = self.items[item_name]
        enterprise_obj = self.enterprise if enterprise else None
        case = services.case_save_draft(
            acting_user=applicant,
            item=item,
            form_data=_form_data(item.current_version, applicant, enterprise_obj, self.enterprise),
            enterprise=enterprise_obj,
            delivery={"channel": "electronic"},
            idempotency_key=f"demo-{key}",
        )
        for material in item.current_version.materials.all():
            if material.name in missing or material.necessity == Necessity.OPTIONAL:
                continue
            services.case_material_add(
                case=case,
                acting_user=applicant,
                material=material,
                upload=ContentFile(DEMO_PDF, name="scan.pdf"),
            )
        self.created += 1
        return case

    def window_draft(self, key: str, item_name: str, *, person: str = "citizen"):
        clerk = self.users["clerk"]
        person_user = self.users[person]
        item = self.items[item_name]
        case = services.case_save_draft(
            acting_user=clerk,
            item=item,
            form_data=_form_data(item.current_version, person_user, None, self.enterprise),
            applicant={
                "kind": "person",
                "name": person_user.full_name,
                "id_no": person_user.id_card_no,
                "mobile": person_user.mobile,
            },
            hall=Hall.objects.get(name=CENTRE),
            idempotency_key=f"demo-{key}",
        )
        self.created += 1
        return case

    def upload_all(self, case, user, *, missing=()):
        for material in case.item_version.materials.all():
            if material.name in missing or material.necessity == Necessity.OPTIONAL:
                continue
            services.case_material_add(
                case=case, acting_user=user, material=material, upload=ContentFile(DEMO_PDF, name="scan.pdf")
            )

    def tolerated_names(self, item_name: str) -> list[str]:
        version = self.items[item_name].current_version
        return [m.name for m in version.materials.all() if m.necessity == Necessity.TOLERATED]


def _scenario(demo: _Demo, key: str, build: Callable[[], None]) -> None:
    if Case.objects.filter(idempotency_key=f"demo-{key}").exists():
        return
    build()


def _partner_reviewer() -> User | None:
    department = (
        Department.objects.filter(short_name__contains="人防").first()
        or Department.objects.filter(name__contains="人民防空").first()
    )
    if department is None:
        return None
    from bianmin.accounts import services as account_services

    user = User.objects.filter(username="rf_reviewer").first()
    if user is None:
        user = account_services.staff_create(
            acting_user=None, username="rf_reviewer", full_name="钱人审", password=settings.DEMO_PASSWORD
        )
    if not RoleAssignment.objects.filter(user=user, role=Role.REVIEWER, department=department).exists():
        account_services.role_grant(acting_user=None, user=user, role=Role.REVIEWER, department=department)
    return user


def seed(*, today) -> str:
    demo = _Demo(today)
    if not demo.ready():
        return "skipped (accounts or catalog demo data missing)"
    u = demo.users
    food, company_reg, self_employed, building = (
        "食品经营许可（新办）",
        "企业设立登记",
        "个体工商户设立登记",
        "建筑工程施工许可证核发",
    )
    as_of = services.acting_as_of

    def submitted(key, item, days_ago, **kwargs):
        with as_of(_at(demo.day(days_ago), 8)):  # drafted the same morning, so the timeline reads in order
            case = demo.draft(key, item, **kwargs)
        with as_of(_at(demo.day(days_ago), 9)):
            return services.case_submit(case=case, acting_user=u[kwargs.get("user", "citizen")])

    def accepted(key, item, days_ago, **kwargs):
        case = submitted(key, item, days_ago, **kwargs)
        with as_of(_at(demo.day(days_ago), 11)):
            return services.case_accept(case=case, acting_user=u["clerk"])

    def in_review(key, item, days_ago, *, reviewer="reviewer", **kwargs):
        case = accepted(key, item, days_ago, **kwargs)
        with as_of(_at(demo.day(days_ago), 15)):
            return services.case_start_review(case=case, acting_user=u[reviewer])

    def concluded(key, item, days_ago, done_days_ago, **kwargs):
        case = in_review(key, item, days_ago, **kwargs)
        with as_of(_at(demo.day(done_days_ago), 10)):
            for task in case.tasks.all():
                services.case_review(
                    case=case, acting_user=u["reviewer"], task=task, opinion="经审查，符合条件。"
                )
            return services.case_conclude(case=case, acting_user=u["head"], decision="approved")

    _scenario(demo, "draft", lambda: demo.draft("draft", food))
    _scenario(demo, "submitted", lambda: submitted("submitted", food, 1))
    _scenario(
        demo, "late-intake", lambda: submitted("late-intake", company_reg, 7, user="company", enterprise=True)
    )

    def correction():
        case = submitted("correction", food, 3)
        first = case.item_version.materials.order_by("order").first()
        with as_of(_at(demo.day(2))):
            services.case_request_correction(
                case=case,
                acting_user=u["clerk"],
                problems=[{"material": first.pk, "note": "复印件不清晰，请重新上传清晰的扫描件。"}],
            )

    _scenario(demo, "correction", correction)

    def declined():
        case = submitted("declined", company_reg, 4)
        with as_of(_at(demo.day(3))):
            services.case_decline(
                case=case,
                acting_user=u["clerk"],
                reason="申请事项不属于本机关职权范围。",
                legal_basis="《中华人民共和国行政许可法》第三十二条第一款第（二）项",
            )

    _scenario(demo, "declined", declined)

    def tolerant():
        tolerated = demo.tolerated_names(food)
        with as_of(_at(demo.day(1), 8)):
            case = demo.window_draft("tolerant", food)
            demo.upload_all(case, u["clerk"], missing=tolerated)
            services.case_material_add(
                case=case,
                acting_user=u["clerk"],
                name="授权委托书",
                upload=ContentFile(DEMO_PDF, name="poa.pdf"),
            )
        with as_of(_at(demo.day(1), 9)):
            case = services.case_submit(case=case, acting_user=u["clerk"])
            missing = [
                {"material": m.pk, "due_on": demo.day(-5)}
                for m in case.item_version.materials.all()
                if m.name in tolerated
            ]
            services.case_accept(
                case=case, acting_user=u["clerk"], mode=AcceptanceMode.TOLERANT, missing=missing
            )

    _scenario(demo, "tolerant", tolerant)
    _scenario(demo, "in-review", lambda: in_review("in-review", food, 1))

    def yellow():  # 4 of 5 working days used (80 %), due the next working day
        case = in_review("yellow", food, 4)
        with as_of(_at(demo.day(1))):
            services.case_extend(case=case, acting_user=u["head"], days=2, reason="需补充核查。")

    _scenario(demo, "yellow", yellow)
    _scenario(demo, "overdue", lambda: in_review("overdue", company_reg, 5, user="company", enterprise=True))
    _scenario(demo, "overdue-2", lambda: in_review("overdue-2", food, 8))

    def suspended():
        case = in_review("suspended", food, 6)
        with as_of(_at(demo.day(4))):
            services.case_suspend(
                case=case, acting_user=u["reviewer"], procedure="expert_review", reason="需组织专家现场评审。"
            )

    _scenario(demo, "suspended", suspended)

    def returned():  # 我的办件 of the demo citizen asks for the requested items
        case = in_review("returned", food, 3)
        with as_of(_at(demo.day(1))):
            services.case_return_to_applicant(
                case=case,
                acting_user=u["reviewer"],
                reason="经营场所平面图未标注操作间布局，请补充。",
                requested_items=["经营场所平面布局图（标注操作间）"],
            )

    _scenario(demo, "returned", returned)

    partner = _partner_reviewer()

    def joint():
        case = in_review("joint", building, 2, reviewer="zj_reviewer", user="company", enterprise=True)
        with as_of(_at(demo.day(1))):
            lead = case.tasks.get(is_lead=True)
            services.case_review(
                case=case, acting_user=u["zj_reviewer"], task=lead, opinion="施工许可条件符合。"
            )

    if partner is not None:
        _scenario(demo, "joint", joint)

    def extended():
        case = in_review("extended", food, 4)
        with as_of(_at(demo.day(2))):
            services.case_extend(case=case, acting_user=u["head"], days=5, reason="需要现场核查，情况复杂。")

    _scenario(demo, "extended", extended)
    _scenario(demo, "concluded", lambda: concluded("concluded", food, 8, 6))

    def delivered_pickup():
        case = concluded("delivered-pickup", food, 12, 10)
        with as_of(_at(demo.day(9))):
            services.case_deliver(case=case, acting_user=u["clerk"], channel="pickup", recipient="张晓明")

    _scenario(demo, "delivered-pickup", delivered_pickup)

    def delivered_electronic():
        case = concluded("delivered-electronic", company_reg, 6, 5, user="company", enterprise=True)
        with as_of(_at(demo.day(5), 16)):
            services.case_deliver(case=case, acting_user=u["company"], channel="electronic")

    _scenario(demo, "delivered-electronic", delivered_electronic)

    def denied():
        case = in_review("denied", food, 9)
        with as_of(_at(demo.day(7))):
            services.case_review(
                case=case, acting_user=u["reviewer"], task=case.tasks.get(), opinion="场所不符合要求。"
            )
            services.case_conclude(
                case=case,
                acting_user=u["head"],
                decision="denied",
                reasons="经营场所与食品经营项目不相适应。",
            )

    _scenario(demo, "denied", denied)

    def instant():
        department = demo.items[self_employed].department
        if not InstantAuthorisation.objects.filter(department=department, clerk=u["clerk"]).exists():
            services.instant_authorisation_grant(
                department=department, clerk=u["clerk"], acting_user=u["head"]
            )
        with as_of(_at(demo.day(2), 9)):
            case = demo.window_draft("instant", self_employed)
            demo.upload_all(case, u["clerk"])
        with as_of(_at(demo.day(2), 10)):
            case = services.case_submit(case=case, acting_user=u["clerk"])
            services.case_accept_and_conclude(case=case, acting_user=u["clerk"])

    _scenario(demo, "instant", instant)

    def withdrawn():
        case = submitted("withdrawn", food, 2)
        with as_of(_at(demo.day(1))):
            services.case_withdraw(case=case, acting_user=u["citizen"], reason="信息填写有误，重新申请。")

    _scenario(demo, "withdrawn", withdrawn)

    def voided():
        case = accepted("voided", food, 4)
        with as_of(_at(demo.day(3))):
            services.case_void(case=case, acting_user=u["head"], reason="重复受理，作废本件。")

    _scenario(demo, "voided", voided)
    return f"{demo.created} demo cases created, {Case.objects.filter(idempotency_key__startswith='demo-').count()} in all"
