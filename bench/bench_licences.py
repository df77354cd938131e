"""E-licence signing and verification speed in one process (no database): SM2 signatures of a licence's
canonical data with a seal key, bare SM2 verifications, and complete offline checks of an exported licence
file (canonical form, SM3 digest, published key, signature), next to SM3 hashing of the same bytes as floor."""

import time

from bench.harness import Context, Report, benchmark

N = 2_000


def _rate(fn, n: int) -> float:
    began = time.perf_counter()
    for _ in range(n):
        fn()
    return n / (time.perf_counter() - began)


@benchmark("licences", "电子证照：每秒签名与验签次数")
def run(ctx: Context) -> Report:
    import django

    django.setup()
    from bianmin.core.crypto import sm3_hex
    from bianmin.documents import sm2
    from bianmin.licences import canonical, identifiers
    from bianmin.licences.verification import verify_file

    key = sm2.generate_private_key()
    public_key = key.public_key()
    fingerprint = sm2.fingerprint(public_key)
    pem = sm2.public_key_pem(public_key)
    identifier = identifiers.build(
        type_code="11100000MB0143028R002",
        issuer_code="11440507MB2C00000X",
        serial="20260302000001",
        version=1,
    )
    data = {
        "format": "bianmin-licence-data/1",
        "identifier": identifier,
        "type_code": "11100000MB0143028R002",
        "type_name": "食品经营许可证",
        "licence_no": "JY344050720260302000001",
        "holder_name": "汕头市龙湖区示例餐饮店",
        "holder_code": "91440507MA4UXXXX0X",
        "holder_code_type": "uscc",
        "issuer_code": "11440507MB2C00000X",
        "issuer_name": "汕头市龙湖区市场监督管理局",
        "issued_on": "2026-03-02",
        "valid_from": "2026-03-02",
        "valid_until": "2031-03-01",
        "version": 1,
        "previous_identifier": None,
        "case_number": "44050720260302000300001",
        "fields": {"premises": "汕头市龙湖区长平路1号", "business_scope": "热食类食品制售"},
        "seal_code": "11440507MB2C00000X101",
        "key_version": 1,
        "key_fingerprint": fingerprint,
    }
    payload = canonical.dumps(data)
    signature = sm2.sign(key, payload)
    document = {
        "format": "bianmin-licence-file/1",
        "data": data,
        "digest_sm3": sm3_hex(payload),
        "signature": signature.hex(),
        "seal_code": data["seal_code"],
        "key_version": 1,
        "public_key_fingerprint": fingerprint,
        "public_key_pem": pem,
    }
    raw = canonical.dumps(document)
    keys = {fingerprint: pem}
    assert verify_file(raw, keys=keys, online=False).outcome == "valid"

    report = Report()
    report.figure(
        "SM2 signatures of licence data",
        _rate(lambda: sm2.sign(key, payload), N),
        "sig/s",
        f"{len(payload)} bytes",
    )
    report.figure(
        "SM2 verifications",
        _rate(lambda: sm2.verify(public_key, signature, payload), N),
        "verif/s",
        "key loaded",
    )
    report.figure(
        "offline licence file checks",
        _rate(lambda: verify_file(raw, keys=keys, online=False), N),
        "files/s",
        "canonical form + SM3 + published key + SM2",
    )
    report.figure("SM3 of the same data (floor)", _rate(lambda: sm3_hex(payload), N * 10), "hash/s")
    report.note("One process, one thread; the database lookups of online verification are not included.")
    return report
