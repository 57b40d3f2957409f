"""The exchange's working parts: plain Python classes, not OCA's ``component``.

They take the shape of OCA connector's pieces (an adapter that alone talks to
1C through ``onec_exchange``, a binder, declarative mappers, importers and an
exporter, run by :class:`~.runner.ExchangeRunner` with its journal, failure
queue and lock) without the framework: there is no component registry,
``_usage`` or ``work_on``. One connector with one kind of connection needs no
look-up by usage; a run builds its parts directly, and a test patches a
class like any other (``patch.object(OrderImporter, "map", ...)``).

The models import the runner and the adapter; nothing here imports a model
module (it would close an import circle), and no model imports a helper from
here: what both need lives beside them
(:mod:`~odoo.addons.accounting_1c_connector.deal_linker`, and
:mod:`onec_exchange.requisites` for the INN).
"""

from . import (
    adapter,
    base,
    binder,
    exporter,
    failures,
    importer,
    journal,
    lock,
    mapper,
    runner,
)
