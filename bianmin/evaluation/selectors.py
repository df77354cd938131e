"""Reads of 好差评: the rate page, public figures (without personal data) and the staff lists, scoped."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from bianmin.accounts import rules as account_rules
from bianmin.evaluation import rules
from bianmin.evaluation.constants import BAD_LEVELS, SATISFIED_MIN, AppealState
from bianmin.evaluation.exceptions import EvaluationNotFound, InvitationNotFound
from bianmin.evaluation.models import Appeal, Evaluation, EvaluationInvitation, Rectification

DIMENSIONS = {
    "department": ("department_id", "department__name"),
    "item": ("item_id", "item__current_version__name"),
    "hall": ("hall_id", "hall__name"),
}


def invitation_get(*, token: str) -> EvaluationInvitation:
    invitation = (
        EvaluationInvitation.objects.select_related("department", "hall", "item__current_version")
        .filter(token=token)
        .first()
    )
    if invitation is None:
        raise InvitationNotFound()
    return invitation


def rating_url_for_request(request) -> str:
    from bianmin.evaluation.services import rate_url

    invitation = EvaluationInvitation.objects.filter(service_request=request).first()
    return rate_url(invitation) if invitation else ""


def counted_evaluations() -> QuerySet[Evaluation]:
    """What the figures count: first ratings (a follow-up is not a second service), minus upheld appeals."""
    return Evaluation.objects.filter(is_follow_up=False).exclude(appeal__state=AppealState.UPHELD)


def figures(*, by: str) -> list[dict]:
    key, name = DIMENSIONS[by]
    rows = (
        counted_evaluations()
        .filter(**{f"{key}__isnull": False})
        .values(key, name)
        .annotate(
            total=Count("pk"),
            satisfied=Count("pk", filter=Q(level__gte=SATISFIED_MIN)),
            bad=Count("pk", filter=Q(level__in=BAD_LEVELS)),
            rectified=Count("pk", filter=Q(level__in=BAD_LEVELS, rectification__state="done")),
        )
        .order_by("-total", name)
    )
    result = []
    for row in rows:
        total = row["total"]
        result.append(
            {
                "id": row[key],
                "name": row[name] or "—",
                "total": total,
                "satisfied": row["satisfied"],
                "bad": row["bad"],
                "rectified": row["rectified"],
                "satisfaction_rate": round(row["satisfied"] / total, 4) if total else None,
            }
        )
    return result


def totals() -> dict:
    agg = counted_evaluations().aggregate(
        total=Count("pk"),
        satisfied=Count("pk", filter=Q(level__gte=SATISFIED_MIN)),
        bad=Count("pk", filter=Q(level__in=BAD_LEVELS)),
        rectified=Count("pk", filter=Q(level__in=BAD_LEVELS, rectification__state="done")),
    )
    agg["satisfaction_rate"] = round(agg["satisfied"] / agg["total"], 4) if agg["total"] else None
    agg["rectification_rate"] = round(agg["rectified"] / agg["bad"], 4) if agg["bad"] else None
    return agg


def public_rectifications() -> QuerySet[Rectification]:
    return Rectification.objects.select_related(
        "department", "evaluation__item__current_version", "evaluation__hall"
    ).order_by("-opened_on", "-pk")


def rectification_list_for_user(*, user) -> QuerySet[Rectification]:
    qs = Rectification.objects.select_related(
        "department",
        "evaluation__invitation__service_request",
        "evaluation__item__current_version",
        "evaluation__appeal",
    ).order_by("state", "due_on", "-pk")
    if rules.is_supervisor(user) or account_rules.can_handle_requests(user):
        return qs
    departments = account_rules.department_ids(user, rules.DEPARTMENT_STAFF)
    halls = account_rules.hall_ids(user, "hall_manager")
    return qs.filter(Q(department_id__in=departments) | Q(evaluation__hall_id__in=halls))


def rectification_get_for_user(*, user, pk: int) -> Rectification:
    rectification = rectification_list_for_user(user=user).filter(pk=pk).first()
    if rectification is None:
        raise EvaluationNotFound()
    return rectification


def evaluation_get_for_staff(*, user, pk: int) -> Evaluation:
    evaluation = Evaluation.objects.select_related("invitation__service_request").filter(pk=pk).first()
    if evaluation is None or not (
        rules.is_supervisor(user)
        or rules.is_department_staff(user, evaluation.department_id)
        or (evaluation.hall_id and account_rules.has_role(user, "hall_manager", hall=evaluation.hall_id))
    ):
        raise EvaluationNotFound()
    return evaluation


def evaluation_list_for_user(*, user) -> QuerySet[Evaluation]:
    qs = Evaluation.objects.select_related(
        "invitation__service_request", "department", "item__current_version"
    ).order_by("-created_at")
    if rules.is_supervisor(user):
        return qs
    departments = account_rules.department_ids(user, rules.DEPARTMENT_STAFF)
    if departments:
        return qs.filter(department_id__in=departments)
    return qs.filter(invitation__person_id=getattr(user, "pk", None))


def appeals_pending() -> QuerySet[Appeal]:
    return Appeal.objects.filter(state=AppealState.PENDING).select_related(
        "evaluation__department", "evaluation__invitation", "filed_by"
    )


def appeal_get_for_supervisor(*, user, pk: int) -> Appeal:
    appeal = Appeal.objects.select_related("evaluation").filter(pk=pk).first()
    if appeal is None or not rules.is_supervisor(user):
        raise EvaluationNotFound()
    return appeal
