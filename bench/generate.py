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


# --- cases (办件) ------------------------------------------------------------------------------------------

CASE_KEY_PREFIX = "bench-"
CASE_SERIAL_BASE = 50_000  # daily serials 50000+: clear of the demo seed's low serials
CASE_DAYS = 3 * 365  # submitted over the three years before today
RECENT_DAYS = 30
RECENT_STATES = frozenset({"draft", "submitted", "awaiting_correction", "accepted", "in_review"})
# state, share: most cases are finished; a realistic tail is open or ended early.
CASE_STATES = [
    ("delivered", 0.58),
    ("concluded", 0.08),
    ("in_review", 0.08),
    ("accepted", 0.04),
    ("submitted", 0.05),
    ("awaiting_correction", 0.02),
    ("declined", 0.03),
    ("withdrawn", 0.03),
    ("voided", 0.01),
    ("draft", 0.08),
]


def _cases_count() -> int:
    from bianmin.cases.models import Case

    return Case.objects.filter(idempotency_key__startswith=CASE_KEY_PREFIX).count()


class _Workdays:
    """Working days from the calendar table (official and provisional years); weekdays where it has none."""

    def __init__(self):
        from bianmin.workdays.models import CalendarDay

        rows = dict(CalendarDay.objects.values_list("date", "is_workday"))
        self.known = rows

    def is_workday(self, day: dt.date) -> bool:
        known = self.known.get(day)
        return known if known is not None else day.weekday() < 5

    def add(self, day: dt.date, n: int) -> dt.date:
        for _ in range(3 * n + 30):  # bounded: n working days fit in 3n + 30 calendar days
            if n <= 0:
                return day
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                n -= 1
        return day


@generator("cases", count=_cases_count, requires=("items", "people"), default=10_000)
def cases(*, start: int, count: int) -> None:
    """Cases over the last three years in every state, with their events and lead review tasks.

    Deadlines use the calendar table; suspensions, extensions, materials and partner tasks are not generated."""
    import uuid

    from django.utils import timezone

    from bianmin.accounts.models import User
    from bianmin.cases.models import Case, CaseEvent, ReviewTask
    from bianmin.catalog.models import ServiceItem
    from bianmin.core.masking import mask_id_card

    catalog = list(
        ServiceItem.objects.filter(catalog_code__startswith=ITEM_CODE_PREFIX, current_version__isnull=False)
        .order_by("pk")
        .values_list(
            "pk",
            "current_version_id",
            "department_id",
            "department__short_code",
            "current_version__promised_limit",
        )
    )
    people_rows = list(
        User.objects.filter(username__startswith=PEOPLE_PREFIX)
        .order_by("username")
        .values_list("pk", "full_name", "id_card_hash")
    )
    if not catalog or not people_rows:
        raise RuntimeError("cases need generated items and people")
    workdays = _Workdays()
    today = timezone.localdate()
    first_day = today - dt.timedelta(days=CASE_DAYS)
    tz = timezone.get_current_timezone()
    states, weights = zip(*CASE_STATES, strict=True)

    latest = timezone.now() - dt.timedelta(minutes=5)

    def at(day: dt.date, minute: int) -> dt.datetime:
        """Office hours of `day`, never in the future."""
        return min(
            dt.datetime.combine(day, dt.time(9, 0), tzinfo=tz) + dt.timedelta(minutes=minute % 420), latest
        )

    for offset in range(start, start + count, BATCH * 4):
        indexes = range(offset, min(start + count, offset + BATCH * 4))
        case_rows, event_rows, task_rows = [], [], []
        for i in indexes:
            rng = random.Random(3_000_000_000 + i)
            item_id, version_id, department_id, short_code, promised = catalog[i % len(catalog)]
            person_index = i % len(people_rows)
            user_id, name, id_hash = people_rows[person_index]
            state = rng.choices(states, weights)[0]
            # Open cases and drafts were submitted in the last RECENT_DAYS; finished ones before that, so no
            # date lies in the future. Each family has its own days, and serial = i // days keeps numbers unique.
            days = RECENT_DAYS if state in RECENT_STATES else CASE_DAYS - RECENT_DAYS * 2
            day = (
                (today - dt.timedelta(days=i % RECENT_DAYS))
                if state in RECENT_STATES
                else first_day + dt.timedelta(days=i % days)
            )
            case_id = uuid.UUID(int=(0xBE7C << 112) | i)
            limit = promised or 0
            row = {
                "id": case_id,
                "item_id": item_id,
                "item_version_id": version_id,
                "department_id": department_id,
                "state": state,
                "version": 1,
                "applicant_id": user_id,
                "applicant_kind": "person",
                "applicant_name": name,
                "applicant_id_hash": id_hash,
                "applicant_id_masked": mask_id_card(person_id_card(person_index)),
                "applicant_mobile_tail": person_mobile(person_index)[-4:],
                "created_by_id": user_id,
                "idempotency_key": f"{CASE_KEY_PREFIX}{i}",
                "channel": "online" if rng.random() < 0.6 else "window",
                "form_data": {"联系人": name},
                "created_at": at(day, i),
                "updated_at": at(day, i),
            }
            events = [("save_draft", "", "draft", at(day, i))]
            if state != "draft":
                submitted = at(day, i + 5)
                row.update(
                    number=f"440507{day:%Y%m%d}{short_code}{CASE_SERIAL_BASE + i // days:05d}",
                    submitted_at=submitted,
                    intake_started_on=day,
                    intake_due_on=workdays.add(day, 5),
                )
                events.append(("submit", "draft", "submitted", submitted))
            if state == "awaiting_correction":
                events.append(("request_correction", "submitted", state, at(day, i + 60)))
            if state in ("declined",):
                row.update(
                    decline_reason="申请材料不齐全且逾期未补正。",
                    decline_legal_basis="《中华人民共和国行政许可法》第三十二条",
                )
                events.append(("decline", "submitted", state, at(day, i + 90)))
            reviewed = state in ("accepted", "in_review", "concluded", "delivered")
            if reviewed:
                accepted_on = min(workdays.add(day, rng.choice([0, 0, 1])), today)
                deadline = workdays.add(accepted_on, limit)
                row.update(
                    accepted_on=accepted_on,
                    acceptance_mode="standard",
                    limit_days=limit,
                    deadline_on=deadline,
                )
                events.append(("accept", "submitted", "accepted", at(accepted_on, i + 120)))
            if state in ("in_review", "concluded", "delivered"):
                events.append(("start_review", "accepted", "in_review", at(accepted_on, i + 125)))
            if state in ("concluded", "delivered"):
                used = (
                    max(0, limit - rng.choice([0, 1, 2, 3]))
                    if rng.random() < 0.93
                    else limit + rng.randint(1, 5)
                )
                concluded = at(workdays.add(accepted_on, used), i + 200)
                approved = rng.random() < 0.95
                row.update(
                    concluded_at=concluded,
                    decision="approved" if approved else "denied",
                    decision_reasons="" if approved else "申请不符合法定条件。",
                )
                events.append(("conclude", "in_review", "concluded", concluded))
                task_rows.append(
                    {
                        "case_id": case_id,
                        "department_id": department_id,
                        "is_lead": True,
                        "state": "done",
                        "opinion": "同意。" if approved else "不予许可。",
                        "done_at": concluded,
                        "created_at": at(accepted_on, i + 125),
                        "updated_at": concluded,
                    }
                )
            elif state == "in_review":
                task_rows.append(
                    {
                        "case_id": case_id,
                        "department_id": department_id,
                        "is_lead": True,
                        "state": "open",
                        "created_at": at(accepted_on, i + 125),
                        "updated_at": at(accepted_on, i + 125),
                    }
                )
            if state == "delivered":
                delivered = concluded + dt.timedelta(days=rng.choice([0, 1, 2]))
                row.update(
                    delivered_at=delivered, delivery_channel=rng.choice(["pickup", "post", "electronic"])
                )
                events.append(("deliver", "concluded", "delivered", delivered))
            if state in ("withdrawn", "voided"):
                closed = at(day, i + 300)
                row.update(
                    closed_at=closed,
                    closed_reason="申请人申请撤回。" if state == "withdrawn" else "重复申报，作废。",
                )
                events.append(("withdraw" if state == "withdrawn" else "void", "submitted", state, closed))
            row["version"] = len(events)
            case_rows.append(row)
            for kind, state_from, state_to, when in events:
                event_rows.append(
                    {
                        "case_id": case_id,
                        "kind": kind,
                        "actor_id": user_id if kind in ("save_draft", "submit", "withdraw") else None,
                        "at": when,
                        "state_from": state_from,
                        "state_to": state_to,
                        "data": {},
                    }
                )
        bulk_insert(Case, case_rows)
        bulk_insert(CaseEvent, event_rows)
        bulk_insert(ReviewTask, task_rows)


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
