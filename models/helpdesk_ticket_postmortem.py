# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_datetime, is_html_empty

from .system_fields import check_system_fields, system_write


class HelpdeskTicketPostmortem(models.Model):
    """The review of a major (level 3) problem after it is solved (复盘报告):
    impact, timeline, root cause, corrective and preventive actions. A level 3
    ticket closes only once its postmortem is done."""

    _name = "helpdesk.ticket.postmortem"
    _description = "Ticket Postmortem"
    _inherit = ["mail.thread", "helpdesk.service.numbered.mixin"]
    _order = "id desc"
    _check_company_auto = True
    # numbered from the company's sequence (data/ir_sequence_data.xml)
    _number_sequence = (
        "helpdesk.ticket.postmortem",
        "helpdesk_service_agreement.ir_sequence_ticket_postmortem",
        "FP%(year)s-",
        4,
    )

    _ticket_uniq = models.UniqueIndex(
        "(ticket_id)",
        lambda env, diag: env._("A ticket has one postmortem."),
    )
    _name_company_uniq = models.UniqueIndex(
        "(company_id, name)",
        lambda env, diag: env._("A postmortem number is unique per company."),
    )

    name = fields.Char(
        string="Number",
        required=True,
        readonly=True,
        copy=False,
        index="trigram",
        default=lambda self: self.env._("New"),
    )
    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        readonly=True,
    )
    company_id = fields.Many2one(
        related="ticket_id.company_id", store=True, index=True, precompute=True
    )
    commercial_partner_id = fields.Many2one(
        related="ticket_id.commercial_partner_id", string="Customer"
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Author",
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
        tracking=True,
    )
    date = fields.Date(default=fields.Date.context_today, tracking=True)
    state = fields.Selection(
        selection=[("draft", "Draft"), ("done", "Done")],
        required=True,
        default="draft",
        tracking=True,
        readonly=True,
    )
    impact = fields.Html(help="Who and what the problem affected, and for how long.")
    timeline = fields.Html(
        compute="_compute_timeline",
        store=True,
        readonly=False,
        help="Drawn from the ticket's escalation records; complete it.",
    )
    root_cause = fields.Html()
    corrective_actions = fields.Html()
    preventive_actions = fields.Html()

    @api.depends("ticket_id")
    def _compute_timeline(self):
        for postmortem in self:
            if postmortem.ticket_id and is_html_empty(postmortem.timeline):
                postmortem.timeline = postmortem._build_timeline()
            elif not postmortem.ticket_id:
                postmortem.timeline = False

    @api.depends("name", "ticket_id.number")
    def _compute_display_name(self):
        for postmortem in self:
            postmortem.display_name = " ".join(
                filter(None, (postmortem.name, postmortem.ticket_id.number))
            )

    def _build_timeline(self):
        """The ticket's story from its escalation records: opened, each
        change of level and missed deadline (labelled as the escalation list
        labels them), then, once the ticket is closed, its resolution and its
        closing."""
        self.ensure_one()
        ticket = self.ticket_id
        reasons = dict(
            self.env["helpdesk.ticket.escalation"]
            ._fields["reason"]
            ._description_selection(self.env)
        )
        tz = ticket._postmortem_tz()
        rows = [(ticket.create_date, self.env._("Ticket opened."))]
        for escalation in ticket.sudo().escalation_ids.sorted(
            lambda escalation: (escalation.date, escalation.id)
        ):
            text = self.env._(
                "%(reason)s: %(change)s.",
                reason=reasons.get(escalation.reason, ""),
                change=escalation.with_context(
                    lang=self.env.lang
                )._level_change_label(),
            )
            if escalation.missed_deadline:
                text += " " + self.env._(
                    "Deadline missed: %(deadline)s.",
                    deadline=format_datetime(
                        self.env, escalation.missed_deadline, tz=tz, dt_format="short"
                    ),
                )
            if escalation.note:
                text += " " + escalation.note
            rows.append((escalation.date, text))
        rows += self._timeline_closing_rows()
        return Markup("<ul>%s</ul>") % self._timeline_items(rows)

    def _timeline_items(self, rows):
        """``(moment, text)`` rows as the timeline's list items, at the
        document's time zone (the customer's, else the company's), without
        seconds."""
        self.ensure_one()
        tz = self.ticket_id._postmortem_tz()
        return Markup("").join(
            Markup("<li><strong>%s</strong> %s</li>")
            % (format_datetime(self.env, when, tz=tz, dt_format="short"), text)
            for when, text in rows
            if when
        )

    def _timeline_closing_rows(self):
        """The end of the ticket's story once it is closed: its resolution —
        at which level, and against which resolution deadline — and its
        closing."""
        self.ensure_one()
        ticket = self.ticket_id.sudo()
        if not ticket.stage_id.closed or not ticket.closed_date:
            return []
        tz = ticket._postmortem_tz()
        levels = dict(ticket._fields["problem_level"]._description_selection(self.env))
        phase = ticket.sla_phase_ids.filtered("resolution_date").sorted(
            lambda phase: (phase.resolution_date, phase.id)
        )[-1:]
        level = levels.get(phase.level or ticket.problem_level, "")
        deadline = format_datetime(
            self.env, phase.resolution_deadline, tz=tz, dt_format="short"
        )
        if not phase.resolution_deadline:
            text = self.env._("Resolved at %(level)s.", level=level)
        elif phase.resolution_breached:
            text = self.env._(
                "Resolved at %(level)s, after the resolution deadline (%(deadline)s).",
                level=level,
                deadline=deadline,
            )
        else:
            text = self.env._(
                "Resolved at %(level)s, within the resolution deadline (%(deadline)s).",
                level=level,
                deadline=deadline,
            )
        return [
            (phase.resolution_date or ticket.closed_date, text),
            (
                ticket.closed_date,
                self.env._(
                    "Ticket closed: %(stage)s.",
                    stage=ticket.stage_id.with_context(lang=self.env.lang).name,
                ),
            ),
        ]

    def _timeline_add_closing(self):
        """The ticket closed: its resolution and closing end the timeline of
        its postmortems, draft or done, after what their authors wrote; in
        the author's language."""
        for postmortem in self:
            author = postmortem.with_context(
                lang=postmortem.user_id.lang
                or postmortem.company_id.partner_id.lang
                or self.env.lang
            )
            rows = author._timeline_closing_rows()
            if not rows:
                continue
            items = author._timeline_items(rows)
            text = str(postmortem.timeline or "").rstrip()
            if text.endswith("</ul>"):
                timeline = Markup(text[: -len("</ul>")]) + items + Markup("</ul>")
            else:
                timeline = Markup(text) + Markup("<ul>%s</ul>") % items
            postmortem.timeline = timeline

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # done only through action_done, which checks the analysis is complete
        vals_list = [dict(vals) for vals in vals_list]
        check_system_fields(self, vals_list, {"state"}, defaults={"state": "draft"})
        self._check_number(vals_list)
        self._assign_numbers(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        check_system_fields(self, [vals], {"state"})
        self._check_number([vals])
        return super().write(vals)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_done(self):
        required = ("impact", "root_cause", "corrective_actions", "preventive_actions")
        for postmortem in self:
            missing = [
                postmortem._fields[fname]._description_string(self.env)
                for fname in required
                if is_html_empty(postmortem[fname])
            ]
            if missing:
                raise UserError(
                    self.env._(
                        "Complete the postmortem of %(ticket)s first: %(fields)s.",
                        ticket=postmortem.ticket_id.display_name,
                        fields=", ".join(missing),
                    )
                )
        with system_write("state"):
            self.state = "done"

    def action_draft(self):
        with system_write("state"):
            self.state = "draft"

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    @api.model
    def _number_sequence_name(self, company):
        return self.env._("Postmortems (%(company)s)", company=company.name)

    @api.model
    def _number_company(self, vals):
        return (
            self.env["helpdesk.ticket"]
            .browse(self._number_value(vals, "ticket_id"))
            .company_id
        )
