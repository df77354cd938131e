"""A licence's seal signature is accepted by OpenSSL's SM2 verification (the published key, the canonical data)."""

import json
import shutil
import subprocess

import pytest

from bianmin.licences import services
from tests.licences.helpers import issue

pytestmark = pytest.mark.django_db
OPENSSL = shutil.which("openssl") or "/usr/bin/openssl"


def test_openssl_verifies_the_exported_licence_file(world, tmp_path):
    document = json.loads(services.licence_file_bytes(issue(world)))
    data = json.dumps(document["data"], sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    (tmp_path / "data").write_bytes(data)
    (tmp_path / "sig").write_bytes(bytes.fromhex(document["signature"]))
    (tmp_path / "pub.pem").write_text(document["public_key_pem"])
    command = [OPENSSL, "pkeyutl", "-verify", "-pubin", "-inkey", str(tmp_path / "pub.pem"), "-rawin"]
    command += ["-in", str(tmp_path / "data"), "-sigfile", str(tmp_path / "sig"), "-digest", "sm3"]
    command += ["-pkeyopt", "distid:1234567812345678"]
    ok = subprocess.run(command, capture_output=True, timeout=30)
    assert ok.returncode == 0 and b"Signature Verified Successfully" in ok.stdout, ok.stderr
    (tmp_path / "data").write_bytes(data.replace("张三".encode(), "张四".encode()))
    bad = subprocess.run(command, capture_output=True, timeout=30)
    assert bad.returncode != 0
