# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The monthly SLA statement (服务水平报告) of an agreement: per problem level
# and target, the tickets, met and breached targets, compliance, median and
# 90th percentile working hours, pauses and escalations of the month, and the
# service credit the agreement's breach liability gives the customer. Drafted
# by a scheduled action when the month ends, approved by a manager (final
# from then on, evidence), sent to the customer's contact, shown on the portal
# and filed in the archive. A credit changes only through a new revision with
# its reason.
from collections import defaultdict
from datetime import datetime, time

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL

from .agreement import MANAGER_GROUP
from .helpdesk_service_archive_document import document_title
from .helpdesk_ticket import PROBLEM_LEVELS
from .system_fields import check_system_fields, is_system_write, system_write

STATEMENT_STATES = [("draft", "Draft"), ("approved", "Approved"), ("sent", "Sent")]
# written by the computation, the workflow and the revisions only
FIGURE_FIELDS = {
    "line_ids",
    "pause_ids",
    "ticket_count",
    "met_count",
    "breached_count",
    "compliance",
    "has_compliance",
    "pause_count",
    "paused_hours",
    "escalation_count",
    "monthly_fee",
    "credit_per_breach",
    "credit_cap_percent",
    "credit_band_amount",
    "credit_breach_amount",
    "credit_uncapped",
    "credit_cap_amount",
    "credit_capped",
    "figures_date",
}
SYSTEM_FIELDS = FIGURE_FIELDS | {
    "state",
    "agreement_id",
    "date_start",
    "date_end",
    "revision",
    "previous_revision_id",
    "superseded",
    "approved_by_id",
    "approved_date",
    "sent_date",
}
# what mail and portal write on any record, final ones included
_MAIL_FIELDS = {"message_main_attachment_id", "access_token"}
# the SLA analysis' aggregates of one level (or of the complaints)
_PHASE_AGGREGATES = [
    "ticket_id:count_distinct",
    "met:sum",
    "breached:sum",
    "response_met:sum",
    "response_breached:sum",
    "resolution_met:sum",
    "resolution_breached:sum",
    "response_hours_p50:avg",
    "response_hours_p90:avg",
    "resolution_hours_p50:avg",
    "resolution_hours_p90:avg",
    # the responses and resolutions the percentiles are taken over (NULL
    # when there is none: _read_group reads the percentiles as 0.0 then)
    "response_work_hours:count",
    "resolution_work_hours:count",
]


def _compliance(met, breached):
    return round(100.0 * met / (met + breached), 2) if met + breached else None


class HelpdeskServiceSlaStatement(models.Model):
    _name = "helpdesk.service.sla.statement"
    _description = "SLA Statement"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "portal.mixin",
        "helpdesk.service.evidence.mixin",
    ]
    _order = "date_start desc, agreement_id, revision desc"
    _check_company_auto = True

    # one current statement per agreement and month: drafting twice drafts
    # nothing twice; a revision supersedes the statement it revises
    _agreement_month_uniq = models.UniqueIndex(
        "(agreement_id, date_start) WHERE superseded IS NOT TRUE",
        lambda env, diag: env._(
            "An agreement has one current SLA statement per month."
        ),
    )
    _dates_ordered = models.Constraint(
        "CHECK(date_end >= date_start)",
        lambda env, diag: env._("A statement's month cannot end before it starts."),
    )

    name = fields.Char(compute="_compute_name", store=True)
    agreement_id = fields.Many2one(
        comodel_name="agreement",
        string="Service Agreement",
        required=True,
        readonly=True,
        index=True,
        # an agreement that came into force is never deleted (agreement.py),
        # but at the uninstallation, with its statements
        ondelete="cascade",
        check_company=True,
    )
    partner_id = fields.Many2one(
        related="agreement_id.commercial_partner_id",
        string="Customer",
        store=True,
        index=True,
    )
    company_id = fields.Many2one(
        related="agreement_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(related="agreement_id.currency_id")
    contact_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer Contact",
        compute="_compute_contact_id",
        store=True,
        readonly=False,
        help="Who receives the statement, in their language.",
    )
    date_start = fields.Date(string="Month", required=True, readonly=True)
    date_end = fields.Date(string="To", required=True, readonly=True)
    state = fields.Selection(
        selection=STATEMENT_STATES,
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    revision = fields.Integer(default=1, readonly=True, required=True)
    previous_revision_id = fields.Many2one(
        comodel_name="helpdesk.service.sla.statement",
        string="Revises",
        readonly=True,
        index="btree_not_null",
    )
    revision_reason = fields.Text(
        string="Reason of the Revision",
        help="Why this revision replaces the previous one: what changed in the "
        "figures or the credit.",
    )
    superseded = fields.Boolean(
        readonly=True, help="A later revision replaces this statement."
    )
    approved_by_id = fields.Many2one(comodel_name="res.users", readonly=True)
    approved_date = fields.Datetime(string="Approved On", readonly=True)
    sent_date = fields.Datetime(string="Sent On", readonly=True)
    figures_date = fields.Datetime(string="Figures Computed On", readonly=True)
    note = fields.Html(help="The manager's comment printed on the statement.")
    line_ids = fields.One2many(
        comodel_name="helpdesk.service.sla.statement.line",
        inverse_name="statement_id",
        string="Targets",
        readonly=True,
    )
    pause_ids = fields.One2many(
        comodel_name="helpdesk.service.sla.statement.pause",
        inverse_name="statement_id",
        string="Pauses by Reason",
        readonly=True,
    )
    ticket_count = fields.Integer(string="Tickets", readonly=True)
    met_count = fields.Integer(string="Met", readonly=True)
    breached_count = fields.Integer(string="Breached", readonly=True)
    compliance = fields.Float(string="Compliance (%)", readonly=True)
    has_compliance = fields.Boolean(readonly=True)
    pause_count = fields.Integer(string="Pauses", readonly=True)
    paused_hours = fields.Float(string="Working Hours Paused", readonly=True)
    escalation_count = fields.Integer(string="Escalations", readonly=True)
    # the credit (managers in the backend; the customer reads it on the
    # statement sent to them, as it is owed to them)
    monthly_fee = fields.Monetary(readonly=True, groups=MANAGER_GROUP)
    credit_per_breach = fields.Monetary(readonly=True, groups=MANAGER_GROUP)
    credit_cap_percent = fields.Float(
        string="Credit Cap (%)", readonly=True, groups=MANAGER_GROUP
    )
    credit_band_amount = fields.Monetary(
        string="Credit for Compliance Bands", readonly=True, groups=MANAGER_GROUP
    )
    credit_breach_amount = fields.Monetary(
        string="Credit for Breaches", readonly=True, groups=MANAGER_GROUP
    )
    credit_uncapped = fields.Monetary(
        string="Credit Before Cap", readonly=True, groups=MANAGER_GROUP
    )
    credit_cap_amount = fields.Monetary(
        string="Credit Cap", readonly=True, groups=MANAGER_GROUP
    )
    credit_capped = fields.Boolean(
        string="Cap Applied", readonly=True, groups=MANAGER_GROUP
    )
    credit_adjustment = fields.Monetary(
        groups=MANAGER_GROUP,
        help="A revision's correction of the computed credit (negative to "
        "reduce it), with its reason.",
    )
    credit_total = fields.Monetary(
        string="Service Credit",
        compute="_compute_credit_total",
        store=True,
        groups=MANAGER_GROUP,
    )

    @api.depends("agreement_id.code", "agreement_id.name", "date_start", "revision")
    def _compute_name(self):
        for statement in self:
            month = (
                f"{statement.date_start.year}-{statement.date_start.month:02d}"
                if statement.date_start
                else ""
            )
            revision = f" R{statement.revision}" if statement.revision > 1 else ""
            agreement = statement.agreement_id.code or statement.agreement_id.name
            statement.name = f"{agreement or ''} {month}{revision}".strip()

    @api.depends("agreement_id.partner_id")
    def _compute_contact_id(self):
        for statement in self:
            partner = statement.agreement_id.partner_id
            if partner.is_company:
                partner = (
                    partner.child_ids.filtered(lambda contact: contact.email)[:1]
                    or partner
                )
            statement.contact_id = partner

    @api.depends(
        "credit_uncapped", "credit_cap_amount", "credit_capped", "credit_adjustment"
    )
    def _compute_credit_total(self):
        for statement in self:
            credit = (
                statement.credit_cap_amount
                if statement.credit_capped
                else statement.credit_uncapped
            )
            statement.credit_total = max(credit + statement.credit_adjustment, 0.0)

    def _compute_access_url(self):
        result = super()._compute_access_url()
        for statement in self:
            statement.access_url = f"/my/sla-statements/{statement.id}"
        return result

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("SLA Statement %(name)s", name=self.name)

    def _evidence_final_domain(self):
        return Domain("state", "in", ("approved", "sent"))

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        check_system_fields(self, vals_list, SYSTEM_FIELDS, defaults={"state": "draft"})
        return super().create(vals_list)

    def write(self, vals):
        check_system_fields(self, [vals], SYSTEM_FIELDS)
        # approved is final, for everyone: only the workflow's own fields move
        final = self._evidence_final()
        if final and any(
            not is_system_write(fname) and fname not in _MAIL_FIELDS for fname in vals
        ):
            raise UserError(
                self.env._(
                    "%(statement)s is approved and final: make a new revision, "
                    "with its reason, to change it.",
                    statement=final[:1].display_name,
                )
            )
        if "credit_adjustment" in vals and any(s.revision < 2 for s in self):
            raise UserError(
                self.env._(
                    "The credit of a statement changes only through a new revision "
                    "with its reason."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_final(self):
        if self._evidence_final():
            raise UserError(self.env._("An approved SLA statement cannot be deleted."))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def _check_manager(self):
        if not self.env.user.has_group(MANAGER_GROUP):
            raise UserError(
                self.env._(
                    "Only a customer service manager approves, sends or "
                    "revises an SLA statement."
                )
            )

    def action_refresh_figures(self):
        self._check_manager()
        if any(statement.state != "draft" for statement in self):
            raise UserError(
                self.env._("The figures of an approved statement are frozen.")
            )
        self._refresh_figures()
        return True

    def action_approve(self):
        self._check_manager()
        for statement in self:
            if statement.state != "draft":
                raise UserError(
                    self.env._("Only a draft SLA statement can be approved.")
                )
            if statement.revision > 1 and not (statement.revision_reason or "").strip():
                raise UserError(
                    self.env._(
                        "Give the reason of revision %(statement)s before "
                        "approving it.",
                        statement=statement.display_name,
                    )
                )
        with system_write("state", "approved_by_id", "approved_date"):
            self.write(
                {
                    "state": "approved",
                    "approved_by_id": self.env.uid,
                    "approved_date": fields.Datetime.now(),
                }
            )
        self.activity_feedback(["mail.mail_activity_data_todo"])
        self._archive_enqueue()
        return True

    def action_send(self):
        """Send the approved statement to the customer's contact, in their
        language, with the link to its portal page."""
        self._check_manager()
        if any(statement.state != "approved" for statement in self):
            raise UserError(
                self.env._("Only an approved SLA statement is sent to the customer.")
            )
        if missing := self.filtered(lambda statement: not statement.contact_id.email):
            raise UserError(
                self.env._(
                    "%(statement)s has no customer contact with an e-mail address.",
                    statement=missing[:1].display_name,
                )
            )
        with system_write("state", "sent_date", "access_token"):
            self.sudo()._portal_ensure_token()
            self.write({"state": "sent", "sent_date": fields.Datetime.now()})
        template = self.env.ref(
            "helpdesk_service_agreement.mail_template_sla_statement"
        )
        for statement in self:
            # the template renders in the contact's language
            statement.message_post_with_source(
                template, subtype_xmlid="mail.mt_comment"
            )
        return True

    def action_new_revision(self):
        """A new draft revision of an approved or sent statement, its figures
        computed again: the manager writes its reason (and may correct the
        credit) before approving it; this statement stays as it was,
        superseded."""
        self._check_manager()
        self.ensure_one()
        if self.state == "draft" or self.superseded:
            raise UserError(
                self.env._("Only the current approved statement can be revised.")
            )
        Statement = self.sudo()
        with system_write("superseded", *SYSTEM_FIELDS):
            self.sudo().write({"superseded": True})
            # before the new revision takes its place in the unique index
            self.flush_recordset(["superseded"])
            values = Statement._statement_values(
                self.agreement_id, self.date_start, self.date_end
            )[self.agreement_id.id]
            revision = Statement.with_context(mail_create_nolog=True).create(
                dict(
                    values,
                    revision=self.revision + 1,
                    previous_revision_id=self.id,
                    contact_id=self.contact_id.id,
                )
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": revision.id,
            "views": [(False, "form")],
        }

    def _report_shows_credit(self):
        """Whether the printed statement shows its credit (and the fee it is
        computed from): to managers, to the archive's filing (superuser), and
        to the customer it is owed to (a portal user, whose access to the
        statement the portal checked). Not to other staff: the fee is a
        manager's term."""
        # the reader's own rights first: the report then reads as superuser
        self.check_access("read")
        user = self.env.user
        return self.env.su or user.share or user.has_group(MANAGER_GROUP)

    def _archive_enqueue(self):
        """Each approved revision is filed once in the customer's archive."""
        self.env["helpdesk.service.archive.request"]._enqueue(
            [
                (
                    "sla_statement",
                    statement,
                    f"sla_statement:{statement.id}",
                    statement.partner_id,
                    statement.company_id,
                    False,
                )
                for statement in self.sudo()
            ]
        )

    def _archive_document_title(self):
        """Filed as its agreement, month and customer."""
        self.ensure_one()
        return document_title(self.name, self.partner_id.name)

    # ------------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------------

    def _refresh_figures(self):
        by_month = defaultdict(lambda: self.browse())
        for statement in self:
            by_month[statement.date_start, statement.date_end] |= statement
        for (start, end), statements in by_month.items():
            values = self._statement_values(statements.agreement_id, start, end)
            with system_write(*FIGURE_FIELDS):
                for statement in statements:
                    statement.sudo().line_ids.unlink()
                    statement.sudo().pause_ids.unlink()
                    statement.sudo().write(values[statement.agreement_id.id])

    @api.model
    def _statement_values(self, agreements, date_start, date_end):
        """The values of the statements of ``agreements`` for the month from
        ``date_start`` to ``date_end``, lines included: a fixed number of
        queries, whatever the number of agreements and tickets (one grouped
        query over the SLA phases, one over those of complaints, one over
        the pauses by level and reason, one over the escalations).

        The month's phases are those started in it (a ticket's clock at one
        problem level), as in the SLA compliance analysis."""
        env = self.sudo().env
        agreements = agreements.sudo()
        start = datetime.combine(date_start, time.min)
        end = datetime.combine(date_end + relativedelta(days=1), time.min)
        Report = env["helpdesk.sla.report"]
        phases = (
            Domain("agreement_id", "in", agreements.ids)
            & Domain("date_start", ">=", start)
            & Domain("date_start", "<", end)
            & Domain("target", "=", "level")
        )
        by_level = {
            (agreement.id, level): row
            for agreement, level, *row in Report._read_group(
                phases, ["agreement_id", "level"], _PHASE_AGGREGATES
            )
        }
        complaints = {
            agreement.id: row
            for agreement, *row in Report._read_group(
                phases & Domain("ticket_id.request_type", "=", "complaint"),
                ["agreement_id"],
                _PHASE_AGGREGATES,
            )
        }
        PauseLine = env["helpdesk.service.sla.statement.pause"]
        pauses = PauseLine._statement_pauses(agreements, start, end)
        escalations = self._statement_escalations(agreements, start, end)
        now = fields.Datetime.now()
        result = {}
        for agreement in agreements:
            targets = {sl.level: sl for sl in agreement.service_level_ids}
            lines = []
            pause_lines = []
            compliance_by_level = {}
            totals = defaultdict(int)
            for level, _label in PROBLEM_LEVELS:
                row = by_level.get((agreement.id, level))
                if not row:
                    continue
                (
                    tickets,
                    met,
                    breached,
                    response_met,
                    response_breached,
                    resolution_met,
                    resolution_breached,
                    response_p50,
                    response_p90,
                    resolution_p50,
                    resolution_p90,
                    responses,
                    resolutions,
                ) = row
                reasons = pauses.get((agreement.id, level), {})
                pause_count = sum(count for count, _hours in reasons.values())
                paused_hours = sum(hours for _count, hours in reasons.values())
                pause_lines += PauseLine._statement_lines(level, reasons)
                compliance_by_level[level] = _compliance(met, breached)
                totals["tickets"] += tickets
                totals["met"] += met
                totals["breached"] += breached
                totals["target_breaches"] += response_breached + resolution_breached
                totals["pauses"] += pause_count
                totals["paused_hours"] += paused_hours
                service_level = targets.get(level)
                lines.append(
                    self._line_values(
                        "level",
                        level,
                        None,
                        tickets,
                        met,
                        breached,
                        None,
                        None,
                        pause_count=pause_count,
                        paused_hours=paused_hours,
                    )
                )
                lines.append(
                    self._line_values(
                        "response",
                        level,
                        service_level.response_hours if service_level else 0.0,
                        tickets,
                        response_met,
                        response_breached,
                        response_p50 if responses else None,
                        response_p90 if responses else None,
                    )
                )
                lines.append(
                    self._line_values(
                        "resolution",
                        level,
                        service_level.resolution_hours if service_level else 0.0,
                        tickets,
                        resolution_met,
                        resolution_breached,
                        resolution_p50 if resolutions else None,
                        resolution_p90 if resolutions else None,
                    )
                )
            if complaint := complaints.get(agreement.id):
                tickets, _met, _breached, response_met, response_breached = complaint[
                    :5
                ]
                lines.append(
                    self._line_values(
                        "complaint_response",
                        False,
                        agreement.complaint_response_minutes / 60.0,
                        tickets,
                        response_met,
                        response_breached,
                        complaint[7] if complaint[11] else None,
                        complaint[8] if complaint[11] else None,
                    )
                )
            credit = agreement._service_credit(
                compliance_by_level, totals["target_breaches"]
            )
            for line in lines:
                if line["kind"] == "level":
                    line["credit_percent"] = credit["bands"].get(line["level"], 0.0)
            compliance = _compliance(totals["met"], totals["breached"])
            result[agreement.id] = {
                "agreement_id": agreement.id,
                "date_start": date_start,
                "date_end": date_end,
                "line_ids": [fields.Command.create(line) for line in lines],
                "pause_ids": [fields.Command.create(line) for line in pause_lines],
                "ticket_count": totals["tickets"],
                "met_count": totals["met"],
                "breached_count": totals["breached"],
                "compliance": compliance or 0.0,
                "has_compliance": compliance is not None,
                "pause_count": totals["pauses"],
                "paused_hours": round(totals["paused_hours"], 2),
                "escalation_count": escalations.get(agreement.id, 0),
                "monthly_fee": agreement.service_credit_monthly_fee,
                "credit_per_breach": agreement.service_credit_per_breach,
                "credit_cap_percent": agreement.service_credit_cap_percent,
                "credit_band_amount": credit["band_amount"],
                "credit_breach_amount": credit["breach_amount"],
                "credit_uncapped": credit["uncapped"],
                "credit_cap_amount": credit["cap"] or 0.0,
                "credit_capped": credit["cap"] is not None
                and credit["uncapped"] > credit["cap"],
                "figures_date": now,
            }
        return result

    @api.model
    def _line_values(
        self, kind, level, target_hours, tickets, met, breached, p50, p90, **extra
    ):
        compliance = _compliance(met, breached)
        return {
            "kind": kind,
            "level": level,
            "target_hours": target_hours or 0.0,
            "ticket_count": tickets,
            "met_count": met,
            "breached_count": breached,
            "compliance": compliance or 0.0,
            "has_compliance": compliance is not None,
            "hours_p50": round(p50, 2) if p50 is not None else 0.0,
            "hours_p90": round(p90, 2) if p90 is not None else 0.0,
            "has_hours": p50 is not None,
            **extra,
        }

    @api.model
    def _statement_escalations(self, agreements, start, end):
        """{agreement: escalations up} of the month: one query."""
        self.env["helpdesk.ticket.escalation"].flush_model(
            ["ticket_id", "date", "direction"]
        )
        self.env["helpdesk.ticket"].flush_model(["agreement_id"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT ticket.agreement_id, COUNT(escalation.id)
                  FROM helpdesk_ticket_escalation escalation
                  JOIN helpdesk_ticket ticket ON ticket.id = escalation.ticket_id
                 WHERE ticket.agreement_id IN %s
                   AND escalation.direction = 'up'
                   AND escalation.date >= %s AND escalation.date < %s
              GROUP BY ticket.agreement_id
                """,
                tuple(agreements.ids) or (None,),
                start,
                end,
            )
        )
        return dict(rows)

    @api.model
    def _create_statements(self, agreements, date_start, date_end):
        """Draft the statements of ``agreements`` for the month (those that
        have none yet)."""
        Statement = self.sudo().with_context(
            mail_create_nolog=True, tracking_disable=True
        )
        existing = Statement.search(
            [
                ("agreement_id", "in", agreements.ids),
                ("date_start", "=", date_start),
                ("superseded", "=", False),
            ]
        ).agreement_id
        agreements -= existing
        if not agreements:
            return Statement.browse()
        values = Statement._statement_values(agreements, date_start, date_end)
        with system_write(*SYSTEM_FIELDS):
            created = Statement.create([values[a.id] for a in agreements])
        # tracked from now on: their review, approval and sending
        return created.with_context(mail_create_nolog=False, tracking_disable=False)

    # ------------------------------------------------------------------
    # Cron
    # ------------------------------------------------------------------

    @api.model
    def _due_agreements_domain(self, date_start, date_end):
        """The agreements in force during the month without its statement."""
        drafted = self.sudo()._search(
            [("date_start", "=", date_start), ("superseded", "=", False)]
        )
        return Domain(
            [
                ("is_template", "=", False),
                ("state", "in", ("active", "expired", "terminated")),
                ("start_date", "<=", date_end),
                "|",
                ("end_date", "=", False),
                ("end_date", ">=", date_start),
            ]
        ) & Domain("id", "not in", drafted.subselect("agreement_id"))

    @api.model
    def _cron_draft_statements(self, batch_size=50):
        """When a month ends: a draft statement for each agreement in force
        in it, in batches, and a to-do for the agreement's responsible to
        review it. Run twice, it drafts nothing twice."""
        today = fields.Date.context_today(self)
        date_end = today.replace(day=1) - relativedelta(days=1)
        date_start = date_end.replace(day=1)
        Agreement = self.env["agreement"].sudo()
        Cron = self.env["ir.cron"]
        domain = self._due_agreements_domain(date_start, date_end)
        while True:
            agreements = Agreement.search(
                domain, limit=batch_size
            ).try_lock_for_update()
            if not agreements:
                break
            statements = self._create_statements(agreements, date_start, date_end)
            for statement in statements.filtered("agreement_id.user_id"):
                user = statement.agreement_id.user_id
                env = statement.with_context(lang=user.lang or self.env.lang).env
                statement.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=user.id,
                    summary=env._("Review the SLA statement"),
                    note=env._(
                        "The SLA statement %(statement)s is drafted: check its "
                        "figures and its service credit, then approve and send it.",
                        statement=statement.name,
                    ),
                )
            remaining = Agreement.search_count(domain)
            if not Cron._commit_progress(len(agreements), remaining=remaining):
                return
