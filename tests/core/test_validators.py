import pytest
from django.core.exceptions import ValidationError

from bianmin.core import validators as v

# Real-format numbers: the GB 11643 example and the ISO 7064 reference number.
VALID_IDS = ["11010519491231002X", "440507199001011233", "440507198512203021"]
INVALID_IDS = [
    "11010519491231002Y",  # wrong check char
    "110105194912310021",  # wrong check digit
    "440507199002301234",  # 30 February
    "44050719900101123",  # 17 digits
    "",
]
# Published USCCs of real bodies (check characters per GB 32100).
VALID_USCCS = ["91350100M000100Y43", "11450721348531435D", "91440300708461136T"]
INVALID_USCCS = ["91350100M000100Y44", "91350100M000100I43", "9135010OM000100Y43", "1234", ""]


@pytest.mark.parametrize("value", VALID_IDS)
def test_valid_id_cards_pass(value):
    assert v.is_valid_id_card(value)
    v.validate_id_card(value)


@pytest.mark.parametrize("value", INVALID_IDS)
def test_invalid_id_cards_are_refused_with_a_chinese_message(value):
    assert not v.is_valid_id_card(value)
    with pytest.raises(ValidationError) as err:
        v.validate_id_card(value)
    assert "身份证" in str(err.value.messages[0])


@pytest.mark.parametrize("value", VALID_USCCS)
def test_valid_usccs_pass(value):
    assert v.is_valid_uscc(value), v.uscc_check_char(value[:17])


@pytest.mark.parametrize("value", INVALID_USCCS)
def test_invalid_usccs_fail(value):
    assert not v.is_valid_uscc(value)


def test_lowercase_id_card_x_is_accepted_after_normalising():
    assert v.is_valid_id_card("11010519491231002x")


def test_implementation_code_checks_each_part():
    good = "11450721348531435D4001033002000"
    assert v.implementation_code_problems(good, catalog_code="001033002000", uscc="11450721348531435D") == []
    assert v.implementation_code_problems(good[:-1])
    assert v.implementation_code_problems(good, catalog_code="001033002001")
    assert v.implementation_code_problems(good.replace("D4", "D7"))
