# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""Reconciliation for the integration's test period: per customer, 1C's
balance and order total against what the CRM holds; every mismatch listed."""

from collections import defaultdict

from odoo import _, fields, models
from odoo.exceptions import UserError

from onec_exchange.errors import OneCError

TOLERANCE = 0.005


class OnecReconciliation(models.TransientModel):
    _name = "onec.reconciliation"
    _description = "1C Reconciliation"

    connection_id = fields.Many2one("onec.connection", required=True)
    checked_at = fields.Datetime(readonly=True)
    customer_count = fields.Integer(string="Customers Compared", readonly=True)
    mismatch_count = fields.Integer(string="Mismatches", readonly=True)
    line_ids = fields.One2many("onec.reconciliation.line", "wizard_id", readonly=True)

    def action_compare(self):
        self.ensure_one()
        try:
            lines = self._onec_compare()
        except OneCError as error:
            raise UserError(self.connection_id._onec_explain(error)) from error
        self.line_ids.unlink()
        self.write(
            {
                "checked_at": fields.Datetime.now(),
                "customer_count": lines["compared"],
                "mismatch_count": len(lines["mismatches"]),
                "line_ids": [fields.Command.create(v) for v in lines["mismatches"]],
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def _onec_compare(self):
        """``{"compared": n, "mismatches": [line values]}``."""
        connection = self.connection_id.sudo()
        adapter = connection._onec_adapter()
        try:
            onec_balance = defaultdict(float)
            for settlement in adapter.settlements():
                onec_balance[settlement.counterparty_ref] += float(settlement.balance)
            onec_orders = defaultdict(float)
            for page in adapter.pages("order"):
                for item in page:
                    order = item.record
                    if order is not None and not order.deletion_mark:
                        onec_orders[order.counterparty_ref] += float(order.amount)
        finally:
            adapter.close()
        domain = [("connection_id", "=", connection.id)]
        crm_balance = dict(
            self.env["onec.settlement"]._read_group(
                domain, ["counterparty_ref"], ["balance:sum"]
            )
        )
        crm_orders = {
            counterparty.ref: amount
            for counterparty, amount in self.env["onec.order"]._read_group(
                domain, ["counterparty_id"], ["amount:sum"]
            )
        }
        refs = set(onec_balance) | set(onec_orders) | set(crm_balance) | set(crm_orders)
        counterparties = {
            c.ref: c
            for c in self.env["onec.counterparty"]
            .with_context(active_test=False)
            .search(domain + [("ref", "in", list(refs))])
        }
        mismatches = []
        for ref in sorted(refs):
            figures = {
                "onec_balance": onec_balance.get(ref, 0.0),
                "crm_balance": crm_balance.get(ref, 0.0),
                "onec_orders": onec_orders.get(ref, 0.0),
                "crm_orders": crm_orders.get(ref, 0.0),
            }
            problems = []
            if abs(figures["onec_balance"] - figures["crm_balance"]) > TOLERANCE:
                problems.append(_("balance"))
            if abs(figures["onec_orders"] - figures["crm_orders"]) > TOLERANCE:
                problems.append(_("orders"))
            counterparty = counterparties.get(ref)
            if problems:
                mismatches.append(
                    {
                        **figures,
                        "counterparty_ref": ref,
                        "counterparty_id": counterparty.id if counterparty else False,
                        "partner_id": counterparty.partner_id.id
                        if counterparty
                        else False,
                        "problem": ", ".join(problems),
                    }
                )
        return {"compared": len(refs), "mismatches": mismatches}


class OnecReconciliationLine(models.TransientModel):
    _name = "onec.reconciliation.line"
    _description = "1C Reconciliation Mismatch"

    wizard_id = fields.Many2one("onec.reconciliation", ondelete="cascade")
    counterparty_ref = fields.Char(string="1C Counterparty")
    counterparty_id = fields.Many2one("onec.counterparty")
    partner_id = fields.Many2one("res.partner", string="Customer")
    onec_balance = fields.Float(string="Balance in 1C", digits=(16, 2))
    crm_balance = fields.Float(string="Balance in CRM", digits=(16, 2))
    onec_orders = fields.Float(string="Orders in 1C", digits=(16, 2))
    crm_orders = fields.Float(string="Orders in CRM", digits=(16, 2))
    problem = fields.Char(string="Differs In")
