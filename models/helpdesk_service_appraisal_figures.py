# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The figures of appraisals, computed by the database for all the members of
# a period at once: seven queries per company and period, whatever the number
# of members and tickets. The SLA figures come from the SLA compliance
# analysis (``helpdesk.sla.report._get_compliance_figures``, the engine of the
# service summaries) grouped by owner; the rates follow the summaries'
# definitions (helpdesk_service_summary_figures.py).
from collections import defaultdict
from datetime import datetime, time, timedelta

from odoo import fields, models
from odoo.fields import Domain
from odoo.tools import SQL

from .helpdesk_service_appraisal import FIGURE_FIELDS
from .helpdesk_service_summary_figures import _rate
from .system_fields import system_write


class HelpdeskServiceAppraisal(models.Model):
    _inherit = "helpdesk.service.appraisal"

    def _compute_figures(self):
        groups = defaultdict(lambda: self.browse())
        for appraisal in self:
            groups[appraisal.company_id, appraisal.date_start, appraisal.date_end] |= (
                appraisal
            )
        values = {}
        for (company, date_start, date_end), appraisals in groups.items():
            start = datetime.combine(date_start, time.min)
            end = datetime.combine(date_end + timedelta(days=1), time.min)
            figures = self._figures(company, appraisals.user_id, start, end)
            for appraisal in appraisals:
                values[appraisal] = figures[appraisal.user_id.id]
        now = fields.Datetime.now()
        with system_write(*FIGURE_FIELDS):
            for appraisal, figures in values.items():
                appraisal.sudo().write(dict(figures, figures_date=now))

    def _figures(self, company, members, start, end):
        """``{user id: {figure: value}}`` of ``members`` in the period
        [``start``, ``end``) (as superuser: the appraisal's readers see the
        figures, not the records behind them)."""
        env = self.sudo().env
        ids = members.ids
        _in = env["helpdesk.service.summary"]._in
        company_domain = Domain("company_id", "=", company.id)
        Ticket = env["helpdesk.ticket"].with_context(active_test=False)
        figures = {
            uid: {
                "tickets_handled": 0,
                "quality_passed": 0,
                "quality_failed": 0,
                "complaint_count": 0,
                "complaint_satisfied": 0,
                "complaint_not_satisfied": 0,
            }
            for uid in ids
        }
        # 1. tickets closed as assignee
        for user, count in Ticket._read_group(
            company_domain
            & Domain("user_id", "in", ids)
            & _in("closed_date", start, end),
            ["user_id"],
            ["__count"],
        ):
            figures[user.id]["tickets_handled"] = count
        # 2. SLA: the clocks the member owned that started in the period
        sla = {
            row["user_id"].id: row
            for row in env["helpdesk.sla.report"]._get_compliance_figures(
                company_domain
                & Domain("user_id", "in", ids)
                & _in("date_start", start, end),
                groupby=["user_id"],
            )
        }
        # 3. quality checks of the tasks they own
        quality = self._quality_by_user(company, ids, start, end)
        # 4. satisfaction answers naming them
        satisfaction = {
            user.id: (count, score)
            for user, count, score in env["helpdesk.service.satisfaction"]._read_group(
                company_domain
                & Domain("user_id", "in", ids)
                & Domain("state", "=", "answered")
                & _in("date_answered", start, end),
                ["user_id"],
                ["__count", "score_average:avg"],
            )
        }
        # 5. complaints naming them, by the customer's feedback
        for user, feedback, count in Ticket._read_group(
            company_domain
            & Domain("request_type", "=", "complaint")
            & Domain("complained_user_id", "in", ids)
            & _in("create_date", start, end),
            ["complained_user_id", "complaint_feedback"],
            ["__count"],
        ):
            figures[user.id]["complaint_count"] += count
            if feedback:
                figures[user.id][f"complaint_{feedback}"] += count
        # 6. acceptances answered for the forms they were responsible for
        acceptance = defaultdict(lambda: [0, 0, 0])
        for user, state, round_, count in env[
            "helpdesk.service.acceptance"
        ]._read_group(
            company_domain
            & Domain("user_id", "in", ids)
            & Domain("state", "in", ("accepted", "rectify"))
            & _in("answer_date", start, end),
            ["user_id", "state", "round"],
            ["__count"],
        ):
            counts = acceptance[user.id]
            counts[0] += count
            if state == "accepted":
                counts[1] += count
                counts[2] += count if round_ == 1 else 0
        # 7. follow-up visits they own that were due in the period
        visits = self._visits_by_user(company, ids, start, end)
        for uid, values in figures.items():
            missing = {}
            row = sla.get(uid, {})
            for fname, reason in (
                ("response_p50", "no_response"),
                ("response_p90", "no_response"),
                ("resolution_p50", "no_resolution"),
                ("resolution_p90", "no_resolution"),
                ("sla_compliance", "no_clock"),
            ):
                value = row.get(fname if fname != "sla_compliance" else "compliance")
                values[fname] = round(value or 0.0, 2)
                if value is None:
                    missing[fname] = reason
            values["sla_met"] = row.get("met", 0)
            values["sla_breached"] = row.get("breached", 0)
            values["quality_passed"], values["quality_failed"] = quality.get(
                uid, (0, 0)
            )
            count, score = satisfaction.get(uid, (0, None))
            values["satisfaction_count"] = count
            values["satisfaction_score"] = round(score or 0.0, 2)
            if not count:
                missing["satisfaction_score"] = "no_answers"
            answered, accepted, first_pass = acceptance[uid]
            values["acceptance_count"] = answered
            values["acceptance_first_pass_rate"] = _rate(first_pass, accepted)
            if not accepted:
                missing["acceptance_first_pass_rate"] = "no_acceptance"
            due, on_time, late = visits.get(uid, (0, 0, 0))
            values["visit_due"] = due
            values["visit_on_time"] = on_time
            values["visit_late"] = late
            values["visit_on_time_rate"] = _rate(on_time, on_time + late)
            if not on_time + late:
                missing["visit_on_time_rate"] = "no_visits"
            values["figures_missing"] = missing
        return figures

    def _visits_by_user(self, company, ids, start, end):
        """``{user id: (due, on time, late)}``: the follow-up visits each
        member owns that were due in the period (one query). Late: missed
        (still not recorded after the due date) or recorded after it, as the
        summaries count them; a visit due later in a running period is
        neither yet."""
        today = fields.Date.context_today(self)
        result = defaultdict(lambda: [0, 0, 0])
        for user, state, done_late, date_due, count in (
            self.env["helpdesk.service.visit"]
            .sudo()
            ._read_group(
                Domain("company_id", "=", company.id)
                & Domain("kind", "=", "visit")
                & Domain("user_id", "in", ids)
                & Domain("date_due", ">=", start.date())
                & Domain("date_due", "<", end.date()),
                ["user_id", "state", "done_late", "date_due:day"],
                ["__count"],
            )
        ):
            counts = result[user.id]
            counts[0] += count
            if state == "done" and not done_late:
                counts[1] += count
            elif state == "late" or done_late or date_due < today:
                counts[2] += count
        return result

    def _quality_by_user(self, company, ids, start, end):
        """``{user id: (passed, failed)}``: the quality checks of the period
        on the tasks each member is assigned to (one query)."""
        env = self.env
        env["helpdesk.service.plan.quality.check"].flush_model(
            ["task_id", "result", "date", "company_id"]
        )
        env["project.task"].flush_model(["user_ids"])
        rows = env.execute_query(
            SQL(
                """
                SELECT rel.user_id,
                       COUNT(*) FILTER (WHERE qc.result = 'pass'),
                       COUNT(*) FILTER (WHERE qc.result = 'fail')
                  FROM helpdesk_service_plan_quality_check qc
                  JOIN project_task_user_rel rel ON rel.task_id = qc.task_id
                 WHERE qc.company_id = %(company)s
                   AND qc.date >= %(start)s AND qc.date < %(end)s
                   AND rel.user_id = ANY(%(ids)s)
                 GROUP BY rel.user_id
                """,
                company=company.id,
                start=start.date(),
                end=end.date(),
                ids=ids,
            )
        )
        return {uid: (passed, failed) for uid, passed, failed in rows}

    # ------------------------------------------------------------------
    # Preparing a period's appraisals
    # ------------------------------------------------------------------

    def _prepare_appraisals(self, teams, period_type, date_start):
        """The appraisals of the members of ``teams`` for the period starting
        on ``date_start``, created when missing (a member of several teams is
        appraised once, in the first of them), with their figures."""
        Appraisal = self.sudo()
        teams = teams.sudo().filtered("active")
        existing = Appraisal.search(
            Domain("period_type", "=", period_type)
            & Domain("date_start", "=", date_start)
            & Domain("company_id", "in", (teams.company_id | self.env.company).ids)
        )
        taken = {(a.user_id.id, a.company_id.id) for a in existing}
        vals_list = []
        for team in teams:
            company = team.company_id or self.env.company
            for user in team.user_ids.filtered(lambda u: not u.share and u.active):
                if (user.id, company.id) in taken:
                    continue
                taken.add((user.id, company.id))
                vals_list.append(
                    {
                        "user_id": user.id,
                        "team_id": team.id,
                        "company_id": company.id,
                        "period_type": period_type,
                        "date_start": date_start,
                    }
                )
        created = Appraisal.with_context(mail_create_nolog=True).create(vals_list)
        created._compute_figures()
        return created

    def _cron_draft_appraisals(self):
        """When a month (or a quarter) ends: each team member's appraisal of
        it with its figures, and a to-do for the lead. Nothing twice."""
        today = fields.Date.context_today(self)
        Summary = self.env["helpdesk.service.summary"]
        teams = self.env["helpdesk.ticket.team"].sudo().search([("active", "=", True)])
        created = self.browse()
        for period_type in ["month"] + (
            ["quarter"] if today.month in (1, 4, 7, 10) else []
        ):
            start, _end = Summary._period_bounds(period_type, today)
            created |= self._prepare_appraisals(teams, period_type, start)
        for appraisal in created.filtered(
            lambda a: a.lead_id and a.lead_id != a.user_id
        ):
            lead = appraisal.lead_id
            env = self.with_context(lang=lead.lang or self.env.lang).env
            appraisal.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=lead.id,
                summary=env._("Appraise the team member"),
                note=env._(
                    "The figures of %(appraisal)s are ready: add attitude, "
                    "knowledge, comments and a rating, then submit it.",
                    appraisal=appraisal.name,
                ),
            )
        return created
