"""How licences plug into the case spine (registered in LicencesConfig.ready(); cases never import us)."""

from __future__ import annotations

import logging

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bianmin.cases.registries import CaseResult, MaterialOffer, TransitionDone
from bianmin.licences.constants import MATERIAL_PROVIDER, LicenceStatus
from bianmin.licences.models import Licence, LicenceType

logger = logging.getLogger("bianmin.licences")

CONCLUDING_ACTIONS = {"conclude", "accept_and_conclude"}


def issue_on_approval(done: TransitionDone) -> None:
    """After a case is concluded as approved: issue every licence its item produces."""
    if done.action not in CONCLUDING_ACTIONS or done.data.get("decision") not in (None, "approved"):
        return
    from bianmin.accounts.models import User
    from bianmin.cases.models import Case
    from bianmin.licences.services import licence_issue_for_case

    case = Case.objects.select_related("item").filter(pk=done.case_id).first()
    if case is None or case.decision != "approved":
        return
    actor = User.objects.filter(pk=done.actor_id).first() if done.actor_id else None
    for licence_type in LicenceType.objects.filter(items=case.item, is_active=True).select_related(
        "issuing_department"
    ):
        try:
            licence_issue_for_case(case=case, licence_type=licence_type, acting_user=actor)
        except Exception:
            logger.exception("licence %s not issued for case %s", licence_type.code, case.number)


def case_results(case) -> list[CaseResult]:
    return [
        CaseResult(
            provider=MATERIAL_PROVIDER,
            ref=licence.identifier,
            label=f"{licence.licence_type.name}（{licence.licence_no}）",
            url=reverse("licences:verify", args=[licence.identifier]),
        )
        for licence in Licence.objects.select_related("licence_type").filter(case=case).order_by("pk")
    ]


class LicenceMaterialProvider:
    """减证便民: a valid licence the applicant holds satisfies a material naming its licence type."""

    name = MATERIAL_PROVIDER

    def _held(self, case, material):
        code = getattr(material, "licence_type_code", "") if material is not None else ""
        if not code or not case.applicant_id_hash:
            return Licence.objects.none()
        today = timezone.localdate()
        return (
            Licence.objects.select_related("licence_type", "issuer", "seal")
            .filter(Q(licence_type__code=code) | Q(licence_type__local_code=code))
            .filter(holder_code_hash=case.applicant_id_hash, status=LicenceStatus.VALID)
            .exclude(valid_until__lt=today)
            .order_by("-issued_on", "-pk")
        )

    @staticmethod
    def _offer(licence: Licence) -> MaterialOffer:
        until = licence.valid_until.isoformat() if licence.valid_until else _("长期")
        return MaterialOffer(
            provider=MATERIAL_PROVIDER,
            ref=licence.identifier,
            label=_("%(name)s（编号 %(no)s，%(issuer)s 签发，有效期至 %(until)s，已验签）")
            % {
                "name": licence.licence_type.name,
                "no": licence.licence_no,
                "issuer": licence.issuer.name,
                "until": until,
            },
            trust_level="A",
        )

    def offers(self, *, case, material, user) -> list[MaterialOffer]:
        return [self._offer(licence) for licence in self._held(case, material)]

    def resolve(self, *, case, material, user, ref: str) -> MaterialOffer | None:
        from bianmin.licences.verification import verify_identifier

        licence = self._held(case, material).filter(identifier=ref).first()
        if licence is None:
            return None
        if verify_identifier(licence.identifier).outcome != "valid":
            return None
        return self._offer(licence)
