# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The customer satisfaction feedback (客户满意度反馈表): one per accepted
# acceptance form, the survey invitation (Odoo's survey.user_input, answered on
# the survey's own token link), the dimension scores read from the answer, the
# reminder and expiry, and the complaint a dissatisfied answer opens.
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from .system_fields import check_system_fields, system_write

SATISFACTION_SCORES = {
    # dimension of the survey's question: field of its score
    "response_speed": "score_response_speed",
    "resolution": "score_resolution",
    "communication": "score_communication",
}
# scores of 1 to 5 that make the average and the dissatisfaction
SCORE_RANGE = (1, 5)
RECOMMEND_RANGE = (0, 10)
# answering 9 or 10: a promoter (the standard's recommendation rate)
PROMOTER_SCORE = 9
# written only by the server: the invitation, the customer's answer and what
# the system makes of it (see system_fields.py)
SATISFACTION_SYSTEM_FIELDS = frozenset(
    {
        "name",
        "acceptance_id",
        "ticket_ids",
        "partner_id",
        "signer_partner_id",
        "agreement_id",
        "company_id",
        "team_id",
        "user_id",
        "survey_id",
        "user_input_id",
        "state",
        "date_invited",
        "date_reminder_due",
        "date_reminded",
        "date_answered",
        "deadline",
        "score_response_speed",
        "score_resolution",
        "score_communication",
        "score_recommend",
        "score_average",
        "is_promoter",
        "recommend_rate",
        "dissatisfied",
        "comments",
        "complaint_ticket_id",
    }
)


class HelpdeskServiceSatisfaction(models.Model):
    """The customer's satisfaction feedback on an accepted service: the
    invitation to the satisfaction survey sent to the signer of the
    acceptance form, and the scores of their answer by dimension, for
    reporting by team, agent, customer, agreement and month."""

    _name = "helpdesk.service.satisfaction"
    _description = "Customer Satisfaction Feedback"
    _inherit = ["mail.thread"]
    _order = "date_invited desc, id desc"
    _check_company_auto = True

    _acceptance_uniq = models.UniqueIndex(
        "(acceptance_id)",
        lambda env, diag: env._(
            "An acceptance form invites its customer to one satisfaction survey."
        ),
    )
    _user_input_uniq = models.UniqueIndex("(user_input_id)")
    _score_response_speed_range = models.Constraint(
        "CHECK(COALESCE(score_response_speed, 0) = 0 "
        "OR score_response_speed BETWEEN 1 AND 5)",
        lambda env, diag: env._("The response speed is scored from 1 to 5."),
    )
    _score_resolution_range = models.Constraint(
        "CHECK(COALESCE(score_resolution, 0) = 0 OR score_resolution BETWEEN 1 AND 5)",
        lambda env, diag: env._("The resolution effect is scored from 1 to 5."),
    )
    _score_communication_range = models.Constraint(
        "CHECK(COALESCE(score_communication, 0) = 0 "
        "OR score_communication BETWEEN 1 AND 5)",
        lambda env, diag: env._("The communication experience is scored from 1 to 5."),
    )
    _score_recommend_range = models.Constraint(
        "CHECK(COALESCE(score_recommend, 0) BETWEEN 0 AND 10)",
        lambda env, diag: env._("The likelihood to recommend is scored from 0 to 10."),
    )
    _state_due_idx = models.Index("(state, date_reminder_due)")

    name = fields.Char(
        string="Acceptance Number", required=True, readonly=True, index="trigram"
    )
    acceptance_id = fields.Many2one(
        comodel_name="helpdesk.service.acceptance",
        string="Acceptance Form",
        required=True,
        readonly=True,
        ondelete="restrict",
        check_company=True,
    )
    ticket_ids = fields.Many2many(
        comodel_name="helpdesk.ticket",
        relation="helpdesk_service_satisfaction_ticket_rel",
        column1="satisfaction_id",
        column2="ticket_id",
        string="Tickets",
        readonly=True,
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        readonly=True,
        index=True,
    )
    signer_partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Invited Contact",
        readonly=True,
        help="The customer's contact who accepted the form and is asked for feedback.",
    )
    agreement_id = fields.Many2one(
        comodel_name="agreement",
        string="Service Agreement",
        readonly=True,
        index="btree_not_null",
    )
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, readonly=True, index=True
    )
    team_id = fields.Many2one(
        comodel_name="helpdesk.ticket.team", readonly=True, index=True
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Agent",
        readonly=True,
        index=True,
        help="Who served the customer: the acceptance form's responsible.",
    )
    survey_id = fields.Many2one(
        comodel_name="survey.survey",
        readonly=True,
        ondelete="restrict",
        groups="survey.group_survey_user",
    )
    user_input_id = fields.Many2one(
        comodel_name="survey.user_input",
        string="Survey Answer",
        readonly=True,
        ondelete="restrict",
        groups="survey.group_survey_user",
    )
    state = fields.Selection(
        selection=[
            ("invited", "Invited"),
            ("answered", "Answered"),
            ("expired", "Expired"),
        ],
        required=True,
        default="invited",
        readonly=True,
        index=True,
        tracking=True,
    )
    date_invited = fields.Datetime(string="Invited On", readonly=True)
    date_reminder_due = fields.Datetime(
        string="Reminder Due",
        readonly=True,
        help="When a customer who has not answered is reminded: the company's "
        "reminder delay in working days after the invitation.",
    )
    date_reminded = fields.Datetime(string="Reminded On", readonly=True)
    date_answered = fields.Datetime(string="Answered On", readonly=True)
    deadline = fields.Datetime(
        readonly=True,
        help="The survey refuses answers after this moment.",
    )
    score_response_speed = fields.Float(
        string="Response Speed", readonly=True, aggregator="avg", digits=(3, 2)
    )
    score_resolution = fields.Float(
        string="Resolution Effect", readonly=True, aggregator="avg", digits=(3, 2)
    )
    score_communication = fields.Float(
        string="Communication Experience",
        readonly=True,
        aggregator="avg",
        digits=(3, 2),
    )
    score_recommend = fields.Float(
        string="Likelihood to Recommend", readonly=True, aggregator="avg", digits=(3, 2)
    )
    score_average = fields.Float(
        string="Average Score",
        compute="_compute_score_average",
        store=True,
        aggregator="avg",
        digits=(3, 2),
        help="The average of the answered scores of 1 to 5 (response speed, "
        "resolution effect, communication experience).",
    )
    is_promoter = fields.Boolean(
        string="Promoter",
        compute="_compute_is_promoter",
        store=True,
        help="Answered 9 or 10 to the likelihood to recommend.",
    )
    recommend_rate = fields.Float(
        string="Recommendation Rate (%)",
        compute="_compute_is_promoter",
        store=True,
        aggregator="avg",
        digits=(5, 1),
        help="100 for a promoter, 0 otherwise: its average over answers is the "
        "share of customers who would recommend the service (target: 80%).",
    )
    dissatisfied = fields.Boolean(
        readonly=True,
        index=True,
        help="The average score is below the company's dissatisfaction threshold: "
        "a complaint is opened.",
    )
    comments = fields.Text(readonly=True)
    complaint_ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Complaint",
        readonly=True,
        ondelete="set null",
        index="btree_not_null",
    )

    @api.depends("score_response_speed", "score_resolution", "score_communication")
    def _compute_score_average(self):
        for satisfaction in self:
            scores = [
                satisfaction[fname]
                for fname in SATISFACTION_SCORES.values()
                if satisfaction[fname]
            ]
            satisfaction.score_average = sum(scores) / len(scores) if scores else 0.0

    @api.depends("state", "score_recommend")
    def _compute_is_promoter(self):
        for satisfaction in self:
            promoter = (
                satisfaction.state == "answered"
                and satisfaction.score_recommend >= PROMOTER_SCORE
            )
            satisfaction.is_promoter = promoter
            satisfaction.recommend_rate = 100.0 if promoter else 0.0

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        check_system_fields(self, vals_list, SATISFACTION_SYSTEM_FIELDS)
        return super().create(vals_list)

    def write(self, vals):
        check_system_fields(self, [vals], SATISFACTION_SYSTEM_FIELDS)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._(
                "A customer's satisfaction feedback is kept for the service "
                "archive: it cannot be deleted."
            )
        )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_view_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "helpdesk_mgmt.helpdesk_ticket_action"
        )
        action["domain"] = [("id", "in", self.ticket_ids.ids)]
        action["context"] = {"create": False}
        return action

    def action_view_answer(self):
        """The survey answer itself, for the users of the survey app."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "survey.user_input",
            "res_id": self.user_input_id.id,
            "views": [(False, "form")],
        }

    # ------------------------------------------------------------------
    # Invitation
    # ------------------------------------------------------------------

    @api.model
    def _invite(self, acceptances):
        """Invite the signers of the accepted ``acceptances`` to their
        company's satisfaction survey: the survey's own answer with its token
        and deadline, the feedback record and the e-mail. Called as superuser
        by the acceptance (after its own checks); a form already invited and a
        company without a survey are left out."""
        acceptances = acceptances.filtered(lambda a: a.state == "accepted")
        if not acceptances:
            return self.browse()
        invited = self.search([("acceptance_id", "in", acceptances.ids)]).acceptance_id
        now = fields.Datetime.now()
        vals_list = []
        for acceptance in acceptances - invited:
            company = acceptance.company_id
            survey = company.satisfaction_survey_id
            signer = acceptance.signer_partner_id or acceptance.contact_id
            if not survey or not survey.active or not survey.question_ids or not signer:
                continue
            deadline = now + timedelta(days=company.satisfaction_validity_days)
            user_input = survey._create_answer(
                partner=signer, check_attempts=False, deadline=deadline
            )
            tickets = acceptance.ticket_ids
            vals_list.append(
                {
                    "name": acceptance.name,
                    "acceptance_id": acceptance.id,
                    "ticket_ids": [fields.Command.set(tickets.ids)],
                    "partner_id": acceptance.partner_id.id,
                    "signer_partner_id": signer.id,
                    "agreement_id": acceptance.agreement_id.id,
                    "company_id": company.id,
                    "team_id": tickets.team_id[:1].id,
                    "user_id": (acceptance.user_id or tickets.user_id[:1]).id,
                    "survey_id": survey.id,
                    "user_input_id": user_input.id,
                    "state": "invited",
                    "date_invited": now,
                    "date_reminder_due": self._reminder_due(company, now),
                    "deadline": deadline,
                }
            )
        if not vals_list:
            return self.browse()
        with system_write(*SATISFACTION_SYSTEM_FIELDS):
            satisfactions = self.create(vals_list)
        satisfactions._send_mail(
            "helpdesk_service_agreement.mail_template_service_satisfaction_invitation"
        )
        return satisfactions

    @api.model
    def _reminder_due(self, company, start):
        """``start`` plus the company's reminder delay in working days of its
        calendar (calendar days without one); none for a delay of 0."""
        days = company.satisfaction_reminder_days
        if not days:
            return False
        calendar = company.resource_calendar_id
        due = False
        if calendar:
            due = calendar.plan_hours(days * (calendar.hours_per_day or 8), start)
        # a naive start gives a naive UTC moment back
        return due or start + timedelta(days=days)

    def _send_mail(self, template_xmlid):
        """Post the template's e-mail on each feedback, to its contact, in
        their language (the template's)."""
        template = self.env.ref(template_xmlid, raise_if_not_found=False)
        if template and self:
            self.message_post_with_source(
                template, message_type="comment", subtype_xmlid="mail.mt_comment"
            )

    def _mail_get_partner_fields(self, introspect_fields=False):
        """The invited contact gets the feedback's e-mails."""
        return ["signer_partner_id"]

    def _get_survey_url(self):
        """The absolute link to the survey answer (its token), on the
        company's base URL."""
        self.ensure_one()
        # the answer's token is for the invited customer; the mail that
        # carries it is rendered by server code, never shown to staff
        return self.get_base_url() + self.sudo().user_input_id.get_start_url()

    # ------------------------------------------------------------------
    # The customer's answer
    # ------------------------------------------------------------------

    def _process_answers(self):
        """Read the answers of the feedbacks whose survey answer is done:
        the score of each dimension, the comments, the dissatisfaction by the
        company's threshold; then open a complaint for the dissatisfied ones
        that have none. In a fixed number of queries for the batch, and
        idempotent: processing an answer again changes nothing and opens no
        second complaint."""
        satisfactions = self.sudo()
        # one read of the answers, their lines and their questions
        user_inputs = satisfactions.user_input_id
        user_inputs.fetch(["state", "end_datetime", "user_input_line_ids"])
        lines = user_inputs.user_input_line_ids
        lines.fetch(
            [
                "question_id",
                "skipped",
                "answer_type",
                "value_scale",
                "value_text_box",
                "value_char_box",
                "user_input_id",
            ]
        )
        lines.question_id.fetch(["satisfaction_dimension", "question_type"])
        satisfactions.company_id.fetch(["satisfaction_threshold"])
        lines_by_input = {}
        for line in lines:
            lines_by_input.setdefault(line.user_input_id.id, []).append(line)
        answered = self.browse()
        with system_write(*SATISFACTION_SYSTEM_FIELDS):
            for satisfaction in satisfactions:
                user_input = satisfaction.user_input_id
                if user_input.state != "done":
                    continue
                values = satisfaction._answer_values(
                    lines_by_input.get(user_input.id, [])
                )
                values.update(
                    state="answered",
                    date_answered=satisfaction.date_answered
                    or user_input.end_datetime
                    or fields.Datetime.now(),
                )
                average = satisfaction._average(values)
                values["dissatisfied"] = bool(
                    average and average < satisfaction.company_id.satisfaction_threshold
                )
                satisfaction.write(values)
                answered |= satisfaction
        answered.filtered(
            lambda s: s.dissatisfied and not s.complaint_ticket_id
        )._create_complaints()
        return answered

    def _answer_values(self, lines):
        """The scores and comments of one answer's ``lines``: a score outside
        its dimension's range is left out (the survey refuses it; a changed
        question's scale must not break the feedback)."""
        values = dict.fromkeys(SATISFACTION_SCORES.values(), 0.0)
        values["score_recommend"] = 0.0
        comments = []
        for line in lines:
            if line.skipped:
                continue
            dimension = line.question_id.satisfaction_dimension
            if line.answer_type == "scale" and dimension:
                value = line.value_scale
                low, high = RECOMMEND_RANGE if dimension == "recommend" else SCORE_RANGE
                if low <= value <= high:
                    values[SATISFACTION_SCORES.get(dimension, "score_recommend")] = (
                        float(value)
                    )
            elif line.answer_type in ("text_box", "char_box"):
                text = line[f"value_{line.answer_type}"]
                if text and text.strip():
                    comments.append(text.strip())
        values["comments"] = "\n\n".join(comments) or False
        return values

    @api.model
    def _average(self, values):
        scores = [
            values[fname] for fname in SATISFACTION_SCORES.values() if values[fname]
        ]
        return sum(scores) / len(scores) if scores else 0.0

    # ------------------------------------------------------------------
    # Complaints
    # ------------------------------------------------------------------

    def _prepare_complaint_values(self):
        """The complaint ticket of each dissatisfied feedback, by feedback."""
        result = {}
        # the complaint is read by its owner: written in the owner's language
        owners = self.env["helpdesk.ticket"]._complaint_owner_by_company(
            self.company_id
        )
        for satisfaction in self:
            owner = owners.get(satisfaction.company_id)
            if owner and owner.lang:
                satisfaction = satisfaction.with_context(lang=owner.lang)
            acceptance = satisfaction.acceptance_id
            tickets = satisfaction.ticket_ids
            score_rows = Markup("").join(
                Markup("<li>%s: %s</li>")
                % (
                    satisfaction._fields[fname]._description_string(satisfaction.env),
                    satisfaction[fname] or "-",
                )
                for fname in (
                    *SATISFACTION_SCORES.values(),
                    "score_recommend",
                )
            )
            description = Markup("<p>%s</p><ul>%s</ul>") % (
                satisfaction.env._(
                    "The customer answered the satisfaction survey of acceptance "
                    "form %(form)s (tickets: %(tickets)s) below the threshold: "
                    "average %(average)s.",
                    form=satisfaction.name,
                    tickets=", ".join(tickets.mapped("display_name")),
                    average=round(satisfaction.score_average, 2),
                ),
                score_rows,
            )
            if satisfaction.comments:
                description += Markup("<p><strong>%s</strong></p><p>%s</p>") % (
                    satisfaction.env._("Comments:"),
                    satisfaction.comments,
                )
            customer = satisfaction.signer_partner_id or acceptance.contact_id
            # the title is also the customer's, on the portal: their language
            customer_env = satisfaction.with_context(
                lang=customer.lang or satisfaction.env.lang
            ).env
            result[satisfaction.id] = {
                "request_type": "complaint",
                "name": customer_env._(
                    "Dissatisfied feedback on %(form)s", form=satisfaction.name
                ),
                "partner_id": customer.id,
                "company_id": satisfaction.company_id.id,
                "team_id": tickets.team_id[:1].id,
                "description": description,
                "complaint_satisfaction_id": satisfaction.id,
                "complaint_channel": "survey",
                # the form's first ticket, whatever order the cache holds
                "complained_ticket_id": tickets.sorted("id")[:1].id,
            }
        return result

    def _create_complaints(self):
        """Open one complaint per dissatisfied feedback without one (as
        superuser: the customer's answer opens it), in one batch; link it
        back and say so on the original tickets."""
        satisfactions = self.sudo().filtered(
            lambda s: s.dissatisfied and not s.complaint_ticket_id
        )
        if not satisfactions:
            return self.env["helpdesk.ticket"]
        # an answer opens one complaint, whatever happened to the link
        Ticket = self.env["helpdesk.ticket"].sudo()
        existing = Ticket.with_context(active_test=False).search(
            [("complaint_satisfaction_id", "in", satisfactions.ids)]
        )
        by_satisfaction = {t.complaint_satisfaction_id: t for t in existing}
        todo = satisfactions.filtered(lambda s: s not in by_satisfaction)
        values = todo._prepare_complaint_values()
        with system_write("complaint_satisfaction_id", "complaint_ticket_id"):
            complaints = Ticket.create([values[s.id] for s in todo])
            for satisfaction, complaint in zip(todo, complaints, strict=True):
                by_satisfaction[satisfaction] = complaint
            for satisfaction in satisfactions:
                satisfaction.complaint_ticket_id = by_satisfaction[satisfaction]
        for satisfaction in todo:
            complaint = by_satisfaction[satisfaction]
            for ticket in satisfaction.ticket_ids:
                # in the language of the ticket's owner, who reads it
                env = self.with_context(lang=ticket.user_id.lang or self.env.lang).env
                body = Markup("<p>%s</p>") % env._(
                    "The customer's satisfaction feedback on %(form)s is below the "
                    "threshold: complaint %(complaint)s opened.",
                    form=satisfaction.name,
                    complaint=complaint.display_name,
                )
                ticket.message_post(
                    body=body, subtype_xmlid="mail.mt_note", message_type="comment"
                )
        return complaints

    # ------------------------------------------------------------------
    # Scheduled action
    # ------------------------------------------------------------------

    @api.model
    def _cron_send_reminders(self, batch_size=200):
        """Remind once the customers who have not answered after the
        company's delay, and expire the invitations past their deadline.
        Batched; what is done is marked, what is marked is not redone."""
        now = fields.Datetime.now()
        Cron = self.env["ir.cron"]
        expire_domain = Domain([("state", "=", "invited"), ("deadline", "<", now)])
        while True:
            expired = self.search(expire_domain, limit=batch_size).try_lock_for_update()
            if not expired:
                break
            with system_write("state"):
                expired.write({"state": "expired"})
            remaining = self.search_count(expire_domain)
            if not Cron._commit_progress(len(expired), remaining=remaining):
                return
        remind_domain = Domain(
            [
                ("state", "=", "invited"),
                ("date_reminded", "=", False),
                ("date_reminder_due", "<=", now),
                ("deadline", ">=", now),
            ]
        )
        while True:
            due = self.search(remind_domain, limit=batch_size).try_lock_for_update()
            if not due:
                break
            with system_write("date_reminded"):
                due.write({"date_reminded": now})
            due._send_mail(
                "helpdesk_service_agreement.mail_template_service_satisfaction_reminder"
            )
            remaining = self.search_count(remind_domain)
            if not Cron._commit_progress(len(due), remaining=remaining):
                return
