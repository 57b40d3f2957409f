"""INN and KPP rules (check digits by python-stdnum)."""

from onec_exchange.requisites import complete_inn, is_person_inn, is_valid_inn


def test_twelve_digits_mean_a_person_or_a_sole_trader():
    person, company = complete_inn("7712345678"), complete_inn("770708389")
    assert is_valid_inn(person) and is_valid_inn(company)
    assert is_person_inn(person) and not is_person_inn(company)
    # the rule is about the digits, whatever the check digits say
    assert is_person_inn("771234567800") and not is_person_inn("77123456780 ")
    assert not is_person_inn(None)
