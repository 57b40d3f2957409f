# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""Lead vs client on contacts.

A contact is a *lead* until it becomes a *client*. The status lives on the
commercial partner (the company, or a person without a company) and is copied
to its contacts through Odoo's commercial fields, so every contact of a company
shows the company's status.

Public API (stable, used by other modules such as the 1C connector):

* ``partner._sme_mark_as_client(source, reference=None)`` marks the commercial
  partners of ``partner`` as clients; ``source`` is ``"manual"``,
  ``"won_deal"`` or ``"external"`` and ``reference`` says which deal, module or
  system did it. Partners that already are clients are left untouched (the
  first date and source are kept). Returns the commercial partners that have
  just become clients.
* ``partner._sme_on_became_client()`` is called once on those partners right
  after they became clients; override it to react (e.g. queue an export).
"""

from odoo import _, api, fields, models
from odoo.exceptions import UserError

CUSTOMER_STATES = [("lead", "Lead"), ("client", "Client")]
CLIENT_SOURCES = [
    ("manual", "Marked by hand"),
    ("won_deal", "Won deal"),
    ("external", "Another module or system"),
]
SME_CLIENT_FIELDS = [
    "sme_customer_state",
    "sme_client_since",
    "sme_client_source",
    "sme_client_reference",
    "sme_client_set_by_id",
]


class ResPartner(models.Model):
    _inherit = "res.partner"

    sme_customer_state = fields.Selection(
        CUSTOMER_STATES,
        string="Lead or Client",
        default="lead",
        required=True,
        index=True,
        tracking=True,
        help="A contact is a lead until it becomes a client: marked by hand, "
        "a won deal, or another module (e.g. the accounting connector). "
        "Kept on the commercial partner and shown on its contacts.",
    )
    sme_client_since = fields.Datetime(string="Client Since", readonly=True)
    sme_client_source = fields.Selection(
        CLIENT_SOURCES, string="Became Client Through", readonly=True
    )
    sme_client_reference = fields.Char(
        string="Client Reference",
        readonly=True,
        help="Which deal, module or system made this contact a client.",
    )
    sme_client_set_by_id = fields.Many2one(
        "res.users", string="Made Client By", readonly=True
    )

    @api.model
    def _commercial_fields(self):
        return super()._commercial_fields() + SME_CLIENT_FIELDS

    # ---- actions -------------------------------------------------------------

    def action_mark_as_client(self):
        """Button: a salesperson marks the contact's company as client."""
        if not self:
            raise UserError(_("Select a contact to mark as client."))
        self._sme_mark_as_client("manual")
        return True

    # ---- business methods ----------------------------------------------------

    def _sme_mark_as_client(self, source, reference=None):
        """Make the commercial partners of ``self`` clients.

        :param source: ``"manual"``, ``"won_deal"`` or ``"external"``
        :param reference: free text naming the deal, module or system
        :return: the commercial partners that have just become clients
        """
        if source not in dict(CLIENT_SOURCES):
            raise UserError(_("Unknown client source: %(value)s", value=source))
        leads = self.commercial_partner_id.filtered(
            lambda p: p.sme_customer_state != "client"
        )
        if leads:
            leads.write(
                {
                    "sme_customer_state": "client",
                    "sme_client_since": fields.Datetime.now(),
                    "sme_client_source": source,
                    "sme_client_reference": reference or False,
                    "sme_client_set_by_id": self.env.uid,
                }
            )
            leads._sme_on_became_client()
        return leads

    def _sme_on_became_client(self):
        """Hook called on commercial partners that have just become clients."""
        return True
