import json

import pytest
from django.core.management import call_command

from bianmin.licences import services
from tests.licences.helpers import issue

pytestmark = pytest.mark.django_db


def _run(*args) -> tuple[int, str]:
    import io

    out = io.StringIO()
    try:
        call_command("licences", *args, stdout=out)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue()


def test_offline_verify_with_exported_keys(world, tmp_path):
    licence = issue(world)
    licence_file = tmp_path / "licence.json"
    licence_file.write_bytes(services.licence_file_bytes(licence))
    keys = tmp_path / "keys.json"
    assert _run("export-keys", "-o", str(keys))[0] == 0
    assert json.loads(keys.read_text())["keys"][0]["fingerprint"] == licence.key_fingerprint
    code, out = _run("verify", str(licence_file), "--keys", str(keys))
    assert code == 0 and out.startswith("valid") and licence.licence_no in out
    raw = bytearray(licence_file.read_bytes())
    raw[raw.index(b"holder_name") + 20] ^= 1
    licence_file.write_bytes(bytes(raw))
    code, out = _run("verify", str(licence_file), "--keys", str(keys))
    assert code == 1 and out.startswith("tampered")


def test_online_verify_reports_revocation(world, tmp_path):
    licence = issue(world)
    services.licence_revoke(licence=licence, acting_user=world.head, kind="revocation", reason="吊销")
    path = tmp_path / "x.json"
    path.write_bytes(services.licence_file_bytes(licence))
    code, out = _run("verify", str(path))
    assert code == 2 and out.startswith("revoked") and "吊销" in out


def test_import_csv(world, tmp_path):
    path = tmp_path / "old.csv"
    path.write_text(
        "type_code,licence_no,holder_name,holder_code,issued_on,valid_until,shop_name\n"
        f"{world.licence_type.code},JY0001,李四,{world.other_citizen.id_card_no},2023-01-05,2028-01-04,李四粥铺\n",
        encoding="utf-8",
    )
    code, out = _run("import", str(path), "--user", world.admin.username)
    assert code == 0 and "written 1 of 1" in out
