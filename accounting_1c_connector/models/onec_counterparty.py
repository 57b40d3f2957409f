# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from odoo import _, fields, models
from odoo.exceptions import AccessError


class OnecCounterparty(models.Model):
    """A 1C counterparty bound to the Odoo contact it is (binding).

    Unique per connection and 1C reference. The contact is found by the 1C
    reference, else by INN+KPP; when none (or several) match, the
    counterparty stays unlinked and is listed for a person to resolve.
    """

    _name = "onec.counterparty"
    _inherit = "onec.connection.mixin"
    _description = "1C Counterparty"
    _order = "name"

    ref = fields.Char(string="1C Reference", required=True, readonly=True)
    entity = fields.Char(readonly=True)
    name = fields.Char(readonly=True)
    full_name = fields.Char(readonly=True)
    inn = fields.Char(string="INN", readonly=True, index=True)
    kpp = fields.Char(string="KPP", readonly=True)
    is_person = fields.Boolean(readonly=True)
    # 1C's own "partner" (UT 11 groups counterparties under one), not a contact
    onec_partner_ref = fields.Char(string="1C Partner Reference", readonly=True)
    head_ref = fields.Char(string="1C Head Counterparty", readonly=True)
    data_version = fields.Char(readonly=True)
    balance_stale = fields.Boolean(
        string="Balance To Refresh",
        readonly=True,
        help="Its documents changed since its balance was last read from 1C: "
        "the next exchange reads it again.",
    )
    active = fields.Boolean(default=True, readonly=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Contact",
        index=True,
        ondelete="set null",
        domain="[('is_company', '=', True)]",
        help="Set by the exchange from the 1C reference or INN+KPP; set it by "
        "hand for a counterparty the exchange could not match.",
    )

    _sql_constraints = [
        (
            "ref_uniq",
            "unique(connection_id, ref)",
            "A 1C counterparty is bound once per connection.",
        )
    ]

    def write(self, vals):
        """People only link a counterparty to a contact; the rest is 1C's."""
        if not (self.env.su or self.env.user.has_group("base.group_system")):
            if set(vals) - {"partner_id"}:
                raise AccessError(
                    _("Only the contact of a 1C counterparty can be set.")
                )
        relinked = self.browse()
        if "partner_id" in vals:
            relinked = self.filtered(lambda c: c.partner_id.id != vals["partner_id"])
        result = super().write(vals)
        relinked._onec_relink_orders()
        return result

    def _onec_relink_orders(self):
        """After a change of contact, the orders follow the deal rule again
        (see :mod:`~odoo.addons.accounting_1c_connector.deal_linker`)."""
        orders = (
            self.env["onec.order"]
            .sudo()
            .with_context(active_test=False)
            .search([("counterparty_id", "in", self.ids)])
        )
        orders._onec_link_deals()
