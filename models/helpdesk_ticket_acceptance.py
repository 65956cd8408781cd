# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The ticket's acceptance: requesting the customer's acceptance of its
# deliverables, and the closing gate of agreements that require it.
from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from odoo.addons.project.models.project_task import CLOSED_STATES

from .helpdesk_service_acceptance import OPEN_STATES
from .project_task import DONE_STATE


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    acceptance_ids = fields.Many2many(
        comodel_name="helpdesk.service.acceptance",
        string="Acceptance Forms",
        compute="_compute_acceptance_ids",
    )
    acceptance_count = fields.Integer(compute="_compute_acceptance_ids")

    def _compute_acceptance_ids(self):
        """The forms the user may read that cover the tickets, in one search.
        Not stored and not writable: a form's tickets change on the form."""
        Acceptance = self.env["helpdesk.service.acceptance"]
        acceptances = Acceptance.browse()
        if self.ids and Acceptance.has_access("read"):
            acceptances = Acceptance.search([("ticket_ids", "in", self.ids)])
        for ticket in self:
            mine = acceptances.filtered(lambda a, t=ticket: t in a.ticket_ids)
            ticket.acceptance_ids = mine
            ticket.acceptance_count = len(mine)

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    def write(self, vals):
        if vals.get("stage_id"):
            self._check_acceptance_before_closing(vals["stage_id"])
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_in_acceptance(self):
        """A ticket the customer was asked to accept stays with its form."""
        acceptances = (
            self.env["helpdesk.service.acceptance"]
            .sudo()
            .search(
                Domain("ticket_ids", "in", self.ids) & Domain("state", "!=", "draft"),
                limit=1,
            )
        )
        if acceptances:
            raise UserError(
                self.env._(
                    "A ticket in an acceptance form sent to the customer is kept "
                    "with the form (%(form)s): archive it instead.",
                    form=acceptances.display_name,
                )
            )

    # ------------------------------------------------------------------
    # Closing gate
    # ------------------------------------------------------------------

    def _check_acceptance_before_closing(self, stage_id):
        """A ticket whose agreement requires acceptance closes only once an
        accepted acceptance form covers it: one search for the batch. Read
        as superuser: the gate concerns the data, whoever closes."""
        stage = self.env["helpdesk.ticket.stage"].browse(stage_id)
        if not stage.sudo().closed:
            return
        tickets = self.sudo().filtered(
            lambda ticket: (
                not ticket.stage_id.closed and ticket.agreement_id.acceptance_required
            )
        )
        if not tickets:
            return
        accepted = (
            self.env["helpdesk.service.acceptance"]
            .sudo()
            .search(
                Domain("ticket_ids", "in", tickets.ids)
                & Domain("state", "=", "accepted")
            )
        )
        missing = tickets - accepted.ticket_ids
        if missing:
            raise UserError(
                self.env._(
                    "The customer's agreement requires acceptance: %(tickets)s "
                    "close only once an acceptance form covering them is "
                    "accepted. Request the customer's acceptance first.",
                    tickets=", ".join(missing.mapped("display_name")),
                )
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_request_acceptance(self):
        """A draft acceptance form for these tickets of one customer, one
        deliverable per ticket; the form already waiting for the customer
        when the tickets are in one. The deliverables' work is finished
        first: a manager gets the dialog to allow unfinished work with a
        reason, others the list of what is left to do."""
        pending = self._get_pending_acceptance()
        if pending:
            return pending._get_form_action()
        unfinished = self._get_unfinished_work()
        if unfinished:
            return self.env["helpdesk.service.acceptance"]._refuse_unfinished_work(
                unfinished, tickets=self
            )
        return self._create_acceptance()._get_form_action()

    def _request_acceptance_with_override(self, reason):
        """The manager's request of acceptance for unfinished work (the
        override dialog): the form, with the reason recorded on it."""
        self.env["helpdesk.service.acceptance"]._check_override_allowed()
        acceptance = self._get_pending_acceptance() or self._create_acceptance()
        acceptance._record_override(reason)
        return acceptance

    def action_view_acceptances(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "helpdesk_service_agreement.helpdesk_service_acceptance_action"
        )
        action["domain"] = [("id", "in", self.acceptance_ids.ids)]
        action["context"] = {"create": False}
        return action

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _get_pending_acceptance(self):
        """The form of one customer's tickets the customer has not answered
        yet, if it covers them all; refuse tickets of several customers or
        spread over several such forms."""
        if not self:
            raise UserError(self.env._("Select the tickets to accept."))
        if len(self.commercial_partner_id) != 1 or not self.commercial_partner_id:
            raise UserError(
                self.env._(
                    "An acceptance form covers the tickets of one customer: "
                    "select tickets of one customer."
                )
            )
        Acceptance = self.env["helpdesk.service.acceptance"]
        pending = Acceptance.search(
            Domain("ticket_ids", "in", self.ids) & Domain("state", "in", OPEN_STATES)
        )
        if len(pending) == 1 and self <= pending.ticket_ids:
            return pending
        if pending:
            raise UserError(
                self.env._(
                    "These tickets are already in acceptance forms the customer "
                    "has not answered: %(forms)s.",
                    forms=", ".join(pending.mapped("display_name")),
                )
            )
        return pending

    def _create_acceptance(self):
        """The draft acceptance form of these tickets with their
        deliverables (the gate on unfinished work is the caller's)."""
        return self.env["helpdesk.service.acceptance"].create(
            {
                "ticket_ids": [Command.set(self.ids)],
                "line_ids": [
                    Command.create(values)
                    for values in self._prepare_acceptance_line_values()
                ],
            }
        )

    def _get_unfinished_work(self):
        """What is not finished in the tickets' confirmed service plans, one
        text per deliverable (its tasks not done, their required quality
        checks not passed), in a fixed number of queries. The customer
        accepts finished work: requesting and sending acceptance check it.
        Read as superuser: the gate concerns the data, whoever requests."""
        if not self:
            return []
        plans = (
            self.env["helpdesk.service.plan"]
            .sudo()
            .search(
                Domain("ticket_ids", "in", self.ids) & Domain("state", "=", "confirmed")
            )
        )
        # a later confirmed revision replaces the plan (its tasks carry over)
        plans = plans.filtered(lambda plan: plan.next_id.state != "confirmed")
        deliverables = plans.deliverable_ids
        if not deliverables:
            return []
        Task = self.env["project.task"].sudo().with_context(active_test=False)
        tasks = Task.search([("service_plan_deliverable_id", "in", deliverables.ids)])
        states = dict(Task._fields["state"]._description_selection(self.env))
        unfinished = []
        for deliverable in deliverables:
            mine = tasks.filtered(
                lambda task, d=deliverable: task.service_plan_deliverable_id == d
            )
            problems = []
            if not mine:
                problems.append(self.env._("no task tracks its work"))
            for task in mine:
                if task.state != DONE_STATE:
                    problems.append(
                        self.env._(
                            "task %(task)s is %(state)s",
                            task=task.name,
                            state=states.get(task.state, task.state),
                        )
                        if task.state not in CLOSED_STATES
                        else self.env._("task %(task)s was cancelled", task=task.name)
                    )
                if task.quality_check_required and task.quality_result != "pass":
                    problems.append(
                        self.env._(
                            "the quality check of %(task)s has not passed",
                            task=task.name,
                        )
                    )
            if problems:
                unfinished.append(
                    self.env._(
                        "%(plan)s / %(deliverable)s: %(problems)s",
                        plan=deliverable.plan_id.name,
                        deliverable=deliverable.name,
                        problems="; ".join(problems),
                    )
                )
        return unfinished

    def _prepare_acceptance_line_values(self):
        """The deliverables a new acceptance form lists for these tickets:
        one per ticket, from its subject and description. A service plan
        lists its own deliverables here."""
        return [
            {
                "sequence": 10 * (index + 1),
                "ticket_id": ticket.id,
                "deliverable": ticket.name,
                "description": ticket.description,
            }
            for index, ticket in enumerate(self)
        ]
