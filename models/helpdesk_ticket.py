# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import format_datetime

_logger = logging.getLogger(__name__)

REQUEST_TYPES = [
    ("pre_sale", "Pre-sale"),
    ("in_sale", "In-sale"),
    ("after_sale", "After-sale"),
    ("complaint", "Complaint"),
]
PROBLEM_LEVELS = [
    ("1", "Level 1 - General"),
    ("2", "Level 2 - Urgent"),
    ("3", "Level 3 - Major"),
]
SLA_STATES = [
    ("on_track", "On Track"),
    ("at_risk", "At Risk"),
    ("breached", "Breached"),
    ("met", "Met"),
    ("no_schedule", "Cannot Schedule"),
]


# fields of the ticket that decide its agreement, hence its service level
SLA_SOURCE_FIELDS = {"agreement_id", "partner_id", "company_id"}


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    request_type = fields.Selection(
        selection=REQUEST_TYPES,
        required=True,
        default="after_sale",
        index=True,
        tracking=True,
        help="Pre-sale, in-sale or after-sale request, or a complaint: decides "
        "the team the request is routed to.",
    )
    problem_level = fields.Selection(
        selection=PROBLEM_LEVELS,
        required=True,
        compute="_compute_problem_level",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        tracking=True,
        help="Level 1 (general) is handled by the agent, level 2 (urgent) by "
        "the team lead, level 3 (major) by the emergency team. A new ticket is "
        "graded from its request type and priority (a complaint or a very high "
        "priority is urgent); raising the level is an escalation, lowering it "
        "is for team leads and managers.",
    )
    customer_code = fields.Char(
        string="Customer Number", related="commercial_partner_id.customer_code"
    )
    transfer_ids = fields.One2many(
        comodel_name="helpdesk.ticket.transfer",
        inverse_name="ticket_id",
        string="Transfer Records",
    )
    transfer_count = fields.Integer(compute="_compute_transfer_count")
    agreement_id = fields.Many2one(
        comodel_name="agreement",
        string="Service Agreement",
        compute="_compute_agreement_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        tracking=True,
        domain="[('commercial_partner_id', '=', commercial_partner_id), "
        "('state', '!=', 'draft'), ('is_template', '=', False)]",
        help="The customer's agreement in force on the day the ticket came in: "
        "its service levels apply.",
    )
    agreement_missing = fields.Boolean(
        string="No Agreement",
        compute="_compute_agreement_missing",
        store=True,
        help="The customer has no agreement in force: the company's default "
        "service levels apply.",
    )
    service_level_id = fields.Many2one(
        comodel_name="agreement.service.level",
        compute="_compute_service_level_id",
        store=True,
        index="btree_not_null",
        help="Targets and owner of the ticket's problem level under its agreement "
        "(or the company's default service levels).",
    )
    # SLA clocks (issue 4): the phases hold the clocks; the ticket shows the
    # current one's figures in stored, indexed columns for searches and the
    # scheduled check
    sla_phase_ids = fields.One2many(
        comodel_name="helpdesk.ticket.sla.phase",
        inverse_name="ticket_id",
        string="SLA Phases",
        readonly=True,
    )
    sla_phase_id = fields.Many2one(
        comodel_name="helpdesk.ticket.sla.phase",
        string="Current SLA Phase",
        compute="_compute_sla_phase_id",
        store=True,
        index="btree_not_null",
    )
    response_deadline = fields.Datetime(
        compute="_compute_sla_clock", store=True, index=True
    )
    resolution_deadline = fields.Datetime(
        compute="_compute_sla_clock", store=True, index=True
    )
    next_update_deadline = fields.Datetime(
        string="Next Customer Update",
        compute="_compute_sla_clock",
        store=True,
        index=True,
    )
    first_response_date = fields.Datetime(
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="First public answer of the staff to the customer (an internal "
        "note is not an answer).",
    )
    sla_state = fields.Selection(
        selection=SLA_STATES,
        string="SLA Status",
        compute="_compute_sla_clock",
        store=True,
        index=True,
    )
    sla_breached = fields.Boolean(
        string="SLA Breached",
        compute="_compute_sla_breached",
        store=True,
        help="A response or resolution deadline was missed; it stays recorded "
        "after the ticket closes.",
    )
    sla_next_check = fields.Datetime(
        string="Next SLA Check",
        compute="_compute_sla_clock",
        store=True,
        index="btree_not_null",
    )
    sla_paused = fields.Boolean(related="stage_id.sla_pause", string="SLA Paused")
    sla_pause_ids = fields.One2many(
        comodel_name="helpdesk.ticket.sla.pause",
        inverse_name="ticket_id",
        string="SLA Pauses",
        readonly=True,
    )
    escalation_ids = fields.One2many(
        comodel_name="helpdesk.ticket.escalation",
        inverse_name="ticket_id",
        string="Escalations",
        readonly=True,
    )
    escalation_count = fields.Integer(compute="_compute_escalation_count")
    postmortem_ids = fields.One2many(
        comodel_name="helpdesk.ticket.postmortem",
        inverse_name="ticket_id",
        string="Postmortems",
    )

    @api.depends("transfer_ids")
    def _compute_transfer_count(self):
        counts = {}
        if self.ids:
            counts = dict(
                self.env["helpdesk.ticket.transfer"]._read_group(
                    [("ticket_id", "in", self.ids)], ["ticket_id"], ["__count"]
                )
            )
        for ticket in self:
            ticket.transfer_count = counts.get(ticket, 0)

    @api.depends("commercial_partner_id", "company_id")
    def _compute_agreement_id(self):
        """The commercial partner's agreement covering the ticket's date, for
        the whole batch in one search. An agreement that ended (expired or
        terminated) still covers the tickets of its term."""
        tickets = self.filtered("commercial_partner_id")
        (self - tickets).agreement_id = False
        if not tickets:
            return
        dates = [
            (ticket.create_date or fields.Datetime.now()).date() for ticket in tickets
        ]
        agreements = (
            self.env["agreement"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "in", tickets.commercial_partner_id.ids),
                    ("state", "in", ("active", "expired", "terminated")),
                    ("is_template", "=", False),
                    # a supplement amends its parent, the ticket obeys the parent
                    ("parent_agreement_id", "=", False),
                    ("start_date", "<=", max(dates)),
                    ("end_date", ">=", min(dates)),
                ],
                order="start_date desc, id desc",
            )
        )
        by_partner = agreements.grouped("commercial_partner_id")
        for ticket, date in zip(tickets, dates, strict=True):
            candidates = by_partner.get(
                ticket.commercial_partner_id, agreements.browse()
            )
            ticket.agreement_id = next(
                (
                    agreement.id
                    for agreement in candidates
                    if agreement.start_date <= date <= agreement.end_date
                    and agreement.company_id
                    in (ticket.company_id, self.env["res.company"])
                ),
                False,
            )

    @api.depends("agreement_id")
    def _compute_agreement_missing(self):
        for ticket in self:
            ticket.agreement_missing = not ticket.agreement_id

    @api.depends(
        "agreement_id.service_level_ids.level",
        "company_id.default_service_agreement_id.service_level_ids.level",
        "problem_level",
    )
    def _compute_service_level_id(self):
        for ticket in self:
            source = (
                ticket.agreement_id or ticket.company_id.default_service_agreement_id
            )
            ticket.service_level_id = source.service_level_ids.filtered(
                lambda line, t=ticket: line.level == t.problem_level
            )[:1]

    @api.depends("request_type", "priority")
    def _compute_problem_level(self):
        """Grade a new ticket at intake: a complaint or a very high priority
        is urgent (level 2), any other request general (level 1). A level
        given explicitly wins, and a saved ticket keeps its level when its
        type or priority changes: changing it is a regrade."""
        for ticket in self:
            if ticket._origin.id and ticket.problem_level:
                ticket.problem_level = ticket.problem_level
            else:
                ticket.problem_level = self._intake_problem_level(
                    ticket.request_type, ticket.priority
                )

    @api.model
    def _intake_problem_level(self, request_type, priority):
        """The level a new request is graded at from its type and priority."""
        return "2" if request_type == "complaint" or priority == "3" else "1"

    def _grade_vals_list(self, vals_list):
        """Grade the new tickets in their values, so that the ORM does not
        compute the level on a new record per ticket before inserting them:
        the same result as ``_compute_problem_level``, for a batch at once."""
        missing = [vals for vals in vals_list if "problem_level" not in vals]
        if not missing:
            return
        defaults = self.default_get(["request_type", "priority", "problem_level"])
        if defaults.get("problem_level"):
            return
        for vals in missing:
            vals["problem_level"] = self._intake_problem_level(
                vals.get("request_type", defaults.get("request_type")),
                vals.get("priority", defaults.get("priority")),
            )

    @api.depends("sla_phase_ids")
    def _compute_sla_phase_id(self):
        for ticket in self:
            ticket.sla_phase_id = max(
                ticket.sla_phase_ids, key=lambda phase: phase.id, default=False
            )

    # through the one2many, a change of a phase finds its ticket without a query
    @api.depends(
        "sla_phase_ids.response_deadline",
        "sla_phase_ids.resolution_deadline",
        "sla_phase_ids.next_update_deadline",
        "sla_phase_ids.sla_state",
        "sla_phase_ids.next_check",
    )
    def _compute_sla_clock(self):
        for ticket in self:
            phase = ticket.sla_phase_ids.sorted("id")[-1:]
            ticket.response_deadline = phase.response_deadline
            ticket.resolution_deadline = phase.resolution_deadline
            ticket.next_update_deadline = phase.next_update_deadline
            ticket.sla_state = phase.sla_state
            ticket.sla_next_check = phase.next_check

    @api.depends("sla_phase_ids.response_breached", "sla_phase_ids.resolution_breached")
    def _compute_sla_breached(self):
        for ticket in self:
            ticket.sla_breached = any(
                phase.response_breached or phase.resolution_breached
                for phase in ticket.sla_phase_ids
            )

    @api.depends("escalation_ids")
    def _compute_escalation_count(self):
        counts = {}
        if self.ids:
            counts = dict(
                self.env["helpdesk.ticket.escalation"]._read_group(
                    [("ticket_id", "in", self.ids)], ["ticket_id"], ["__count"]
                )
            )
        for ticket in self:
            ticket.escalation_count = counts.get(ticket, 0)

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    def _check_selection_values(self, vals_list):
        """Refuse values outside a selection with a message in the user's
        language (the ORM's own ValueError is neither translated nor clear
        over XML-RPC)."""
        for fname in ("request_type", "problem_level"):
            field = self._fields[fname]
            selection = field._description_selection(self.env)
            allowed = {key for key, _label in selection}
            for vals in vals_list:
                value = vals.get(fname)
                if fname not in vals or value in allowed:
                    continue
                if not value and not field.required:
                    continue
                raise ValidationError(
                    self.env._(
                        "%(value)r is not a valid %(field)s. Allowed values: "
                        "%(allowed)s.",
                        value=value,
                        field=field._description_string(self.env),
                        allowed=", ".join(
                            f"{key} ({label})" for key, label in selection
                        ),
                    )
                )

    def _route_vals_list(self, vals_list):
        """Give a team to the new tickets that come without one, from the
        company's routing table. A team or a user chosen explicitly wins over
        routing: in the values, or as the defaults of the user who creates the
        ticket (a default team in the context, or helpdesk_mgmt's "auto assign
        tickets" to their creator). Tickets made by the system (mail gateway,
        crons) are always routed."""
        if self.env.su:
            defaults = {"team_id": self.env.context.get("default_team_id")}
        else:
            defaults = self.default_get(["team_id", "user_id"])
        to_route = [
            vals
            for vals in vals_list
            if not vals.get("team_id")
            and not vals.get("user_id")
            and not (
                ("team_id" not in vals and defaults.get("team_id"))
                or ("user_id" not in vals and defaults.get("user_id"))
            )
        ]
        if not to_route:
            return
        for vals in to_route:
            vals.setdefault("request_type", self._fields["request_type"].default(self))
        teams = self.env["helpdesk.ticket.routing"]._route(to_route)
        for vals, team_id in zip(to_route, teams, strict=True):
            if team_id:
                vals["team_id"] = team_id

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [dict(vals) for vals in vals_list]
        self._check_selection_values(vals_list)
        self._route_vals_list(vals_list)
        self._grade_vals_list(vals_list)
        tickets = super().create(vals_list)
        tickets.partner_id._assign_customer_code()
        tickets._sla_start(fields.Datetime.now())
        return tickets

    def write(self, vals):
        self._check_selection_values([vals])
        now = fields.Datetime.now()
        old_levels = self._sla_check_regrade(vals)
        old_stages = self._sla_check_stage_change(vals)
        transfers = []
        if vals.get("team_id"):
            transfers = [
                {
                    "ticket_id": ticket.id,
                    "from_team_id": ticket.team_id.id,
                    "to_team_id": vals["team_id"],
                    "summary": self.env.context.get("transfer_summary") or False,
                }
                for ticket in self
                if ticket.team_id.id != vals["team_id"]
            ]
        result = super().write(vals)
        if transfers:
            self._log_transfers(transfers)
        if vals.get("partner_id"):
            self.partner_id._assign_customer_code()
        if old_levels:
            self.browse(old_levels)._sla_regrade(old_levels, now)
        if old_stages:
            self.browse(old_stages)._sla_stage_changed(old_stages, now)
        if SLA_SOURCE_FIELDS.intersection(vals):
            (self - self.browse(old_levels))._sla_follow_service_level(now)
        return result

    def _message_post_after_hook(self, message, msg_values):
        """The first public reply of the staff to the customer is the
        response (an internal note, a customer's message or an automatic
        notification is not)."""
        result = super()._message_post_after_hook(message, msg_values)
        if (
            msg_values.get("message_type") in ("comment", "email")
            and msg_values.get("subtype_id")
            == self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment")
            and message.author_id
            and not message.author_id.partner_share
        ):
            self._sla_register_response(message.date or fields.Datetime.now())
        return result

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_open_transfer_wizard(self):
        action = self.env["ir.actions.actions"]._for_xml_id(
            "helpdesk_service_agreement.helpdesk_ticket_transfer_wizard_action"
        )
        action["context"] = {
            "active_model": self._name,
            "active_ids": self.ids,
            "default_ticket_ids": self.ids,
        }
        return action

    def action_view_transfers(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "helpdesk_service_agreement.helpdesk_ticket_transfer_action"
        )
        action["domain"] = [("ticket_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    def action_open_escalation_wizard(self):
        action = self.env["ir.actions.actions"]._for_xml_id(
            "helpdesk_service_agreement.helpdesk_ticket_escalation_wizard_action"
        )
        action["context"] = {
            "active_model": self._name,
            "active_ids": self.ids,
            "default_ticket_ids": self.ids,
        }
        return action

    def action_view_escalations(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "helpdesk_service_agreement.helpdesk_ticket_escalation_action"
        )
        action["domain"] = [("ticket_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    def action_open_postmortem(self):
        """The ticket's postmortem, started with its timeline when missing."""
        self.ensure_one()
        postmortem = self.postmortem_ids[:1]
        if not postmortem:
            postmortem = self.env["helpdesk.ticket.postmortem"].create(
                {"ticket_id": self.id}
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": "helpdesk.ticket.postmortem",
            "res_id": postmortem.id,
            "view_mode": "form",
            "target": "current",
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    @api.model
    def _relink_agreements(self, partners):
        """After agreements of ``partners`` changed state, link again their open
        tickets that lack an agreement or hang on one no longer in force."""
        if not partners:
            return
        tickets = self.sudo().search(
            [
                ("commercial_partner_id", "in", partners.commercial_partner_id.ids),
                ("stage_id.closed", "=", False),
                "|",
                ("agreement_id", "=", False),
                ("agreement_id.state", "in", ("draft", "terminated")),
            ]
        )
        tickets._compute_agreement_id()

    def _log_transfers(self, transfers):
        """Write the transfer records (需求转接记录) of a change of team and
        say it in each ticket's chatter. The records are the system's log:
        they are written whatever the user's rights on the log itself."""
        records = self.env["helpdesk.ticket.transfer"].sudo().create(transfers)
        for record in records:
            body = Markup("<p>%s</p>") % self.env._(
                "Transferred from %(from_team)s to %(to_team)s.",
                from_team=record.from_team_id.name,
                to_team=record.to_team_id.name,
            )
            if record.summary:
                body += Markup("<p>%s %s</p>") % (
                    self.env._("Hand-over summary:"),
                    record.summary,
                )
            record.ticket_id.message_post(
                body=body, subtype_xmlid="mail.mt_note", message_type="comment"
            )
        return records

    # ------------------------------------------------------------------
    # SLA clocks and escalation (问题分级与升级)
    # ------------------------------------------------------------------

    def _sla_start(self, now):
        """Start the clock of the current level of the open tickets that have
        a service level, after handing them to the level's owner."""
        tickets = self.sudo().filtered(
            lambda ticket: ticket.service_level_id and not ticket.stage_id.closed
        )
        if not tickets:
            return {}
        owners = tickets._sla_assign_owners()
        phases = self.env["helpdesk.ticket.sla.phase"].sudo()._sla_open(tickets, now)
        phases.filtered(lambda phase: phase.ticket_id.stage_id.sla_pause)._sla_pause(
            now
        )
        self._sla_trigger_check(phases)
        return owners

    def _sla_follow_service_level(self, now):
        """The agreement of open tickets changed (another agreement, another
        customer, an agreement activated or ended): the clock of their level
        follows the new service level. It keeps its start, so the time
        already spent counts, and its deadlines are planned again on the new
        targets (a ticket that had no service level starts its clock, one
        left without any stops it)."""
        tickets = self.sudo().filtered(lambda ticket: not ticket.stage_id.closed)
        phases = tickets.sla_phase_id.filtered(lambda phase: phase.state != "done")
        current = {phase.ticket_id: phase for phase in phases}
        to_start = tickets.filtered(
            lambda ticket: ticket.service_level_id and ticket not in current
        )
        to_stop = phases.filtered(lambda phase: not phase.ticket_id.service_level_id)
        to_replan = phases.filtered(
            lambda phase: (
                phase.ticket_id.service_level_id
                and phase.service_level_id != phase.ticket_id.service_level_id
            )
        )
        to_start._sla_start(now)
        to_stop._sla_stop(now)
        for phase in to_stop:
            phase.ticket_id.message_post(
                body=self.env._(
                    "The SLA clock stopped: no service level applies to the "
                    "ticket any more."
                ),
                subtype_xmlid="mail.mt_note",
            )
        if to_replan:
            to_replan._sla_replan(now)
            self._sla_trigger_check(to_replan)
            for phase in to_replan:
                phase.ticket_id._sla_post_replan(phase)

    def _sla_post_replan(self, phase):
        """Tell in the chatter that the clock follows a new service level."""
        self.ensure_one()
        tz = phase.calendar_id.tz

        def when(moment):
            return (
                format_datetime(self.env, moment, tz=tz, dt_format="short")
                if moment
                else "-"
            )

        self.message_post(
            body=self.env._(
                "The SLA clock follows the service level of %(agreement)s from "
                "now on, counting from %(start)s: response by %(response)s, "
                "resolution by %(resolution)s.",
                agreement=phase.service_level_id.agreement_id.display_name,
                start=when(phase.date_start),
                response=when(phase.response_deadline),
                resolution=when(phase.resolution_deadline),
            ),
            subtype_xmlid="mail.mt_note",
        )

    def _sla_owners(self):
        """The owners of each ticket at its service level, first the one to
        assign: agent → the ticket keeps its assignee (no owners); team lead →
        the team's leader, else the level's named owners; emergency team → the
        level's named owners, the emergency team's leader and members, else
        the ticket team's leader."""
        owners = {}
        for ticket in self:
            service_level = ticket.service_level_id
            users = self.env["res.users"]
            if service_level.owner_type == "team_lead":
                users = ticket.team_id.user_id | service_level.owner_user_ids
            elif service_level.owner_type == "emergency_team":
                team = service_level.owner_team_id
                users = service_level.owner_user_ids | team.user_id | team.user_ids
                users = users or ticket.team_id.user_id
            owners[ticket] = users.filtered("active")
        return owners

    def _sla_assign_owners(self):
        """Assign each ticket to the first owner of its level and make the
        other owners follow it, in one write per owner."""
        owners = self.sudo()._sla_owners()
        to_assign = defaultdict(list)
        to_follow = defaultdict(list)
        for ticket, users in owners.items():
            if not users:
                continue
            if ticket.user_id != users[:1]:
                to_assign[users[:1]].append(ticket.id)
            to_follow[tuple(users.partner_id.ids)].append(ticket.id)
        for user, ticket_ids in to_assign.items():
            self.sudo().browse(ticket_ids).write({"user_id": user.id})
        for partner_ids, ticket_ids in to_follow.items():
            self.sudo().browse(ticket_ids).message_subscribe(
                partner_ids=list(partner_ids)
            )
        return owners

    def _sla_check_regrade(self, vals):
        """Before a change of level: who may do it. Return the levels the
        tickets leave, by ticket id."""
        if "problem_level" not in vals:
            return {}
        level = vals["problem_level"]
        old_levels = {
            ticket.id: ticket.problem_level
            for ticket in self
            if ticket.problem_level and ticket.problem_level != level
        }
        lowered = [old for old in old_levels.values() if level < old]
        if (
            lowered
            and not self.env.su
            and not self.env.user.has_group(
                "helpdesk_service_agreement.group_service_team_lead"
            )
        ):
            raise AccessError(
                self.env._(
                    "Only team leads and customer service managers may lower a "
                    "problem level."
                )
            )
        return old_levels

    def _sla_check_stage_change(self, vals):
        """Before a change of stage: a major (level 3) problem closes only
        with a done postmortem. Return the stages the tickets leave, by
        ticket id."""
        if not vals.get("stage_id"):
            return {}
        stage = self.env["helpdesk.ticket.stage"].browse(vals["stage_id"])
        old_stages = {
            ticket.id: ticket.stage_id for ticket in self if ticket.stage_id != stage
        }
        if stage.closed:
            level = vals.get("problem_level")
            missing = self.browse(old_stages).filtered(
                lambda ticket: (
                    (level or ticket.problem_level) == "3"
                    and "done" not in ticket.sudo().postmortem_ids.mapped("state")
                )
            )
            if missing:
                raise UserError(
                    self.env._(
                        "A major (level 3) problem is closed only after its "
                        "postmortem is done: %(tickets)s.",
                        tickets=", ".join(missing.mapped("display_name")),
                    )
                )
        return old_stages

    def _sla_regrade(self, old_levels, now):
        """The tickets changed level: stop the clock of the level they left
        (it keeps the time spent), hand them to the new level's owner, start
        its clock, record the escalation and tell the new owners. The reason,
        missed deadline and note come from the context of the caller
        (``sla_escalation_info``: ``{ticket id: (reason, missed deadline)}``,
        or ``sla_escalation_reason``, ``sla_missed_deadline`` for all, and
        ``sla_escalation_note``); a change in the form is a regrade."""
        context = self.env.context
        # per ticket (the scheduled check), or one for all (a user's regrade)
        info = context.get("sla_escalation_info") or {}
        tickets = self.sudo()
        tickets.sla_phase_id._sla_stop(now)
        open_tickets = tickets.filtered(lambda ticket: not ticket.stage_id.closed)
        raised = open_tickets.filtered(
            lambda ticket: ticket.problem_level > old_levels[ticket.id]
        )
        # the new owners of a raised level get the escalation e-mail: not the
        # "you have been assigned" one besides
        owners = (open_tickets - raised)._sla_start(now)
        owners.update(
            raised.with_context(mail_auto_subscribe_no_notify=True)._sla_start(now)
        )
        escalations = (
            self.env["helpdesk.ticket.escalation"]
            .sudo()
            .create(
                [
                    {
                        "ticket_id": ticket.id,
                        "from_level": old_levels[ticket.id],
                        "to_level": ticket.problem_level,
                        "reason": info.get(ticket.id, (None, None))[0]
                        or context.get("sla_escalation_reason")
                        or "regraded",
                        "missed_deadline": info.get(ticket.id, (None, None))[1]
                        or context.get("sla_missed_deadline")
                        or False,
                        "note": context.get("sla_escalation_note") or False,
                        "user_id": self.env.uid,
                        "date": now,
                        "owner_id": ticket.user_id.id,
                        # a closed ticket changing level bothers nobody
                        "notified_user_ids": [
                            fields.Command.set(
                                (
                                    owners.get(ticket)
                                    or ticket.user_id
                                    or ticket.team_id.user_id
                                ).ids
                                if ticket in open_tickets
                                else []
                            )
                        ],
                    }
                    for ticket in tickets
                ]
            )
        )
        escalations._notify()
        return escalations

    def _sla_stage_changed(self, old_stages, now):
        """After a change of stage: close, reopen, pause or resume the clocks."""
        tickets = self.sudo()
        to_close, to_reopen, to_pause, to_resume = (tickets.browse() for _i in range(4))
        for ticket in tickets:
            old, new = old_stages[ticket.id], ticket.stage_id
            if new.closed and not old.closed:
                to_close |= ticket
            elif old.closed and not new.closed:
                to_reopen |= ticket
            elif new.sla_pause and not old.sla_pause:
                to_pause |= ticket
            elif old.sla_pause and not new.sla_pause:
                to_resume |= ticket
        to_close.sla_phase_id._sla_stop(now, closing=True)
        to_reopen._sla_start(now)
        to_pause.sla_phase_id._sla_pause(now)
        to_resume.sla_phase_id._sla_resume(now)
        self._sla_trigger_check(to_resume.sla_phase_id)

    def _sla_register_response(self, when):
        """A public answer of the staff: the first one is the ticket's (and
        the phase's) response; at a level with customer updates, the next
        update is due one interval after this one."""
        tickets = self.sudo()
        tickets.filtered(lambda ticket: not ticket.first_response_date).write(
            {"first_response_date": when}
        )
        phases = tickets.sla_phase_id.filtered(lambda phase: phase.state != "done")
        for phase in phases:
            if phase.response_deadline and not phase.response_date:
                phase.response_date = when
                if when > phase.response_deadline:
                    phase.response_breached = True
        updates = phases.filtered(
            lambda phase: phase.update_hours > 0 and phase.sla_state != "no_schedule"
        )
        for calendar, calendar_phases in updates.grouped("calendar_id").items():
            results = calendar._sla_plan_hours_batch(
                [(when, phase.update_hours) for phase in calendar_phases]
            )
            for phase, result in zip(calendar_phases, results, strict=True):
                phase.next_update_deadline = result
        phases._sla_refresh(fields.Datetime.now())
        self._sla_trigger_check(phases)

    @api.model
    def _sla_trigger_check(self, phases):
        """Wake the scheduled check up at the earliest next check of
        ``phases`` (one trigger per batch), unless its next regular run comes
        first: a trigger would only wake it up for nothing."""
        moments = [phase.next_check for phase in phases if phase.next_check]
        cron = self.env.ref(
            "helpdesk_service_agreement.ir_cron_helpdesk_ticket_sla_check",
            raise_if_not_found=False,
        )
        if not moments or not cron:
            return
        cron = cron.sudo()
        earliest = min(moments)
        if cron.nextcall and cron.nextcall <= earliest:
            return
        cron._trigger(at=earliest)

    def _sla_handle_due(self, now):
        """What the scheduled check does for one due ticket: a deadline at
        risk warns the owner once; a deadline missed at level 3 is recorded
        and the owners told; a deadline missed below level 3 makes the ticket
        climb one level, done by the caller for the whole batch: return
        ``(kind, missed deadline)`` then, else None."""
        self.ensure_one()
        ticket = self.sudo()
        phase = ticket.sla_phase_id
        if (
            ticket.stage_id.closed
            or phase.ticket_id != ticket
            or phase.state != "running"
        ):
            # nothing to check (closed, paused, or clock columns out of step
            # with the phases): set the ticket right so it leaves the due set
            if phase.ticket_id == ticket and phase.state == "running":
                phase._sla_stop(now, closing=True)
            ticket._compute_sla_phase_id()
            ticket._compute_sla_clock()
            return
        breaches, warn = phase._sla_due_events(now)
        if breaches:
            for kind, _deadline in breaches:
                if kind != "update":
                    phase[f"{kind}_breached"] = True
            escalating = [
                (kind, deadline) for kind, deadline in breaches if kind != "update"
            ]
            if escalating and ticket.problem_level < "3":
                return escalating[0]
            ticket._sla_log_breaches(breaches, now)
        elif warn:
            ticket._sla_warn_at_risk(now)
        phase._sla_refresh(now)
        return None

    def _sla_process_due(self, now):
        """Handle due tickets; those that missed a deadline below level 3
        climb one level together, one write per new level, each escalation
        recording its own reason and missed deadline."""
        climbs = {}
        for ticket in self:
            climb = ticket._sla_handle_due(now)
            if climb:
                climbs[ticket.id] = climb
        if not climbs:
            return
        tickets = self.sudo().browse(list(climbs))
        info = {
            ticket_id: (f"{kind}_breach", deadline)
            for ticket_id, (kind, deadline) in climbs.items()
        }
        for level, group in tickets.grouped(
            lambda ticket: str(int(ticket.problem_level) + 1)
        ).items():
            group.with_context(sla_escalation_info=info).write({"problem_level": level})

    def _sla_log_breaches(self, breaches, now):
        """Deadlines missed at the top level (or customer updates missed):
        no higher level to climb, so record each one and tell the owners."""
        self.ensure_one()
        phase = self.sla_phase_id
        users = (
            self._sla_owners().get(self) or self.user_id or self.team_id.user_id
        ) | self.user_id
        escalations = (
            self.env["helpdesk.ticket.escalation"]
            .sudo()
            .create(
                [
                    {
                        "ticket_id": self.id,
                        "from_level": self.problem_level,
                        "to_level": self.problem_level,
                        "reason": f"{kind}_breach",
                        "missed_deadline": deadline,
                        "user_id": self.env.uid,
                        "date": now,
                        "owner_id": self.user_id.id,
                        "notified_user_ids": [fields.Command.set(users.ids)],
                    }
                    for kind, deadline in breaches
                ]
            )
        )
        if any(kind == "update" for kind, _deadline in breaches) and phase.calendar_id:
            # the next update is owed one interval from now
            phase.next_update_deadline = phase.calendar_id._sla_plan_hours_batch(
                [(now, phase.update_hours)]
            )[0]
        escalations._notify()
        return escalations

    def _sla_warn_at_risk(self, now):
        """Warn the owner (or the team's leader) once per phase that a
        deadline is near."""
        self.ensure_one()
        phase = self.sla_phase_id
        at_risk = [
            (deadline, kind)
            for kind, risk, deadline in phase._sla_pending()
            if risk and risk <= now and kind != "update"
        ]
        phase.at_risk_warned = True
        if not at_risk:
            return
        deadline, kind = min(at_risk)
        deadline_text = format_datetime(
            self.env, deadline, tz=phase.calendar_id.tz, dt_format="short"
        )
        if kind == "response":
            text = self.env._(
                "SLA at risk: the customer awaits a response by %(deadline)s.",
                deadline=deadline_text,
            )
        else:
            text = self.env._(
                "SLA at risk: the problem is to be solved by %(deadline)s.",
                deadline=deadline_text,
            )
        self.message_post(
            body=Markup("<p>%s</p>") % text,
            subtype_xmlid="mail.mt_note",
            message_type="comment",
        )
        user = self.user_id or self.team_id.user_id
        if user:
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=fields.Date.context_today(self, deadline),
                summary=self.env._("SLA at risk"),
                note=text,
                user_id=user.id,
            )

    def _sla_handle_due_batch(self, now):
        """Handle the due tickets of a batch in one savepoint; if one of them
        fails, the batch is rolled back and done again ticket by ticket, each
        in its own savepoint, so that the failing ticket is logged and
        skipped and never blocks the others."""
        try:
            with self.env.cr.savepoint():
                self._sla_process_due(now)
            return
        except Exception:  # noqa: BLE001 - redone ticket by ticket below
            _logger.info(
                "SLA check: a ticket of the batch failed, checking them one by one"
            )
        for ticket in self:
            try:
                with self.env.cr.savepoint():
                    ticket._sla_process_due(now)
            except Exception:  # one bad ticket never blocks the others
                _logger.exception("SLA check of ticket %s failed", ticket.id)

    @api.model
    def _sla_due_domain(self, now=None):
        """Open tickets whose SLA check is due: an indexed range on
        ``sla_next_check``."""
        return Domain("sla_next_check", "<=", now or fields.Datetime.now()) & Domain(
            "stage_id.closed", "=", False
        )

    @api.model
    def _cron_sla_check(self, batch_size=200):
        """Scheduled check of the SLA clocks: escalate the missed deadlines,
        warn the owners of the deadlines at risk. Due tickets are found by
        one indexed query per batch, locked (a ticket another worker holds is
        skipped), each handled in its own savepoint (one failing ticket is
        logged and skipped), the progress committed after each batch; then
        the check wakes up again at the next due time."""
        now = fields.Datetime.now()
        domain = self._sla_due_domain(now)
        seen = []
        Cron = self.env["ir.cron"]
        while True:
            tickets = self.search(
                domain & Domain("id", "not in", seen),
                order="sla_next_check, id",
                limit=batch_size,
            )
            if not tickets:
                break
            seen += tickets.ids
            locked = tickets.try_lock_for_update()
            # another worker may have handled them before releasing the lock
            self.env.invalidate_all()
            locked.filtered_domain(domain)._sla_handle_due_batch(now)
            full = len(tickets) == batch_size
            remaining = (
                self.search_count(domain & Domain("id", "not in", seen)) if full else 0
            )
            if not Cron._commit_progress(len(tickets), remaining=remaining) or not full:
                break
        self._sla_schedule_next_check(now)

    @api.model
    def _sla_schedule_next_check(self, now):
        """Trigger the scheduled check at the next due ``sla_next_check``."""
        ticket = self.search(
            Domain("sla_next_check", ">", now) & Domain("stage_id.closed", "=", False),
            order="sla_next_check",
            limit=1,
        )
        cron = self.env.ref(
            "helpdesk_service_agreement.ir_cron_helpdesk_ticket_sla_check",
            raise_if_not_found=False,
        )
        if ticket and cron:
            cron.sudo()._trigger(at=ticket.sla_next_check)
