"""The plan's 25 tasks as data, progress computed from KPIs or filed by lead units, flags, exports, API."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from rest_framework.test import APIClient

from bianmin.core.exceptions import PermissionDenied, ValidationFailed
from bianmin.organisations.models import Department
from bianmin.reform import selectors, services
from bianmin.reform.models import PlanTask, ProgressReport
from tests.factories import CitizenFactory, StaffFactory
from tests.kpi.conftest import at, item

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 30)


@pytest.fixture
def plan():
    from bianmin.organisations.seed import seed as org_seed
    from bianmin.reform.seed import seed

    with time_machine.travel(at(TODAY), tick=False):
        org_seed(today=TODAY)
        seed(today=TODAY)
        seed(today=TODAY)  # idempotent
        yield


def dept(short_name):
    return Department.objects.get(short_name=short_name)


def test_seed_is_the_plan(plan):
    assert PlanTask.objects.count() == 25
    t1 = PlanTask.objects.get(number=1)
    assert t1.title == '大力推行"马上办"'
    assert "即办比例达到1/3左右" in t1.text
    assert [d.short_name for d in t1.lead_departments.all()] == ["区政数局"]
    assert t1.lead_units_other == ["各街道政务服务统筹管理机构"]
    assert [(m.label, m.due_on, m.figure, str(m.target_value)) for m in t1.milestones.all()] == [
        ("2019年底前", dt.date(2019, 12, 31), "instant", "0.3333"),
        ("2020年底前", dt.date(2020, 12, 31), "instant", "0.5000"),
    ]
    t14 = PlanTask.objects.get(number=14)
    subs = list(t14.subtasks.all())
    assert [s.number for s in subs] == ["14.1", "14.2"]
    assert [d.short_name for d in subs[0].lead_departments.all()] == ["区发改局"]
    assert [d.short_name for d in subs[1].lead_departments.all()] == ["区住建局"]
    assert "区工信局" in {d.short_name for d in subs[0].partner_departments.all()}
    t16 = PlanTask.objects.get(number=16)
    assert [d.short_name for d in t16.subtasks.get(number="16.2").lead_departments.all()] == ["区发改局"]
    assert {d.short_name for d in t16.subtasks.get(number="16.1").lead_departments.all()} == {
        "区政数局",
        "公共资源交易分中心",
    }
    t8 = PlanTask.objects.get(number=8)
    assert t8.milestones.get().due_on == dt.date(2019, 6, 30)
    assert PlanTask.objects.get(number=25).lead_units_other == ["区各市场监管职能单位"]


def test_kpi_tied_progress_is_computed(plan):
    with time_machine.travel(at(TODAY), tick=False):
        d = dept("区政数局")
        item(d, on=dt.date(2026, 1, 5))  # online
        item(d, on=dt.date(2026, 1, 5), online_depth=["1"])  # not online
        p = selectors.task_progress(selectors.task_get(number=2), today=TODAY)
    assert p.computed and p.percentage == 50  # 50 % of the 100 % target
    assert [s.state for s in p.milestones] == ["missed", "missed"]  # nothing was online by 2019/2020
    assert p.status == "missed"


def test_lead_unit_files_a_report_others_cannot(plan):
    t7 = selectors.task_get(number=7)  # 区司法局 leads
    lead = StaffFactory(head=True, department=dept("区司法局"))
    other = StaffFactory(head=True, department=dept("区民政局"))
    with pytest.raises(PermissionDenied):
        services.report_file(acting_user=other, task=t7, department_id=dept("区民政局").pk, period="2026-Q2",
                             text="x", percentage=10)  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.report_file(acting_user=lead, task=t7, department_id=dept("区民政局").pk, period="2026-Q2",
                             text="x", percentage=10)  # fmt: skip
    with pytest.raises(ValidationFailed):
        services.report_file(acting_user=lead, task=t7, department_id=dept("区司法局").pk, period="2026-Q2",
                             text="x", percentage=101)  # fmt: skip
    with pytest.raises(ValidationFailed):
        services.report_file(acting_user=lead, task=t7, department_id=dept("区司法局").pk, period="2026-Q2",
                             text="x", percentage=10,
                             attachments=[SimpleUploadedFile("a.exe", b"MZ\x90\x00" * 10)])  # fmt: skip
    report = services.report_file(
        acting_user=lead,
        task=t7,
        department_id=dept("区司法局").pk,
        period="2026-Q1",
        text="已完成证明事项清理。",
        percentage=60,
        attachments=[SimpleUploadedFile("清理情况.pdf", b"%PDF-1.4\n%%EOF\n")],
    )
    assert report.period_end == dt.date(2026, 3, 31) and report.attachments.count() == 1
    p = selectors.task_progress(selectors.task_get(number=7), today=TODAY)
    assert (p.percentage, p.computed, p.status, p.report_overdue) == (60, False, "in_progress", False)
    # by 11 October the Q3 report is due and missing
    p = selectors.task_progress(selectors.task_get(number=7), today=dt.date(2026, 10, 11))
    assert p.report_overdue


def test_sub_task_lead_may_report_on_the_task(plan):
    t14 = selectors.task_get(number=14)
    housing = StaffFactory(head=True, department=dept("区住建局"))
    sub = t14.subtasks.get(number="14.2")
    services.report_file(acting_user=housing, task=t14, subtask=sub, department_id=dept("区住建局").pk,
                         period="2026-Q2", text="联合审图已上线。", percentage=100)  # fmt: skip
    assert ProgressReport.objects.get().subtask == sub


def test_missed_milestone_from_reports(plan):
    t8 = selectors.task_get(number=8)  # due 2019-06-30
    p = selectors.task_progress(t8, today=TODAY)
    assert p.missed and p.milestones[0].state == "missed"


def test_pages_and_exports(client, plan):
    assert client.get("/workbench/reform/").status_code == 302
    client.force_login(CitizenFactory())
    assert client.get("/workbench/reform/").status_code == 403
    lead = StaffFactory(head=True, department=dept("区司法局"))
    client.force_login(lead)
    resp = client.get("/workbench/reform/")
    assert resp.status_code == 200 and "取消奇葩证明" in resp.content.decode()
    assert client.get("/workbench/reform/summary.pdf").status_code == 200  # heads may see KPIs
    resp = client.get("/workbench/reform/7/")
    assert resp.context["can_file"]
    resp = client.post(
        "/workbench/reform/7/",
        {"department": dept("区司法局").pk, "period": "2026-Q2", "text": "进展", "percentage": 40},
    )
    assert resp.status_code == 302 and ProgressReport.objects.count() == 1
    resp = client.get("/workbench/reform/1/")
    assert not resp.context["can_file"]
    assert client.post("/workbench/reform/1/", {"department": dept("区司法局").pk}).status_code == 403
    client.force_login(StaffFactory(supervisor=True))
    resp = client.get("/workbench/reform/summary.xlsx")
    rows = list(load_workbook(io.BytesIO(resp.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2 + 25 and rows[1][0] == "序号" and rows[2][1] == '大力推行"马上办"'
    pdf = client.get("/workbench/reform/summary.pdf")
    assert pdf.content.startswith(b"%PDF")


def test_api(plan):
    api = APIClient()
    api.force_authenticate(CitizenFactory())
    assert api.get("/api/v1/plan-tasks/").status_code == 403
    lead = StaffFactory(head=True, department=dept("区住建局"))
    api.force_authenticate(lead)
    tasks = api.get("/api/v1/plan-tasks/").json()
    assert len(tasks) == 25 and tasks[13]["subtasks"][1]["lead_units"][0]["name"].endswith("住房和城乡建设局")
    resp = api.post(
        "/api/v1/plan-tasks/14/reports/",
        {
            "department": dept("区住建局").pk,
            "subtask": "14.2",
            "period": "2026-Q2",
            "text": "进展",
            "percentage": 30,
        },
        format="json",
    )
    assert resp.status_code == 201, resp.json()
    assert api.get("/api/v1/plan-tasks/14/").json()["reports"][0]["subtask"] == "14.2"
    resp = api.post(
        "/api/v1/plan-tasks/1/reports/",
        {"department": dept("区住建局").pk, "period": "2026-Q2", "text": "x", "percentage": 30},
        format="json",
    )
    assert resp.status_code == 403
    assert api.get("/api/v1/plan-tasks/99/").status_code == 404


def test_demo_progress_reports_give_a_mixed_tracker():
    """With the demo accounts, the heads of the 政数局 and the 市监局 have filed the latest due quarter for their
    units' tasks; units without a demo head have not, so the tracker shows both reported and flagged tasks. Idempotent."""
    from bianmin.accounts.seed import seed as accounts_seed
    from bianmin.organisations.seed import seed as org_seed
    from bianmin.reform.seed import seed

    with time_machine.travel(at(TODAY), tick=False):
        org_seed(today=TODAY)
        accounts_seed(today=TODAY)
        seed(today=TODAY)
        count = ProgressReport.objects.count()
        seed(today=TODAY)
        assert ProgressReport.objects.count() == count > 0
        period, _end = selectors.last_due_quarter(TODAY)
        assert set(ProgressReport.objects.values_list("period", flat=True)) == {period}
        assert set(ProgressReport.objects.values_list("filed_by__username", flat=True)) == {"zs_head", "head"}
        assert set(ProgressReport.objects.values_list("department__short_name", flat=True)) == {
            "区政数局",
            "区市监局",
        }
        reported = set(ProgressReport.objects.values_list("task__number", flat=True))
        assert 5 in reported and 6 not in reported  # task 6 is left unreported on purpose


def test_summary_exports_use_the_language_separators(plan):
    """Units are joined with the list separator and milestones with the clause separator of the language."""
    from django.utils import translation

    from bianmin.reform import exports

    t1 = selectors.task_progress(selectors.task_get(number=1), today=TODAY)  # two leads, two milestones
    header, body = exports.summary_rows([t1])
    row = dict(zip(header, body[0], strict=True))
    assert "、" in row["牵头单位"] and "；" in row["节点"]
    with translation.override("en"):
        header, body = exports.summary_rows([t1])
        leads, milestones = body[0][2], body[0][8]
    assert "、" not in leads and ", " in leads
    assert "；" not in milestones and "; " in milestones and "年底前" not in milestones


def test_tracker_flags_overdue_reports_and_missed_milestones_on_the_list(client, plan):
    client.force_login(StaffFactory(supervisor=True))
    with time_machine.travel(at(TODAY), tick=False):
        resp = client.get("/workbench/reform/")
    progress = resp.context["progress"]
    overdue = sum(1 for p in progress if p.report_overdue)
    missed = sum(1 for p in progress if p.missed)
    assert overdue and missed  # no reports filed; the plan's 2019/2020 deadlines are past
    assert f"{overdue} 项任务未按期报送进展，{missed} 项任务有节点逾期未完成。" in resp.content.decode()
    assert resp.content.decode().count('class="is-overdue"') == sum(
        1 for p in progress if p.report_overdue or p.missed
    )


def test_tracker_api_is_in_the_openapi_schema_with_translatable_summaries(client):
    import yaml
    from django.utils import translation

    schema = yaml.safe_load(client.get("/api/schema/").content)
    paths = schema["paths"]
    assert {
        "/api/v1/plan-tasks/",
        "/api/v1/plan-tasks/{number}/",
        "/api/v1/plan-tasks/{number}/reports/",
    } <= set(paths)
    english = yaml.safe_load(client.get("/api/schema/?lang=en").content)["paths"]
    with translation.override("en"):
        expected = str(translation.gettext("改革任务（25项）及进度"))
    assert english["/api/v1/plan-tasks/"]["get"]["summary"] == expected
    assert paths["/api/v1/plan-tasks/"]["get"]["summary"] == "改革任务（25项）及进度"
