# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ProjectProject(models.Model):
    _inherit = "project.project"

    _service_customer_uniq = models.UniqueIndex(
        "(company_id, service_customer_id) WHERE service_customer_id IS NOT NULL",
        lambda env, diag: env._("A customer has one service project per company."),
    )

    service_customer_id = fields.Many2one(
        comodel_name="res.partner",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The customer whose confirmed service plans put their tasks in "
        "this project (one project per customer).",
    )

    def _translate_ticket_label(self):
        """helpdesk_mgmt_project names the tickets of a project with the
        English "Tickets" of its own code (it ships no Chinese): a service
        project gets this addon's word in every installed language."""
        langs = [code for code, _name in self.env["res.lang"].get_installed()]
        labels = {lang: self.with_context(lang=lang).env._("Tickets") for lang in langs}
        for project in self:
            project.update_field_translations("label_tickets", labels)
