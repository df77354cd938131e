"""Reads of cases, already scoped to the user (access.py says who sees what). Constant query counts.

- case_list: applicants see their own and their enterprises' cases; clerks their halls' cases and the
  online applications waiting for intake; reviewers and heads the cases of their department (lead) or
  with a task of their department; supervisors everything (read-only).
- work_queue: what a staff member should act on now, most urgent first.
- overdue_list: open accepted cases past their deadline (supervisors, heads).
- case_get_for_user: one case by number or, for drafts, by UUID; 404 otherwise.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any

from django.db.models import DateField, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.db.models.query import ModelIterable
from django.utils import timezone

from bianmin.accounts import rules as account_rules
from bianmin.accounts.constants import Role
from bianmin.cases import access
from bianmin.cases.constants import CLOCK_STATES, CaseState, EventKind, ReviewTaskState
from bianmin.cases.exceptions import CaseNotFound
from bianmin.cases.models import Case, CaseEvent, CaseMaterial, ReviewTask

# Above this many open partner tasks the work queue filters by subquery rather than by a list of ids.
PARTNER_IDS_INLINE = 2_000


# Columns list pages never show: left out of list queries, so that sorting a department's or an applicant's
# few thousand cases (before the page is cut) moves narrow rows. A detail page reads the whole case.
LIST_DEFERRED = frozenset(
    {
        "form_data",
        "correction_notes",
        "applicant_id_no",
        "applicant_mobile",
        "agent_id_no",
        "agent_mobile",
        "decline_reason",
        "decline_legal_basis",
        "decision_reasons",
        "remedies",
        "closed_reason",
        "delivery_address",
    }
)
# What lists show of the related rows (the item code, its name, the department, the hall).
LIST_RELATED = (
    "item__code",
    "item_version__name",
    "item_version__number",
    "department__name",
    "department__short_name",
    "hall__name",
)


def _base() -> QuerySet[Case]:
    return Case.objects.select_related("item", "item_version", "department", "hall")


class ListQuerySet(QuerySet):
    """A list of cases whose pages are read in two steps: the page's primary keys first (a sort over narrow
    index entries: with 1,000,000 cases a hall's or an applicant's few thousand rows need not be read and
    sorted whole to show 20 of them), then those rows with their related rows. One more query per page.

    Only slices of model instances take this path (Paginator, DRF pagination, qs[:50]); a slice comes back
    as a list, in the queryset's order."""

    def __getitem__(self, k):
        if (
            not isinstance(k, slice)
            or self._result_cache is not None
            or self._iterable_class is not ModelIterable
        ):
            return super().__getitem__(k)
        keys = list(self.values_list("pk", flat=True)[k])
        if not keys:
            return []
        rows = {row.pk: row for row in self.order_by().filter(pk__in=keys)}
        return [rows[key] for key in keys if key in rows]


def _base() -> QuerySet[Case]:
    return Case.objects.select_related("item", "item_version", "department", "hall")


def _list_base() -> QuerySet[Case]:
    """_base() for lists: every case column but LIST_DEFERRED, and of the related rows what lists show."""
    columns = [f.name for f in Case._meta.concrete_fields if f.name not in LIST_DEFERRED]
    return (
        ListQuerySet(model=Case)
        .select_related("item", "item_version", "department", "hall")
        .only(*columns, *LIST_RELATED)
    )


def case_list(*, user, filters: Mapping[str, Any] | None = None) -> QuerySet[Case]:
    """Cases the user may see, filtered: state, item (code), overdue (1), mine (1: where I am the applicant)."""
    filters = filters or {}
    q = access.visible_q(user)
    qs = _list_base().filter(q) if q is not None else _list_base()
    if filters.get("state"):
        states = [s for s in str(filters["state"]).split(",") if s in CaseState.values]
        qs = qs.filter(state__in=states)
    if filters.get("item"):
        qs = qs.filter(item__code=filters["item"])
    if filters.get("number"):
        qs = qs.filter(number=filters["number"])
    if str(filters.get("overdue") or "") in ("1", "true", "True"):
        qs = qs.filter(state__in=CLOCK_STATES, deadline_on__lt=timezone.localdate(), is_suspended=False)
    if str(filters.get("mine") or "") in ("1", "true", "True"):
        mine = Q(applicant=user) | Q(created_by=user)
        enterprises = account_rules.enterprise_ids(user)
        if enterprises:
            mine |= Q(enterprise_id__in=enterprises)
        qs = qs.filter(mine)
    return qs.order_by("-created_at", "-pk")


# Most urgent first: deadline, then intake due date (a missing date last), then the oldest. The dates are
# ordered as expressions on purpose: ordered by the bare column, PostgreSQL walks the whole deadline_on
# index for a short page of one department's queue (millions of rows filtered) instead of sorting its rows.
_LAST_DAY = Value(dt.date.max, output_field=DateField())
QUEUE_ORDER = (
    Coalesce("deadline_on", _LAST_DAY).asc(),
    Coalesce("intake_due_on", _LAST_DAY).asc(),
    "submitted_at",
    "pk",
)


def work_queue(*, user) -> QuerySet[Case]:
    """Open work for staff, most urgent first (deadline, then intake due date, then oldest).

    Clerks: applications awaiting intake at their halls (and online ones not yet taken in); reviewers and
    heads: accepted cases of their department and cases with an open task of their department.
    """
    q = Q(pk__in=[])
    halls = account_rules.hall_ids(user, Role.WINDOW_CLERK)
    if halls:
        q |= Q(state=CaseState.SUBMITTED) & (Q(hall_id__in=halls) | Q(hall__isnull=True))
    departments = account_rules.department_ids(user, (Role.REVIEWER, Role.HEAD))
    if departments:
        q |= Q(state=CaseState.ACCEPTED, department_id__in=departments)
        q |= Q(state=CaseState.IN_REVIEW, department_id__in=departments)
        # partner departments (并联审批): in-review cases with an open task of theirs. Their own cases' lead
        # tasks are covered above, so only partner tasks count. The ids are read first (one query, a
        # department's open partner tasks): a subquery inside the OR would make PostgreSQL filter every
        # in-review case of the district instead of using the indexes.
        partner_cases = ReviewTask.objects.filter(
            department_id__in=departments, state=ReviewTaskState.OPEN, is_lead=False
        ).values_list("case_id", flat=True)
        ids = list(partner_cases[: PARTNER_IDS_INLINE + 1])
        if len(ids) > PARTNER_IDS_INLINE:
            q |= Q(state=CaseState.IN_REVIEW, pk__in=partner_cases)
        elif ids:
            q |= Q(state=CaseState.IN_REVIEW, pk__in=ids)
    return _list_base().filter(q).order_by(*QUEUE_ORDER)


def overdue_list(*, user, today: dt.date | None = None) -> QuerySet[Case]:
    """超期件: open accepted cases past their deadline, oldest deadline first (scoped like case_list)."""
    today = today or timezone.localdate()
    q = access.visible_q(user)
    qs = _list_base().filter(q) if q is not None else _list_base()
    return qs.filter(state__in=CLOCK_STATES, deadline_on__lt=today, is_suspended=False).order_by(
        "deadline_on", "pk"
    )


def _parse_ref(ref: str) -> Q:
    ref = str(ref).strip()
    try:
        return Q(pk=uuid.UUID(ref))
    except ValueError:
        pass
    if ref.isdigit() and len(ref) == 23:
        return Q(number=ref)
    raise CaseNotFound()


def case_get_for_user(*, user, ref: str) -> Case:
    """One case with its materials, tasks, suspensions and extensions; 404 if the user may not see it.

    `ref` is the 办件编号, or the UUID (drafts have no number). Partner departments' staff get only their
    own task in `visible_tasks`.
    """
    case = (
        _base()
        .select_related("applicant", "enterprise", "window", "delivery_hall", "created_by")
        .prefetch_related(
            Prefetch(
                "materials", queryset=CaseMaterial.objects.filter(is_current=True).select_related("material")
            ),
            Prefetch("tasks", queryset=ReviewTask.objects.select_related("department", "done_by")),
            "suspensions",
            "extensions",
            "item_version__materials",
            "item_version__form_fields",
        )
        .filter(_parse_ref(ref))
        .first()
    )
    if case is None or not access.can_see(user, case):
        raise CaseNotFound()
    case.visible_tasks = visible_tasks(user=user, case=case)
    return case


def partner_only_departments(*, user, case: Case) -> set[int] | None:
    """The departments through which the user sees the case, when its only access is as a partner
    department's reviewer or head (并联审批); None when the user sees the whole case (the lead
    department, applicants, clerks, supervisors)."""
    if account_rules.can_review(user, case.department_id) or access.is_supervisor(user):
        return None
    if access.is_case_applicant(user, case) or account_rules.can_intake(user):
        return None
    return set(account_rules.department_ids(user, (Role.REVIEWER, Role.HEAD)))


def visible_tasks(*, user, case: Case) -> list[ReviewTask]:
    """All tasks for the lead department, applicants, clerks and supervisors; only their own for partners."""
    tasks = list(case.tasks.all())
    departments = partner_only_departments(user=user, case=case)
    if departments is None:
        return tasks
    return [task for task in tasks if task.department_id in departments]


def _own_review_event(event: CaseEvent, departments: set[int], task_ids: set[int]) -> bool:
    data = event.data if isinstance(event.data, dict) else {}
    if data.get("department") is not None:
        return data["department"] in departments
    return data.get("task") in task_ids


def case_timeline(*, user, case: Case, applicant_view: bool = False) -> list[CaseEvent]:
    """The events of a case the user may see (the caller fetched the case with case_get_for_user).

    A user who sees the case only as a partner department's reviewer or head gets its own task's
    review events and the case-level steps (submitted, accepted, review started, suspended, concluded...),
    not the review steps of the lead or other partner departments.

    `applicant_view` gives the applicant's meaningful steps: of the draft's saves only the first (the
    application was started) and none of the materials given while drafting (the submission covers
    them); staff and the audit keep every event.
    """
    events = list(case.events.select_related("actor").order_by("at", "pk"))
    departments = partner_only_departments(user=user, case=case)
    if departments is not None:
        # a partner department sees its own task's review events and the case-level milestones,
        # not the lead's or another partner's review steps
        task_ids = {task.pk for task in case.tasks.all() if task.department_id in departments}
        events = [
            event
            for event in events
            if event.kind != EventKind.REVIEW or _own_review_event(event, departments, task_ids)
        ]
    if not applicant_view:
        return events
    out, started = [], False
    for event in events:
        if event.kind == EventKind.SAVE_DRAFT:
            if started:
                continue
            started = True
        elif event.kind == EventKind.MATERIAL and event.state_from in ("", CaseState.DRAFT):
            continue
        out.append(event)
    return out


def case_public_progress(*, number: str, name_or_phone_tail: str) -> Case | None:
    """Public lookup: the case whose number matches AND whose applicant's full name or phone tail matches.

    Reveals nothing else: the caller shows state and dates only. None when either does not match.
    """
    number = (number or "").strip()
    probe = (name_or_phone_tail or "").strip()
    if not number or not probe or len(number) != 23 or not number.isdigit():
        return None
    case = _base().filter(number=number).first()
    if case is None:
        return None
    if probe == case.applicant_name or (
        len(probe) == 4 and probe.isdigit() and probe == case.applicant_mobile_tail
    ):
        return case
    return None


def case_material_get_for_user(*, user, ref: str, material_id: int) -> CaseMaterial:
    case = case_get_for_user(user=user, ref=ref)
    row = CaseMaterial.objects.filter(pk=material_id, case=case).exclude(file="").first()
    if row is None:
        raise CaseNotFound(None)
    return row


def deadline_warnings(*, today: dt.date | None = None) -> list[tuple[Case, Any]]:
    """Open cases on the clock whose colour is yellow (≥ 80 % used) or red (overdue), most urgent first.

    Not scoped to a user: the periodic task groups them by lead department (see tasks.py).
    """
    from bianmin.cases import clock

    today = today or timezone.localdate()
    qs = _base().filter(state__in=CLOCK_STATES, deadline_on__isnull=False).order_by("deadline_on", "pk")
    out = []
    for case in qs.iterator(chunk_size=500):
        status = clock.status(case, today=today)
        if status.colour in ("yellow", "red"):
            out.append((case, status))
    return out


def instant_authorisations(*, user) -> QuerySet:
    """即办授权 the user may manage: those of the departments they head (every one for a platform admin)."""
    from bianmin.cases.models import InstantAuthorisation

    qs = InstantAuthorisation.objects.select_related("department", "clerk", "granted_by").order_by(
        "department__name", "clerk__username"
    )
    if account_rules.is_platform_admin(user):
        return qs
    return qs.filter(department_id__in=account_rules.department_ids(user, Role.HEAD))
