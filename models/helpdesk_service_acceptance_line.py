# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .helpdesk_service_acceptance import linked_ids
from .system_fields import check_system_fields, is_system_write

# the customer's answer and the round's history: written by the answer only
LINE_SYSTEM_FIELDS = frozenset(
    {"result", "customer_remark", "rectification_reason", "previous_line_id"}
)
LINE_RESULTS = [("pass", "Passed"), ("fail", "Needs Rectification")]


class HelpdeskServiceAcceptanceLine(models.Model):
    """One deliverable of the deliverables list (服务成果清单): what is handed
    over, the standard the customer checks it against, and the customer's
    result."""

    _name = "helpdesk.service.acceptance.line"
    _description = "Service Acceptance Deliverable"
    _order = "acceptance_id, sequence, id"
    _rec_name = "deliverable"
    _check_company_auto = True

    _reason_when_failed = models.Constraint(
        "CHECK(result IS DISTINCT FROM 'fail' "
        "OR COALESCE(BTRIM(rectification_reason), '') <> '')",
        lambda env, diag: env._(
            "A failed deliverable needs the reason for its rectification."
        ),
    )

    sequence = fields.Integer(default=10)
    acceptance_id = fields.Many2one(
        comodel_name="helpdesk.service.acceptance",
        string="Acceptance Form",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        related="acceptance_id.company_id", store=True, index=True, precompute=True
    )
    state = fields.Selection(related="acceptance_id.state")
    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        index="btree_not_null",
        check_company=True,
        domain="[('id', 'in', parent.ticket_ids)]",
        help="The ticket this deliverable comes from.",
    )
    deliverable = fields.Char(required=True)
    description = fields.Html()
    acceptance_standard = fields.Text(
        help="What the customer checks the deliverable against (the standard "
        "agreed in the service plan)."
    )
    attachment_ids = fields.Many2many(
        comodel_name="ir.attachment",
        relation="helpdesk_service_acceptance_line_attachment_rel",
        column1="line_id",
        column2="attachment_id",
        string="Attachments",
        help="The files handed over; the customer downloads them from the link.",
    )
    result = fields.Selection(selection=LINE_RESULTS, readonly=True, copy=False)
    customer_remark = fields.Text(readonly=True, copy=False)
    rectification_reason = fields.Text(readonly=True, copy=False)
    previous_line_id = fields.Many2one(
        comodel_name="helpdesk.service.acceptance.line",
        string="Previous Round's Deliverable",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
    )
    previous_reason = fields.Text(
        related="previous_line_id.rectification_reason",
        string="Reason for Rework",
    )
    passed_round = fields.Integer(
        string="Passed in Round",
        compute="_compute_passed_round",
        store=True,
        recursive=True,
        help="The round in which the customer passed the deliverable: a "
        "deliverable passed in an earlier round is listed again, passed, on "
        "every later round's form, so the form signed last lists them all.",
    )

    @api.depends("result", "acceptance_id.round", "previous_line_id.passed_round")
    def _compute_passed_round(self):
        for line in self:
            if line.result != "pass":
                line.passed_round = 0
            elif line.previous_line_id.result == "pass":
                line.passed_round = line.previous_line_id.passed_round
            else:
                line.passed_round = line.acceptance_id.round

    @api.constrains("ticket_id", "acceptance_id")
    def _check_ticket_id(self):
        # a consistency check of the records' own links, whoever may read them
        for line in self.sudo().filtered("ticket_id"):
            if line.ticket_id not in line.acceptance_id.ticket_ids:
                raise ValidationError(
                    self.env._(
                        "The deliverable %(deliverable)s comes from a ticket of its "
                        "acceptance form.",
                        deliverable=line.deliverable,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        check_system_fields(self, vals_list, LINE_SYSTEM_FIELDS)
        self._check_attachments(vals_list)
        lines = super().create(vals_list)
        lines.acceptance_id._check_editable({"line_ids"})
        return lines

    def write(self, vals):
        check_system_fields(self, [vals], LINE_SYSTEM_FIELDS)
        self.check_access("write")
        self._check_attachments([vals])
        if any(not is_system_write(fname) for fname in vals):
            self.acceptance_id._check_editable({"line_ids"})
            if set(vals) - {"sequence"}:
                self._check_not_passed_before()
            if vals.get("acceptance_id"):
                self.acceptance_id.browse(vals["acceptance_id"])._check_editable(
                    {"line_ids"}
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sent_or_final(self):
        self.acceptance_id._check_editable({"line_ids"})
        self._check_not_passed_before()

    def _check_not_passed_before(self):
        """A deliverable the customer passed in an earlier round stays on
        the next round's form as it was passed: the form signed last lists
        the whole deliverables list."""
        passed = self.filtered(lambda line: line._is_passed_before())
        if passed:
            raise UserError(
                self.env._(
                    "%(deliverables)s passed in an earlier round: it stays on the "
                    "form as the customer passed it.",
                    deliverables=", ".join(passed.mapped("deliverable")),
                )
            )

    def _is_passed_before(self):
        """Carried over passed from an earlier round, on a form the customer
        has not answered: not answered again."""
        self.ensure_one()
        return (
            self.result == "pass"
            and self.previous_line_id.result == "pass"
            and self.acceptance_id.state in ("draft", "sent")
        )

    def _check_attachments(self, vals_list):
        """A user hands over only files they may read: the customer gets a
        link to each."""
        if self.env.su:
            return
        attachment_ids = set()
        for vals in vals_list:
            attachment_ids |= linked_ids(vals.get("attachment_ids"))
        if attachment_ids:
            self.env["ir.attachment"].browse(attachment_ids).check_access("read")

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _parse_answers(self, answers):
        """The customer's result for each of these lines from ``answers``
        (line id → ``{"result", "reason", "remark"}``), checked: every line
        passed or failed, a reason for each failure."""
        labels = dict(self._fields["result"]._description_selection(self.env))
        results = {}
        # a deliverable passed in an earlier round is not answered again:
        # whatever is sent for it is ignored and it stays passed
        for line in self.filtered(lambda line: not line._is_passed_before()):
            answer = answers.get(line.id) or {}
            result = answer.get("result")
            if result not in labels:
                raise UserError(
                    self.env._(
                        "Mark the deliverable %(deliverable)s as passed or failed.",
                        deliverable=line.deliverable,
                    )
                )
            reason = (answer.get("reason") or "").strip()
            if result == "fail" and not reason:
                raise UserError(
                    self.env._(
                        "Give the reason why %(deliverable)s needs rectification.",
                        deliverable=line.deliverable,
                    )
                )
            results[line] = {
                "result": result,
                "rectification_reason": reason if result == "fail" else False,
                "customer_remark": (answer.get("remark") or "").strip() or False,
            }
        return results

    def _next_round_values(self):
        """The deliverable as the next round lists it: a failed one to
        rework and answer again, a passed one passed (with the round it
        passed in and the customer's remark), not answered again."""
        self.ensure_one()
        values = {
            "sequence": self.sequence,
            "ticket_id": self.ticket_id.id,
            "deliverable": self.deliverable,
            "description": self.description,
            "acceptance_standard": self.acceptance_standard,
            "attachment_ids": [Command.set(self.attachment_ids.ids)],
            "previous_line_id": self.id,
        }
        if self.result == "pass":
            values.update(result="pass", customer_remark=self.customer_remark)
        return values
