"""Files stored inside a transaction are removed again when that transaction (or savepoint) rolls back."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from bianmin.cases import services
from bianmin.cases.models import CaseMaterial
from bianmin.core import storage_tx
from tests.cases.conftest import build_world, pdf


class Boom(Exception):
    pass


def stored_materials(case) -> list[str]:
    _, files = default_storage.listdir(f"cases/materials/{case.pk}")
    return files


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_helper_keeps_committed_and_drops_rolled_back_savepoints(clock):
    with transaction.atomic():
        kept = storage_tx.save(default_storage, "tx-test/kept.txt", ContentFile(b"a"))
        try:
            with transaction.atomic():
                dropped = storage_tx.save(default_storage, "tx-test/dropped.txt", ContentFile(b"b"))
                assert default_storage.exists(dropped)
                raise Boom
        except Boom:
            pass
        assert not default_storage.exists(dropped)  # the savepoint rolled back: gone at once
        assert default_storage.exists(kept)
    assert default_storage.exists(kept)  # committed
    with pytest.raises(Boom), transaction.atomic():
        lost = storage_tx.save(default_storage, "tx-test/lost.txt", ContentFile(b"c"))
        raise Boom
    assert not default_storage.exists(lost)
    default_storage.delete(kept)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_material_upload_rolls_back_with_its_transaction(clock, monkeypatch):
    w = build_world()
    case = services.case_save_draft(acting_user=w.citizen, item=w.item)

    # a successful upload commits the row and keeps the file
    row = services.case_material_add(case=case, acting_user=w.citizen, material=w.id_material, upload=pdf())
    assert default_storage.exists(row.file.name)
    assert stored_materials(case) == [row.file.name.rsplit("/", 1)[-1]]

    # the service fails after storing the file (e.g. loses a race when recording): no file left
    def fail(*args, **kwargs):
        raise Boom

    with monkeypatch.context() as patch:
        patch.setattr(services, "_record", fail)
        with pytest.raises(Boom):
            services.case_material_add(
                case=case, acting_user=w.citizen, material=w.place_material, upload=pdf()
            )
    assert len(stored_materials(case)) == 1

    # an outer atomic block rolls back after the service succeeded: no row, no file
    with pytest.raises(Boom), transaction.atomic():
        inner = services.case_material_add(
            case=case, acting_user=w.citizen, material=w.place_material, upload=pdf()
        )
        assert default_storage.exists(inner.file.name)
        raise Boom
    assert not default_storage.exists(inner.file.name)
    assert stored_materials(case) == [row.file.name.rsplit("/", 1)[-1]]
    assert list(CaseMaterial.objects.filter(case=case).values_list("pk", flat=True)) == [row.pk]
    default_storage.delete(row.file.name)


@pytest.mark.django_db
def test_a_sealed_notice_that_fails_after_storing_its_pdf_leaves_no_file(world, monkeypatch):
    from django.utils import timezone

    from bianmin.audit import services as audit_services
    from bianmin.cases import notices
    from bianmin.cases.models import CaseNotice
    from bianmin.documents import services as seals
    from tests.cases import helpers
    from tests.factories import StaffFactory

    seals.seal_create(department=world.lead, acting_user=StaffFactory(platform_admin=True))
    case = helpers.in_review(world)
    services.case_review(case=case, acting_user=world.reviewer, task=case.tasks.get(), opinion="不符合")
    case = services.case_conclude(
        case=case, acting_user=world.head, decision="denied", reasons="场所不符合要求"
    )
    folder = timezone.now().strftime("cases/notices/%Y")

    def pdfs() -> list[str]:
        if not default_storage.exists(folder):
            return []
        return [name for name in default_storage.listdir(folder)[1] if name.startswith(f"{case.number}-")]

    def fail(*args, **kwargs):
        raise Boom

    with monkeypatch.context() as patch:
        patch.setattr(audit_services, "audit_record", fail)  # fails after the PDF is stored and the row saved
        with pytest.raises(Boom):
            notices.notice_issue(case, "decision")
    assert pdfs() == [] and not CaseNotice.objects.filter(case=case).exists()
    notice = notices.notice_issue(case, "decision")
    assert pdfs() == [notice.pdf.name.rsplit("/", 1)[-1]] and default_storage.exists(notice.pdf.name)
