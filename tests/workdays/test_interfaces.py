"""The faces of the calendar: management command, API, public page, admin."""

import datetime as dt
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from rest_framework.test import APIClient

from bianmin.workdays.constants import CalendarStatus
from bianmin.workdays.models import CalendarDay, CalendarYear
from tests.factories import CitizenFactory, StaffFactory

pytestmark = pytest.mark.django_db

D = dt.date
ROOT = Path(__file__).resolve().parents[2]

PUBLISH_2027 = {
    "year": 2027,
    "source_note": "国务院办公厅关于2027年部分节假日安排的通知",
    "holidays": [
        {"name": "春节", "start": "2027-02-05", "end": "2027-02-12"},
        {"name": "国庆节", "start": "2027-10-01", "end": "2027-10-07"},
    ],
    "adjusted_workdays": [{"date": "2027-02-20", "name": "春节"}, {"date": "2027-10-09"}],
}


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("workdays", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# --- management command -------------------------------------------------------------------------------


def test_command_add_prints_an_iso_date(today_2026):
    assert run("add", "2026-09-30", "3") == ("2026-10-10\n", "")


def test_command_between_prints_a_whole_number(today_2026):
    assert run("between", "2026-09-30", "2026-10-12") == ("4\n", "")
    assert run("between", "2026-10-12", "2026-09-30")[0] == "-4\n"


def test_command_notes_provisional_results_on_stderr(today_2026):
    out, err = run("add", "2027-02-04", "1")
    assert out == "2027-02-09\n"
    assert "暂定" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add", "2026-13-01", "3"), "日期格式错误"),
        (("add", "2026-09-30", "three"), "须为整数"),
        (("between", "2026-09-30", "tomorrow"), "日期格式错误"),
        (("add", "2031-01-06", "3"), "超出范围"),
    ],
)
def test_command_refuses_bad_input(today_2026, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_command_exits_non_zero_on_bad_input():
    completed = subprocess.run(
        [sys.executable, "manage.py", "workdays", "add", "30/09/2026", "3"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode != 0
    assert "日期格式错误" in completed.stderr
    assert completed.stdout == ""


# --- API ----------------------------------------------------------------------------------------------


@pytest.fixture
def api():
    return APIClient()


def test_deadline_api_is_public(today_2026, api, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = api.get("/api/v1/calendar/deadline/", {"start": "2026-09-30", "workdays": 3})
    assert response.status_code == 200
    assert response.json() == {
        "start": "2026-09-30",
        "workdays": 3,
        "deadline": "2026-10-10",
        "provisional": False,
    }
    response = api.get("/api/v1/calendar/deadline/", {"start": "2027-02-04", "workdays": 1})
    assert response.json()["deadline"] == "2027-02-09" and response.json()["provisional"] is True


def test_deadline_api_refusals(today_2026, api):
    response = api.get("/api/v1/calendar/deadline/", {"start": "2031-01-06", "workdays": 3})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "calendar_out_of_range" and "超出范围" in body["detail"]
    response = api.get("/api/v1/calendar/deadline/", {"start": "30.09.2026", "workdays": "x"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and set(response.json()["fields"]) == {"start", "workdays"}


def test_between_api(today_2026, api):
    response = api.get("/api/v1/calendar/between/", {"start": "2026-09-30", "end": "2026-10-12"})
    assert response.status_code == 200
    assert response.json() == {
        "start": "2026-09-30",
        "end": "2026-10-12",
        "workdays": 4,
        "provisional": False,
    }
    assert api.get("/api/v1/calendar/between/", {"start": "2026-09-30"}).status_code == 400


def test_days_api_lists_a_year(today_2026, api, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = api.get("/api/v1/calendar/days/", {"year": 2026})
    assert response.status_code == 200
    body = response.json()
    assert body["year"] == 2026 and body["status"] == "official" and len(body["days"]) == 365
    by_date = {d["date"]: d for d in body["days"]}
    assert by_date["2026-10-01"] == {
        "date": "2026-10-01",
        "is_workday": False,
        "kind": "holiday",
        "holiday_name": "国庆节",
        "source": "official",
    }
    adjusted = api.get("/api/v1/calendar/days/", {"year": 2026, "kind": "adjusted_workday"}).json()["days"]
    assert [d["date"] for d in adjusted] == [
        "2026-01-04",
        "2026-02-14",
        "2026-02-28",
        "2026-05-09",
        "2026-09-20",
        "2026-10-10",
    ]
    provisional = api.get("/api/v1/calendar/days/", {"year": 2027, "kind": "holiday"}).json()
    assert provisional["status"] == "provisional" and provisional["published_at"] is None
    assert len(provisional["days"]) == 13 and {d["source"] for d in provisional["days"]} == {"provisional"}


def test_days_api_refuses_years_out_of_range(today_2026, api):
    response = api.get("/api/v1/calendar/days/", {"year": 2031})
    assert response.status_code == 400 and response.json()["code"] == "calendar_out_of_range"


def test_platform_admin_publishes_through_the_api(today_2026, api):
    admin = StaffFactory(platform_admin=True)
    api.force_authenticate(admin)
    response = api.post("/api/v1/calendar/years/", PUBLISH_2027, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["year"] == 2027 and body["status"] == "official" and body["entered_by"] == admin.username
    assert body["holiday_days"] == 15 and body["adjusted_workdays"] == 2
    assert CalendarYear.objects.get(year=2027).status == CalendarStatus.OFFICIAL
    deadline = api.get("/api/v1/calendar/deadline/", {"start": "2027-02-04", "workdays": 1}).json()
    assert deadline["deadline"] == "2027-02-15" and deadline["provisional"] is False


@pytest.mark.parametrize("who", ["anonymous", "citizen", "reviewer"])
def test_publishing_through_the_api_is_refused_to_others(today_2026, api, who):
    if who == "citizen":
        api.force_authenticate(CitizenFactory())
    elif who == "reviewer":
        api.force_authenticate(StaffFactory(reviewer=True))
    response = api.post("/api/v1/calendar/years/", PUBLISH_2027, format="json")
    assert response.status_code in ((401, 403) if who == "anonymous" else (403,))
    assert "code" in response.json()
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_publish_api_validation_errors(today_2026, api):
    api.force_authenticate(StaffFactory(platform_admin=True))
    payload = {**PUBLISH_2027, "adjusted_workdays": [{"date": "2027-02-17"}]}
    response = api.post("/api/v1/calendar/years/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "calendar_schedule_invalid"
    assert "adjusted_workdays" in response.json()["fields"]
    response = api.post("/api/v1/calendar/years/", {**PUBLISH_2027, "holidays": []}, format="json")
    assert response.status_code == 400 and "holidays" in response.json()["fields"]


# --- public page --------------------------------------------------------------------------------------


def test_calendar_page_shows_holidays_adjusted_days_and_calculator(
    today_2026, client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        response = client.get("/calendar/", {"year": 2026, "start": "2026-09-30", "workdays": 3})
    assert response.status_code == 200
    html = response.content.decode()
    assert "国庆节" in html and "10月1日 — 10月7日" in html
    assert "9月20日" in html and "10月10日" in html  # 调休上班
    assert 'data-deadline="2026-10-10"' in html
    assert "<script>" not in html


def test_calendar_page_marks_provisional_years_and_refuses_far_ones(today_2026, client):
    html = client.get("/calendar/", {"year": 2027, "start": "2027-02-04", "workdays": 1}).content.decode()
    assert "尚未由国务院公布" in html and 'data-deadline="2027-02-09"' in html and "暂定" in html
    html = client.get("/calendar/", {"year": 2031, "start": "2031-02-04", "workdays": 1}).content.decode()
    assert html.count("超出范围") == 2
    response = client.get("/calendar/", {"start": "nonsense", "workdays": "-5"})
    assert response.status_code == 200 and "data-deadline" not in response.content.decode()


# --- admin --------------------------------------------------------------------------------------------


def test_admin_add_saves_through_the_service(today_2026, client):
    admin = StaffFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    url = reverse("admin:workdays_calendaryear_add")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "year": "2027",
            "source_note": "国办发明电",
            "holidays_text": "春节 2027-02-05 2027-02-12\n元旦 2027-01-01\n",
            "adjusted_text": "2027-02-20 春节\n",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    year = CalendarYear.objects.get(year=2027)
    assert year.status == CalendarStatus.OFFICIAL and year.entered_by == admin
    assert CalendarDay.objects.get(date=D(2027, 2, 20)).kind == "adjusted_workday"
    from bianmin.audit.models import AuditEntry

    assert AuditEntry.objects.filter(action="workdays.year_published", actor=admin).exists()
    # the change form is prefilled from the stored days
    html = client.get(reverse("admin:workdays_calendaryear_change", args=[year.pk])).content.decode()
    assert "春节 2027-02-05 2027-02-12" in html


def test_admin_form_shows_schedule_errors(today_2026, client):
    client.force_login(StaffFactory(is_superuser=True, is_staff=True))
    response = client.post(
        reverse("admin:workdays_calendaryear_add"),
        {"year": "2027", "holidays_text": "春节 2027-02-05 2027-02-12", "adjusted_text": "2027-02-17"},
    )
    assert response.status_code == 200
    assert "不是周六或周日" in response.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()


@pytest.mark.parametrize(("role", "expected"), [("reviewer", 403), ("platform_admin", 200)])
def test_admin_entry_needs_the_platform_admin_role_besides_model_permissions(
    today_2026, client, role, expected
):
    from django.contrib.auth.models import Permission

    user = StaffFactory(role=role, is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="workdays"))
    client.force_login(user)
    assert client.get(reverse("admin:workdays_calendaryear_add")).status_code == expected


def test_calendar_page_and_errors_in_english(today_2026, client, api):
    html = client.get("/calendar/", {"year": 2027}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Working-day calendar and time limits" in html and "Provisional" in html
    response = api.get(
        "/api/v1/calendar/deadline/", {"start": "2031-01-06", "workdays": 1}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.json()["detail"].startswith(
        "The working-day calendar covers 2004-01-01 to 2028-12-31 only"
    )
