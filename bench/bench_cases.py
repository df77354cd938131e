"""办件 benchmark (#4 point 11): the online application and acceptance-to-delivery flow through the REST API
with concurrent clients against gunicorn, and the work queue and the applicant's case list with 1,000,000
cases in the database.

Flow: each client thread has its own keep-alive connection and its own API tokens (an applicant of the
bench people, a window clerk, the lead department's reviewer and head, the partner department's reviewer)
and repeats, until the time is up:

    applicant  POST /api/v1/cases/                 create the draft (Idempotency-Key)
    applicant  POST /api/v1/cases/                 the same request again (a double click): the same draft
    applicant  POST /api/v1/cases/<id>/materials/  one PDF per required material of the item (multipart)
    applicant  POST /api/v1/cases/<id>/submit/     submit (Idempotency-Key): the case number is assigned
    clerk      POST /api/v1/cases/<no>/accept/
    reviewer   POST /api/v1/cases/<no>/start_review/
    reviewers  POST /api/v1/cases/<no>/review/     one per task (lead, and the partner's on joint items)
    head       POST /api/v1/cases/<no>/conclude/   准予 (the decision document is generated)
    applicant  POST /api/v1/cases/<no>/deliver/    electronic delivery: the case is closed

cases/s counts completed flows. Each action's latency percentiles are reported next to the floor
(/api/v1/ping/) loaded by the same Python client with the same number of threads in the same run.
Then the queue and list pages: the latency of one client (the median the issue asks for), the same page
under wrk next to the wrk floor, and the number of SQL queries each page costs (in process, same database).

    .venv/bin/python -m bench.run floor cases            # 1,000,000 cases (generated once, kept), SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bianmin_bench .venv/bin/python -m bench.run floor cases-pg
    BENCH_CASES=20000 BENCH_CASES_SECONDS=20 .venv/bin/python -m bench.run cases     # a quick run

The flow adds its cases to the benchmark database (idempotency keys "flow-…"); the generator's count
ignores them.
"""

from __future__ import annotations

import http.client
import json
import os
import threading
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bench.harness import FLOOR_PATH, Context, HttpFigure, Report, benchmark, session_cookie
from bench.http import Measurement, _percentile, measure

FLOW_ACTIONS = (
    "create",
    "create (replay)",
    "upload material",
    "submit",
    "accept",
    "start_review",
    "review",
    "conclude",
    "deliver",
)
MAX_FLOWS_PER_CLIENT = 2_000  # bounded, whatever the duration
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + b"%" * 20_000  # a 20 kB scan


@dataclass
class _Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: {a: [] for a in FLOW_ACTIONS})
    flows: int = 0
    errors: list[str] = field(default_factory=list)


class _Api:
    """One keep-alive connection with a JSON request helper (loopback only)."""

    def __init__(self, base_url: str):
        parts = urlsplit(base_url)
        if parts.hostname not in ("127.0.0.1", "localhost"):
            raise ValueError("loopback only")
        self.host, self.port = parts.hostname, parts.port
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)

    def post(
        self, path: str, token: str, body: dict, key: str = "", upload: bytes | None = None
    ) -> tuple[int, dict, float]:
        headers = {"Authorization": f"Token {token}"}
        if key:
            headers["Idempotency-Key"] = key
        if upload is None:
            headers["Content-Type"] = "application/json"
            payload: bytes | str = json.dumps(body)
        else:  # multipart: the fields of body and the file
            boundary = uuid.uuid4().hex
            parts = [
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
                for name, value in body.items()
            ]
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="scan.pdf"\r\n'
                "Content-Type: application/pdf\r\n\r\n".encode()
                + upload
                + f"\r\n--{boundary}--\r\n".encode()
            )
            payload = b"".join(parts)
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        began = time.perf_counter()
        try:
            self.conn.request("POST", path, body=payload, headers=headers)
            response = self.conn.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
            return 599, {}, (time.perf_counter() - began) * 1000
        elapsed = (time.perf_counter() - began) * 1000
        try:
            data = json.loads(raw) if raw else {}
        except ValueError:
            data = {"raw": raw[:200].decode(errors="replace")}
        return response.status, data, elapsed

    def close(self) -> None:
        self.conn.close()


@dataclass
class _Actor:
    """The tokens one client thread acts with."""

    applicant: str
    clerk: str
    reviewers: dict[int, str]  # department id -> reviewer token
    heads: dict[int, str]


def _flow(api: _Api, actor: _Actor, item, run: str, n: int, tally: _Tally) -> bool:
    """One case from draft to delivery; False (and an error noted) when a step does not answer 2xx."""

    def step(
        action: str, path: str, token: str, body: dict, key: str = "", expect=(200,), upload=None
    ) -> dict | None:
        status, data, ms = api.post(path, token, body, key, upload)
        if status not in expect:
            tally.errors.append(f"{action} {status} {str(data)[:160]}")
            return None
        tally.latencies[action].append(ms)
        return data

    key = f"flow-{run}-{n}"
    draft = step("create", "/api/v1/cases/", actor.applicant, {"item": item.code}, key, (201,))
    if draft is None:
        return False
    again = step("create (replay)", "/api/v1/cases/", actor.applicant, {"item": item.code}, key, (200,))
    if again is None or again.get("id") != draft["id"]:
        tally.errors.append("create (replay) made a second case")
        return False
    version = draft["version"]
    for material_id in item.bench_materials:
        given = step(
            "upload material",
            f"/api/v1/cases/{draft['id']}/materials/",
            actor.applicant,
            {"material": material_id},
            upload=PDF,
        )
        if given is None:
            return False
        version = given["version"]
    case = step(
        "submit",
        f"/api/v1/cases/{draft['id']}/submit/",
        actor.applicant,
        {"version": version},
        f"{key}-submit",
    )
    if case is None:
        return False
    base = f"/api/v1/cases/{case['number']}"
    case = step("accept", f"{base}/accept/", actor.clerk, {"version": case["version"]})
    if case is None:
        return False
    lead = item.department_id
    case = step("start_review", f"{base}/start_review/", actor.reviewers[lead], {"version": case["version"]})
    if case is None:
        return False
    version = case["version"]
    for task in case.get("tasks", []):
        token = actor.reviewers.get(task["department_id"])
        if token is None:
            tally.errors.append(f"no reviewer token for department {task['department_id']}")
            return False
        reviewed = step(
            "review",
            f"{base}/review/",
            token,
            {"version": version, "task": task["id"], "opinion": "经审查，符合条件，同意。"},
        )
        if reviewed is None:
            return False
        version = reviewed["version"] if "version" in reviewed else version + 1
    concluded = step(
        "conclude", f"{base}/conclude/", actor.heads[lead], {"version": version, "decision": "approved"}
    )
    if concluded is None:
        return False
    delivered = step(
        "deliver",
        f"{base}/deliver/",
        actor.applicant,
        {"version": concluded["version"], "channel": "electronic"},
    )
    return delivered is not None and delivered.get("state") == "delivered"


def _items():
    """Two online items of the bench catalog a person may apply for without form fields: one handled by its
    department alone, one with a partner department (并联审批); each with its required materials' ids."""
    from bianmin.catalog.constants import Necessity
    from bianmin.catalog.models import ServiceItem

    candidates = (
        ServiceItem.objects.filter(
            catalog_code__startswith="BN",
            current_version__is_online=True,
            current_version__serves_natural_person=True,
            current_version__is_instant=False,
            current_version__promised_limit__gt=0,
            current_version__fees=[],
        )
        .select_related("current_version")
        .order_by("pk")
    )
    single = joint = None
    for item in candidates[:500]:
        version = item.current_version
        if version.form_fields.exists():
            continue
        item.bench_materials = list(
            version.materials.exclude(necessity=Necessity.OPTIONAL)
            .order_by("order", "pk")
            .values_list("pk", flat=True)
        )
        partners = version.partner_departments.count()
        if partners == 0 and single is None:
            single = item
        elif partners == 1 and joint is None:
            joint = item
        if single and joint:
            return [single, joint]
    raise RuntimeError("no online bench items to apply for (one alone, one joint): generate items first")


def _tokens(usernames: list[str]) -> dict[str, str]:
    from rest_framework.authtoken.models import Token

    from bianmin.accounts.models import User

    out = {}
    for user in User.objects.filter(username__in=usernames):
        token, _created = Token.objects.get_or_create(user=user)
        out[user.username] = token.key
    missing = set(usernames) - set(out)
    if missing:
        raise RuntimeError(f"bench users missing: {', '.join(sorted(missing))}")
    return out


def _measurement(label: str, values: list[float], seconds: float, clients: int, errors: int) -> Measurement:
    ordered = sorted(values)
    return Measurement(
        url=label,
        tool="python flow client",
        duration_s=seconds,
        connections=clients,
        requests=len(values),
        requests_per_s=len(values) / seconds if seconds else 0.0,
        p50_ms=_percentile(ordered, 50),
        p90_ms=_percentile(ordered, 90),
        p99_ms=_percentile(ordered, 99),
        max_ms=ordered[-1] if ordered else 0.0,
        errors=errors,
    )


def _run_flows(ctx: Context, report: Report, *, clients: int, seconds: float) -> None:
    from bench.generate import PEOPLE_PREFIX, staff_username
    from bianmin.accounts.constants import Role

    items = _items()
    departments = set()
    for item in items:
        departments.add(item.department_id)
        departments.update(item.current_version.partner_departments.values_list("pk", flat=True))
    from bianmin.organisations.models import Hall

    hall_id = Hall.objects.order_by("pk").values_list("pk", flat=True).first()
    applicants = [f"{PEOPLE_PREFIX}{900 + k:07d}" for k in range(clients)]  # not enterprise members
    staff = {
        "clerk": staff_username(Role.WINDOW_CLERK, hall_id),
        **{f"r{d}": staff_username(Role.REVIEWER, d) for d in departments},
        **{f"h{d}": staff_username(Role.HEAD, d) for d in departments},
    }
    tokens = _tokens([*applicants, *staff.values()])
    actors = [
        _Actor(
            applicant=tokens[applicants[k]],
            clerk=tokens[staff["clerk"]],
            reviewers={d: tokens[staff[f"r{d}"]] for d in departments},
            heads={d: tokens[staff[f"h{d}"]] for d in departments},
        )
        for k in range(clients)
    ]
    base_url = ctx.url("")
    run = uuid.uuid4().hex[:8]

    # the floor with the same client and threads, just before
    floor = measure(ctx.url(FLOOR_PATH), duration=min(seconds, 10), connections=clients, tool="python")

    tallies = [_Tally() for _ in range(clients)]
    stop_at = time.monotonic() + seconds
    gate = threading.Barrier(clients + 1)

    def client(k: int) -> None:
        api = _Api(base_url)
        tally = tallies[k]
        gate.wait()
        try:
            for n in range(MAX_FLOWS_PER_CLIENT):
                if time.monotonic() >= stop_at:
                    break
                item = items[n % len(items)]
                if _flow(api, actors[k], item, f"{run}-{k}", n, tally):
                    tally.flows += 1
                elif len(tally.errors) > 20:
                    break
        finally:
            api.close()

    threads = [threading.Thread(target=client, args=(k,), daemon=True) for k in range(clients)]
    for thread in threads:
        thread.start()
    gate.wait()
    began = time.monotonic()
    for thread in threads:
        thread.join(timeout=seconds + 300)
    elapsed = time.monotonic() - began

    flows = sum(t.flows for t in tallies)
    errors = [e for t in tallies for e in t.errors]
    if errors and not flows:
        raise RuntimeError(f"no case went through: {errors[:5]}")
    report.figure(
        "cases/s: online application → delivery, end to end",
        flows / elapsed,
        "cases/s",
        f"{flows:,} cases, {clients} clients, {elapsed:.0f} s, {len(errors)} failed steps",
    )
    requests = sum(len(v) for t in tallies for v in t.latencies.values())
    report.figure("API requests/s during the flow", requests / elapsed, "req/s", f"{requests:,} requests")
    report.figure("floor with the same client and threads", floor.requests_per_s, "req/s", floor.summary())
    for action in FLOW_ACTIONS:
        values = [v for t in tallies for v in t.latencies[action]]
        label = f"POST {action}: {len(values):,} requests" + (
            ", one per review task" if action == "review" else ""
        )
        report.http(HttpFigure(label, _measurement(label, values, elapsed, clients, 0), floor))
    if errors:
        report.note(f"{len(errors)} flow steps failed; first: {errors[0]}")


def _page_figures(ctx: Context, report: Report) -> None:
    """The work queue and the applicant's list: one-client median, loaded vs the floor, queries per page."""
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.generate import PEOPLE_PREFIX, staff_username
    from bianmin.accounts.constants import Role
    from bianmin.accounts.models import User
    from bianmin.cases import selectors
    from bianmin.cases.constants import CaseState
    from bianmin.cases.models import Case
    from bianmin.organisations.models import Hall

    busiest = (
        Case.objects.filter(state__in=[CaseState.ACCEPTED, CaseState.IN_REVIEW])
        .values("department_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    reviewer = User.objects.get(username=staff_username(Role.REVIEWER, busiest["department_id"]))
    clerk = User.objects.get(
        username=staff_username(
            Role.WINDOW_CLERK, Hall.objects.order_by("pk").values_list("pk", flat=True)[0]
        )
    )
    applicant = User.objects.get(username=f"{PEOPLE_PREFIX}{7:07d}")  # a person and an enterprise member
    sizes = {
        "reviewer": selectors.work_queue(user=reviewer).count(),
        "clerk": selectors.work_queue(user=clerk).count(),
        "applicant": selectors.case_list(user=applicant, filters={"mine": "1"}).count(),
    }
    pages = [
        ("work queue page (reviewer)", reviewer, "/workbench/cases/", "reviewer"),
        ("work queue API (reviewer)", reviewer, "/api/v1/cases/queue/", "reviewer"),
        ("work queue page (window clerk)", clerk, "/workbench/cases/", "clerk"),
        ("我的办件 page (applicant)", applicant, "/my/cases/", "applicant"),
        ("我的办件 page 10 (applicant)", applicant, "/my/cases/?page=10", "applicant"),
        ("case list API ?mine=1 (applicant)", applicant, "/api/v1/cases/?mine=1", "applicant"),
    ]
    client = Client()
    for label, user, path, who in pages:
        client.force_login(user)
        client.get(path)  # the first request after a login costs session queries of its own
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path}: {response.status_code}")
        cookie = session_cookie(user)
        single = measure(ctx.url(path), duration=5, connections=1, headers={"Cookie": cookie})
        if single.errors:
            raise RuntimeError(f"{path}: {single.errors} errors {single.error_detail}")
        report.figure(
            f"{label}: median, one client",
            single.p50_ms,
            "ms",
            f"p90 {single.p90_ms:.1f} ms, {len(captured)} queries, {sizes[who]:,} cases in the list",
        )
        report.http(ctx.measure(path, label=f"GET {path} — {label}", headers={"Cookie": cookie}))
    report.figure("cases in the database", Case.objects.count(), "cases")


@benchmark(
    "cases", "办件：网上申请到送达的 API 吞吐，100 万办件时的待办队列与我的办件（SQLite）", default=False
)
def run_sqlite(ctx: Context) -> Report:
    return run(ctx, vendor="sqlite")


@benchmark(
    "cases-pg",
    "办件：网上申请到送达的 API 吞吐，100 万办件时的待办队列与我的办件（PostgreSQL）",
    default=False,
)
def run_postgresql(ctx: Context) -> Report:
    return run(ctx, vendor="postgresql")


def run(ctx: Context, *, vendor: str) -> Report:
    """One section of bench/RESULTS.md per database, so a run on one never replaces the other's figures."""
    from django.db import connection

    if connection.vendor != vendor:
        other = "cases-pg" if connection.vendor == "postgresql" else "cases"
        raise SystemExit(f"this database is {connection.vendor}: run `bench.run {other}`")
    volume = int(os.environ.get("BENCH_CASES", "1000000"))
    clients = int(os.environ.get("BENCH_CASES_CLIENTS", "8"))
    seconds = float(os.environ.get("BENCH_CASES_SECONDS", "60"))
    ctx.generate(items=10_000, cases=volume)
    ctx.restart_server()  # a fresh server after generating: no stale per-process caches
    report = Report()
    _run_flows(ctx, report, clients=clients, seconds=seconds)
    _page_figures(ctx, report)
    report.note(
        f"Flow: {clients} client threads, each with its own applicant and staff API tokens and keep-alive "
        "connection, against gunicorn (config/gunicorn.conf.py) on loopback; every case goes draft → "
        "submitted → accepted → in review → concluded → delivered, half of them on an item with a partner "
        "department (two review tasks). The per-action rows use the floor measured with the same Python "
        "client and threads; the page rows under it use wrk and the wrk floor."
    )
    report.note(
        "Work queue and 我的办件: page-number pagination with an exact count (the lists are per department, "
        "hall or applicant: thousands of rows at most even with 1,000,000 cases, counted from indexes); each "
        "page reads its keys first, then its rows (selectors.ListQuerySet). Query counts are pinned in "
        "tests/cases/test_query_counts.py; the counts above are of a page after a first request."
    )
    return report
