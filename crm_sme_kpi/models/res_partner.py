# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""Lead vs client on contacts.

A contact is a *lead* until it becomes a *client*. The status lives on the
commercial partner (the company, or a person without a company) and is copied
to its contacts through Odoo's commercial fields, so every contact of a company
shows the company's status.

Public API (stable, used by other modules such as the 1C connector):

The contacts of internal users (the company's own staff) are neither leads nor
clients: their status is empty (``_compute_sme_customer_state``, the one rule).

* ``partner._sme_mark_as_client(source, reference=None)`` marks the commercial
  partners of ``partner`` as clients; ``source`` is ``"manual"``,
  ``"won_deal"`` or ``"external"`` and ``reference`` says which deal, module or
  system did it. Only leads become clients: partners that already are clients
  are left untouched (the first date and source are kept), and so are internal
  users' contacts. Returns the commercial partners that have just become
  clients.
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
        compute="_compute_sme_customer_state",
        store=True,
        readonly=False,
        index=True,
        tracking=True,
        help="A contact is a lead until it becomes a client: marked by hand, "
        "a won deal, or another module (e.g. the accounting connector). "
        "Kept on the commercial partner and shown on its contacts. Empty on "
        "the contacts of internal users.",
    )
    # how a contact became a client: read together, and only when one of them
    # is (the contacts are read at nearly every request)
    sme_client_since = fields.Datetime(
        string="Client Since", readonly=True, prefetch="sme_client"
    )
    sme_client_source = fields.Selection(
        CLIENT_SOURCES,
        string="Became Client Through",
        readonly=True,
        prefetch="sme_client",
    )
    sme_client_reference = fields.Char(
        string="Client Reference",
        readonly=True,
        help="Which deal, module or system made this contact a client.",
        prefetch="sme_client",
    )
    sme_client_set_by_id = fields.Many2one(
        "res.users", string="Made Client By", readonly=True, prefetch="sme_client"
    )

    # ---- computes ------------------------------------------------------------

    @api.depends("user_ids.share")
    def _compute_sme_customer_state(self):
        """The one rule of the status: an internal user's contact is neither a
        lead nor a client; any other contact is a lead (or shows its company's
        status) until it becomes a client, which is then written on it."""
        internal = self._origin._sme_internal_user_partners()
        for partner in self:
            if partner._origin in internal:
                partner.sme_customer_state = False
            elif not partner.sme_customer_state:
                commercial = partner.commercial_partner_id
                partner.sme_customer_state = (
                    commercial != partner and commercial.sme_customer_state
                ) or "lead"

    def _sme_internal_user_partners(self):
        """The partners of ``self`` that are the contact of an internal user
        (archived users included: a former employee is no lead either)."""
        if not self.ids:
            return self.browse()
        users = (
            self.env["res.users"]
            .sudo()
            .with_context(active_test=False)
            .search([("partner_id", "in", self.ids), ("share", "=", False)])
        )
        return self.browse(users.partner_id.ids)

    @api.model
    def _commercial_fields(self):
        return super()._commercial_fields() + SME_CLIENT_FIELDS

    # ---- CRUD ----------------------------------------------------------------

    def write(self, vals):
        res = super().write(vals)
        if vals.get("sme_customer_state"):
            # a status copied from the company (commercial fields) follows the
            # rule too: recompute it, an internal user's contact goes back empty
            self.env.add_to_compute(self._fields["sme_customer_state"], self)
        return res

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
        # only the fields read, not every field of the contacts (a won deal
        # calls this at each of its writes); one query when ``self`` are
        # their own commercial partners
        self.fetch(["commercial_partner_id", "sme_customer_state"])
        commercial = self.commercial_partner_id
        commercial.fetch(["sme_customer_state"])
        leads = commercial.filtered(lambda p: p.sme_customer_state == "lead")
        if leads:
            leads._sme_write_client(source, reference)
            leads._sme_on_became_client()
        return leads

    def _sme_write_client(self, source, reference):
        """Write the client status on leads (their contacts follow).

        A won deal's status has no chatter entry of its own (nor follower):
        the deal's says it was won, and the customer's card since when and
        through which deal it is a client.
        """
        partners = self
        if source == "won_deal":
            partners = self.with_context(tracking_disable=True)
        partners.write(
            {
                "sme_customer_state": "client",
                "sme_client_since": fields.Datetime.now(),
                "sme_client_source": source,
                "sme_client_reference": reference or False,
                "sme_client_set_by_id": self.env.uid,
            }
        )
        # they were leads, so no internal user's contacts: the rule (write)
        # has nothing to change on them, only on their contacts
        self.env.remove_to_compute(self._fields["sme_customer_state"], self)

    def _sme_on_became_client(self):
        """Hook called on commercial partners that have just become clients."""
        return True
