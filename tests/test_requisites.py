"""INN and KPP rules (check digits by python-stdnum)."""

from onec_exchange.requisites import (
    complete_inn,
    is_person_inn,
    is_valid_inn,
    normalize_inn,
)


def test_twelve_digits_mean_a_person_or_a_sole_trader():
    person, company = complete_inn("7712345678"), complete_inn("770708389")
    assert is_valid_inn(person) and is_valid_inn(company)
    assert is_person_inn(person) and not is_person_inn(company)
    # the rule is about the digits, whatever the check digits say
    assert is_person_inn("771234567800") and not is_person_inn("77123456780 ")
    assert not is_person_inn(None)


def test_the_inn_of_an_odoo_vat_number():
    assert normalize_inn("RU7707083893") == "7707083893"
    assert normalize_inn(" ru 7707 083 893 ") == "7707083893"
    assert normalize_inn("500100732259") == "500100732259"
    assert normalize_inn(False) == ""
