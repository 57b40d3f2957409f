# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from odoo import api, models


class CrmSmeKpiRollupSource(models.AbstractModel):
    """The busy models the figures count: their changes are counted before
    commit (see ``_apply_changes_at_precommit``)."""

    _name = "crm.sme.kpi.rollup.source"
    _description = "Sales Effectiveness: Counted Records"

    @api.model_create_multi
    def create(self, vals_list):
        self.env["crm.sme.kpi.rollup"]._apply_changes_at_precommit()
        return super().create(vals_list)

    def write(self, vals):
        self.env["crm.sme.kpi.rollup"]._apply_changes_at_precommit()
        return super().write(vals)

    def unlink(self):
        self.env["crm.sme.kpi.rollup"]._apply_changes_at_precommit()
        return super().unlink()
