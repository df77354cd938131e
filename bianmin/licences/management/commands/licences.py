"""`manage.py licences verify FILE [--keys KEYS.json] [--offline]` · `licences export-keys [-o FILE]` ·
`licences import FILE (.csv/.xlsx) --user USERNAME [--valid-only]` · `licences expire`."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext  # not `_`: the handlers take **_

from bianmin.licences.constants import KEYS_FORMAT
from bianmin.web.text import clause_separator


def _read_rows(path: Path) -> list[dict]:
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(path, read_only=True, data_only=True).active
        rows = list(sheet.iter_rows(values_only=True))
        header = [str(h or "").strip() for h in rows[0]] if rows else []
        return [
            dict(zip(header, row, strict=False)) for row in rows[1:] if any(v not in (None, "") for v in row)
        ]
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


class Command(BaseCommand):
    help = "电子证照：离线核验证照文件、导出印章公钥、导入历史证照、标记过期证照。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="核验导出的证照数据文件（JSON）或证照PDF")
        verify.add_argument("file")
        verify.add_argument("--keys", help="export-keys 导出的公钥文件（离线核验）")
        verify.add_argument("--offline", action="store_true", help="不查询证照库状态（只验签名和有效期）")
        export = sub.add_parser("export-keys", help="导出已公布的全部印章公钥（含历史版本）")
        export.add_argument("-o", "--output")
        imp = sub.add_parser("import", help="导入历史证照（CSV 或 XLSX）")
        imp.add_argument("file")
        imp.add_argument("--user", required=True, help="执行导入的平台管理员用户名")
        imp.add_argument("--valid-only", action="store_true", help="只写入校验通过的行")
        sub.add_parser("expire", help="把已过有效期的证照标记为已过期")

    def handle(self, *args, action, **options):
        return getattr(self, "_" + action.replace("-", "_"))(**options)

    def _verify(self, file, keys=None, offline=False, **_):
        from bianmin.licences.verification import verify_file, verify_pdf

        raw = Path(file).read_bytes()
        key_map = None
        if keys:
            published = json.loads(Path(keys).read_text(encoding="utf-8"))
            if published.get("format") != KEYS_FORMAT:
                raise CommandError("公钥文件格式不正确。")
            key_map = {k["fingerprint"]: k["public_key_pem"] for k in published["keys"]}
        if raw.startswith(b"%PDF"):
            result = verify_pdf(raw)
        else:
            result = verify_file(raw, keys=key_map, online=not (offline or keys))
        public = result.public() or {}
        self.stdout.write(f"{result.outcome}: {result.message}")
        if result.detail:
            self.stdout.write(str(result.detail))
        for label, key in (
            ("证照", "type_name"),
            ("编号", "licence_no"),
            ("持证主体", "holder_name"),
            ("标识", "identifier"),
        ):
            if public.get(key):
                self.stdout.write(f"{label}: {public[key]}")
        if result.outcome == "revoked":
            self.stdout.write(f"{result.revocation_kind} {result.revoked_on}: {result.revocation_reason}")
        if result.outcome not in ("valid",):
            raise SystemExit(1 if result.outcome == "tampered" else 2)

    def _export_keys(self, output=None, **_):
        from bianmin.documents.services import published_keys

        text = json.dumps(
            {"format": KEYS_FORMAT, "keys": [k.as_dict() for k in published_keys()]},
            ensure_ascii=False,
            indent=2,
        )
        if output:
            Path(output).write_text(text + "\n", encoding="utf-8")
            self.stdout.write(f"written {output}")
        else:
            self.stdout.write(text)

    def _import(self, file, user, valid_only=False, **_):
        from bianmin.accounts.models import User
        from bianmin.licences.services import licence_import

        actor = User.objects.filter(username=user).first()
        if actor is None:
            raise CommandError(gettext("用户 %(user)s 不存在。") % {"user": user})
        result = licence_import(rows=_read_rows(Path(file)), acting_user=actor, valid_only=valid_only)
        for entry in result["report"]:
            if not entry["ok"]:
                problems = clause_separator().join(str(p) for p in entry["problems"])
                self.stdout.write(
                    gettext("第%(row)s行：%(problems)s") % {"row": entry["row"], "problems": problems}
                )
        self.stdout.write(f"written {result['written']} of {len(result['report'])}")

    def _expire(self, **_):
        from bianmin.licences.services import licence_expire_due

        self.stdout.write(f"expired {licence_expire_due()}")
