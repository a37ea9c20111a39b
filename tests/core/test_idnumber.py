from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jinlin.core.idnumber import (
    MSG_ID_CHECK,
    MSG_ID_LEGACY,
    MSG_PHONE,
    IdNumberError,
    check_character,
    make_id_number,
    mask_id_number,
    mask_phone,
    normalise_phone,
    parse_id_number,
)

# A published example number: 11010519491231002X (woman born 31 December 1949).
EXAMPLE = "11010519491231002X"


def test_valid_number_gives_birth_date_and_gender():
    parsed = parse_id_number(EXAMPLE)
    assert parsed.birth_date == date(1949, 12, 31)
    assert parsed.gender == "F"
    assert parsed.region == "110105"


def test_lowercase_x_and_full_width_digits_are_accepted():
    assert parse_id_number("11010519491231002x").number == EXAMPLE
    assert parse_id_number("１１０１０５１９４９１２３１００２Ｘ").number == EXAMPLE
    assert parse_id_number(" 110105 19491231 002X ").number == EXAMPLE


def test_wrong_check_digit_is_refused_with_a_message():
    with pytest.raises(IdNumberError, match=MSG_ID_CHECK):
        parse_id_number("110105194912310021")


def test_fifteen_digit_legacy_number_is_refused_with_its_own_message():
    with pytest.raises(IdNumberError, match=MSG_ID_LEGACY):
        parse_id_number("110105491231002")


@pytest.mark.parametrize(
    "bad", ["", "1234", "11010519491231002XX", "1101051949123100AX", "110105194902300021"]
)
def test_malformed_numbers_are_refused(bad):
    with pytest.raises(IdNumberError):
        parse_id_number(bad)


def test_birth_date_after_today_is_refused():
    number = make_id_number("310105", date(2030, 1, 1), 1, "M")
    with pytest.raises(IdNumberError):
        parse_id_number(number, today=date(2026, 11, 25))


@given(
    birth=st.dates(min_value=date(1900, 1, 1), max_value=date(2026, 1, 1)),
    sequence=st.integers(0, 99),
    gender=st.sampled_from("MF"),
    region=st.sampled_from(["310105", "110105", "440305"]),
)
def test_made_numbers_always_parse_back(birth, sequence, gender, region):
    parsed = parse_id_number(make_id_number(region, birth, sequence, gender))
    assert parsed.birth_date == birth
    assert parsed.gender == gender


@given(st.text(max_size=40))
def test_parser_never_crashes(text):
    try:
        parse_id_number(text)
    except IdNumberError as error:
        assert str(error)


@given(
    body=st.text(alphabet="0123456789", min_size=17, max_size=17),
    wrong=st.sampled_from("0123456789X"),
)
def test_any_single_wrong_check_character_is_caught(body, wrong):
    if wrong == check_character(body):
        return
    with pytest.raises(IdNumberError):
        parse_id_number(body + wrong)


def test_masks_have_the_spec_shapes():
    assert mask_id_number("31010519500302123X") == "310105********123X"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("") == ""


def test_phone_normalisation():
    assert normalise_phone("138 1234 5678") == "13812345678"
    assert normalise_phone("+86 13812345678") == "13812345678"
    assert normalise_phone("021-62345678") == "021-62345678"
    with pytest.raises(ValueError):
        normalise_phone("1381234567")  # ten digits
    with pytest.raises(ValueError):
        normalise_phone("abc")


# --- any text: a value in the stored shape, or a clear error ------------------------------------

# Text as it is pasted: digits of several scripts, full-width forms, separators, X, noise.
_pasted = st.lists(
    st.one_of(
        st.sampled_from(list("0123456789Xx-+() \u3000")),
        st.sampled_from(list("０１２３４５６７８９Ｘ٠١٢٣٤٥٦٧٨٩०१२३")),
        st.characters(),
    ),
    max_size=24,
).map("".join)
_any_text = st.one_of(st.text(max_size=40), _pasted)


@given(_any_text)
def test_a_parsed_id_number_is_always_eighteen_ascii_characters(text):
    try:
        parsed = parse_id_number(text)
    except IdNumberError as error:
        assert str(error)
        return
    assert len(parsed.number) == 18 and parsed.number.isascii()
    assert parsed.number[:17].isdigit() and parsed.number[17] == check_character(parsed.number)
    assert parse_id_number(parsed.number) == parsed


def test_digits_of_another_script_are_not_an_id_number():
    arabic = "".join(chr(0x0660 + int(c)) if c.isdigit() else c for c in EXAMPLE)
    with pytest.raises(IdNumberError, match="只能包含数字"):
        parse_id_number(arabic)


@given(_any_text)
def test_a_normalised_phone_is_ascii_in_one_of_two_shapes_or_refused(text):
    try:
        phone = normalise_phone(text)
    except ValueError as error:
        assert str(error) == MSG_PHONE
        return
    assert phone.isascii()
    mobile = len(phone) == 11 and phone.isdigit() and phone[0] == "1"
    landline = phone.replace("-", "", 1).isdigit() and not phone.startswith("1")
    assert mobile or landline
    assert normalise_phone(phone) == phone


def test_a_mobile_in_another_scripts_digits_is_refused():
    with pytest.raises(ValueError):
        normalise_phone("1" + "".join(chr(0x0660 + int(c)) for c in "3812345678"))


@given(st.text(max_size=30))
def test_masks_never_crash_and_hide_the_middle(text):
    masked = mask_id_number(text)
    assert len(masked) == len(text)
    if len(text) >= 18:
        assert masked[6:14] == "*" * 8
    phone = mask_phone(text)
    if len(text) > 4:
        assert "****" in phone and phone.endswith(text[-4:])
    else:
        assert phone == "*" * len(text)
