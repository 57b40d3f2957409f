"""Configuration profiles: which 1C entity sets and fields hold what.

A profile is a JSON file. The shipped ones are ``ut11`` (UT 11, also KA 2),
``bp30`` (BP 3.0) and ``unf`` (UNF). A consultant copies one, adjusts the
names to the client's configuration and passes the file's path instead of a
name; no code changes.

Conventions inside a profile:

* a field whose name ends with ``_Key`` is a plain reference (a GUID);
  any other reference field (``order`` of a payment, BP's payment
  ``counterparty``) is composite: the GUID in ``X`` and its type in ``X_Type``;
* ``null`` means the configuration has no such field;
* ``receivables.kind`` says how balances are read: ``dimension`` (the
  register's dimension is the counterparty), ``analytics`` (UT 11: a key
  catalog maps the dimension to counterparty and partner) or ``accounting``
  (BP 3.0: the accounting register, counterparty in ``ExtDimension1``,
  accounts chosen by code);
* ``receivables.payment_terms_days`` (optional): the usual payment terms;
  debt older than that counts as overdue (see ``Transport.iter_settlements``);
* ``receivables.due_dates`` (optional; UT 11 / KA 2): the settlements
  register with due dates (``РасчетыСКлиентамиПоСрокам``): ``register``,
  ``resource`` (the debt), ``dimension`` and ``currency`` as in
  ``receivables``, ``due_date`` (the due-date dimension). With it, OData
  reads the real overdue debt instead of estimating it;
* ``sales`` (optional): the sales register read for the customer's monthly
  sales (``Turnovers``): ``register``, ``kind`` (``analytics``: the dimension
  is the analytics key of ``receivables.analytics``; ``dimension``: the
  counterparty), ``resource`` (the sales amount), ``dimension``;
* ``enum_labels`` (optional): what people read for a 1C enumeration's value
  names, per language (``{"СтатусыЗаказовКлиентов": {"КОтгрузке": {"ru":
  "К отгрузке", "en": "Ready to ship"}}}``); a section's ``enums`` says which
  enumeration a field holds (``"enums": {"status": "СтатусыЗаказовКлиентов"}``).
  A value without a label shows as 1C sent it.
"""

import json
from dataclasses import dataclass
from pathlib import Path

from ..errors import OneCValidationError

PROFILE_DIR = Path(__file__).parent
SHIPPED = ("ut11", "bp30", "unf")
REQUIRED = ("name", "counterparty", "order", "shipment", "payments", "receivables")
RECEIVABLE_KINDS = ("dimension", "analytics", "accounting")
PAYMENT_KINDS = ("bank", "cash")
FALLBACK_LANGUAGE = "en"


@dataclass(frozen=True)
class Profile:
    """A loaded profile; ``data`` is the parsed JSON."""

    data: dict

    @property
    def name(self):
        return self.data["name"]

    def section(self, stream):
        """The JSON section of a stream: counterparty, order, shipment..."""
        return self.data[stream]

    def payment_sections(self):
        """``(kind, section)`` for bank and cash receipts."""
        return [(kind, self.data["payments"][kind]) for kind in PAYMENT_KINDS]

    def document_sections(self):
        """``(stream, section)`` for every document entity in the profile."""
        return [
            ("order", self.data["order"]),
            ("shipment", self.data["shipment"]),
        ] + [(f"payment_{kind}", section) for kind, section in self.payment_sections()]

    def required_entities(self):
        """Entity sets the transports read or write, for the metadata check."""
        names = [self.data["counterparty"]["entity"]]
        if self.data.get("partner"):
            names.append(self.data["partner"]["entity"])
        names += [section["entity"] for _stream, section in self.document_sections()]
        receivables = self.data["receivables"]
        names.append(receivables["register"])
        for extra in ("analytics", "accounts"):
            if receivables.get(extra):
                names.append(receivables[extra]["entity"])
        for register in (receivables.get("due_dates"), self.data.get("sales")):
            if register:
                names.append(register["register"])
        return names

    def enum_label(self, enum, value, lang=FALLBACK_LANGUAGE):
        """What a person reads for the value ``value`` of the 1C enumeration
        ``enum``, in ``lang`` (``ru``, ``ru_RU``, ``en_US``...).

        A language without a label falls back to English; a value without
        labels (or no value) comes back as 1C sent it.
        """
        labels = self.data.get("enum_labels", {}).get(enum, {}).get(value or "")
        if not labels:
            return value
        language = (lang or FALLBACK_LANGUAGE).split("_")[0].split("-")[0].lower()
        return labels.get(language) or labels.get(FALLBACK_LANGUAGE) or value

    def field_label(self, stream, role, value, lang=FALLBACK_LANGUAGE):
        """The label of ``value`` read from the field ``role`` of a stream's
        section (``"order", "status"``), through the section's ``enums``."""
        enum = self.data.get(stream, {}).get("enums", {}).get(role)
        return self.enum_label(enum, value, lang) if enum else value


def load_profile(name_or_path):
    """Load a shipped profile by name or a consultant's copy by file path."""
    if isinstance(name_or_path, Profile):
        return name_or_path
    path = Path(name_or_path)
    if str(name_or_path) in SHIPPED:
        path = PROFILE_DIR / f"{name_or_path}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise OneCValidationError(
            f"cannot load profile {name_or_path!r}: {error}"
        ) from error
    _check_profile(data, name_or_path)
    return Profile(data)


def _check_profile(data, origin):
    missing = [key for key in REQUIRED if key not in data]
    if missing:
        raise OneCValidationError(f"profile {origin!r} lacks {', '.join(missing)}")
    if data["receivables"].get("kind") not in RECEIVABLE_KINDS:
        raise OneCValidationError(
            f"profile {origin!r}: receivables.kind must be one of {RECEIVABLE_KINDS}"
        )
    _check_registers(data, origin)
    labels = data.get("enum_labels", {})
    for key in ("counterparty", "order", "shipment"):
        for role, enum in data[key].get("enums", {}).items():
            if enum not in labels:
                raise OneCValidationError(
                    f"profile {origin!r}: {key}.enums.{role} names {enum!r}, "
                    "which enum_labels does not hold"
                )
    for enum, values in labels.items():
        for value, by_language in values.items():
            if not isinstance(by_language, dict) or not all(
                isinstance(label, str) and label for label in by_language.values()
            ):
                raise OneCValidationError(
                    f"profile {origin!r}: enum_labels.{enum}.{value} must map "
                    "languages to labels"
                )


REGISTER_KEYS = {
    "receivables.due_dates": ("register", "resource", "dimension", "due_date"),
    "sales": ("register", "kind", "resource", "dimension"),
}
SALES_KINDS = ("analytics", "dimension")


def _check_registers(data, origin):
    """The optional due-date and sales registers name what they need."""
    sections = {
        "receivables.due_dates": data["receivables"].get("due_dates"),
        "sales": data.get("sales"),
    }
    for name, section in sections.items():
        if section is None:
            continue
        missing = [key for key in REGISTER_KEYS[name] if not section.get(key)]
        if missing:
            raise OneCValidationError(
                f"profile {origin!r}: {name} lacks {', '.join(missing)}"
            )
    sales = sections["sales"]
    if sales and sales["kind"] not in SALES_KINDS:
        raise OneCValidationError(
            f"profile {origin!r}: sales.kind must be one of {SALES_KINDS}"
        )
    if (
        sales
        and sales["kind"] == "analytics"
        and "analytics" not in data["receivables"]
    ):
        raise OneCValidationError(
            f"profile {origin!r}: sales.kind analytics needs receivables.analytics"
        )
