import pytest

from bianmin.audit.models import AuditEntry
from bianmin.core.validators import is_valid_uscc
from bianmin.organisations import seed
from bianmin.organisations.constants import HallKind, RegionLevel
from bianmin.organisations.models import Department, Hall, Region, Window

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Region.objects.count(),
        Department.objects.count(),
        Hall.objects.count(),
        Window.objects.count(),
        Window.departments.through.objects.count(),
    )


def test_seed_builds_the_demo_district():
    seed.seed(today=None)
    district = Region.objects.get(code="440507000000")
    assert district.parent.code == "440500000000" and district.parent.parent.code == "440000000000"
    streets = Region.objects.filter(parent=district, level=RegionLevel.STREET)
    assert set(streets.values_list("code", flat=True)) == {
        "440507001000",
        "440507002000",
        "440507003000",
        "440507004000",
        "440507005000",
        "440507100000",
        "440507101000",
    }
    assert Region.objects.filter(level=RegionLevel.COMMUNITY, parent__in=streets).count() >= 14
    departments = list(Department.objects.all())
    assert all(is_valid_uscc(d.uscc) for d in departments)
    assert len({d.short_code for d in departments}) == len(departments)
    assert all(len(d.short_code) == 4 and d.short_code.isdigit() for d in departments)
    names = {d.short_name for d in departments}
    assert {"区政数局", "区市监局", "区住建局", "区民政局", "公安分局", "区人防办", "区消防大队"} <= names
    assert Department.objects.filter(kind="street_office").count() == 7
    centre = Hall.objects.get(name="龙湖区政务服务中心")
    assert centre.kind == HallKind.DISTRICT_CENTRE
    assert centre.windows.filter(kind="comprehensive").count() >= 4
    assert centre.windows.filter(kind="special").exists()
    assert Hall.objects.filter(kind=HallKind.STREET_HALL).count() == 7
    assert Hall.objects.filter(kind=HallKind.COMMUNITY_STATION).count() >= 3
    for hall in Hall.objects.all():
        assert 23.2 < float(hall.latitude) < 23.5 and 116.6 < float(hall.longitude) < 116.9
        assert hall.address.startswith("汕头市龙湖区")


def test_seed_is_idempotent_and_second_run_writes_no_audit():
    seed.seed(today=None)
    first = _counts()
    audits = AuditEntry.objects.count()
    assert audits > 0  # the first run is audited (system actor)
    summary = seed.seed(today=None)
    assert _counts() == first
    assert AuditEntry.objects.count() == audits
    assert "0 created, 0 updated" in summary


def test_seed_restores_an_edited_row():
    seed.seed(today=None)
    Department.objects.filter(short_name="区市监局").update(phone="0")
    seed.seed(today=None)
    assert Department.objects.get(short_name="区市监局").phone != "0"
