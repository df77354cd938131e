"""Import jobs: the uploaded workbook and a small JSON state (report, progress, result) in the file storage.

Kept in the storage (local folder or S3), not in process memory, so the web worker that shows the
progress bar and the huey consumer that writes the rows see the same state on any machine.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

PREFIX = "catalog-imports"
TOKEN_LENGTH = 32

VALIDATED, QUEUED, RUNNING, DONE, FAILED = "validated", "queued", "running", "done", "failed"


def _path(token: str, name: str) -> str:
    return f"{PREFIX}/{token}/{name}"


def valid_token(token: str) -> bool:
    return len(token) == TOKEN_LENGTH and all(c in "0123456789abcdef" for c in token)


def create(*, content: bytes, filename: str, user_id: int, report: dict[str, Any]) -> str:
    token = secrets.token_hex(TOKEN_LENGTH // 2)
    default_storage.save(_path(token, "upload.xlsx"), ContentFile(content))
    save(
        token,
        {
            "token": token,
            "filename": filename[:200],
            "user_id": user_id,
            "state": VALIDATED,
            "created_at": timezone.now().isoformat(),
            "report": report,
            "done": 0,
            "total": report["summary"]["total"],
            "result": None,
            "error": "",
        },
    )
    return token


def load(token: str) -> dict[str, Any] | None:
    if not valid_token(token) or not default_storage.exists(_path(token, "job.json")):
        return None
    with default_storage.open(_path(token, "job.json"), "rb") as fh:
        return json.loads(fh.read().decode("utf-8"))


def save(token: str, state: dict[str, Any]) -> None:
    path = _path(token, "job.json")
    if default_storage.exists(path):
        default_storage.delete(path)
    default_storage.save(
        path, ContentFile(json.dumps(state, ensure_ascii=False, default=str).encode("utf-8"))
    )


def update(token: str, **changes: Any) -> dict[str, Any]:
    state = load(token) or {}
    state.update(changes)
    save(token, state)
    return state


def content(token: str) -> bytes:
    with default_storage.open(_path(token, "upload.xlsx"), "rb") as fh:
        return fh.read()
