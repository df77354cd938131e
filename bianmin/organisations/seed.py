"""The demo district: 广东省 › 汕头市 › 龙湖区, its seven streets with a few communities, the implementing units
named in 汕龙府办〔2019〕44号, the district centre, one hall per street and a few community stations.

Idempotent: every row is upserted by its natural key (区划代码, department name, hall name, hall + window number).
USCCs are deterministic and valid (GB 32100 check character); addresses and coordinates are illustrative.
"""

from __future__ import annotations

from decimal import Decimal

from bianmin.core.validators import uscc_check_char
from bianmin.organisations import services
from bianmin.organisations.constants import DepartmentKind, HallKind, RegionLevel, WindowKind
from bianmin.organisations.models import Department, Region

DISTRICT_CODE = "440507000000"
CENTRE_NAME = "龙湖区政务服务中心"

# (code, name, communities [(code, name)])
STREETS = [
    ("440507001000", "金霞街道", [("440507001001", "金涛社区"), ("440507001002", "金霞社区")]),
    ("440507002000", "龙祥街道", [("440507002001", "龙祥社区"), ("440507002002", "龙腾社区")]),
    ("440507003000", "鸥汀街道", [("440507003001", "鸥上社区"), ("440507003002", "鸥下社区")]),
    ("440507004000", "新津街道", [("440507004001", "新津社区"), ("440507004002", "新兴社区")]),
    ("440507005000", "珠池街道", [("440507005001", "珠池社区"), ("440507005002", "丰泽社区")]),
    ("440507100000", "外砂街道", [("440507100001", "外砂社区"), ("440507100002", "蓬中社区")]),
    ("440507101000", "新溪街道", [("440507101001", "新溪社区"), ("440507101002", "西南社区")]),
]

# (name, short_name, kind) in the order of their 4-digit short code (0001, 0002, …)
DEPARTMENTS = [
    ("汕头市龙湖区政务服务数据管理局", "区政数局", DepartmentKind.GOVERNMENT),
    ("汕头市龙湖区发展和改革局", "区发改局", DepartmentKind.GOVERNMENT),
    ("汕头市龙湖区市场监督管理局", "区市监局", DepartmentKind.GOVERNMENT),
    ("汕头市龙湖区住房和城乡建设局", "区住建局", DepartmentKind.GOVERNMENT),
    ("汕头市龙湖区司法局", "区司法局", DepartmentKind.GOVERNMENT),
    ("汕头市龙湖区民政局", "区民政局", DepartmentKind.GOVERNMENT),
    ("汕头市龙湖区财政局", "区财政局", DepartmentKind.GOVERNMENT),
    ("汕头市龙湖区商务局", "区商务局", DepartmentKind.GOVERNMENT),
    ("中共汕头市龙湖区委机构编制委员会办公室", "区委编办", DepartmentKind.OTHER),
    ("汕头市公安局龙湖分局", "公安分局", DepartmentKind.VERTICAL),
    ("汕头市自然资源局龙湖分局", "自然资源分局", DepartmentKind.VERTICAL),
    ("汕头市生态环境局龙湖分局", "生态环境分局", DepartmentKind.VERTICAL),
    ("汕头市龙湖区水务局", "区水务局", DepartmentKind.GOVERNMENT),
    ("汕头市龙湖区应急管理局", "区应急局", DepartmentKind.GOVERNMENT),
    ("汕头市龙湖区工业和信息化局", "区工信局", DepartmentKind.GOVERNMENT),
    ("汕头市龙湖区人力资源和社会保障局", "区人社局", DepartmentKind.GOVERNMENT),
    ("汕头市龙湖区卫生健康局", "区卫健局", DepartmentKind.GOVERNMENT),
    ("汕头市龙湖区教育局", "区教育局", DepartmentKind.GOVERNMENT),
    ("汕头市龙湖区文化广电旅游体育局", "区文广旅体局", DepartmentKind.GOVERNMENT),
    ("汕头市龙湖区交通运输局", "区交通局", DepartmentKind.GOVERNMENT),
    ("汕头市龙湖区农业农村局", "区农业农村局", DepartmentKind.GOVERNMENT),
    ("汕头市龙湖区城市管理和综合执法局", "区城管执法局", DepartmentKind.GOVERNMENT),
    ("汕头市龙湖区退役军人事务局", "区退役军人局", DepartmentKind.GOVERNMENT),
    ("汕头市龙湖区医疗保障局", "区医保局", DepartmentKind.GOVERNMENT),
    ("国家税务总局汕头市龙湖区税务局", "区税务局", DepartmentKind.VERTICAL),
    ("汕头市龙湖区人民防空办公室", "区人防办", DepartmentKind.GOVERNMENT),
    ("汕头市龙湖区消防救援大队", "区消防大队", DepartmentKind.VERTICAL),
    ("汕头市公共资源交易中心龙湖分中心", "公共资源交易分中心", DepartmentKind.INSTITUTION),
]

# Street halls: (street code, address, latitude, longitude)
STREET_HALLS = {
    "440507001000": ("汕头市龙湖区金霞街道金新路28号", "23.372100", "116.708300"),
    "440507002000": ("汕头市龙湖区龙祥街道嵩山路62号", "23.381500", "116.723600"),
    "440507003000": ("汕头市龙湖区鸥汀街道鸥汀大道106号", "23.401200", "116.695400"),
    "440507004000": ("汕头市龙湖区新津街道新津路8号", "23.368300", "116.742100"),
    "440507005000": ("汕头市龙湖区珠池街道珠津路37号", "23.352600", "116.736800"),
    "440507100000": ("汕头市龙湖区外砂街道外砂大道188号", "23.430400", "116.760900"),
    "440507101000": ("汕头市龙湖区新溪街道新溪路66号", "23.398700", "116.770200"),
}

# Community stations: (community code, address, latitude, longitude)
STATIONS = [
    ("440507001001", "汕头市龙湖区金霞街道金涛庄东区12栋", "23.374300", "116.704900"),
    ("440507002001", "汕头市龙湖区龙祥街道龙祥社区服务中心一楼", "23.384900", "116.719800"),
    ("440507004001", "汕头市龙湖区新津街道新津社区党群服务中心", "23.366100", "116.745700"),
    ("440507100002", "汕头市龙湖区外砂街道蓬中社区文化楼", "23.436200", "116.765300"),
]

CENTRE_SPECIAL_WINDOWS = [
    ("20", "公安户政专窗", "汕头市公安局龙湖分局"),
    ("21", "不动产登记专窗", "汕头市自然资源局龙湖分局"),
    ("22", "税务专窗", "国家税务总局汕头市龙湖区税务局"),
    ("23", "社保医保专窗", "汕头市龙湖区人力资源和社会保障局"),
    ("24", "工程建设项目专窗", "汕头市龙湖区住房和城乡建设局"),
]

# Units whose items the comprehensive windows of the centre take in (前台综合受理).
CENTRE_COMPREHENSIVE_UNITS = [
    "汕头市龙湖区市场监督管理局",
    "汕头市龙湖区住房和城乡建设局",
    "汕头市龙湖区民政局",
    "汕头市龙湖区卫生健康局",
    "汕头市龙湖区教育局",
    "汕头市龙湖区文化广电旅游体育局",
    "汕头市龙湖区交通运输局",
    "汕头市龙湖区城市管理和综合执法局",
    "汕头市龙湖区发展和改革局",
    "汕头市龙湖区商务局",
    "汕头市龙湖区司法局",
    "汕头市龙湖区退役军人事务局",
]


def department_uscc(index: int) -> str:
    """A deterministic, valid USCC for the index-th demo unit (机关 11, region 440507)."""
    first17 = f"11440507MB{index:07d}"
    return first17 + uscc_check_char(first17)


def _count(stats: dict, created: bool, changed: bool) -> None:
    stats["created" if created else "changed" if changed else "unchanged"] += 1


def seed(*, today=None) -> str:
    stats = {"created": 0, "changed": 0, "unchanged": 0}

    def region(code, name, level, parent, order=0):
        obj, created, changed = services.region_upsert(
            code=code, name=name, level=level, parent=parent, sort_order=order, is_active=True
        )
        _count(stats, created, changed)
        return obj

    province = region("440000000000", "广东省", RegionLevel.PROVINCE, None)
    city = region("440500000000", "汕头市", RegionLevel.CITY, province)
    district = region(DISTRICT_CODE, "龙湖区", RegionLevel.DISTRICT, city)
    streets = {}
    for order, (code, name, communities) in enumerate(STREETS, start=1):
        streets[code] = region(code, name, RegionLevel.STREET, district, order)
        for sub_order, (ccode, cname) in enumerate(communities, start=1):
            region(ccode, cname, RegionLevel.COMMUNITY, streets[code], sub_order)

    def department(index, name, short_name, kind, region_obj, parent=None, address=""):
        obj, created, changed = services.department_upsert(
            name=name,
            short_name=short_name,
            uscc=department_uscc(index),
            short_code=f"{index:04d}",
            kind=kind,
            region=region_obj,
            parent=parent,
            phone=f"0754-8{index:07d}",
            address=address or "汕头市龙湖区长平路政务服务中心",
            sort_order=index,
            is_active=True,
        )
        _count(stats, created, changed)
        return obj

    departments = {}
    for index, (name, short_name, kind) in enumerate(DEPARTMENTS, start=1):
        departments[name] = department(index, name, short_name, kind, district)
    street_offices = {}
    for index, (code, name, _communities) in enumerate(STREETS, start=1):
        office_name = f"汕头市龙湖区人民政府{name}办事处"
        street_offices[code] = department(
            50 + index,
            office_name,
            f"{name}办",
            DepartmentKind.STREET_OFFICE,
            streets[code],
            address=STREET_HALLS[code][0],
        )

    def hall(name, kind, region_obj, address, lat, lng, managing, order):
        obj, created, changed = services.hall_upsert(
            name=name,
            kind=kind,
            region=region_obj,
            address=address,
            latitude=Decimal(lat),
            longitude=Decimal(lng),
            phone=f"0754-88{order:06d}",
            managing_department=managing,
            sort_order=order,
            is_active=True,
        )
        _count(stats, created, changed)
        return obj

    def window(hall_obj, number, name, kind, units):
        _obj, created, changed = services.window_upsert(
            hall=hall_obj, number=number, name=name, kind=kind, is_active=True, departments=units
        )
        _count(stats, created, changed)

    centre = hall(
        CENTRE_NAME,
        HallKind.DISTRICT_CENTRE,
        district,
        "汕头市龙湖区长平路95号",
        "23.371600",
        "116.702300",
        departments["汕头市龙湖区政务服务数据管理局"],
        1,
    )
    comprehensive = [departments[n] for n in CENTRE_COMPREHENSIVE_UNITS]
    for n in range(1, 9):
        window(centre, f"{n:02d}", f"综合受理窗口{n}", WindowKind.COMPREHENSIVE, comprehensive)
    for number, name, unit in CENTRE_SPECIAL_WINDOWS:
        window(centre, number, name, WindowKind.SPECIAL, [departments[unit]])
    window(centre, "30", "综合出件窗口", WindowKind.PICKUP, comprehensive)
    window(centre, "31", "咨询导办台", WindowKind.CONSULTATION, [])

    street_units = [
        departments["汕头市龙湖区民政局"],
        departments["汕头市龙湖区人力资源和社会保障局"],
        departments["汕头市龙湖区医疗保障局"],
        departments["汕头市龙湖区卫生健康局"],
        departments["汕头市龙湖区退役军人事务局"],
    ]
    for order, (code, name, _c) in enumerate(STREETS, start=2):
        address, lat, lng = STREET_HALLS[code]
        street_hall = hall(
            f"{name}政务服务中心",
            HallKind.STREET_HALL,
            streets[code],
            address,
            lat,
            lng,
            street_offices[code],
            order,
        )
        units = [street_offices[code], *street_units]
        window(street_hall, "01", "综合受理窗口1", WindowKind.COMPREHENSIVE, units)
        window(street_hall, "02", "综合受理窗口2", WindowKind.COMPREHENSIVE, units)
        window(street_hall, "03", "社保医保窗口", WindowKind.SPECIAL, street_units[1:3])

    communities = {c: (s, n) for s, _n, cs in STREETS for c, n in cs}
    for order, (code, address, lat, lng) in enumerate(STATIONS, start=20):
        street_code, name = communities[code]
        station = hall(
            f"{name}党群服务中心便民服务站",
            HallKind.COMMUNITY_STATION,
            Region.objects.get(code=code),
            address,
            lat,
            lng,
            street_offices[street_code],
            order,
        )
        window(
            station,
            "01",
            "便民代办窗口",
            WindowKind.COMPREHENSIVE,
            [street_offices[street_code], *street_units[:3]],
        )

    total = Department.objects.count()
    return f"{stats['created']} created, {stats['changed']} updated, {stats['unchanged']} unchanged; {total} departments"
