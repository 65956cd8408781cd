# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The hand-over record (交接记录) of a departing colleague: what moved to whom,
# numbered (JJ2026-0001), final once done and filed in the company's own
# service archive (helpdesk_service_handover_archive.py).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from .system_fields import check_system_fields, is_system_write

HANDOVER_REASONS = [
    ("leave", "Leaves the Company"),
    ("team_change", "Changes Team"),
]
HANDOVER_ACCESS = [
    ("groups", "Remove the Customer Service Groups"),
    ("archive", "Archive the User"),
    ("keep", "Keep the Access (team change)"),
]
# written by the hand-over wizard only
HANDOVER_SYSTEM_FIELDS = frozenset(
    {"state", "user_id", "manager_id", "date", "line_ids", "company_id"}
)


class HelpdeskServiceHandover(models.Model):
    _name = "helpdesk.service.handover"
    _description = "Hand-over Record"
    _inherit = [
        "mail.thread",
        "helpdesk.service.numbered.mixin",
        "helpdesk.service.evidence.mixin",
    ]
    _order = "date desc, id desc"
    _check_company_auto = True
    # numbered from the company's sequence (data/helpdesk_service_handover_data.xml)
    _number_sequence = (
        "helpdesk.service.handover",
        "helpdesk_service_agreement.ir_sequence_service_handover",
        "JJ%(year)s-",
        4,
    )

    _name_company_uniq = models.UniqueIndex(
        "(company_id, name)",
        lambda env, diag: env._("A hand-over number is unique per company."),
    )

    name = fields.Char(
        string="Number",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: self.env._("New"),
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.company,
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Departing User",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    manager_id = fields.Many2one(
        comodel_name="res.users",
        string="Handed Over By",
        required=True,
        readonly=True,
        ondelete="restrict",
    )
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    reason = fields.Selection(selection=HANDOVER_REASONS, required=True, readonly=True)
    access = fields.Selection(
        selection=HANDOVER_ACCESS,
        string="Access to Customer Data",
        required=True,
        readonly=True,
    )
    note = fields.Text(readonly=True)
    state = fields.Selection(
        selection=[("draft", "Draft"), ("done", "Done")],
        required=True,
        default="draft",
        readonly=True,
        index=True,
    )
    line_ids = fields.One2many(
        comodel_name="helpdesk.service.handover.line",
        inverse_name="handover_id",
        string="Moved Records",
        readonly=True,
    )
    line_count = fields.Integer(compute="_compute_line_count")

    @api.depends("line_ids")
    def _compute_line_count(self):
        groups = self.env["helpdesk.service.handover.line"]._read_group(
            [("handover_id", "in", self.ids)], ["handover_id"], ["__count"]
        )
        counts = {handover.id: count for handover, count in groups}
        for handover in self:
            handover.line_count = counts.get(handover.id, 0)

    def _evidence_final_domain(self):
        return Domain("state", "=", "done")

    # ------------------------------------------------------------------
    # CRUD: written by the wizard, final once done
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [dict(vals) for vals in vals_list]
        self._check_number(vals_list)
        check_system_fields(
            self,
            vals_list,
            HANDOVER_SYSTEM_FIELDS,
            defaults={"state": "draft"},
        )
        self._assign_numbers(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._check_number([vals])
        check_system_fields(self, [vals], HANDOVER_SYSTEM_FIELDS)
        self._check_not_final(vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("A hand-over record cannot be deleted."))

    def _check_not_final(self, vals):
        """A done hand-over is final, superuser included; the chatter's
        bookkeeping aside."""
        changed = set(vals) - {"message_main_attachment_id"}
        if changed and not is_system_write("state") and self._evidence_final():
            raise UserError(
                self.env._("A hand-over record is final once done: it is not changed.")
            )

    # ------------------------------------------------------------------
    # Numbering
    # ------------------------------------------------------------------

    @api.model
    def _number_sequence_name(self, company):
        return self.env._("Hand-overs (%(company)s)", company=company.name)

    @api.model
    def _number_company(self, vals):
        return self.env["res.company"].browse(self._number_value(vals, "company_id"))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_print(self):
        return self.env.ref(
            "helpdesk_service_agreement.action_report_helpdesk_service_handover"
        ).report_action(self)
