"""电子证照标识 (GB/T 36904): `1.2.156.3005.2.{type}.{issuer}.{serial}.{version}.{check}`.

- type: 证照类型代码 = the defining body's USCC (18) + 3 digits;
- issuer: 颁发机构代码 (USCC, 18);
- serial: 流水号, issuer-defined (we use the issue date + a 6-digit daily serial, 14 digits);
- version: 3 digits (001 for a first issue, +1 for each renewal or change);
- check: ISO 7064 MOD 37,36 (hybrid system, alphabet 0-9A-Z) over type + issuer + serial + version,
  as the provinces' 电子证照库 access guides implement it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ROOT = "1.2.156.3005.2"
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
IDENTIFIER_RE = re.compile(
    r"1\.2\.156\.3005\.2\.([0-9A-Z]{21})\.([0-9A-Z]{18})\.([0-9A-Za-z]{1,40})\.(\d{3})\.([0-9A-Z])"
)
# URL converter / DRF lookup regex: dots allowed.
IDENTIFIER_URL_REGEX = r"1\.2\.156\.3005\.2\.[0-9A-Za-z.]{20,120}"


def mod37_36_check_char(text: str) -> str:
    """ISO/IEC 7064 MOD 37,36 hybrid check character of `text` (characters 0-9A-Z).

    P starts at M = 36; for each character: S = (P + value) mod 36 (0 becomes 36), P = 2S mod 37;
    the check character is the value c with (P + c) mod 36 == 1, i.e. (37 - P) mod 36.
    """
    m = 36
    p = m
    for char in text.upper():
        value = ALPHABET.index(char)
        s = (p + value) % m or m
        p = (s * 2) % (m + 1)
    return ALPHABET[(m + 1 - p) % m]


def mod37_36_is_valid(text_with_check: str) -> bool:
    if len(text_with_check) < 2 or any(c not in ALPHABET for c in text_with_check.upper()):
        return False
    return mod37_36_check_char(text_with_check[:-1]) == text_with_check[-1].upper()


@dataclass(frozen=True)
class LicenceIdentifier:
    type_code: str
    issuer_code: str
    serial: str
    version: int

    @property
    def check_char(self) -> str:
        return mod37_36_check_char(f"{self.type_code}{self.issuer_code}{self.serial}{self.version:03d}")

    def __str__(self) -> str:
        return (
            f"{ROOT}.{self.type_code}.{self.issuer_code}.{self.serial}.{self.version:03d}.{self.check_char}"
        )


def build(*, type_code: str, issuer_code: str, serial: str, version: int) -> str:
    return str(LicenceIdentifier(type_code.upper(), issuer_code.upper(), serial.upper(), version))


def parse(identifier: str) -> LicenceIdentifier | None:
    """The parts of a well-formed identifier whose check character is right; None otherwise."""
    match = IDENTIFIER_RE.fullmatch((identifier or "").strip())
    if not match:
        return None
    type_code, issuer, serial, version, check = match.groups()
    parsed = LicenceIdentifier(type_code, issuer, serial.upper(), int(version))
    return parsed if parsed.check_char == check else None
