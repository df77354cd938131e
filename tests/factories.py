"""Shared factories. Every generated code is valid: 身份证号 (GB 11643), USCC (GB 32100), 区划代码, mobile.

Usage:
    UserFactory()                         # a citizen with a valid ID number and mobile (hashes set)
    CitizenFactory()                      # same, explicit
    StaffFactory(reviewer=True)           # staff + an active reviewer role in a new department
    StaffFactory(head=True, department=d) # ... in the given department
    StaffFactory(window_clerk=True, hall=h)
    StaffFactory(platform_admin=True)     # global roles: hotline_operator, platform_admin, supervisor
    StaffFactory(role=Role.HALL_MANAGER, hall=h)
    EnterpriseFactory(admin=user)         # an enterprise with `user` as its administrator member
    EnterpriseMemberFactory()             # a user of kind "enterprise" + admin membership of a new enterprise
Password of every factory user: FACTORY_PASSWORD.
"""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from bianmin.accounts.constants import DEPARTMENT_ROLES, HALL_ROLES, Role, UserKind
from bianmin.accounts.models import Enterprise, EnterpriseMembership, RoleAssignment, User
from bianmin.core.crypto import pii_hash
from bianmin.core.validators import id_card_check_char, uscc_check_char
from bianmin.organisations.constants import DepartmentKind, HallKind, RegionLevel, WindowKind
from bianmin.organisations.models import Department, Hall, Region, Window

FACTORY_PASSWORD = "factory-Pass-2026"
PRIVACY_VERSION = "2026-11"


def make_id_card(n: int, *, region: str = "440507", born: dt.date | None = None) -> str:
    """A valid 18-digit 身份证号, unique per n."""
    born = born or (dt.date(1970, 1, 1) + dt.timedelta(days=n % 15000))
    first17 = f"{region}{born:%Y%m%d}{n % 1000:03d}"
    return first17 + id_card_check_char(first17)


def make_uscc(n: int, *, prefix: str = "91440507FA") -> str:
    """A valid 18-character 统一社会信用代码, unique per (prefix, n). prefix is 10 characters."""
    first17 = f"{prefix}{n:07d}"
    return first17 + uscc_check_char(first17)


def make_mobile(n: int) -> str:
    return f"139{n:08d}"


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"4405079{n:05d}")
    name = factory.Sequence(lambda n: f"测试街道{n}")
    level = RegionLevel.STREET
    parent = None


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"测试局{n}")
    short_name = factory.Sequence(lambda n: f"测试{n}")
    uscc = factory.Sequence(lambda n: make_uscc(n, prefix="11440507FB"))
    short_code = factory.Sequence(lambda n: f"{8000 + n % 2000:04d}")
    kind = DepartmentKind.GOVERNMENT
    region = factory.SubFactory(RegionFactory, level=RegionLevel.DISTRICT)
    phone = "0754-88000000"
    address = factory.Sequence(lambda n: f"汕头市龙湖区测试路{n}号")


class HallFactory(DjangoModelFactory):
    class Meta:
        model = Hall

    name = factory.Sequence(lambda n: f"测试政务服务中心{n}")
    kind = HallKind.DISTRICT_CENTRE
    region = factory.SubFactory(RegionFactory)
    address = factory.Sequence(lambda n: f"汕头市龙湖区测试大道{n}号")
    latitude = factory.Sequence(lambda n: f"23.{370000 + n % 10000:06d}")
    longitude = factory.Sequence(lambda n: f"116.{700000 + n % 10000:06d}")
    phone = "0754-88000001"


class WindowFactory(DjangoModelFactory):
    class Meta:
        model = Window
        skip_postgeneration_save = True

    hall = factory.SubFactory(HallFactory)
    number = factory.Sequence(lambda n: f"{n + 1:02d}")
    name = factory.Sequence(lambda n: f"综合窗口{n + 1}")
    kind = WindowKind.COMPREHENSIVE

    @factory.post_generation
    def departments(self, create, extracted, **kwargs):
        if create and extracted:
            self.departments.set(extracted)


class UserFactory(DjangoModelFactory):
    """A citizen (自然人) with a verified mobile and the privacy notice accepted."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    kind = UserKind.CITIZEN
    full_name = factory.Sequence(lambda n: f"测试用户{n}")
    id_card_no = factory.Sequence(make_id_card)
    id_card_hash = factory.LazyAttribute(lambda o: pii_hash(o.id_card_no))
    mobile = factory.Sequence(make_mobile)
    mobile_hash = factory.LazyAttribute(lambda o: pii_hash(o.mobile))
    mobile_verified_at = factory.LazyFunction(timezone.now)
    privacy_accepted_at = factory.LazyFunction(timezone.now)
    privacy_version = PRIVACY_VERSION
    password = factory.django.Password(FACTORY_PASSWORD)


class CitizenFactory(UserFactory):
    kind = UserKind.CITIZEN


class StaffFactory(UserFactory):
    """Staff with optional role: traits named after Role values, or role=/department=/hall= directly."""

    username = factory.Sequence(lambda n: f"staff{n}")
    kind = UserKind.STAFF
    full_name = factory.Sequence(lambda n: f"工作人员{n}")
    role = None
    department = factory.LazyAttribute(lambda o: DepartmentFactory() if o.role in DEPARTMENT_ROLES else None)
    hall = factory.LazyAttribute(lambda o: HallFactory() if o.role in HALL_ROLES else None)

    class Params:
        window_clerk = factory.Trait(role=Role.WINDOW_CLERK)
        catalog_editor = factory.Trait(role=Role.CATALOG_EDITOR)
        reviewer = factory.Trait(role=Role.REVIEWER)
        head = factory.Trait(role=Role.HEAD)
        hall_manager = factory.Trait(role=Role.HALL_MANAGER)
        hotline_operator = factory.Trait(role=Role.HOTLINE_OPERATOR)
        platform_admin = factory.Trait(role=Role.PLATFORM_ADMIN)
        supervisor = factory.Trait(role=Role.SUPERVISOR)

    @classmethod
    def _split(cls, kwargs):
        return kwargs.pop("role", None), kwargs.pop("department", None), kwargs.pop("hall", None)

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        cls._split(kwargs)
        return super()._build(model_class, *args, **kwargs)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        role, department, hall = cls._split(kwargs)
        user = super()._create(model_class, *args, **kwargs)
        if role:
            RoleAssignmentFactory(
                user=user,
                role=role,
                department=department if role in DEPARTMENT_ROLES else None,
                hall=hall if role in HALL_ROLES else None,
            )
        return user


class RoleAssignmentFactory(DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(StaffFactory)
    role = Role.REVIEWER
    department = factory.LazyAttribute(lambda o: DepartmentFactory() if o.role in DEPARTMENT_ROLES else None)
    hall = factory.LazyAttribute(lambda o: HallFactory() if o.role in HALL_ROLES else None)
    is_active = True


class EnterpriseFactory(DjangoModelFactory):
    """An enterprise; pass admin=<user> to make that user its administrator member."""

    class Meta:
        model = Enterprise
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"汕头市测试贸易有限公司{n}")
    uscc = factory.Sequence(make_uscc)
    legal_representative = factory.Sequence(lambda n: f"法人代表{n}")
    legal_representative_id_card_no = factory.Sequence(lambda n: make_id_card(n + 500))
    address = factory.Sequence(lambda n: f"汕头市龙湖区企业路{n}号")

    @factory.post_generation
    def admin(self, create, extracted, **kwargs):
        if create and extracted:
            EnterpriseMembership.objects.create(enterprise=self, user=extracted, is_admin=True)


class EnterpriseMembershipFactory(DjangoModelFactory):
    class Meta:
        model = EnterpriseMembership

    enterprise = factory.SubFactory(EnterpriseFactory)
    user = factory.SubFactory(UserFactory, kind=UserKind.ENTERPRISE)
    is_admin = False
    is_active = True


class EnterpriseMemberFactory(UserFactory):
    """A user of kind "enterprise" who administers a new enterprise (membership.is_admin=True)."""

    username = factory.Sequence(lambda n: f"company{n}")
    kind = UserKind.ENTERPRISE
    membership = factory.RelatedFactory(
        EnterpriseMembershipFactory, factory_related_name="user", is_admin=True
    )
