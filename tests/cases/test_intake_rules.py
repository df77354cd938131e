"""容缺受理, 告知承诺, the intake-check and material-provider extension points, idempotent submission."""

from __future__ import annotations

import datetime as dt

import pytest

from bianmin.cases import registries, services
from bianmin.cases.constants import AcceptanceMode, CaseState, MaterialKind
from bianmin.cases.exceptions import CasePermissionDenied, CaseStateConflict, CaseValidationError
from bianmin.cases.models import Case, CaseMaterial
from tests.cases import helpers
from tests.cases.conftest import pdf

pytestmark = pytest.mark.django_db

DUE = dt.date(2026, 3, 20)


def test_tolerant_acceptance_only_for_tolerated_materials(world, api):
    # given an application without its 容缺后补 material
    case = helpers.submitted(world, with_place=False)
    # standard acceptance is refused: the material is missing
    with pytest.raises(CaseValidationError) as refused:
        services.case_accept(case=case, acting_user=world.clerk, mode=AcceptanceMode.STANDARD)
    assert refused.value.code == "materials_missing"
    # tolerant acceptance may not list a required (必要性 1) material
    with pytest.raises(CaseValidationError) as refused:
        services.case_accept(
            case=case,
            acting_user=world.clerk,
            mode=AcceptanceMode.TOLERANT,
            missing=[{"material": world.id_material.pk, "due_on": DUE}],
        )
    assert refused.value.code == "not_tolerated"
    # nor leave out a due date
    response = api(world.clerk).post(
        f"/api/v1/cases/{case.number}/accept/",
        {"mode": "tolerant", "missing": [{"material": world.place_material.pk}]},
        format="json",
    )
    assert response.status_code == 400
    # with the tolerated material and a due date it is accepted
    response = api(world.clerk).post(
        f"/api/v1/cases/{case.number}/accept/",
        {"mode": "tolerant", "missing": [{"material": world.place_material.pk, "due_on": "2026-03-20"}]},
        format="json",
    )
    assert response.status_code == 200, response.data
    assert response.data["acceptance_mode"] == "tolerant"
    missing = [m for m in response.data["materials"] if m["kind"] == "missing"]
    assert [(m["name"], m["due_on"]) for m in missing] == [("经营场所使用证明", "2026-03-20")]


def test_tolerant_acceptance_with_nothing_missing_is_refused(world):
    case = helpers.submitted(world)
    with pytest.raises(CaseValidationError):
        services.case_accept(case=case, acting_user=world.clerk, mode=AcceptanceMode.TOLERANT, missing=[])


def test_tolerated_material_must_be_in_before_conclusion(world, api):
    case = helpers.accepted(world, tolerant=True)
    case = services.case_start_review(case=case, acting_user=world.reviewer)
    task = case.tasks.get()
    services.case_review(case=case, acting_user=world.reviewer, task=task, opinion="符合")
    with pytest.raises(CaseStateConflict) as refused:
        services.case_conclude(case=case, acting_user=world.head, decision="approved")
    assert "经营场所使用证明" in str(refused.value.message)
    # a material that is not owed cannot be "supplemented"
    response = api(world.citizen).post(
        f"/api/v1/cases/{case.number}/supplement/",
        {"material": world.id_material.pk, "file": pdf()},
        format="multipart",
    )
    assert response.status_code == 400
    # the applicant hands the owed material in at a window (a visit), then the head concludes
    response = api(world.other_clerk).post(
        f"/api/v1/cases/{case.number}/supplement/",
        {"material": world.place_material.pk, "file": pdf("place.pdf")},
        format="multipart",
    )
    assert response.status_code == 200, response.data
    assert response.data["visits_count"] == 1
    owed = CaseMaterial.objects.get(case=case, kind=MaterialKind.MISSING)
    assert owed.supplied_at is not None and owed.is_current is False
    case = services.case_conclude(case=case, acting_user=world.head, decision="approved")
    assert case.state == CaseState.CONCLUDED


def test_commitment_only_where_the_certificate_list_allows_it(world):
    case = services.case_save_draft(acting_user=world.citizen, item=world.item, form_data=helpers.FORM)
    with pytest.raises(CaseValidationError):
        services.case_material_add(
            case=case, acting_user=world.citizen, material=world.id_material, commitment_text="我承诺"
        )
    row = services.case_material_add(
        case=case, acting_user=world.citizen, material=world.certificate_material, commitment_text="我承诺"
    )
    assert row.kind == MaterialKind.COMMITMENT and row.trust_level == "D" and row.commitment_signed_at


def test_intake_check_may_forbid_tolerant_acceptance_and_commitments(world):
    def credit_check(case):
        return registries.IntakeVerdict(
            forbid_tolerant=True, forbid_commitment=True, reason="申请人在失信名单中"
        )

    case = helpers.submitted(world, with_place=False)  # with a commitment, before the check is known
    registries.register_intake_check(credit_check)
    try:
        with pytest.raises(CasePermissionDenied) as refused:
            services.case_accept(
                case=case,
                acting_user=world.clerk,
                mode=AcceptanceMode.TOLERANT,
                missing=[{"material": world.place_material.pk, "due_on": DUE}],
            )
        # the commitment on file is refused first (the clerk must ask for the certificate)
        assert refused.value.code == "commitment_forbidden"
        draft = services.case_save_draft(
            acting_user=world.other_citizen, item=world.item, form_data=helpers.FORM
        )
        with pytest.raises(CasePermissionDenied):
            services.case_material_add(
                case=draft,
                acting_user=world.other_citizen,
                material=world.certificate_material,
                commitment_text="承诺",
            )
        # the case itself is not refused: it stays submitted for the clerk to decide
        assert Case.objects.get(pk=case.pk).state == CaseState.SUBMITTED
    finally:
        registries.unregister_intake_check(credit_check)


def test_intake_check_forbidding_only_tolerant(world):
    def check(case):
        return registries.IntakeVerdict(forbid_tolerant=True, reason="信用等级不足")

    registries.register_intake_check(check)
    try:
        case = helpers.submitted(world, with_place=False)
        with pytest.raises(CasePermissionDenied) as refused:
            services.case_accept(
                case=case,
                acting_user=world.clerk,
                mode=AcceptanceMode.TOLERANT,
                missing=[{"material": world.place_material.pk, "due_on": DUE}],
            )
        assert refused.value.code == "tolerant_forbidden" and "信用等级不足" in str(refused.value.message)
    finally:
        registries.unregister_intake_check(check)


class FakeLicenceProvider:
    name = "fake-licences"

    def offers(self, *, case, material, user):
        return [registries.MaterialOffer(self.name, "LIC-1", "身份证电子证照")]

    def resolve(self, *, case, material, user, ref):
        return registries.MaterialOffer(self.name, ref, "身份证电子证照") if ref == "LIC-1" else None


def test_held_licence_through_a_material_provider(world):
    registries.register_material_provider(FakeLicenceProvider())
    try:
        case = services.case_save_draft(acting_user=world.citizen, item=world.item, form_data=helpers.FORM)
        with pytest.raises(CaseValidationError):
            services.case_material_add(
                case=case,
                acting_user=world.citizen,
                material=world.id_material,
                licence_provider="fake-licences",
                licence_ref="FORGED",
            )
        row = services.case_material_add(
            case=case,
            acting_user=world.citizen,
            material=world.id_material,
            licence_provider="fake-licences",
            licence_ref="LIC-1",
        )
        assert (row.kind, row.licence_ref, row.trust_level) == (MaterialKind.LICENCE, "LIC-1", "A")
    finally:
        registries.unregister_material_provider("fake-licences")


def test_after_transition_handlers_run_after_commit(world, django_capture_on_commit_callbacks):
    seen = []

    def handler(done):
        seen.append((done.action, done.state_from, done.state_to, done.number))

    registries.register_after_transition(handler)
    try:
        case = helpers.submitted(world)
        with django_capture_on_commit_callbacks(execute=True):
            services.case_accept(case=case, acting_user=world.clerk)
        assert seen == [("accept", "submitted", "accepted", case.number)]
    finally:
        registries.unregister_after_transition(handler)


def test_idempotent_create_and_submit(world, api):
    client = api(world.citizen)
    headers = {"HTTP_IDEMPOTENCY_KEY": "create-1"}
    first = client.post(
        "/api/v1/cases/", {"item": world.item.code, "form_data": helpers.FORM}, format="json", **headers
    )
    again = client.post(
        "/api/v1/cases/", {"item": world.item.code, "form_data": helpers.FORM}, format="json", **headers
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.data["id"] == again.data["id"]
    assert Case.objects.filter(created_by=world.citizen).count() == 1
    # another user's same key is another case
    other = api(world.other_citizen).post(
        "/api/v1/cases/", {"item": world.item.code}, format="json", **headers
    )
    assert other.status_code == 201 and other.data["id"] != first.data["id"]

    case = Case.objects.get(pk=first.data["id"])
    for material in (world.id_material, world.place_material):
        services.case_material_add(case=case, acting_user=world.citizen, material=material, upload=pdf())
    services.case_material_add(
        case=case, acting_user=world.citizen, material=world.certificate_material, commitment_text="承诺"
    )
    submit = {"HTTP_IDEMPOTENCY_KEY": "submit-1"}
    one = client.post(f"/api/v1/cases/{case.pk}/submit/", {}, format="json", **submit)
    two = client.post(f"/api/v1/cases/{case.pk}/submit/", {}, format="json", **submit)
    assert (one.status_code, two.status_code) == (200, 200)
    assert one.data["number"] == two.data["number"]
    assert Case.objects.get(pk=case.pk).events.filter(kind="submit").count() == 1
    # without the key a repeated submit is a state conflict
    assert client.post(f"/api/v1/cases/{case.pk}/submit/", {}, format="json").status_code == 409


def test_item_must_be_open_online_and_not_a_parent(world, api, clock):
    from tests.cases.conftest import build_world

    window_only = build_world(online_depth=["1", "2"])
    response = api(window_only.citizen).post("/api/v1/cases/", {"item": window_only.item.code}, format="json")
    assert response.status_code == 400 and response.data["code"] == "item_not_online"
    response = api(world.citizen).post("/api/v1/cases/", {"item": "NO-SUCH-ITEM"}, format="json")
    assert response.status_code == 400


def test_results_of_registered_result_providers_show_on_a_decided_case(world, api):
    def results(case):
        return [registries.CaseResult("fake-licences", "LIC-9", "食品经营许可证", "/licences/verify/LIC-9/")]

    registries.register_result_provider(results)
    try:
        case = helpers.accepted(world)
        assert api(world.citizen).get(f"/api/v1/cases/{case.number}/").data["results"] == []
        case = helpers.concluded(world, user=world.other_citizen)
        body = api(world.other_citizen).get(f"/api/v1/cases/{case.number}/").data
        assert {
            "provider": "fake-licences",
            "ref": "LIC-9",
            "label": "食品经营许可证",
            "url": "/licences/verify/LIC-9/",
        } in body["results"]
    finally:
        registries.unregister_result_provider(results)
