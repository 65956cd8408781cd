# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Acceptance follows the work: a form is requested, sent or recorded on paper
# only once the deliverables' tasks of the tickets' confirmed service plans
# are done and their required quality checks passed. A customer service
# manager may let the customer accept unfinished work, with a reason the form
# and its PDF show.
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .system_fields import check_system_fields, system_write

MANAGER_GROUP = "helpdesk_service_agreement.group_service_manager"
OVERRIDE_WIZARD_ACTION = (
    "helpdesk_service_agreement.helpdesk_service_acceptance_override_wizard_action"
)
# recorded only by the manager's override (_record_override)
GATE_SYSTEM_FIELDS = frozenset(
    {"override_reason", "override_user_id", "override_date", "override_work"}
)


class HelpdeskServiceAcceptance(models.Model):
    _inherit = "helpdesk.service.acceptance"

    override_reason = fields.Text(
        string="Reason for Accepting Unfinished Work",
        readonly=True,
        copy=False,
        tracking=True,
        help="Why a customer service manager let the customer accept "
        "deliverables whose work was not finished.",
    )
    override_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Unfinished Work Allowed By",
        readonly=True,
        copy=False,
        tracking=True,
    )
    override_date = fields.Datetime(
        string="Unfinished Work Allowed On", readonly=True, copy=False
    )
    override_work = fields.Text(
        string="Unfinished Work",
        readonly=True,
        copy=False,
        help="What was not finished when the manager allowed the acceptance.",
    )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        check_system_fields(self, vals_list, GATE_SYSTEM_FIELDS)
        return super().create(vals_list)

    def write(self, vals):
        check_system_fields(self, [vals], GATE_SYSTEM_FIELDS)
        return super().write(vals)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_open_override_wizard(self):
        """The manager's dialog to let the customer accept this form's
        unfinished work, with a reason."""
        self.ensure_one()
        self._check_override_allowed()
        return self._get_override_wizard_action(acceptance=self)

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _check_paper_recordable(self):
        # a draft recorded on paper was never sent: the gate of sending holds
        result = super()._check_paper_recordable()
        self.filtered(lambda acceptance: acceptance.state == "draft")._check_work()
        return result

    def _get_unfinished_work(self):
        """The unfinished work of each form's tickets that no manager
        allowed: ``{form: [text per deliverable]}``."""
        unfinished = {}
        for acceptance in self.filtered(lambda a: not a.override_date):
            work = acceptance.ticket_ids._get_unfinished_work()
            if work:
                unfinished[acceptance] = work
        return unfinished

    def _check_work(self):
        """Refuse forms whose deliverables' work is not finished."""
        unfinished = self._get_unfinished_work()
        if unfinished:
            self._refuse_unfinished_work(
                [text for work in unfinished.values() for text in work],
                wizard=False,
            )

    @api.model
    def _refuse_unfinished_work(
        self, unfinished, tickets=None, acceptance=None, wizard=True
    ):
        """Refuse the acceptance of ``unfinished`` work (texts): a manager
        gets the dialog where they may allow it with a reason (on ``tickets``
        being requested or ``acceptance`` being sent), everyone else the
        list of what is left to do."""
        if wizard and self.env.user.has_group(MANAGER_GROUP):
            return self._get_override_wizard_action(
                tickets=tickets, acceptance=acceptance
            )
        raise UserError(
            self.env._(
                "The customer accepts finished work only. Not finished yet:\n"
                "%(work)s\n"
                "Finish the tasks and pass their quality checks first, or ask a "
                "customer service manager to allow the acceptance with a reason.",
                work="\n".join(f"- {text}" for text in unfinished),
            )
        )

    @api.model
    def _get_override_wizard_action(self, tickets=None, acceptance=None):
        action = self.env["ir.actions.actions"]._for_xml_id(OVERRIDE_WIZARD_ACTION)
        action["context"] = {
            "default_acceptance_id": acceptance.id if acceptance else False,
            "default_ticket_ids": tickets.ids if tickets else [],
        }
        return action

    def _check_override_allowed(self):
        if not self.env.su and not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._(
                    "Only a customer service manager lets the customer accept "
                    "unfinished work."
                )
            )

    def _record_override(self, reason):
        """A manager lets the customer accept this draft form although its
        work is not finished: who, when, why and what was left, tracked on
        the form and printed on it."""
        self.ensure_one()
        self._check_override_allowed()
        reason = (reason or "").strip()
        if not reason:
            raise UserError(
                self.env._("Say why the customer may accept unfinished work.")
            )
        if self.state != "draft":
            raise UserError(
                self.env._(
                    "Unfinished work is allowed on a draft acceptance form, before "
                    "it is sent (%(form)s is %(state)s).",
                    form=self.display_name,
                    state=self._state_label(),
                )
            )
        work = self.ticket_ids._get_unfinished_work()
        if not work:
            raise UserError(
                self.env._(
                    "The work of %(form)s is finished: there is nothing to allow.",
                    form=self.display_name,
                )
            )
        with system_write(*GATE_SYSTEM_FIELDS):
            self.write(
                {
                    "override_reason": reason,
                    "override_user_id": self.env.user.id,
                    "override_date": fields.Datetime.now(),
                    "override_work": "\n".join(work),
                }
            )
        self.message_post(
            body=Markup("<p>%s</p><ul>%s</ul>")
            % (
                self.env._(
                    "%(manager)s allows the customer to accept unfinished work: "
                    "%(reason)s",
                    manager=self.env.user.name,
                    reason=reason,
                ),
                Markup("").join(Markup("<li>%s</li>") % text for text in work),
            ),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return True
