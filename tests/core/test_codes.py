"""Validation of credit codes, resident IDs, mobiles and plates; ID numbers encrypted, hashed and masked."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from fuyang_portal.demo import make_credit_code, make_resident_id
from fuyang_portal.identity import EncryptedTextField, lookup_hash, mask_id, mask_name
from fuyang_portal.validators import validate_credit_code, validate_mobile, validate_plate, validate_resident_id


def test_credit_codes_are_checked_by_their_check_digit():
    good = make_credit_code(42)
    validate_credit_code(good)
    validate_credit_code(good.lower())
    wrong_digit = good[:-1] + ("0" if good[-1] != "0" else "1")
    for bad in (wrong_digit, good[:-1], "", "91330183ABCDEFGHIJ"):
        with pytest.raises(ValidationError):
            validate_credit_code(bad)


def test_resident_ids_are_checked_by_their_check_digit():
    good = make_resident_id(7)
    validate_resident_id(good)
    wrong = good[:-1] + ("0" if good[-1] != "0" else "1")
    for bad in (wrong, "330183199013011234", "12345"):
        with pytest.raises(ValidationError):
            validate_resident_id(bad)


@pytest.mark.parametrize("number", ["13805710001", "19912345678"])
def test_mainland_mobiles_are_accepted(number):
    validate_mobile(number)


@pytest.mark.parametrize("number", ["12805710001", "1380571000", "+8613805710001", "abc"])
def test_other_numbers_are_refused(number):
    with pytest.raises(ValidationError):
        validate_mobile(number)


@pytest.mark.parametrize("plate", ["浙A12345", "浙AD12345", "浙A12345D", "贵A·8C7Q9", "沪b 12345"])
def test_mainland_plates_new_energy_included_are_accepted(plate):
    validate_plate(plate)


@pytest.mark.parametrize("plate", ["浙I12345", "AB12345", "浙A1234", "浙AD1234567", "港A12345"])
def test_malformed_plates_are_refused(plate):
    with pytest.raises(ValidationError):
        validate_plate(plate)


def test_ids_are_masked_and_names_partly_hidden():
    assert mask_id("330183199001011234") == "330183********1234"
    assert mask_name("杨红金") == "杨**"


def test_the_lookup_hash_is_stable_keyed_and_not_the_number():
    number = make_resident_id(3)
    assert lookup_hash(number) == lookup_hash(number.lower())
    assert number not in lookup_hash(number) and len(lookup_hash(number)) == 64


@pytest.mark.django_db
def test_encrypted_fields_do_not_store_the_number_in_the_clear():
    field = EncryptedTextField()
    number = make_resident_id(9)
    stored = field.get_prep_value(number)
    assert number not in stored
    assert field.from_db_value(stored, None, connection) == number
    # Fernet uses a fresh IV each time: equal numbers do not give equal ciphertexts.
    assert field.get_prep_value(number) != stored


def test_ids_of_people_born_in_fuyang_before_2015_are_accepted_but_impossible_birth_dates_are_not():
    validate_resident_id(make_resident_id(1, region="330183"))  # the retired county-level city code
    validate_resident_id(make_resident_id(2, region="522601"))  # 凯里, Guizhou
    from stdnum.cn import ric

    body = "33018319901301001"  # month 13
    with pytest.raises(ValidationError):
        validate_resident_id(body + ric.calc_check_digit(body + "0"))
