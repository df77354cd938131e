"""The benchmark harness: generators make valid, idempotent data; RESULTS.md keeps history; load stays local."""

from __future__ import annotations

import re

import pytest
from django.db.models import Count
from django.utils import timezone

from bench import generate
from bench.harness import Figure, HttpFigure, Report
from bench.http import Measurement, measure
from bench.run import previous_history, render_section, write_results
from bianmin.accounts.models import Enterprise, User
from bianmin.core.crypto import pii_hash
from bianmin.core.validators import is_valid_id_card, is_valid_uscc
from tests.factories import DepartmentFactory


@pytest.mark.django_db
def test_generators_make_valid_rows_and_only_add_what_is_missing():
    DepartmentFactory.create_batch(3)  # reference data present: the seed is not needed

    counts = generate.ensure(people=30, enterprises=5, items=12, cases=80)

    assert counts == {"people": 30, "enterprises": 5, "reference": 1, "items": 12, "staff": 1, "cases": 80}
    assert User.objects.filter(username__startswith="bench-s-").exists()  # reviewers, heads, clerks
    person = User.objects.get(username="bench-p0000007")
    assert is_valid_id_card(person.id_card_no)
    assert person.id_card_hash == pii_hash(person.id_card_no)
    assert person.mobile_hash == pii_hash(person.mobile)
    assert person.check_password(generate.BENCH_PASSWORD)
    enterprise = Enterprise.objects.filter(uscc__startswith=generate.ENTERPRISE_USCC_PREFIX).first()
    assert is_valid_uscc(enterprise.uscc)
    assert enterprise.memberships.get().is_admin

    from bianmin.cases.models import Case
    from bianmin.catalog.models import ServiceItem

    item = ServiceItem.objects.filter(catalog_code__startswith="BN").select_related("current_version").first()
    assert item.current_version.state == "published"
    assert len(item.implementation_code) == 31 and item.search_text
    cases = Case.objects.filter(idempotency_key__startswith="bench-")
    numbers = [n for n in cases.values_list("number", flat=True) if n]
    assert all(re.fullmatch(r"440507\d{8}\d{4}\d{5}", n) for n in numbers)
    assert len(set(numbers)) == len(numbers)
    assert not cases.filter(submitted_at__gt=timezone.now()).exists()
    assert not cases.filter(state="delivered", concluded_at__isnull=True).exists()
    assert cases.annotate(n=Count("events")).filter(n=0).count() == 0

    again = generate.ensure(people=40, cases=80)

    assert again["people"] == 40 and again["cases"] == 80
    assert User.objects.filter(username__startswith="bench-p").count() == 40
    assert cases.count() == 80


def _report(rps: float) -> Report:
    m = Measurement("http://127.0.0.1:1/api/v1/ping/", "wrk", 10, 16, int(rps * 10), rps, 1, 2, 3, 4, 0)
    report = Report()
    report.http(HttpFigure("GET /api/v1/ping/", m, m))
    report.figure("entries", 123.0, "/s")
    return report


def test_results_sections_are_replaced_and_keep_their_history(tmp_path):
    results = tmp_path / "RESULTS.md"
    machine = {"cpu": "test", "database": "SQLite 3 (x)"}
    for n, rps in enumerate([1000.0, 2000.0, 3000.0]):
        text = results.read_text() if results.exists() else ""
        section = render_section(
            name="floor",
            title="floor",
            report=_report(rps),
            machine=machine,
            command="cmd",
            when=f"2026-11-2{n} 00:00 UTC",
            commit=f"c{n}",
            seconds=1,
            history=previous_history(text, "floor"),
        )
        write_results(results, "floor", section)
    write_results(
        results,
        "other",
        render_section(
            name="other",
            title="other",
            report=Report(figures=[Figure("x", 1, "s")]),
            machine=machine,
            command="cmd",
            when="2026-11-23 00:00 UTC",
            commit="c9",
            seconds=1,
            history=[],
        ),
    )

    text = results.read_text()
    assert text.count("<!-- bench:floor:begin -->") == 1 and text.count("<!-- bench:other:begin -->") == 1
    assert "| GET /api/v1/ping/ | 3,000 |" in text  # the latest run in full
    history = previous_history(text, "floor")
    assert [row.split(" | ")[1] for row in history] == ["c2", "c1", "c0"]  # newest first, latest included


def test_load_generator_measures_a_live_server_and_refuses_remote_hosts(live_server):
    result = measure(f"{live_server.url}/api/v1/ping/", duration=1, connections=2, tool="python")
    assert result.requests > 0 and result.errors == 0
    assert result.p50_ms > 0

    with pytest.raises(ValueError, match="loopback"):
        measure("http://example.com/", duration=1, connections=1)
    with pytest.raises(ValueError, match="duration"):
        measure(f"{live_server.url}/", duration=1000, connections=1)


@pytest.mark.django_db
def test_session_cookie_signs_the_bench_user_in(client):
    from bench.harness import session_cookie
    from tests.factories import StaffFactory

    user = StaffFactory(supervisor=True)
    name, _sep, key = session_cookie(user).partition("=")
    client.cookies[name] = key
    assert client.get("/workbench/").status_code == 200
    client.cookies[name] = "not-a-session"
    assert client.get("/workbench/").status_code == 302
