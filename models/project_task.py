# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The tasks of a confirmed service plan: its link to the plan and deliverable,
# the owner's delay flag (the customer is warned at once), lateness for the
# task tracking list (服务任务跟踪表) and the quality gate: a task whose
# quality check is required is done only after a passed check.
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from odoo.addons.project.models.project_task import CLOSED_STATES

from .system_fields import check_system_fields

# the quality gate is set from the plan's deliverable and changed by a team
# lead or manager only, with a reason (the quality gate wizard): the person it
# gates never lifts it
TASK_SYSTEM_FIELDS = frozenset(
    {
        "service_plan_id",
        "service_plan_deliverable_id",
        "quality_todo_scheduled",
        "quality_check_required",
    }
)
# the state an owner sets when the work is ready for its check
READY_STATE = "03_approved"
DONE_STATE = "1_done"


class ProjectTask(models.Model):
    _inherit = "project.task"

    service_plan_id = fields.Many2one(
        comodel_name="helpdesk.service.plan",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
    )
    service_plan_deliverable_id = fields.Many2one(
        comodel_name="helpdesk.service.plan.deliverable",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
    )
    service_date_start = fields.Date(
        string="Planned Start", help="The start of the service plan's work."
    )
    quality_check_required = fields.Boolean(
        readonly=True,
        copy=False,
        tracking=True,
        help="The task is done only after a team lead's passed quality check. "
        "Set from the plan's deliverable; a team lead or manager changes it, "
        "with the reason.",
    )
    quality_check_ids = fields.One2many(
        comodel_name="helpdesk.service.plan.quality.check",
        inverse_name="task_id",
        string="Quality Checks",
    )
    quality_result = fields.Selection(
        selection=[("pass", "Passed"), ("fail", "Failed")],
        compute="_compute_quality_result",
        store=True,
        help="The result of the latest quality check.",
    )
    delay_expected = fields.Boolean(
        tracking=True,
        help="The owner expects the task to miss its deadline: the customer "
        "is warned at once.",
    )
    delay_reason = fields.Text(help="Why the task is late; told to the customer.")
    quality_todo_scheduled = fields.Boolean(
        readonly=True,
        copy=False,
        help="The team lead was given the to-do of this task's quality check.",
    )
    service_late = fields.Boolean(
        string="Late",
        compute="_compute_service_late",
        search="_search_service_late",
        help="The deadline passed and the task is not done.",
    )

    @api.depends("quality_check_ids.result", "quality_check_ids.date")
    def _compute_quality_result(self):
        for task in self:
            checks = task.quality_check_ids.sorted(lambda check: (check.date, check.id))
            task.quality_result = checks[-1:].result or False

    @api.depends("date_deadline", "state")
    def _compute_service_late(self):
        now = fields.Datetime.now()
        for task in self:
            task.service_late = bool(
                task.date_deadline
                and task.date_deadline < now
                and task.state not in CLOSED_STATES
            )

    def _search_service_late(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        late = Domain("date_deadline", "<", fields.Datetime.now()) & Domain(
            "state", "not in", list(CLOSED_STATES)
        )
        if (operator == "in") == (True in value):
            return late
        return ~late

    @api.depends("service_plan_id.ticket_ids")
    def _compute_ticket_count(self):
        """helpdesk_mgmt_project counts the tickets linked to the task
        itself; a plan's task serves the tickets of its plan too (a ticket
        links one task, a plan has a task per deliverable)."""
        result = super()._compute_ticket_count()
        for task in self.filtered("service_plan_id"):
            tickets = task._service_tickets()
            task.ticket_count = len(tickets)
            task.todo_ticket_count = len(tickets.filtered(lambda t: not t.closed))
        return result

    def _service_tickets(self):
        """The tickets of the task and of its service plan that the user
        may read (the plan is the system's link: read as superuser)."""
        self.ensure_one()
        tickets = self.ticket_ids | self.sudo().service_plan_id.ticket_ids
        return tickets.with_env(self.env)._filtered_access("read")

    @api.model_create_multi
    def create(self, vals_list):
        check_system_fields(self, vals_list, TASK_SYSTEM_FIELDS)
        tasks = super().create(vals_list)
        tasks.filtered(lambda task: task.state == DONE_STATE)._check_quality_passed()
        return tasks

    def write(self, vals):
        check_system_fields(self, [vals], TASK_SYSTEM_FIELDS)
        if vals.get("state") == DONE_STATE:
            self._check_quality_passed()
        if vals.get("delay_expected"):
            self._check_delay_reason(vals)
            newly_flagged = self.filtered(lambda task: not task.delay_expected)
        else:
            newly_flagged = self.browse()
        result = super().write(vals)
        newly_flagged.filtered("service_plan_id")._send_delay_warning()
        return result

    def _check_quality_passed(self):
        """A task whose quality check is required is done only after a
        passed check (its latest result)."""
        unchecked = self.filtered(
            lambda task: task.quality_check_required and task.quality_result != "pass"
        )
        if unchecked:
            raise UserError(
                self.env._(
                    "%(tasks)s needs a passed quality check by a team lead before "
                    "it is done.",
                    tasks=", ".join(unchecked.mapped("name")),
                )
            )

    def _check_delay_reason(self, vals):
        for task in self:
            reason = vals.get("delay_reason", task.delay_reason)
            if not (reason or "").strip():
                raise UserError(
                    self.env._(
                        "Say why %(task)s will be late: the customer is told the "
                        "reason.",
                        task=task.name,
                    )
                )

    def _send_delay_warning(self):
        """Warn the customer contact of each flagged task's plan at once, in
        their language (the template's), and note it on the plan."""
        if not self:
            # a task write of Odoo's Project costs nothing more
            return
        template = self.env.ref(
            "helpdesk_service_agreement.mail_template_service_plan_delay",
            raise_if_not_found=False,
        )
        if not template:
            return
        # the owner flagged their task (the write above passed its access
        # check); the mail and the plan's note are the system's
        tasks = self.sudo().filtered(lambda task: task.service_plan_id.contact_id.email)
        template.sudo().send_mail_batch(
            tasks.ids, email_layout_xmlid="mail.mail_notification_light"
        )
        for task in tasks:
            task.service_plan_id.message_post(
                body=self.env._(
                    "The customer was warned that %(task)s will be late: %(reason)s",
                    task=task.name,
                    reason=task.delay_reason,
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )

    def action_view_ticket(self):
        """helpdesk_mgmt_project's ticket button, with the plan's tickets of
        a plan's task (those its counter counts)."""
        if not self.service_plan_id:
            return super().action_view_ticket()
        self.ensure_one()
        return self._service_tickets()._get_records_action(
            name=self.env._("Tickets"),
            view_mode="kanban,list,form",
            context={"default_task_id": self.id, "create": False},
        )

    # ------------------------------------------------------------------
    # Scheduled action
    # ------------------------------------------------------------------

    @api.model
    def _quality_due_domain(self):
        """Open tasks whose check is required and not passed, which are
        ready (approved by their owner) or past their deadline, and whose
        lead has no to-do yet."""
        return (
            Domain("service_plan_id", "!=", False)
            & Domain("quality_check_required", "=", True)
            & Domain("quality_todo_scheduled", "=", False)
            & Domain("quality_result", "!=", "pass")
            & Domain("state", "not in", list(CLOSED_STATES))
            & (
                Domain("state", "=", READY_STATE)
                | Domain("date_deadline", "<", fields.Datetime.now())
            )
        )

    @api.model
    def _cron_schedule_quality_checks(self, batch_size=200):
        """Give the team lead (the leader of the team of the plan's first
        ticket) a to-do per task due for its quality check, once per task."""
        Cron = self.env["ir.cron"]
        domain = self._quality_due_domain()
        while True:
            tasks = self.search(domain, limit=batch_size).try_lock_for_update()
            if not tasks:
                break
            for task in tasks:
                lead = task.service_plan_id.ticket_ids[:1].team_id.user_id
                if lead:
                    task.activity_schedule(
                        "mail.mail_activity_data_todo",
                        date_deadline=fields.Date.context_today(self),
                        user_id=lead.id,
                        summary=self.env._("Quality check of %(task)s", task=task.name),
                    )
            tasks.write({"quality_todo_scheduled": True})
            remaining = self.search_count(domain)
            if not Cron._commit_progress(len(tasks), remaining=remaining):
                return
