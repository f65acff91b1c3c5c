"""Validators for the codes a Chinese official checks: credit codes, resident IDs, mobiles, plates."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError as StdnumError

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
# Ordinary plates (浙A12345) and new-energy plates (浙AD12345 / 浙A12345D), mainland provinces only.
PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
PLATE_RE = re.compile(
    rf"^[{PROVINCES}][A-HJ-NP-Z](?:[A-HJ-NP-Z0-9]{{4}}[A-HJ-NP-Z0-9挂学警]|[DF][A-HJ-NP-Z0-9]{{5}}|[0-9]{{5}}[DF])$"
)


def normalize_credit_code(value):
    return (value or "").strip().upper().replace(" ", "")


def validate_credit_code(value):
    """Unified social credit code (GB 32100-2015), check digit included."""
    try:
        uscc.validate(normalize_credit_code(value))
    except StdnumError:
        raise ValidationError(
            _("%(value)s is not a valid unified social credit code (18 characters, check digit per GB 32100)."),
            code="invalid_credit_code",
            params={"value": value},
        )


def normalize_resident_id(value):
    return (value or "").strip().upper().replace(" ", "")


# Province-level codes (GB/T 2260) an ID number can start with.
PROVINCE_CODES = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
    "71", "81", "82",
}


def validate_resident_id(value):
    """Resident identity card number (GB 11643-1999): 18 characters, birth date and check digit.

    The county part is not looked up: numbers keep the county code of birth for life, so people born
    in Fuyang before it became a district (330183) must pass although the code is retired.
    """
    number = normalize_resident_id(value)
    try:
        if len(number) != 18 or not number[:17].isdigit() or number[:2] not in PROVINCE_CODES:
            raise StdnumError()
        if number[-1] != ric.calc_check_digit(number):
            raise StdnumError()
        ric.get_birth_date(number)
    except StdnumError:
        raise ValidationError(
            _("This is not a valid resident ID number (18 characters, check digit per GB 11643)."),
            code="invalid_resident_id",
        )


def validate_mobile(value):
    if not MOBILE_RE.match((value or "").strip()):
        raise ValidationError(
            _("%(value)s is not a mainland mobile number (11 digits starting with 13-19)."),
            code="invalid_mobile",
            params={"value": value},
        )


def normalize_plate(value):
    return (value or "").strip().upper().replace(" ", "").replace("·", "").replace("-", "")


def validate_plate(value):
    if not PLATE_RE.match(normalize_plate(value)):
        raise ValidationError(
            _("%(value)s is not a mainland licence plate (e.g. 浙A12345, or 浙AD12345 for new-energy vehicles)."),
            code="invalid_plate",
            params={"value": value},
        )
