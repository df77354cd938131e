"""Background work of the catalog: long imports (the page polls the job's progress)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from huey.contrib.djhuey import db_task

from bianmin.catalog import import_jobs


def run_import(token: str, *, valid_only: bool, publish: bool) -> None:
    """Validate the stored workbook again (the catalog may have changed) and write it, recording progress."""
    from bianmin.catalog import importexport
    from bianmin.core.exceptions import ApplicationError

    job = import_jobs.load(token)
    if job is None:
        return
    user = get_user_model().objects.filter(pk=job["user_id"], is_active=True).first()
    import_jobs.update(token, state=import_jobs.RUNNING, done=0)

    def progress(done: int, total: int) -> None:
        import_jobs.update(token, done=done, total=total)

    try:
        report = importexport.validate_workbook(import_jobs.content(token))
        result = importexport.write_import(
            report, acting_user=user, valid_only=valid_only, publish=publish, progress=progress
        )
    except ApplicationError as exc:
        import_jobs.update(token, state=import_jobs.FAILED, error=str(exc.message))
        return
    import_jobs.update(
        token,
        state=import_jobs.DONE,
        result=result.as_dict(),
        done=len(report.writable),
        report=report.as_dict(),
    )
    if result.created or result.new_versions:
        from bianmin.catalog.search import reindex_all

        reindex_all()


@db_task()
def import_catalog_task(token: str, valid_only: bool, publish: bool) -> None:
    run_import(token, valid_only=valid_only, publish=publish)
