"""Data generators for benchmarks: realistic volumes, fast.

Bulk inserts that bypass services, audit and signals — acceptable here only, never in the application.
Values are valid (身份证号 check digits, USCC check characters, mobile numbers) and deterministic: row i of
a generator always gets the same values, so `ensure(people=100_000)` on a database that holds 40,000
generated people adds the 60,000 missing ones. Personal numbers are encrypted with bianmin.core.crypto
(the same SM4-GCM format and HMAC-SM3 lookup hash as the application), in batches over a process pool.

    .venv/bin/python -m bench.generate people=100000 enterprises=5000    # into bench/out/bench.sqlite3
    ctx.generate(people=100_000)                                           # inside a benchmark

Adding a generator (catalog items, cases, …): write a function that inserts rows start..start+count-1
and a function that counts the rows it made, and register them:

    @generator("items", requires=("enterprises",), count=lambda: ServiceItem.objects.filter(...).count())
    def items(*, start: int, count: int) -> None:
        bulk_insert(ServiceItem, [{...} for i in range(start, start + count)])

Put generators in this file or in a bench/gen_<topic>.py module (imported automatically).
`requires` names generators that must have run first (they run with their default volume if no target
was given). Keep every loop bounded by `count`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import multiprocessing
import random
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

BATCH = 5_000
PARALLEL_THRESHOLD = 20_000
PEOPLE_PREFIX = "bench-p"
ENTERPRISE_USCC_PREFIX = "91440507BN"  # 10 characters; the factories use "FA", the demo seed its own
BENCH_PASSWORD = "bench-Pass-2026"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红梅鑫波斌宇浩凯健俊帆帅旭宁婷雪琳晨欣怡佳悦思涵子轩梓萱诗雨宏志文辉建国"
STREETS = ["金霞街道", "龙祥街道", "鸥汀街道", "新津街道", "珠池街道", "外砂街道", "新溪街道"]
ROADS = ["长平路", "黄山路", "嵩山路", "天山路", "泰山路", "华山路", "金环路", "韩江路", "衡山路", "珠池路"]
TRADES = ["贸易", "科技", "食品", "玩具", "纺织", "物流", "餐饮", "建材", "电子", "印刷", "文化传播", "医药"]
FORMS = ["有限公司", "有限责任公司", "股份有限公司", "商行", "经营部"]


@dataclass
class Generator:
    name: str
    func: Callable[..., None]
    count: Callable[[], int]
    requires: tuple[str, ...]
    default: int


GENERATORS: dict[str, Generator] = {}


def generator(name: str, *, count: Callable[[], int], requires: Sequence[str] = (), default: int = 1000):
    def register(func):
        GENERATORS[name] = Generator(name, func, count, tuple(requires), default)
        return func

    return register


def load_generators() -> None:
    """Generators may also live in bench/gen_<topic>.py modules (imported here, they register themselves)."""
    import importlib
    from pathlib import Path

    for path in sorted(Path(__file__).resolve().parent.glob("gen_*.py")):
        importlib.import_module(f"bench.{path.stem}")


def ensure(**targets: int) -> dict[str, int]:
    """Bring each named generator up to its target volume (dependencies first). Returns the counts."""
    load_generators()
    unknown = set(targets) - set(GENERATORS)
    if unknown:
        raise KeyError(f"unknown generator(s): {', '.join(sorted(unknown))}; known: {', '.join(GENERATORS)}")
    done: dict[str, int] = {}

    def visit(name: str, stack: tuple[str, ...] = ()) -> None:
        if name in done:
            return
        if name in stack:
            raise ValueError(f"generator dependency cycle: {' -> '.join((*stack, name))}")
        gen = GENERATORS[name]
        for dependency in gen.requires:
            visit(dependency, (*stack, name))
        target = targets.get(name, gen.default)
        have = gen.count()
        if have < target:
            started = time.monotonic()
            gen.func(start=have, count=target - have)
            print(
                f"generated {name}: {have:,} → {target:,} in {time.monotonic() - started:.1f} s", flush=True
            )
        done[name] = max(have, target)

    for name in targets:
        visit(name)
    return done


# --- helpers -------------------------------------------------------------------------------------------------


def _chunks(seq: Sequence, size: int) -> Iterable[Sequence]:
    for offset in range(0, len(seq), size):
        yield seq[offset : offset + size]


def _encrypt_chunk(values: Sequence[str]) -> list[tuple[str, str]]:
    from bianmin.core.crypto import pii_encrypt, pii_hash

    return [(pii_encrypt(v), pii_hash(v)) for v in values]


def encrypt_many(values: Sequence[str]) -> list[tuple[str, str]]:
    """(ciphertext, lookup hash) per value, with bianmin.core.crypto; parallel over the cores for large batches."""
    if len(values) < PARALLEL_THRESHOLD:
        return _encrypt_chunk(values)
    workers = max(1, min(4, multiprocessing.cpu_count()))
    size = max(1_000, len(values) // (workers * 4))
    context = multiprocessing.get_context("fork")  # children inherit configured Django settings
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        results: list[tuple[str, str]] = []
        for part in pool.map(_encrypt_chunk, list(_chunks(values, size))):
            results.extend(part)
    return results


def bulk_insert(model, rows: list[dict], *, batch: int = BATCH, encrypted: Iterable[str] = ()) -> None:
    """INSERT rows with executemany, bypassing model save, signals and field encryption.

    Columns named in `encrypted` must already hold ciphertext (see encrypt_many); every other value goes
    through the field's get_db_prep_save. Missing values take the field default (timestamps: now)."""
    from django.db import connection, transaction
    from django.utils import timezone

    encrypted = set(encrypted)
    fields = [
        f
        for f in model._meta.concrete_fields
        if not (f.primary_key and f.name not in (rows[0] if rows else {}))
    ]
    now = timezone.now()
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"

    def value(field, row):
        key = field.attname if field.attname in row else field.name
        if key in row:
            raw = row[key]
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            raw = now
        else:
            raw = field.get_default()
        if field.name in encrypted:
            return raw
        return field.get_db_prep_save(raw, connection)

    for part in _chunks(rows, batch):
        params = [[value(f, row) for f in fields] for row in part]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, params)


def _name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def person_id_card(i: int) -> str:
    """Unique valid 身份证号 per i: born 1940-01-01 + i mod 24,000 days, sequence 500-599 (bench range)."""
    from bianmin.core.validators import id_card_check_char

    days, seq = i % 24_000, i // 24_000
    if seq >= 100:
        raise ValueError("people generator supports 2,400,000 rows")
    born = dt.date(1940, 1, 1) + dt.timedelta(days=days)
    first17 = f"440507{born:%Y%m%d}{500 + seq:03d}"
    return first17 + id_card_check_char(first17)


def person_mobile(i: int) -> str:
    return f"170{i:08d}"  # 170 numbers: not used by the demo seed or the factories


def enterprise_uscc(i: int) -> str:
    from bianmin.core.validators import uscc_check_char

    first17 = f"{ENTERPRISE_USCC_PREFIX}{i:07d}"
    return first17 + uscc_check_char(first17)


def enterprise_legal_id_card(i: int) -> str:
    from bianmin.core.validators import id_card_check_char

    born = dt.date(1950, 1, 1) + dt.timedelta(days=i % 20_000)
    first17 = f"440507{born:%Y%m%d}{600 + i // 20_000:03d}"
    return first17 + id_card_check_char(first17)


# --- people (自然人) ------------------------------------------------------------------------------------------


def _people_count() -> int:
    from bianmin.accounts.models import User

    return User.objects.filter(username__startswith=PEOPLE_PREFIX).count()


@generator("people", count=_people_count, default=1_000)
def people(*, start: int, count: int) -> None:
    """Citizens (kind citizen) with encrypted 身份证号 and mobile, lookup hashes, one shared password hash."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from bianmin.accounts.constants import UserKind
    from bianmin.accounts.models import User

    password = make_password(BENCH_PASSWORD)  # hashed once: Argon2 per row would dominate
    joined = timezone.now()
    for offset in range(start, start + count, BATCH * 4):
        stop = min(start + count, offset + BATCH * 4)
        indexes = range(offset, stop)
        ids = encrypt_many([person_id_card(i) for i in indexes])
        mobiles = encrypt_many([person_mobile(i) for i in indexes])
        rows = []
        for n, i in enumerate(indexes):
            rng = random.Random(i)
            rows.append(
                {
                    "username": f"{PEOPLE_PREFIX}{i:07d}",
                    "password": password,
                    "kind": UserKind.CITIZEN,
                    "full_name": _name(rng),
                    "id_card_no": ids[n][0],
                    "id_card_hash": ids[n][1],
                    "mobile": mobiles[n][0],
                    "mobile_hash": mobiles[n][1],
                    "mobile_verified_at": joined,
                    "privacy_accepted_at": joined,
                    "privacy_version": "bench",
                    "date_joined": joined - dt.timedelta(days=rng.randrange(0, 2000)),
                    "is_active": True,
                }
            )
        bulk_insert(User, rows, encrypted=("id_card_no", "mobile"))


# --- enterprises (法人) ---------------------------------------------------------------------------------------


def _enterprise_count() -> int:
    from bianmin.accounts.models import Enterprise

    return Enterprise.objects.filter(uscc__startswith=ENTERPRISE_USCC_PREFIX).count()


@generator("enterprises", count=_enterprise_count, requires=("people",), default=200)
def enterprises(*, start: int, count: int) -> None:
    """Enterprises with valid USCCs, each with a generated person as its administrator member."""
    from bianmin.accounts.models import Enterprise, EnterpriseMembership, User

    people_total = _people_count()
    if people_total == 0:
        raise RuntimeError("enterprises need generated people (ensure(people=…) first)")
    for offset in range(start, start + count, BATCH):
        indexes = range(offset, min(start + count, offset + BATCH))
        legal_ids = encrypt_many([enterprise_legal_id_card(i) for i in indexes])
        rows = []
        for n, i in enumerate(indexes):
            rng = random.Random(1_000_000_000 + i)
            street, road = rng.choice(STREETS), rng.choice(ROADS)
            rows.append(
                {
                    "name": f"汕头市龙湖区{_name(rng)[1:]}{rng.choice(TRADES)}{rng.choice(FORMS)}（{i}）",
                    "uscc": enterprise_uscc(i),
                    "legal_representative": _name(rng),
                    "legal_representative_id_card_no": legal_ids[n][0],
                    "address": f"汕头市龙湖区{street}{road}{rng.randrange(1, 300)}号",
                    "object_type": "2",
                }
            )
        bulk_insert(Enterprise, rows, encrypted=("legal_representative_id_card_no",))
        enterprise_ids = dict(
            Enterprise.objects.filter(uscc__in=[r["uscc"] for r in rows]).values_list("uscc", "pk")
        )
        usernames = [f"{PEOPLE_PREFIX}{i % people_total:07d}" for i in indexes]
        user_ids = dict(User.objects.filter(username__in=usernames).values_list("username", "pk"))
        bulk_insert(
            EnterpriseMembership,
            [
                {
                    "enterprise_id": enterprise_ids[enterprise_uscc(i)],
                    "user_id": user_ids[f"{PEOPLE_PREFIX}{i % people_total:07d}"],
                    "is_admin": True,
                    "is_active": True,
                }
                for i in indexes
            ],
        )


# --- reference data: the demo district ---------------------------------------------------------------------


def _reference_count() -> int:
    from bianmin.organisations.models import Department

    return 1 if Department.objects.exists() else 0


@generator("reference", count=_reference_count, default=1)
def reference(*, start: int, count: int) -> None:
    """Regions, departments, halls, calendar, demo accounts and catalog: `manage.py seed_demo` (idempotent)."""
    import io

    from django.core.management import call_command

    call_command("seed_demo", stdout=io.StringIO())


# --- catalog items (事项) with one published version each ----------------------------------------------------

ITEM_SUBJECTS = [
    "食品经营",
    "药品零售",
    "道路货物运输",
    "建筑工程施工",
    "城镇污水排入排水管网",
    "户外广告设置",
    "民办学校",
    "养老机构",
    "公共场所卫生",
    "烟草专卖零售",
    "特种设备使用",
    "再生资源回收",
    "残疾人两项补贴",
    "高龄老人津贴",
    "城乡居民医疗保险",
    "灵活就业人员社保",
    "出租汽车经营",
    "河道采砂",
    "城市道路占用挖掘",
    "林木采伐",
    "个体工商户",
    "农民专业合作社",
    "人力资源服务",
    "劳务派遣经营",
    "医疗机构执业",
    "母婴保健技术服务",
    "放射诊疗",
    "二次供水卫生",
    "娱乐场所经营",
    "营业性演出",
    "网吧经营",
    "出版物零售",
    "印刷经营",
    "危险化学品经营",
    "燃气经营",
    "犬只登记",
    "最低生活保障",
    "临时救助",
    "特困人员供养",
    "婚姻登记",
]
ITEM_ACTIONS = [
    "许可",
    "许可证核发",
    "许可变更",
    "许可延续",
    "许可注销",
    "登记",
    "备案",
    "资格认定",
    "申领",
    "补贴发放",
]
ITEM_TYPES = ["01", "01", "01", "05", "07", "07", "08", "09", "10", "20", "20"]
ITEM_CODE_PREFIX = "BN"  # catalog codes "BN" + 7 digits + "000": the bench range


def _items_count() -> int:
    from bianmin.catalog.models import ServiceItem

    return ServiceItem.objects.filter(catalog_code__startswith=ITEM_CODE_PREFIX).count()


@generator("items", count=_items_count, requires=("reference",), default=1_000)
def items(*, start: int, count: int) -> None:
    """Service items of the demo departments with one published, in-use version; search index rebuilt."""
    from django.db import connection, transaction
    from django.utils import timezone

    from bianmin.catalog.models import ItemVersion, ServiceItem
    from bianmin.catalog.search import reindex_items
    from bianmin.organisations.models import Department

    departments = list(Department.objects.filter(is_active=True).order_by("pk").values_list("pk", "uscc"))
    if not departments:
        raise RuntimeError("items need departments: ensure(reference=1) first")
    now = timezone.now()
    for offset in range(start, start + count, BATCH):
        indexes = range(offset, min(start + count, offset + BATCH))
        item_rows, codes = [], []
        for i in indexes:
            department_id, uscc = departments[i % len(departments)]
            catalog_code = f"{ITEM_CODE_PREFIX}{i:07d}000"
            implementation_code = f"{uscc}4{catalog_code}"
            codes.append(implementation_code)
            item_rows.append(
                {
                    "implementation_code": implementation_code,
                    "handle_item_code": "",
                    "code": implementation_code,
                    "catalog_code": catalog_code,
                    "codes_valid": True,
                    "department_id": department_id,
                    "is_taken_at_local_hall": i % 3 == 0,
                    "is_nearby": i % 3 == 0,
                    "sort_order": i,
                }
            )
        bulk_insert(ServiceItem, item_rows)
        item_ids = dict(ServiceItem.objects.filter(code__in=codes).values_list("code", "pk"))
        version_rows = []
        for i, code in zip(indexes, codes, strict=True):
            rng = random.Random(2_000_000_000 + i)
            subject, action = ITEM_SUBJECTS[i % len(ITEM_SUBJECTS)], rng.choice(ITEM_ACTIONS)
            handle_kind = "1" if rng.random() < 0.35 else "2"
            objects = rng.choice([["1"], ["2"], ["1", "2"], ["2", "5"]])
            forms = rng.choice([["1"], ["1", "2"], ["1", "2", "3"]])
            depth = rng.choice([["1", "2"], ["1", "2", "3", "4"], ["1", "2", "3", "4", "5", "6"]])
            statutory = rng.choice([5, 10, 15, 20, 30, 60])
            visits = rng.choice([0, 1, 1, 1, 2])
            scope = rng.choice(["", "3", "4", "4", "5"])
            version_rows.append(
                {
                    "item_id": item_ids[code],
                    "number": 1,
                    "state": "published",
                    "status": "1",
                    "name": f"{subject}{action}",
                    "aliases": [],
                    "item_type": rng.choice(ITEM_TYPES),
                    "exercise_level": "4",
                    "service_objects": objects,
                    "conditions": f"申请{subject}{action}应当具备法律法规规定的条件。",
                    "statutory_limit": statutory,
                    "promised_limit": 0 if handle_kind == "1" else max(1, statutory // rng.choice([2, 3, 4])),
                    "handle_kind": handle_kind,
                    "handling_forms": forms,
                    "visits_required": visits,
                    "online_depth": depth,
                    "universal_scope": scope,
                    "is_instant": handle_kind == "1",
                    "is_online": "4" in depth or "5" in depth,
                    "is_one_visit": visits <= 1,
                    "is_nearby_scope": scope in ("1", "2", "3", "4"),
                    "serves_natural_person": "1" in objects,
                    "serves_legal_person": any(o != "1" for o in objects),
                    "is_window_handled": "1" in forms,
                    "consultation_phone": "0754-88000000",
                    "published_at": now,
                }
            )
        bulk_insert(ItemVersion, version_rows)
        items_table = connection.ops.quote_name(ServiceItem._meta.db_table)
        versions_table = connection.ops.quote_name(ItemVersion._meta.db_table)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {items_table} SET current_version_id = (SELECT v.id FROM {versions_table} v"
                f" WHERE v.item_id = {items_table}.id AND v.number = 1)"
                f" WHERE current_version_id IS NULL AND catalog_code LIKE %s",
                [f"{ITEM_CODE_PREFIX}%"],
            )
        reindex_items(item_ids.values())


# --- staff (工作人员) of the bench district ---------------------------------------------------------------------

STAFF_PREFIX = "bench-s-"


def _staff_count() -> int:
    from bianmin.accounts.models import User

    return 1 if User.objects.filter(username__startswith=STAFF_PREFIX).exists() else 0


def staff_username(role: str, pk: int | None = None) -> str:
    """bench-s-reviewer-0003 (department 3), bench-s-window_clerk-0002 (hall 2), bench-s-supervisor."""
    return f"{STAFF_PREFIX}{role}" + (f"-{pk:04d}" if pk is not None else "")


@generator("staff", count=_staff_count, requires=("reference",), default=1)
def staff(*, start: int, count: int) -> None:
    """A reviewer and a head per active department, a window clerk per hall, one supervisor (idempotent).

    Password BENCH_PASSWORD; the benchmarks log them in or give them API tokens."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from bianmin.accounts.constants import Role, UserKind
    from bianmin.accounts.models import RoleAssignment, User
    from bianmin.organisations.models import Department, Hall

    password = make_password(BENCH_PASSWORD)
    wanted: list[tuple[str, str, dict]] = []
    for department_id, name in (
        Department.objects.filter(is_active=True).order_by("pk").values_list("pk", "name")
    ):
        wanted.append(
            (
                staff_username(Role.REVIEWER, department_id),
                f"{name[:20]}审核员",
                {"role": Role.REVIEWER, "department_id": department_id},
            )
        )
        wanted.append(
            (
                staff_username(Role.HEAD, department_id),
                f"{name[:20]}负责人",
                {"role": Role.HEAD, "department_id": department_id},
            )
        )
    for hall_id, name in Hall.objects.order_by("pk").values_list("pk", "name"):
        wanted.append(
            (
                staff_username(Role.WINDOW_CLERK, hall_id),
                f"{name[:20]}窗口",
                {"role": Role.WINDOW_CLERK, "hall_id": hall_id},
            )
        )
    wanted.append((staff_username(Role.SUPERVISOR), "效能监督员", {"role": Role.SUPERVISOR}))
    existing = set(User.objects.filter(username__startswith=STAFF_PREFIX).values_list("username", flat=True))
    with transaction.atomic():
        for username, full_name, role in wanted:
            if username in existing:
                continue
            user = User.objects.create(
                username=username, password=password, kind=UserKind.STAFF, full_name=full_name, is_active=True
            )
            RoleAssignment.objects.create(user=user, **role)


# --- cases (办件) ------------------------------------------------------------------------------------------
#
# 1,000,000 cases with their events, materials and review tasks in minutes: rows are built as lists in
# column order from a template of prepared defaults (no per-field get_db_prep_save), values come from a
# cheap 64-bit hash of the row index (deterministic without seeding an RNG per row), working days from a
# precomputed table, and batches go in with executemany on SQLite (synchronous=OFF, foreign keys off for
# the load) or COPY on PostgreSQL. Each batch (cases and all their rows) is one transaction, so an
# interrupted run resumes where it stopped.

CASE_KEY_PREFIX = "bench-"
CASE_SERIAL_BASE = 50_000  # daily serials 50000+: clear of the demo seed's and the services' low serials
CASE_DAYS = 2 * 365  # submitted over the two years before today
CASE_BATCH = 20_000
JOINT_ITEM_EVERY = 10  # every 10th bench item needs a partner department (并联审批)
_M64 = (1 << 64) - 1
# state, share in basis points: most cases are delivered; open work is recent; ~10 % of open cases overdue
CASE_STATES = [
    ("delivered", 7900),
    ("concluded", 300),
    ("in_review", 450),
    ("accepted", 100),
    ("submitted", 120),
    ("awaiting_correction", 80),
    ("declined", 350),
    ("withdrawn", 250),
    ("voided", 50),
    ("draft", 400),
]
OVERDUE_SHARE = 10  # % of accepted/in-review cases past their deadline
ENTERPRISE_SHARE = 25  # % of cases applied for by an enterprise (when enterprises were generated)
WINDOW_SHARE = 35  # % of cases taken in at a window (the rest online)


def _mix(i: int, salt: int) -> int:
    """splitmix64 of i: 64 well-mixed bits per row, the same for the same row in every run."""
    z = ((i + salt) * 0x9E3779B97F4A7C15) & _M64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _M64
    return z ^ (z >> 31)


def _cases_count() -> int:
    from bianmin.cases.models import Case

    return Case.objects.filter(idempotency_key__startswith=CASE_KEY_PREFIX).count()


class _Workdays:
    """Working days from the calendar table (official and provisional years); weekdays where it has none.

    Precomputed as a sorted list, so add/sub are index arithmetic."""

    def __init__(self, first: dt.date, last: dt.date):
        from bianmin.workdays.models import CalendarDay

        known = dict(
            CalendarDay.objects.filter(date__gte=first, date__lte=last).values_list("date", "is_workday")
        )
        self.days: list[dt.date] = []
        self.position: dict[dt.date, int] = {}  # day -> index of the last working day on or before it
        day = first
        while day <= last:
            workday = known.get(day)
            if workday if workday is not None else day.weekday() < 5:
                self.days.append(day)
            self.position[day] = len(self.days) - 1
            day += dt.timedelta(days=1)

    def add(self, day: dt.date, n: int) -> dt.date:
        """The nth working day after `day` (day not counted); n = 0: the day itself."""
        if n <= 0:
            return day
        return self.days[min(self.position[day] + n, len(self.days) - 1)]

    def sub(self, day: dt.date, n: int) -> dt.date:
        """The working day n working days before `day` (n = 0: the last working day on or before it)."""
        return self.days[max(self.position[day] - n, 0)]


class _Table:
    """One table's INSERT: every concrete column, rows as lists built from a template of prepared defaults."""

    def __init__(self, model, connection, *, with_pk: bool = False):
        from django.utils import timezone

        self.model = model
        self.connection = connection
        fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
        now = timezone.now()
        template = []
        for f in fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                raw = now
            else:
                raw = f.get_default()
            value = f.get_db_prep_save(raw, connection)
            template.append(getattr(value, "obj", value))  # psycopg Jsonb wrapper → plain object
            if isinstance(template[-1], dict | list):
                template[-1] = json.dumps(template[-1])
        self.template = template
        self.col = {f.attname: n for n, f in enumerate(fields)}
        self.table = model._meta.db_table
        self.columns = [f.column for f in fields]

    def row(self) -> list:
        return self.template.copy()

    def insert(self, rows: list[list]) -> None:
        if not rows:
            return
        ops = self.connection.ops
        columns = ", ".join(ops.quote_name(c) for c in self.columns)
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {ops.quote_name(self.table)} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                raw = self.connection.connection.cursor()
                marks = ", ".join("?" * len(self.columns))
                raw.executemany(
                    f"INSERT INTO {ops.quote_name(self.table)} ({columns}) VALUES ({marks})", rows
                )


def _bench_context(connection):
    """Reference rows the cases point at: bench items, people (with their ciphertexts), enterprises, staff."""
    from bianmin.accounts.constants import Role
    from bianmin.accounts.models import Enterprise, EnterpriseMembership, RoleAssignment, User
    from bianmin.catalog.models import ItemVersion, ServiceItem
    from bianmin.core.crypto import pii_encrypt, pii_hash
    from bianmin.core.masking import mask_id_card
    from bianmin.organisations.models import Department, Hall

    catalog = list(
        ServiceItem.objects.filter(catalog_code__startswith=ITEM_CODE_PREFIX, current_version__isnull=False)
        .order_by("pk")
        .values_list(
            "pk",
            "current_version_id",
            "department_id",
            "department__short_code",
            "current_version__promised_limit",
            "current_version__name",
        )
    )
    user_table = connection.ops.quote_name(User._meta.db_table)
    with connection.cursor() as cursor:  # ciphertexts as stored: the cases copy them, no decryption
        cursor.execute(
            f"SELECT id, full_name, id_card_no, id_card_hash, mobile FROM {user_table}"
            " WHERE username LIKE %s ORDER BY username",
            [f"{PEOPLE_PREFIX}%"],
        )
        people_rows = [
            (
                uid,
                name,
                id_cipher,
                id_hash,
                mobile,
                mask_id_card(person_id_card(n)),
                person_mobile(n)[-4:],
                json.dumps({"联系人": name}, ensure_ascii=False),  # the form data of this person's cases
            )
            for n, (uid, name, id_cipher, id_hash, mobile) in enumerate(cursor.fetchall())
        ]
    if not catalog or not people_rows:
        raise RuntimeError("cases need generated items and people")
    members = dict(
        EnterpriseMembership.objects.filter(
            enterprise__uscc__startswith=ENTERPRISE_USCC_PREFIX, is_admin=True
        )
        .order_by("enterprise_id", "pk")
        .values_list("enterprise_id", "user_id")
    )
    enterprises = [
        (pk, name, pii_encrypt(uscc), pii_hash(uscc), mask_id_card(uscc), members.get(pk))
        for pk, name, uscc in Enterprise.objects.filter(uscc__startswith=ENTERPRISE_USCC_PREFIX)
        .order_by("pk")
        .values_list("pk", "name", "uscc")
    ]
    enterprises = [e for e in enterprises if e[5] is not None]
    reviewers: dict[int, int] = {}  # department -> its bench reviewer (bench staff, see the staff generator)
    clerks: list[tuple[int, int]] = []  # (hall, its bench clerk)
    for department_id, hall_id, role, user_id in (
        RoleAssignment.objects.filter(user__username__startswith=STAFF_PREFIX, is_active=True)
        .order_by("pk")
        .values_list("department_id", "hall_id", "role", "user_id")
    ):
        if role == Role.REVIEWER:
            reviewers[department_id] = user_id
        elif role == Role.WINDOW_CLERK:
            clerks.append((hall_id, user_id))
    halls = list(Hall.objects.order_by("pk").values_list("pk", flat=True))
    departments = list(Department.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True))

    # 并联审批: every JOINT_ITEM_EVERY-th bench item names a partner department (idempotent)
    through = ItemVersion.partner_departments.through
    joint: dict[int, int] = {}
    for k, (_item, version_id, department_id, *_rest) in enumerate(catalog):
        if k % JOINT_ITEM_EVERY == 3 and len(departments) > 1:
            at = departments.index(department_id) if department_id in departments else 0
            joint[version_id] = departments[(at + 1 + k % 3) % len(departments)]
            if joint[version_id] == department_id:
                joint[version_id] = departments[(at + 1) % len(departments)]
    have = set(
        through.objects.filter(itemversion_id__in=list(joint)).values_list("itemversion_id", flat=True)
    )
    through.objects.bulk_create(
        [through(itemversion_id=v, department_id=d) for v, d in joint.items() if v not in have],
        batch_size=5_000,
    )
    joint = dict(
        through.objects.filter(itemversion_id__in=list(joint))
        .order_by("itemversion_id", "department_id")
        .values_list("itemversion_id", "department_id")
    )
    return catalog, people_rows, enterprises, reviewers, clerks, halls, joint


def _serials(connection) -> dict[tuple[str, str], int]:
    """Next daily serial per (date, department code) of the bench cases already in the database."""
    from bianmin.cases.models import Case

    table = connection.ops.quote_name(Case._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT substr(number, 7, 8), substr(number, 15, 4), max(substr(number, 19, 5)) FROM {table}"
            " WHERE idempotency_key LIKE %s AND number IS NOT NULL"
            " GROUP BY substr(number, 7, 8), substr(number, 15, 4)",
            [f"{CASE_KEY_PREFIX}%"],
        )
        return {(day, code): int(serial) + 1 for day, code, serial in cursor.fetchall()}


@generator("cases", count=_cases_count, requires=("items", "people", "enterprises", "staff"), default=10_000)
def cases(*, start: int, count: int) -> None:
    """Cases over the last two years in every state, with events, materials, lead and partner review tasks.

    Shares: CASE_STATES (delivered most; open work recent, OVERDUE_SHARE % of it past its deadline),
    ENTERPRISE_SHARE % by enterprises, WINDOW_SHARE % taken in at a window. Deadlines from the calendar
    table. Not generated: suspensions, extensions, visits rows (visits_count is set), payments."""
    import bisect
    import uuid
    from itertools import accumulate

    from django.db import connection, transaction
    from django.utils import timezone

    from bianmin.cases.models import Case, CaseEvent, CaseMaterial, ReviewTask

    catalog, people_rows, enterprises, reviewers, clerks, halls, joint = _bench_context(connection)
    today = timezone.localdate()
    workdays = _Workdays(today - dt.timedelta(days=CASE_DAYS + 120), today + dt.timedelta(days=400))
    utc_offset = timezone.get_current_timezone().utcoffset(dt.datetime.combine(today, dt.time(12)))
    latest = timezone.now().astimezone(dt.UTC).replace(tzinfo=None) - dt.timedelta(minutes=5)
    postgres = connection.vendor == "postgresql"

    # values in database form: naive UTC datetimes as text and hex UUIDs on SQLite, objects on PostgreSQL
    if postgres:

        def ts(day: dt.date, minute: int):
            """Office hours (09:00 + minute mod 8 h, local) of `day`, never later than five minutes ago."""
            return min(
                dt.datetime(day.year, day.month, day.day, 9)
                + dt.timedelta(minutes=minute % 480)
                - utc_offset,
                latest,
            ).replace(tzinfo=dt.UTC)

        def dday(day):
            return day

        def uid(value: uuid.UUID):
            return value

        def later(stamp, days: int):
            return min(stamp + dt.timedelta(days=days), latest.replace(tzinfo=dt.UTC))
    else:

        def ts(day: dt.date, minute: int):
            return str(
                min(
                    dt.datetime(day.year, day.month, day.day, 9)
                    + dt.timedelta(minutes=minute % 480)
                    - utc_offset,
                    latest,
                )
            )

        def dday(day):
            return None if day is None else day.isoformat()

        def uid(value: uuid.UUID):
            return value.hex

        def later(stamp, days: int):
            return str(min(dt.datetime.fromisoformat(stamp) + dt.timedelta(days=days), latest))

    case_t = _Table(Case, connection, with_pk=True)
    event_t = _Table(CaseEvent, connection)
    task_t = _Table(ReviewTask, connection)
    material_t = _Table(CaseMaterial, connection)
    C, E, T, M = case_t.col, event_t.col, task_t.col, material_t.col
    e_case, e_kind, e_actor, e_role, e_at, e_from, e_to = (
        E[n] for n in ("case_id", "kind", "actor_id", "role", "at", "state_from", "state_to")
    )
    states = [s for s, _w in CASE_STATES]
    cumulative = list(accumulate(w for _s, w in CASE_STATES))
    serials = _serials(connection) if start else {}
    n_items, n_people, n_ent = len(catalog), len(people_rows), len(enterprises)
    fallback_reviewer = next(iter(reviewers.values()), None)

    def event(rows, case_id, kind, at, state_from, state_to, actor=None, role=""):
        row = event_t.row()
        row[e_case], row[e_kind], row[e_actor], row[e_role] = case_id, kind, actor, role
        row[e_at], row[e_from], row[e_to] = at, state_from, state_to
        rows.append(row)

    def task(rows, case_id, department_id, lead, state, created, done_at=None, done_by=None, opinion=""):
        row = task_t.row()
        row[T["case_id"]], row[T["department_id"]], row[T["is_lead"]] = case_id, department_id, lead
        row[T["state"]], row[T["opinion"]] = state, opinion
        row[T["done_by_id"]], row[T["done_at"]] = done_by, done_at
        row[T["created_at"]], row[T["updated_at"]] = created, done_at or created
        rows.append(row)

    def material(rows, case_id, name, number, added_by, at):
        row = material_t.row()
        row[M["case_id"]], row[M["name"]], row[M["kind"]] = case_id, name, "upload"
        row[M["file"]] = f"cases/materials/bench/{number}.pdf"
        row[M["file_name"]], row[M["content_type"]], row[M["size"]] = f"{name}.pdf", "application/pdf", 48_213
        row[M["sha256"]], row[M["trust_level"]] = hashlib.sha256(number.encode()).hexdigest(), "C"
        row[M["added_by_id"]], row[M["created_at"]], row[M["updated_at"]] = added_by, at, at
        rows.append(row)

    sql_connection = connection
    # PRAGMAs only outside a transaction (SQLite refuses to change them inside one, e.g. in a test).
    tune_sqlite = not postgres and not connection.in_atomic_block
    if tune_sqlite:
        connection.ensure_connection()
        raw = connection.connection
        raw.execute("PRAGMA synchronous=OFF")  # bench file only: a crash during generation may lose it
        raw.execute("PRAGMA foreign_keys=OFF")  # every key below points at a row read above
        raw.execute("PRAGMA cache_size=-400000")
        raw.execute("PRAGMA temp_store=MEMORY")
    try:
        for offset in range(start, start + count, CASE_BATCH):
            case_rows, event_rows, task_rows, material_rows = [], [], [], []
            for i in range(offset, min(start + count, offset + CASE_BATCH)):
                h = _mix(i, 0xC45E)
                state = states[bisect.bisect_right(cumulative, h % 10_000)]
                r = h >> 14
                k = r % n_items
                r //= n_items
                item_id, version_id, department_id, short_code, promised, item_name = catalog[k]
                limit = promised or 1
                p = r % n_people
                r //= n_people
                person = people_rows[p]
                by_enterprise = n_ent and r % 100 < ENTERPRISE_SHARE
                r //= 100
                at_window = r % 100 < WINDOW_SHARE
                r //= 100
                pick = r % 1_000_003  # a spare draw for the small choices below
                case_id = uuid.UUID(int=(0xBE7C << 112) | i)
                cid = uid(case_id)
                row = case_t.row()
                row[C["id"]], row[C["item_id"]], row[C["item_version_id"]] = cid, item_id, version_id
                row[C["department_id"]], row[C["state"]] = department_id, state
                if by_enterprise:
                    ent_id, ent_name, ent_cipher, ent_hash, ent_masked, member = enterprises[p % n_ent]
                    applicant = member
                    row[C["enterprise_id"]], row[C["applicant_kind"]] = ent_id, "enterprise"
                    row[C["applicant_name"]], row[C["applicant_id_no"]] = ent_name, ent_cipher
                    row[C["applicant_id_hash"]], row[C["applicant_id_masked"]] = ent_hash, ent_masked
                    row[C["applicant_mobile_tail"]] = ""
                else:
                    applicant = person[0]
                    row[C["applicant_kind"]], row[C["applicant_name"]] = "person", person[1]
                    row[C["applicant_id_no"]], row[C["applicant_id_hash"]] = person[2], person[3]
                    row[C["applicant_mobile"]], row[C["applicant_id_masked"]] = person[4], person[5]
                    row[C["applicant_mobile_tail"]] = person[6]
                row[C["applicant_id"]] = applicant
                if at_window and clerks:
                    hall_id, creator = clerks[pick % len(clerks)]
                    row[C["channel"]], row[C["hall_id"]] = "window", hall_id
                    row[C["visits_count"]] = 1 + (pick % 7 == 0)
                else:
                    creator = applicant
                    row[C["channel"]] = "online"
                    row[C["visits_count"]] = 1 if state == "delivered" and pick % 3 == 0 else 0
                row[C["created_by_id"]], row[C["idempotency_key"]] = creator, f"{CASE_KEY_PREFIX}{i}"
                row[C["form_data"]] = person[7]
                reviewer = reviewers.get(department_id, fallback_reviewer)
                partner = joint.get(version_id)

                # the dates, working backwards from today for open work
                accepted_on = concluded_on = None
                if state == "draft":
                    day = today - dt.timedelta(days=pick % 90)
                elif state in ("accepted", "in_review"):
                    used = pick % limit if pick % 100 >= OVERDUE_SHARE else limit + 1 + pick % 12
                    accepted_on = workdays.sub(today, used)
                    day = workdays.sub(accepted_on, pick % 2)
                elif state == "concluded":
                    concluded_on = workdays.sub(today, pick % 8)
                    accepted_on = workdays.sub(concluded_on, pick % (limit + 1))
                    day = workdays.sub(accepted_on, pick % 2)
                elif state == "submitted":
                    day = workdays.sub(today, pick % 7)
                elif state == "awaiting_correction":
                    day = workdays.sub(today, 1 + pick % 20)
                else:  # finished: spread over the two years, far enough back that every step is past
                    day = workdays.sub(today - dt.timedelta(days=50 + pick % (CASE_DAYS - 50)), 0)
                    if state == "delivered":
                        accepted_on = workdays.add(day, pick % 3 // 2)
                        on_time = pick % 100 < 93
                        used = max(0, limit - pick % 4) if on_time else limit + 1 + pick % 5
                        concluded_on = workdays.add(accepted_on, used)

                created = ts(day, i)
                row[C["created_at"]] = created
                events = event_rows
                event(events, cid, "save_draft", created, "", "draft", creator)
                n_events = 1
                last = created
                if state != "draft":
                    day_key = (day.strftime("%Y%m%d"), short_code)
                    serial = serials.get(day_key, CASE_SERIAL_BASE)
                    serials[day_key] = serial + 1
                    number = f"440507{day_key[0]}{short_code}{serial:05d}"
                    submitted = ts(day, i + 5)
                    row[C["number"]], row[C["submitted_at"]] = number, submitted
                    row[C["intake_started_on"]] = dday(day)
                    row[C["intake_due_on"]] = dday(workdays.add(day, 5))
                    event(events, cid, "submit", submitted, "draft", "submitted", creator)
                    n_events += 1
                    last = submitted
                    material(material_rows, cid, "申请表", f"{number}a", creator, submitted)
                    if pick % 2:
                        kind_name = "营业执照" if by_enterprise else "身份证明"
                        material(material_rows, cid, kind_name, f"{number}b", creator, submitted)
                if state == "awaiting_correction":
                    last = ts(workdays.add(day, pick % 3), i + 60)
                    event(events, cid, "request_correction", last, "submitted", state, None, "window_clerk")
                    n_events += 1
                elif state == "declined":
                    last = ts(workdays.add(day, pick % 4), i + 90)
                    row[C["decline_reason"]] = "申请材料不齐全且逾期未补正。"
                    row[C["decline_legal_basis"]] = "《中华人民共和国行政许可法》第三十二条"
                    event(events, cid, "decline", last, "submitted", state, None, "window_clerk")
                    n_events += 1
                elif state in ("withdrawn", "voided"):
                    last = ts(workdays.add(day, pick % 4), i + 300)
                    row[C["closed_at"]] = last
                    row[C["closed_reason"]] = (
                        "申请人申请撤回。" if state == "withdrawn" else "重复申报，作废。"
                    )
                    kind = "withdraw" if state == "withdrawn" else "void"
                    actor = applicant if state == "withdrawn" else reviewer
                    event(
                        events,
                        cid,
                        kind,
                        last,
                        "submitted",
                        state,
                        actor,
                        "" if actor == applicant else "head",
                    )
                    n_events += 1
                if accepted_on is not None:
                    accepted = ts(accepted_on, i + 120)
                    deadline = workdays.add(accepted_on, limit)
                    row[C["accepted_on"]], row[C["acceptance_mode"]] = dday(accepted_on), "standard"
                    row[C["accepted_by_id"]] = creator if at_window else reviewer
                    row[C["limit_days"]], row[C["deadline_on"]] = limit, dday(deadline)
                    row[C["is_late_intake"]] = accepted_on > workdays.add(day, 5)
                    event(events, cid, "accept", accepted, "submitted", "accepted", None, "window_clerk")
                    n_events += 1
                    last = accepted
                if state in ("in_review", "concluded", "delivered"):
                    started = ts(accepted_on, i + 125)
                    event(events, cid, "start_review", started, "accepted", "in_review", reviewer, "reviewer")
                    n_events += 1
                    last = started
                    if state == "in_review":
                        task(task_rows, cid, department_id, True, "open", started)
                        if partner is not None:
                            if pick % 2:
                                done = ts(workdays.add(accepted_on, 1), i + 180)
                                task(task_rows, cid, partner, False, "done", started, done, None, "同意。")
                                event(events, cid, "review", done, "in_review", "in_review", None, "reviewer")
                                n_events += 1
                            else:
                                task(task_rows, cid, partner, False, "open", started)
                    else:
                        concluded = ts(concluded_on, i + 200)
                        approved = pick % 20 != 0
                        opinion = "同意。" if approved else "不予许可。"
                        if partner is not None:
                            task(task_rows, cid, partner, False, "done", started, concluded, None, "同意。")
                            event(
                                events, cid, "review", concluded, "in_review", "in_review", None, "reviewer"
                            )
                            n_events += 1
                        task(
                            task_rows, cid, department_id, True, "done", started, concluded, reviewer, opinion
                        )
                        event(
                            events, cid, "review", concluded, "in_review", "in_review", reviewer, "reviewer"
                        )
                        event(events, cid, "conclude", concluded, "in_review", "concluded", reviewer, "head")
                        n_events += 2
                        row[C["concluded_at"]], row[C["concluded_by_id"]] = concluded, reviewer
                        row[C["decision"]] = "approved" if approved else "denied"
                        if not approved:
                            row[C["decision_reasons"]] = "申请不符合法定条件。"
                            row[C["remedies"]] = "可在六十日内申请行政复议，或在六个月内提起行政诉讼。"
                        last = concluded
                        if state == "delivered":
                            channel = ("pickup", "post", "electronic")[pick % 3]
                            delivered = later(concluded, pick % 3)
                            row[C["delivery_channel"]], row[C["delivered_at"]] = channel, delivered
                            if channel == "pickup" and halls:
                                row[C["delivery_hall_id"]] = halls[pick % len(halls)]
                                row[C["delivery_recipient"]] = row[C["applicant_name"]][:64]
                            elif channel == "post":
                                row[C["delivery_tracking_no"]] = f"SF{i:012d}"
                            event(
                                events,
                                cid,
                                "deliver",
                                delivered,
                                "concluded",
                                "delivered",
                                None,
                                "window_clerk",
                            )
                            n_events += 1
                            last = delivered
                row[C["version"]] = n_events
                row[C["updated_at"]] = last
                case_rows.append(row)
            with transaction.atomic(using=sql_connection.alias):
                case_t.insert(case_rows)
                event_t.insert(event_rows)
                task_t.insert(task_rows)
                material_t.insert(material_rows)
            done = min(start + count, offset + CASE_BATCH) - start
            if done % 200_000 < CASE_BATCH or done == count:
                print(f"  cases: {start + done:,}", flush=True)
    finally:
        if tune_sqlite:
            raw.execute("PRAGMA foreign_keys=ON")
            raw.execute("PRAGMA synchronous=NORMAL")
    _analyse(connection, [Case, CaseEvent, ReviewTask, CaseMaterial])


def _analyse(connection, models) -> None:
    """Fresh planner statistics after a bulk load (autovacuum would get there later; SQLite never)."""
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


# --- command line --------------------------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    from bench.run import OUT, bench_environment, prepare_django

    load_generators()
    if not argv or any("=" not in a for a in argv):
        print("usage: python -m bench.generate NAME=COUNT …   generators: " + ", ".join(GENERATORS))
        return 2
    targets = {
        name: int(value.replace("_", "").replace(",", "")) for name, value in (a.split("=", 1) for a in argv)
    }
    prepare_django(bench_environment(OUT), static=False)
    for name, total in ensure(**targets).items():
        print(f"{name}: {total:,}")
    return 0


if __name__ == "__main__":
    from bench import generate as _module  # register into the importable module, not __main__

    sys.exit(_module.main(sys.argv[1:]))
