# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The ticket's SLA clocks: the phases of its levels and the current one's
# figures, started, paused, resumed, re-planned and stopped as the ticket
# changes stage or service level; the owners of a level; the response.
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_datetime

from .helpdesk_ticket import SLA_STATES, SLA_STATUSES


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    # the phases hold the clocks; the ticket shows the current one's figures
    # in stored, indexed columns for searches and the scheduled check
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
    sla_status = fields.Selection(
        selection=SLA_STATUSES,
        string="SLA",
        compute="_compute_sla_status",
        store=True,
        index=True,
        help="Paused while the ticket waits on the customer; breached once any "
        "deadline of the ticket was missed, even after an escalation started a "
        "new level's clock; met when the ticket closed with every target met.",
    )
    sla_pause_ids = fields.One2many(
        comodel_name="helpdesk.ticket.sla.pause",
        inverse_name="ticket_id",
        string="SLA Pauses",
        readonly=True,
    )

    @api.depends("sla_phase_ids")
    def _compute_sla_phase_id(self):
        for ticket in self:
            ticket.sla_phase_id = max(
                ticket.sla_phase_ids, key=lambda phase: phase.id, default=False
            )

    # through the one2many, a change of a phase finds its ticket without a query
    @api.depends(
        "sla_phase_ids.state",
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
            # a level that ended owes the customer no more update
            ticket.next_update_deadline = (
                phase.next_update_deadline if phase.state != "done" else False
            )
            ticket.sla_state = phase.sla_state
            ticket.sla_next_check = phase.next_check

    @api.depends("sla_state", "sla_breached", "stage_id.sla_pause", "stage_id.closed")
    def _compute_sla_status(self):
        for ticket in self:
            if not ticket.sla_state:
                ticket.sla_status = False
            elif ticket.sla_breached or ticket.sla_state == "breached":
                ticket.sla_status = "breached"
            elif ticket.stage_id.sla_pause and not ticket.stage_id.closed:
                ticket.sla_status = "paused"
            else:
                ticket.sla_status = ticket.sla_state

    @api.depends("sla_phase_ids.response_breached", "sla_phase_ids.resolution_breached")
    def _compute_sla_breached(self):
        for ticket in self:
            ticket.sla_breached = any(
                phase.response_breached or phase.resolution_breached
                for phase in ticket.sla_phase_ids
            )

    # ------------------------------------------------------------------
    # Clocks: start, follow the service level, owners
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
            ticket = phase.ticket_id
            ticket.message_post(
                body=ticket._sla_note_env()._(
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

    def _sla_reader_tz(self, reader=None):
        """The time zone the ticket's times are written in for ``reader`` (a
        user or a partner, the current user by default): their own, else the
        company's — the time zone of its working hours, else of its address —,
        else UTC. Never the SLA calendar's: a round-the-clock calendar has no
        office to speak for.

        A portal page renders the record ``_document_check_access`` returned,
        which belongs to the superuser (``with_user(SUPERUSER_ID)``): there
        the reader is passed, ``request.env.user``, else the page would read
        the superuser's time zone."""
        reader = self.env.user if reader is None else reader
        if reader.tz:
            return reader.tz
        # sudo: only the name of the company's time zone is read, for any
        # reader (a portal customer cannot read working hours)
        company = (self.company_id or self.env.company).sudo()
        return company.resource_calendar_id.tz or company.partner_id.tz or "UTC"

    def _sla_note_env(self):
        """The environment a chatter note of the clock is written in: the
        acting user's language and time zone, or for the system's own changes
        (scheduled actions) those of the ticket's owner, else its company's
        (``tz`` in the context, for ``format_datetime``)."""
        self.ensure_one()
        if not self.env.su or self.env.context.get("lang"):
            reader = self.env.user if not self.env.su else self.user_id
            return self.with_context(tz=self._sla_reader_tz(reader)).env
        return self.with_context(
            lang=self.user_id.lang or self.company_id.partner_id.lang,
            tz=self._sla_reader_tz(self.user_id),
        ).env

    def _sla_post_replan(self, phase):
        """Tell in the chatter that the clock follows a new service level."""
        self.ensure_one()
        env = self._sla_note_env()
        tz = env.context["tz"]

        def when(moment):
            return (
                format_datetime(env, moment, tz=tz, dt_format="short")
                if moment
                else "-"
            )

        self.message_post(
            body=env._(
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

    # ------------------------------------------------------------------
    # Clocks: stage changes (close, reopen, pause, resume)
    # ------------------------------------------------------------------

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
        # a pause that lasts until the close does not count against the
        # deadlines: they move as on a resume, then the clock stops
        to_close.sla_phase_id._sla_resume(now)
        to_close.sla_phase_id._sla_stop(now, closing=True)
        to_close._sla_settle_followups()
        if to_close:
            # the resolution and the close end the postmortem's timeline
            # (tickets is sudo: whoever closes the ticket, the system writes)
            to_close.postmortem_ids._timeline_add_closing()
        to_reopen._sla_start(now)
        to_pause.sla_phase_id._sla_pause(now)
        to_resume.sla_phase_id._sla_resume(now)
        self._sla_trigger_check(to_resume.sla_phase_id)

    def _sla_settle_followups(self):
        """A closed ticket needs no more SLA follow-up: its open escalation
        and at-risk to-dos are marked done (as superuser: they belong to the
        owners, whoever closes the ticket)."""
        followup = self.env.ref(
            "helpdesk_service_agreement.mail_activity_type_sla_followup",
            raise_if_not_found=False,
        )
        activities = self.sudo().activity_ids.filtered(
            lambda activity: activity.activity_type_id == followup
        )
        if activities:
            activities.action_feedback(feedback=self.env._("The ticket was closed."))

    # ------------------------------------------------------------------
    # Response: the first public reply of the staff
    # ------------------------------------------------------------------

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

    # ------------------------------------------------------------------
    # Waking the scheduled check up
    # ------------------------------------------------------------------

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
