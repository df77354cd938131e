"""Generator of a large published catalog for the speed benchmarks: N items, each with 5 materials.

Bulk inserts (bench/generate.py's bulk_insert) that bypass the services and the audit: acceptable here
only. Rows are deterministic (item i always gets the same codes and text) and recognisable by their
基本编码 prefix "BN", so `ensure(catalog_items=10_000)` tops up a database that holds fewer. The search
index rows are written directly with the same segmentation as bianmin.catalog.search.

    .venv/bin/python bench/catalog_generate.py 10000   # into the catalog's own database, bench/out/catalog.sqlite3
    ctx.generate(catalog_items=10_000)                   # into the current benchmark database (after importing this)
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if __name__ == "__main__":  # bench/http.py must not shadow the stdlib when run as a script
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
    sys.path.insert(0, str(ROOT))

from bench.generate import bulk_insert, generator  # noqa: E402

PREFIX = "BN"
MATERIALS_PER_ITEM = 5

SUBJECTS = [
    "食品经营",
    "公共场所卫生",
    "户外广告设施设置",
    "建筑工程施工",
    "城镇污水排入排水管网",
    "娱乐场所经营",
    "药品零售企业经营",
    "道路货物运输经营",
    "医疗机构执业",
    "民办学校设立",
    "出版物零售",
    "烟草专卖零售",
    "特种设备使用",
    "林木采伐",
    "动物防疫条件",
    "房屋租赁",
    "劳务派遣经营",
    "人力资源服务",
    "旅行社设立",
    "网络预约出租汽车经营",
    "危险化学品经营",
    "燃气经营",
    "城市建筑垃圾处置",
    "临时占用城市道路",
    "最低生活保障",
    "特困人员救助供养",
    "临时救助",
    "高龄老人津贴",
    "残疾人两项补贴",
    "社会保障卡",
    "失业保险金",
    "就业创业补贴",
    "职业技能鉴定",
    "教师资格",
    "居住证",
    "出生登记",
    "婚姻登记",
    "生育登记",
    "法律援助",
    "退役军人优待",
    "义务兵家庭优待金",
    "城乡居民医疗保险",
    "老年人优待",
    "取水",
    "河道管理范围内建设项目",
    "人防工程",
    "建设项目环境影响评价",
    "固定资产投资项目节能审查",
    "企业投资项目",
    "社会团体登记",
]
ACTIONS = [
    "许可",
    "许可（新办）",
    "许可（变更）",
    "许可（延续）",
    "许可（注销）",
    "登记",
    "备案",
    "审批",
    "核准",
    "给付",
    "认定",
    "申领",
]
PLACES = [
    "",
    "（金霞街道）",
    "（龙祥街道）",
    "（鸥汀街道）",
    "（新津街道）",
    "（珠池街道）",
    "（外砂街道）",
    "（新溪街道）",
]
MATERIAL_NAMES = [
    "申请书",
    "申请人身份证明",
    "营业执照",
    "经营场所使用证明",
    "法定代表人身份证明",
    "平面布局图",
    "管理制度文本",
    "委托书",
    "相关证明材料",
    "承诺书",
]
TYPES = ["01", "05", "07", "08", "09", "10", "20"]


def generated_count() -> int:
    from bianmin.catalog.models import ServiceItem

    return ServiceItem.objects.filter(catalog_code__startswith=PREFIX).count()


def _departments():
    from bianmin.organisations.models import Department

    departments = list(Department.objects.order_by("pk"))
    if not departments:
        from bianmin.organisations import seed

        seed.seed()
        departments = list(Department.objects.order_by("pk"))
    return departments


@functools.lru_cache(maxsize=4096)
def _seg(text: str) -> str:
    from bianmin.catalog.search import segmented

    return segmented(text)


@functools.lru_cache(maxsize=4096)
def _initials(text: str) -> str:
    from bianmin.catalog.search import pinyin_initials

    return pinyin_initials(text)


def _item_text(i: int) -> tuple[str, str, str, list[str]]:
    subject = SUBJECTS[i % len(SUBJECTS)]
    action = ACTIONS[(i // len(SUBJECTS)) % len(ACTIONS)]
    place = PLACES[(i // (len(SUBJECTS) * len(ACTIONS))) % len(PLACES)]
    name = f"{subject}{action}{place}"
    alias = f"{subject}证"
    materials = [MATERIAL_NAMES[(i + k) % len(MATERIAL_NAMES)] for k in range(MATERIALS_PER_ITEM)]
    return name, alias, f"申请{subject}{action}应当符合法定条件，材料齐全、符合法定形式。", materials


@generator("catalog_items", count=generated_count, default=10_000)
def catalog_items(*, start: int, count: int) -> None:
    from django.db import connection

    from bianmin.catalog import search
    from bianmin.catalog.models import ItemVersion, Material, ServiceItem

    departments = _departments()
    items = []
    for i in range(start, start + count):
        dept = departments[i % len(departments)]
        catalog_code = f"{PREFIX}{i:010d}"
        implementation_code = f"{dept.uscc}4{catalog_code}"
        items.append(
            {
                "implementation_code": implementation_code,
                "handle_item_code": "",
                "code": implementation_code,
                "catalog_code": catalog_code,
                "codes_valid": True,
                "code_problems": [],
                "department_id": dept.pk,
                "is_nearby": i % 3 != 0,
                "sort_order": 1000 + i,
            }
        )
    bulk_insert(ServiceItem, items)
    codes = [row["code"] for row in items]
    ids = dict(ServiceItem.objects.filter(code__in=codes).values_list("code", "pk"))
    versions = []
    for n, row in enumerate(items):
        i = start + n
        name, alias, conditions, _m = _item_text(i)
        instant = i % 4 == 0
        depth = ["1", "2", "3", "4", "5"] if i % 5 else ["1"]
        versions.append(
            {
                "item_id": ids[row["code"]],
                "number": 1,
                "state": "published",
                "status": "1",
                "name": name,
                "aliases": [alias],
                "item_type": TYPES[i % len(TYPES)],
                "exercise_level": "4",
                "service_objects": ["1"] if i % 2 else ["2", "5"],
                "conditions": conditions,
                "process_steps": ["申请", "受理", "审查", "决定"],
                "legal_bases": [{"law": "《中华人民共和国行政许可法》", "article": "第十二条", "text": ""}],
                "statutory_limit": 20,
                "promised_limit": 0 if instant else 5 + i % 10,
                "handle_kind": "1" if instant else "2",
                "handling_forms": ["1", "2"],
                "visits_required": i % 3,
                "online_depth": depth,
                "universal_scope": "4" if i % 3 else "",
                "is_free": True,
                "fees": [],
                "result_name": f"{name}决定书",
                "is_instant": instant,
                "is_online": i % 5 != 0,
                "is_one_visit": i % 3 != 2,
                "is_nearby_scope": i % 3 != 0,
                "serves_natural_person": i % 2 == 1,
                "serves_legal_person": i % 2 == 0,
                "is_window_handled": True,
            }
        )
    bulk_insert(ItemVersion, versions)
    version_ids = dict(ItemVersion.objects.filter(item_id__in=ids.values()).values_list("item_id", "pk"))
    materials = []
    for n, row in enumerate(items):
        _name, _alias, _c, names = _item_text(start + n)
        vid = version_ids[ids[row["code"]]]
        for k, mname in enumerate(names, start=1):
            materials.append(
                {
                    "version_id": vid,
                    "order": k,
                    "name": mname,
                    "necessity": "3" if k == MATERIALS_PER_ITEM else "1",
                    "form": "3",
                    "original_count": 1,
                    "copy_count": k % 2,
                    "source": "10",
                }
            )
    bulk_insert(Material, materials)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE catalog_serviceitem SET current_version_id = (SELECT v.id FROM catalog_itemversion v"
            " WHERE v.item_id = catalog_serviceitem.id AND v.state = 'published')"
            " WHERE current_version_id IS NULL AND catalog_code LIKE %s",
            [PREFIX + "%"],
        )
    rows = []
    by_dept = {d.pk: d for d in departments}
    for n, row in enumerate(items):
        name, alias, conditions, names = _item_text(start + n)
        dept = by_dept[row["department_id"]]
        body = " ".join([_seg(conditions), _seg(" ".join(names)), _seg(dept.name), _seg(f"{name}决定书")])
        rows.append(
            (ids[row["code"]], _seg(name), f"{_seg(alias)} {_initials(name)} {_initials(alias)}", body)
        )
    from django.db import transaction

    for offset in range(0, len(rows), 2000):
        with transaction.atomic():
            search._write_rows(rows[offset : offset + 2000])


# --- the catalog benchmarks' own databases ------------------------------------------------------------
# The big shared benchmark database (bench/out/bench.sqlite3) also receives other benchmarks' volumes
# (bench/generate.py's items and a million cases for the KPI benchmark) and their long write locks. The
# catalog benchmarks therefore keep databases of their own, created when missing and reused afterwards:
#   catalog       bench/out/catalog.sqlite3 (or <DATABASE_URL>_catalog): the 10,000 generated items;
#   catalog_demo  bench/out/catalog_demo.sqlite3 (or <DATABASE_URL>_catalog_demo): the demo district only.
ENV_MARKER = "BENCH_CATALOG_DATABASE"


def catalog_environment(name: str = "catalog") -> dict[str, str]:
    """The environment of a process (a child, or gunicorn) that works on the catalog database `name`."""
    from bench.server import OUT, bench_environment

    env = {**os.environ, **bench_environment(OUT, sqlite_name=f"{name}.sqlite3")}
    if env.get("DATABASE_URL"):
        env["DATABASE_URL"] = env["DATABASE_URL"].split("?")[0].rstrip("/") + f"_{name}"
    env[ENV_MARKER] = name
    return env


def ensure_postgres_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def setup_child(name: str) -> None:
    """In a catalog benchmark's child process: point Django at the database `name`, create and migrate it."""
    if not os.environ.get(ENV_MARKER):
        os.environ.update(catalog_environment(name))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    if os.environ.get("DATABASE_URL"):
        ensure_postgres_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def run_child(args: list[str], *, name: str, tag: str, timeout: float = 1800) -> dict:
    """Run `python <args>` on the catalog database `name`; return the JSON it printed after `tag`."""
    import json
    import subprocess

    completed = subprocess.run(
        [sys.executable, *args],
        env=catalog_environment(name),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    line = next((x for x in completed.stdout.splitlines() if x.startswith(tag + " ")), None)
    if completed.returncode != 0 or line is None:
        raise RuntimeError(f"{' '.join(args)} failed ({completed.returncode}):\n{completed.stderr[-4000:]}")
    return json.loads(line.removeprefix(tag + " "))


def sample_codes(count: int = 200) -> tuple[str, list[str]]:
    """The item the repeated-page figures use (the middle one) and `count` others spread over the catalog."""
    from bianmin.catalog.models import ServiceItem

    codes = list(
        ServiceItem.objects.filter(catalog_code__startswith=PREFIX)
        .order_by("pk")
        .values_list("code", flat=True)
    )
    middle = codes[len(codes) // 2]
    step = max(1, len(codes) // count)
    return middle, [c for c in codes[1::step] if c != middle][:count]


def main() -> None:
    """Top the catalog database up to N generated items; print CATALOG-DATA {items, page_code, other_codes}."""
    import json

    target = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    setup_child("catalog")
    from bench.generate import ensure
    from bianmin.catalog.models import ServiceItem

    counts = ensure(catalog_items=target)
    middle, others = sample_codes()
    data = {
        "items": counts["catalog_items"],
        "published": ServiceItem.objects.filter(current_version__isnull=False).count(),
        "page_code": middle,
        "other_codes": others,
    }
    print("CATALOG-DATA " + json.dumps(data, ensure_ascii=False))


if __name__ == "__main__":
    main()
