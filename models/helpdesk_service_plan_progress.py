# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import format_list

from odoo.addons.project.models.project_task import CLOSED_STATES

from .system_fields import check_system_fields, system_write

PROGRESS_TEMPLATE = "helpdesk_service_agreement.mail_template_service_plan_progress"


class HelpdeskServicePlanProgress(models.Model):
    """A progress report (进度简报) of a confirmed service plan: what is done,
    in progress, late or expected late over its period, sent to the
    customer's contact at the plan's cadence. Written by the scheduled
    action only, never twice for one period."""

    _name = "helpdesk.service.plan.progress"
    _description = "Service Plan Progress Report"
    _inherit = ["helpdesk.service.numbered.mixin"]
    _order = "period_start desc, id desc"
    _check_company_auto = True
    # numbered from the company's sequence (data/ir_sequence_data.xml)
    _number_sequence = (
        "helpdesk.service.plan.progress",
        "helpdesk_service_agreement.ir_sequence_service_plan_progress",
        "JB%(year)s-",
        4,
    )

    _plan_period_uniq = models.UniqueIndex(
        "(plan_id, period_start)",
        lambda env, diag: env._("A plan has one progress report per period."),
    )
    _period_ordered = models.Constraint(
        "CHECK(period_start <= period_end)",
        lambda env, diag: env._("A progress report's period ends after it starts."),
    )
    _name_company_uniq = models.UniqueIndex(
        "(company_id, name)",
        lambda env, diag: env._("A progress report number is unique per company."),
    )

    name = fields.Char(
        string="Number",
        required=True,
        readonly=True,
        copy=False,
        index="trigram",
        default=lambda self: self.env._("New"),
    )
    plan_id = fields.Many2one(
        comodel_name="helpdesk.service.plan",
        string="Service Plan",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    partner_id = fields.Many2one(
        related="plan_id.partner_id", store=True, precompute=True, string="Customer"
    )
    company_id = fields.Many2one(
        related="plan_id.company_id", store=True, index=True, precompute=True
    )
    date = fields.Date(required=True, readonly=True)
    period_start = fields.Date(required=True, readonly=True)
    period_end = fields.Date(required=True, readonly=True)
    done_task_ids = fields.Many2many(
        comodel_name="project.task",
        relation="helpdesk_service_plan_progress_done_rel",
        string="Done Tasks",
        readonly=True,
    )
    in_progress_task_ids = fields.Many2many(
        comodel_name="project.task",
        relation="helpdesk_service_plan_progress_open_rel",
        string="Tasks in Progress",
        readonly=True,
    )
    late_task_ids = fields.Many2many(
        comodel_name="project.task",
        relation="helpdesk_service_plan_progress_late_rel",
        string="Late Tasks",
        readonly=True,
    )
    delayed_task_ids = fields.Many2many(
        comodel_name="project.task",
        relation="helpdesk_service_plan_progress_delay_rel",
        string="Delay Expected",
        readonly=True,
    )
    summary = fields.Html(readonly=True, sanitize=True)
    state = fields.Selection(
        selection=[("draft", "Draft"), ("sent", "Sent")],
        default="draft",
        required=True,
        readonly=True,
    )

    @api.depends("name", "plan_id.name", "period_start", "period_end")
    def _compute_display_name(self):
        for report in self:
            report.display_name = self.env._(
                "%(number)s (%(plan)s: %(start)s – %(end)s)",
                number=report.name or "",
                plan=report.plan_id.name or "",
                start=report.period_start or "",
                end=report.period_end or "",
            )

    @api.model_create_multi
    def create(self, vals_list):
        # written by the scheduled action only
        vals_list = [dict(vals) for vals in vals_list]
        check_system_fields(self, vals_list, frozenset({"plan_id", "state"}))
        self._check_number(vals_list)
        self._assign_numbers(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._check_number([vals])
        return super().write(vals)

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    @api.model
    def _number_sequence_name(self, company):
        return self.env._("Progress Reports (%(company)s)", company=company.name)

    @api.model
    def _number_company(self, vals):
        return (
            self.env["helpdesk.service.plan"]
            .browse(self._number_value(vals, "plan_id"))
            .company_id
        )

    @api.model
    def _period(self, cadence, today):
        """The period a report sent ``today`` covers: the day, or the ISO
        week (Monday to Sunday)."""
        if cadence == "weekly":
            start = today - timedelta(days=today.weekday())
            return start, start + timedelta(days=6)
        return today, today

    @api.model
    def _plan_period(self, plan, today):
        """The period of ``plan`` that a report sent ``today`` covers: the
        cadence's period cut to the plan's dates, so the first period starts
        at the plan's start and the last ends at its end; ``(False, False)``
        when ``today`` is outside the plan's dates (no report then)."""
        if (plan.date_start and today < plan.date_start) or (
            plan.date_end and today > plan.date_end
        ):
            return False, False
        start, end = self._period(plan.report_cadence, today)
        if plan.date_start:
            start = max(start, plan.date_start)
        if plan.date_end:
            end = min(end, plan.date_end)
        return start, end

    @api.model
    def _prepare_values(self, plan, tasks, today, checks=None):
        """The report of ``plan`` over the period due ``today`` from its
        ``tasks`` and the quality ``checks`` recorded since its previous
        report (read beforehand for the whole batch)."""
        start, end = self._plan_period(plan, today)
        now = fields.Datetime.now()
        done = tasks.filtered(lambda task: task.state == "1_done")
        open_tasks = tasks.filtered(lambda task: task.state not in CLOSED_STATES)
        late = open_tasks.filtered(
            lambda task: task.date_deadline and task.date_deadline < now
        )
        delayed = open_tasks.filtered("delay_expected")
        return {
            "plan_id": plan.id,
            "date": today,
            "period_start": start,
            "period_end": end,
            "done_task_ids": [fields.Command.set(done.ids)],
            "in_progress_task_ids": [fields.Command.set(open_tasks.ids)],
            "late_task_ids": [fields.Command.set(late.ids)],
            "delayed_task_ids": [fields.Command.set(delayed.ids)],
            "summary": self._summary(plan, done, open_tasks, late, delayed, checks),
            # written and sent in one go: the scheduled action's transaction
            "state": "sent",
        }

    @api.model
    def _summary(self, plan, done, open_tasks, late, delayed, checks=None):
        """The customer's summary, in their language and its punctuation
        (已完成：2, names listed with 、): counts and task names, the quality
        checks recorded since the previous report, passed and failed, by
        task; no internal field (neither the checks' remarks nor their
        criteria)."""
        env = self.with_context(lang=plan.contact_id.lang or self.env.lang).env
        checks = checks or self.env["helpdesk.service.plan.quality.check"]
        passed = checks.filtered(lambda check: check.result == "pass")
        failed = checks.filtered(lambda check: check.result == "fail")
        rows = Markup("")
        for title, records in (
            (env._("Done: %(count)s", count=len(done)), done),
            (env._("In progress: %(count)s", count=len(open_tasks)), open_tasks),
            (env._("Late: %(count)s", count=len(late)), late),
            (env._("Delay expected: %(count)s", count=len(delayed)), delayed),
            (
                env._("Quality checks passed: %(count)s", count=len(passed)),
                passed.task_id,
            ),
            (
                env._("Quality checks failed: %(count)s", count=len(failed)),
                failed.task_id,
            ),
        ):
            rows += Markup("<li><strong>%s</strong> %s</li>") % (
                title,
                format_list(env, records.mapped("name")),
            )
        return Markup("<p>%s</p><ul>%s</ul>") % (
            env._("Progress of %(plan)s", plan=plan.display_name),
            rows,
        )

    def _send(self):
        """Mail the reports (created sent) to their plans' contacts: the
        template renders in each contact's language."""
        template = self.env.ref(PROGRESS_TEMPLATE, raise_if_not_found=False)
        to_mail = self.filtered(lambda report: report.plan_id.contact_id.email)
        if template and to_mail and not self.env.context.get("hsa_progress_no_mail"):
            template.send_mail_batch(
                to_mail.ids, email_layout_xmlid="mail.mail_notification_light"
            )
        self._after_send()

    def _after_send(self):
        """Hook run once reports are sent (the archive files them)."""

    @api.model
    def _report_plans(self, plans, today):
        """Write and send the reports of ``plans`` for the period due
        ``today``: their tasks read in one search, the reports created in
        one batch."""
        tasks = self.env["project.task"].search([("service_plan_id", "in", plans.ids)])
        tasks_of = {plan.id: tasks.browse() for plan in plans}
        for task in tasks:
            tasks_of[task.service_plan_id.id] |= task
        # the quality checks recorded since each plan's previous report (all
        # of them for its first one): none is left out, none told twice
        last_report = dict(
            self._read_group(
                [("plan_id", "in", plans.ids)], ["plan_id"], ["create_date:max"]
            )
        )
        domain = Domain("plan_id", "in", plans.ids)
        if len(last_report) == len(plans):
            domain &= Domain("create_date", ">", min(last_report.values()))
        checks = self.env["helpdesk.service.plan.quality.check"].search(domain)
        checks_of = {plan.id: checks.browse() for plan in plans}
        for check in checks:
            since = last_report.get(check.plan_id)
            if not since or check.create_date > since:
                checks_of[check.plan_id.id] |= check
        with system_write("plan_id", "state"):
            reports = self.create(
                [
                    self._prepare_values(
                        plan, tasks_of[plan.id], today, checks_of[plan.id]
                    )
                    for plan in plans
                ]
            )
            reports._send()
        return reports

    # ------------------------------------------------------------------
    # Scheduled action
    # ------------------------------------------------------------------

    @api.model
    def _due_plans_domain(self, today):
        """Confirmed plans with a cadence, running today (within their
        dates), and no report whose period holds today: never twice for one
        period, whatever the runs, nothing before the plan starts nor after
        it ends."""
        return (
            Domain("state", "=", "confirmed")
            & Domain("report_cadence", "in", ("daily", "weekly"))
            & (Domain("date_start", "=", False) | Domain("date_start", "<=", today))
            & (Domain("date_end", "=", False) | Domain("date_end", ">=", today))
            & Domain(
                "progress_ids",
                "not any",
                Domain("period_start", "<=", today) & Domain("period_end", ">=", today),
            )
        )

    @api.model
    def _cron_send_progress_reports(self, batch_size=200):
        """Write and send the progress reports due today, in batches; what
        is sent is not redone."""
        today = fields.Date.context_today(self)
        Plan = self.env["helpdesk.service.plan"]
        Cron = self.env["ir.cron"]
        domain = self._due_plans_domain(today)
        while True:
            plans = Plan.search(domain, limit=batch_size).try_lock_for_update()
            if not plans:
                break
            self._report_plans(plans, today)
            remaining = Plan.search_count(domain)
            if not Cron._commit_progress(len(plans), remaining=remaining):
                return
