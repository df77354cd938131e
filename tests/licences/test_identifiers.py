import pytest
from hypothesis import given
from hypothesis import strategies as st

from bianmin.licences.identifiers import ALPHABET, build, mod37_36_check_char, mod37_36_is_valid, parse

# Worked example from a provincial 电子证照库 access guide (住建部 type 011, standards.md §4.1).
EXAMPLE = "1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U"


def test_worked_example_check_character():
    assert mod37_36_check_char("11100000000013338W011" + "11430000006122244L" + "20230000403" + "001") == "U"
    parsed = parse(EXAMPLE)
    assert parsed is not None
    assert (parsed.type_code, parsed.issuer_code, parsed.serial, parsed.version) == (
        "11100000000013338W011",
        "11430000006122244L",
        "20230000403",
        1,
    )
    assert str(parsed) == EXAMPLE


def test_hand_computed_short_values():
    # P=36; "0": S=36, P=72 mod 37=35 → check = (37-35) mod 36 = 2
    assert mod37_36_check_char("0") == "2"
    # "A"(10): S=(36+10) mod 36=10, P=20 → check = 17 → "H"
    assert mod37_36_check_char("A") == "H"


@pytest.mark.parametrize("bad", [EXAMPLE[:-1] + "V", EXAMPLE.replace(".001.", ".002."), "1.2.3", ""])
def test_wrong_check_or_shape_is_refused(bad):
    assert parse(bad) is None


@given(st.text(alphabet=ALPHABET, min_size=1, max_size=60))
def test_every_single_substitution_is_detected(text):
    check = mod37_36_check_char(text)
    assert mod37_36_is_valid(text + check)
    for i in range(len(text)):
        for other in "0Z":
            if other != text[i]:
                changed = text[:i] + other + text[i + 1 :]
                assert not mod37_36_is_valid(changed + check)


def test_build_round_trip():
    identifier = build(
        type_code="11100000MB0143028R001",
        issuer_code="11440507MB2C12345X",
        serial="20260302000001",
        version=2,
    )
    assert parse(identifier).version == 2
