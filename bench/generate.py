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
    prepare_django(bench_environment(OUT))
    for name, total in ensure(**targets).items():
        print(f"{name}: {total:,}")
    return 0


if __name__ == "__main__":
    from bench import generate as _module  # register into the importable module, not __main__

    sys.exit(_module.main(sys.argv[1:]))
