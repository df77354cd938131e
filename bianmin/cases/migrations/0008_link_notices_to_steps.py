"""Notices issued before they were tied to their step (issued on first download): link each to the step it
records, the latest event of its kind at or before it was issued, so that it stays the one served for that
step. A second notice for the same step (its content changed later) stays unlinked: kept and verifiable."""

from django.db import migrations

NOTICE_EVENTS = {
    "acceptance": ("accept", "accept_and_conclude"),
    "decline": ("decline",),
    "correction": ("request_correction",),
    "special_procedure": ("suspend",),
    "extension": ("extend",),
    "decision": ("conclude", "accept_and_conclude"),
    "delivery_receipt": ("deliver",),
}


def link(apps, schema_editor):
    CaseNotice = apps.get_model("cases", "CaseNotice")
    CaseEvent = apps.get_model("cases", "CaseEvent")
    taken = set()
    for notice in CaseNotice.objects.filter(event__isnull=True).order_by("issued_at", "pk").iterator():
        event = (
            CaseEvent.objects.filter(
                case_id=notice.case_id, kind__in=NOTICE_EVENTS.get(notice.kind, ()), at__lte=notice.issued_at
            )
            .order_by("-at", "-pk")
            .first()
        )
        if event is None or (notice.kind, event.pk) in taken:
            continue
        if CaseNotice.objects.filter(case_id=notice.case_id, kind=notice.kind, event=event).exists():
            continue
        taken.add((notice.kind, event.pk))
        CaseNotice.objects.filter(pk=notice.pk).update(event=event)


class Migration(migrations.Migration):
    dependencies = [("cases", "0007_notice_per_step")]

    operations = [migrations.RunPython(link, migrations.RunPython.noop)]
