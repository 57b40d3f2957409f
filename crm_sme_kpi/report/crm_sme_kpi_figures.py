# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from odoo import fields, models, tools
from odoo.tools import SQL


class CrmSmeKpiFiguresMixin(models.AbstractModel):
    """Dimensions and measures shared by the effectiveness SQL views."""

    _name = "crm.sme.kpi.figures.mixin"
    _description = "Sales Effectiveness Figures"

    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    leads_received = fields.Integer(readonly=True, aggregator="sum")
    leads_converted = fields.Integer(
        string="Leads Became Clients", readonly=True, aggregator="sum"
    )
    late_first_contact = fields.Integer(
        string="Leads Contacted Late", readonly=True, aggregator="sum"
    )
    first_contact_hours = fields.Float(
        string="Hours to First Contact", readonly=True, aggregator="avg"
    )
    opportunities_created = fields.Integer(readonly=True, aggregator="sum")
    won_count = fields.Integer(string="Won Deals", readonly=True, aggregator="sum")
    lost_count = fields.Integer(string="Lost Deals", readonly=True, aggregator="sum")
    won_revenue = fields.Float(readonly=True, aggregator="sum")
    negotiation_value = fields.Float(
        string="Average Deal at Negotiation", readonly=True, aggregator="avg"
    )
    calls = fields.Integer(string="Calls Made", readonly=True, aggregator="sum")
    meetings = fields.Integer(string="Meetings Held", readonly=True, aggregator="sum")

    def _search(self, domain, offset=0, limit=None, order=None):
        """Count this transaction's changes first, then read without JIT.

        Every read goes through here, grouped ones (``_read_group``) too.
        The views join and group the rollup: their estimated cost can make
        PostgreSQL compile them just in time, which costs far more than it
        saves. Only the current transaction is affected.
        """
        self.env["crm.sme.kpi.rollup"]._apply_changes()
        self.env.cr.execute(SQL("SET LOCAL jit = off"))
        return super()._search(domain, offset=offset, limit=limit, order=order)

    def _query(self):
        """The SELECT of the view; each report defines it."""
        raise NotImplementedError

    def _create_view(self):
        """Create the view of the report (a materialized one may override)."""
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._query(),
            )
        )

    def init(self):
        if self._abstract:
            return
        tools.drop_view_if_exists(self.env.cr, self._table)
        self._create_view()
