"""Registers as 1C publishes them, for each profile's receivables register:
record sets per recorder and the virtual tables ``Balance``, ``Turnovers``
and ``BalanceAndTurnovers`` with their parameters."""

from datetime import datetime

import pytest
from helpers import odata_json, odata_request

START, END = "datetime'2025-03-01T00:00:00'", "datetime'2025-09-30T23:59:59'"
POSTING_KINDS = ("shipment", "payment_bank", "payment_cash")


def register(standin):
    return standin.profile.data["receivables"]["register"]


def posted(standin, start=None, end=None):
    """``(shipped, paid)`` by posted documents dated in ``[start, end]``."""
    sums = {"shipment": 0.0, "payment": 0.0}
    for kind in POSTING_KINDS:
        for doc in standin.store.objects(kind):
            date = doc["date"]
            if not doc["posted"] or doc["deletion_mark"]:
                continue
            if (start and date < start) or (end and date > end):
                continue
            sums[kind.split("_")[0]] += float(doc["amount"])
    return sums["shipment"], sums["payment"]


def accounting(standin):
    return standin.profile.data["receivables"]["kind"] == "accounting"


def test_record_sets_per_recorder(standin):
    sets = odata_json(standin, register(standin))["value"]
    documents = sum(standin.store.count(kind) for kind in POSTING_KINDS)
    assert len(sets) == documents
    one = next(s for s in sets if s["RecordSet"])
    assert one["Recorder_Type"].startswith("StandardODATA.Document_")
    key = f"Recorder=guid'{one['Recorder']}',Recorder_Type='{one['Recorder_Type']}'"
    single = odata_json(standin, f"{register(standin)}({key})")
    assert single["RecordSet"] == one["RecordSet"]
    assert single["RecordSet"][0]["LineNumber"] == "1"


def test_records_on_their_own(standin):
    records = odata_json(standin, f"{register(standin)}_RecordType")["value"]
    assert len(records) == sum(
        1 for s in odata_json(standin, register(standin))["value"] if s["RecordSet"]
    )
    resource = standin.profile.data["receivables"]["resource"]
    total = sum(r[resource] for r in records)
    shipped, paid = posted(standin)
    assert round(total, 2) == round(shipped + paid, 2)
    if not accounting(standin):
        receipts = sum(r[resource] for r in records if r["RecordType"] == "Receipt")
        assert round(receipts, 2) == round(shipped, 2)


def test_turnovers_add_up_to_the_documents_of_the_period(standin):
    resource = standin.profile.data["receivables"]["resource"]
    rows = odata_json(
        standin, f"{register(standin)}/Turnovers(StartPeriod={START},EndPeriod={END})"
    )["value"]
    shipped, paid = posted(
        standin, datetime(2025, 3, 1), datetime(2025, 9, 30, 23, 59, 59)
    )
    if accounting(standin):
        receivable = "a0000000-0000-1000-8000-000000006201"
        on_62 = [r for r in rows if r["Account_Key"] == receivable]
        assert round(sum(r[f"{resource}TurnoverDr"] for r in on_62), 2) == round(
            shipped, 2
        )
        assert round(sum(r[f"{resource}TurnoverCr"] for r in on_62), 2) == round(
            paid, 2
        )
    else:
        assert round(sum(r[f"{resource}Receipt"] for r in rows), 2) == round(shipped, 2)
        assert round(sum(r[f"{resource}Expense"] for r in rows), 2) == round(paid, 2)
    for row in rows:
        first, second = list(row)[-3:-1]
        assert round(row[first] - row[second], 2) == round(
            row[f"{resource}Turnover"], 2
        )


def test_balance_and_turnovers_close_on_the_balance(standin):
    resource = standin.profile.data["receivables"]["resource"]
    rows = odata_json(
        standin, f"{register(standin)}/BalanceAndTurnovers(StartPeriod={START})"
    )["value"]
    for row in rows:
        opening = row[f"{resource}OpeningBalance"]
        assert round(opening + row[f"{resource}Turnover"], 2) == round(
            row[f"{resource}ClosingBalance"], 2
        )
    if not accounting(standin):
        balance = odata_json(standin, f"{register(standin)}/Balance")["value"]
        closing = sum(r[f"{resource}ClosingBalance"] for r in rows)
        assert round(closing, 2) == round(
            sum(r[f"{resource}Balance"] for r in balance), 2
        )


def test_dimensions_sum_over_the_others(standin):
    resource = standin.profile.data["receivables"]["resource"]
    spec = standin.profile.data["receivables"]
    dimension = "Account_Key" if accounting(standin) else spec["dimension"]
    path = f"{register(standin)}/Balance"
    everything = odata_json(standin, path)["value"]
    grouped = odata_json(standin, f"{path}(Dimensions='{dimension}')")["value"]
    assert {r[dimension] for r in grouped} == {r[dimension] for r in everything}
    assert all(
        set(r) == {dimension, *[n for n in r if n.startswith(resource)]}
        for r in grouped
    )
    assert round(sum(r[f"{resource}Balance"] for r in grouped), 2) == round(
        sum(r[f"{resource}Balance"] for r in everything), 2
    )


def test_condition_on_turnovers(standin):
    spec = standin.profile.data["receivables"]
    dimension = "ExtDimension1" if accounting(standin) else spec["dimension"]
    path = f"{register(standin)}/Turnovers"
    rows = odata_json(standin, path)["value"]
    chosen = rows[0][dimension]
    condition = f"{dimension} eq guid''{chosen}''"
    if accounting(standin):
        condition = f"{dimension} eq '{chosen}'".replace("'", "''")
    picked = odata_json(standin, f"{path}(Condition='{condition}')")["value"]
    assert picked and {r[dimension] for r in picked} == {chosen}


@pytest.mark.parametrize(
    "arguments",
    [
        "Period='вчера'",
        "Nope=datetime'2025-01-01T00:00:00'",
        "Dimensions='Нет'",
    ],
)
def test_bad_parameters_are_refused(standin, arguments):
    answer = odata_request(
        standin,
        "GET",
        f"{register(standin)}/Balance({arguments})",
        headers={"Accept": "application/json"},
    )
    assert answer.status_code == 400
    assert answer.json()["odata.error"]["code"] == "14"


def test_virtual_tables_in_xml(standin):
    answer = odata_request(standin, "GET", f"{register(standin)}/Turnovers")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("application/xml")
    assert b"_Turnover)" in answer.content


def test_registers_are_read_only(standin):
    answer = odata_request(
        standin, "POST", register(standin), {"$format": "json"}, json={}
    )
    assert answer.status_code == 400
