# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# A confirmed service plan becomes work: one project task per deliverable, in
# the customer's project (or the team's), followed on the task tracking list
# (服务任务跟踪表).
from markupsafe import Markup

from odoo import api, fields, models

from .system_fields import system_write

TASK_SYSTEM_FIELDS = ("service_plan_id", "service_plan_deliverable_id")


class HelpdeskServicePlan(models.Model):
    _inherit = "helpdesk.service.plan"

    task_ids = fields.One2many(
        comodel_name="project.task",
        inverse_name="service_plan_id",
        string="Tasks",
        readonly=True,
    )
    task_count = fields.Integer(compute="_compute_task_count")
    progress_ids = fields.One2many(
        comodel_name="helpdesk.service.plan.progress",
        inverse_name="plan_id",
        string="Progress Report History",
        readonly=True,
    )

    @api.depends("task_ids")
    def _compute_task_count(self):
        counts = dict(
            self.env["project.task"]._read_group(
                [("service_plan_id", "in", self.ids)], ["service_plan_id"], ["__count"]
            )
        )
        for plan in self:
            plan.task_count = counts.get(plan, 0)

    def _after_confirm(self):
        result = super()._after_confirm()
        # the plan was confirmed by a checked path (the customer's signature
        # or staff's paper record): its tasks are the system's to create
        self.sudo()._sync_tasks()
        return result

    def _sync_tasks(self):
        """One task per deliverable of the confirmed plans, once: a
        deliverable with a task keeps it; a deliverable carried over from
        the revision this plan replaces takes over that revision's task.
        Tasks are created in one batch; the plans' tickets without a project
        get the tasks' project."""
        plans = self.filtered(lambda plan: plan.state == "confirmed")
        if not plans:
            return self.env["project.task"]
        Task = self.env["project.task"].with_context(active_test=False)
        deliverables = plans.deliverable_ids
        previous = deliverables.previous_deliverable_id
        tasks = Task.search(
            [("service_plan_deliverable_id", "in", (deliverables | previous).ids)]
        )
        task_of = {task.service_plan_deliverable_id.id: task for task in tasks}
        projects = plans._get_task_projects()
        vals_list = []
        for plan in plans:
            for deliverable in plan.deliverable_ids:
                if deliverable.id in task_of:
                    continue
                former = deliverable.previous_deliverable_id
                task = former.plan_id == plan.previous_id and task_of.get(former.id)
                if task:
                    with system_write(*TASK_SYSTEM_FIELDS):
                        task.write(plan._prepare_task_update(deliverable))
                    continue
                vals_list.append(
                    plan._prepare_task_values(deliverable, projects[plan.id])
                )
        with system_write(*TASK_SYSTEM_FIELDS):
            created = Task.with_context(
                mail_create_nolog=True, mail_notrack=True
            ).create(vals_list)
        tickets_by_project = {}
        for plan in plans:
            for ticket in plan.ticket_ids.filtered(lambda t: not t.project_id):
                tickets_by_project.setdefault(projects[plan.id], ticket.browse())
                tickets_by_project[projects[plan.id]] |= ticket
        for project, tickets in tickets_by_project.items():
            tickets.write({"project_id": project.id})
        return created

    def _get_task_projects(self):
        """The project of each plan's tasks: the team's project of its first
        ticket when the company says so and the team has one, else the
        customer's own project (created on demand)."""
        projects = {}
        for plan in self:
            if plan.company_id.service_plan_project_mode == "team":
                team = plan.ticket_ids[:1].team_id
                project = team.with_company(plan.company_id).default_project_id
                if project:
                    projects[plan.id] = project
        rest = self.filtered(lambda plan: plan.id not in projects)
        if not rest:
            return projects
        Project = self.env["project.project"].with_context(active_test=False)
        found = Project.search(
            [
                ("service_customer_id", "in", rest.partner_id.ids),
                ("company_id", "in", rest.company_id.ids),
            ]
        )
        by_key = {
            (project.service_customer_id.id, project.company_id.id): project
            for project in found
        }
        missing = {}
        for plan in rest:
            key = (plan.partner_id.id, plan.company_id.id)
            if key not in by_key and key not in missing:
                missing[key] = plan._prepare_project_values()
        if missing:
            created = Project.with_context(mail_create_nolog=True).create(
                list(missing.values())
            )
            created._translate_ticket_label()
            by_key.update(zip(missing, created, strict=True))
        for plan in rest:
            projects[plan.id] = by_key[(plan.partner_id.id, plan.company_id.id)]
        return projects

    def _prepare_project_values(self):
        self.ensure_one()
        customer = self.partner_id
        code = customer.commercial_customer_code
        return {
            "name": f"{code} {customer.name}" if code else customer.name,
            "partner_id": customer.id,
            "service_customer_id": customer.id,
            "company_id": self.company_id.id,
            "privacy_visibility": "employees",
        }

    def _prepare_task_values(self, deliverable, project):
        self.ensure_one()
        values = self._prepare_task_update(deliverable)
        values.update(
            {
                "name": deliverable.name,
                "project_id": project.id,
                "partner_id": self.partner_id.id,
                "company_id": self.company_id.id,
                "description": self._task_description(deliverable),
            }
        )
        return values

    def _prepare_task_update(self, deliverable):
        """What a revision's confirmation updates on a task it takes over."""
        self.ensure_one()
        deadline = deliverable.date_planned
        return {
            "service_plan_id": self.id,
            "service_plan_deliverable_id": deliverable.id,
            "user_ids": [fields.Command.set(deliverable.user_id.ids)],
            "date_deadline": fields.Datetime.to_datetime(deadline)
            if deadline
            else False,
            "service_date_start": self.date_start,
            "quality_check_required": deliverable.quality_check_required,
        }

    def _task_description(self, deliverable):
        # read by the team: in the language of the task's owner (the plan's
        # author else), not of whoever confirmed the plan (the customer)
        reader = deliverable.user_id or self.user_id
        env = self.with_context(lang=reader.lang or self.env.lang).env
        parts = [Markup(deliverable.description or "")]
        if deliverable.acceptance_standard:
            parts.append(
                Markup("<p><strong>%s</strong></p><p>%s</p>")
                % (env._("Acceptance standard"), deliverable.acceptance_standard)
            )
        return Markup("").join(parts)

    def action_view_tasks(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "helpdesk_service_agreement.project_task_tracking_action"
        )
        action["domain"] = [("service_plan_id", "=", self.id)]
        action["context"] = {"create": False}
        return action
