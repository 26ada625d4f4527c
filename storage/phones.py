"""The one parser of phone numbers: text as people write it -> E.164, read in a country."""

from __future__ import annotations

import phonenumbers

LANGUAGE_OF_REGION = {"LT": "lt", "LV": "lv"}


def e164(text: str, region: str | None = None) -> str | None:
    """ "8 528 39 690" in LT -> "+37052839690"; None if it is not a valid number. Without a
    region, the text must be international ("+371...")."""
    try:
        number = phonenumbers.parse(text.strip(), region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def country_language(number: str) -> str | None:
    """The language of an E.164 number's country (lt, lv), when nothing better is known."""
    region = phonenumbers.region_code_for_number(phonenumbers.parse(number, None))
    return LANGUAGE_OF_REGION.get(region or "")


def reads_sms(number: str) -> bool:
    """False for a landline (it cannot receive a text); True for mobiles and numbers that may
    be either."""
    kind = phonenumbers.number_type(phonenumbers.parse(number, None))
    return kind != phonenumbers.PhoneNumberType.FIXED_LINE
