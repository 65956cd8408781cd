# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Escalation (问题分级与升级): changes of problem level and their records, the
# postmortem of a major problem, and the scheduled SLA check that escalates
# missed deadlines and warns of deadlines at risk. A little over 400 lines:
# the check and the level changes it causes are one flow.
import logging

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.fields import Domain
from odoo.tools import format_datetime

from .system_fields import system_value, system_write

# the scheduled check logs under the name of the ticket's main module
# (models.helpdesk_ticket): log-handler settings and tests/test_sla_cron.py
# refer to that name
_logger = logging.getLogger(f"{__package__}.helpdesk_ticket")


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

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
    # Actions
    # ------------------------------------------------------------------

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

    def _postmortem_tz(self):
        """The time zone a postmortem (and the problem record) tells the
        ticket's times in: the customer's, who reads the document, else the
        company's."""
        self.ensure_one()
        return self._sla_reader_tz(self.sudo().commercial_partner_id)

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
    # Changes of level
    # ------------------------------------------------------------------

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

    def _sla_regrade(self, old_levels, now):
        """The tickets changed level: stop the clock of the level they left
        (it keeps the time spent), hand them to the new level's owner, start
        its clock, record the escalation and tell the new owners. The reason,
        missed deadline and note come from the trusted server code that
        changes the level, through ``system_write`` (``sla_escalation_info``:
        ``{ticket id: (reason, missed deadline)}``, or
        ``sla_escalation_reason``, ``sla_missed_deadline`` for all, and
        ``sla_escalation_note``), never from the RPC context; a change in the
        form is a regrade."""
        context = {
            key: system_value(key)
            for key in (
                "sla_escalation_reason",
                "sla_missed_deadline",
                "sla_escalation_note",
            )
        }
        # per ticket (the scheduled check), or one for all (a user's regrade)
        info = system_value("sla_escalation_info") or {}
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

    # ------------------------------------------------------------------
    # Scheduled SLA check: due tickets, breaches, deadlines at risk
    # ------------------------------------------------------------------

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
                # the level it leaves shows the breach, not its last status
                phase._sla_refresh(now)
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
            with system_write(sla_escalation_info=info):
                group.write({"problem_level": level})

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
        user = self.user_id or self.team_id.user_id
        # written for the owner who is warned: in their language and time
        # zone (the company's when nobody owns the ticket or they set none)
        env = self.with_context(lang=user.lang or self.company_id.partner_id.lang).env
        deadline_text = format_datetime(
            env, deadline, tz=self._sla_reader_tz(user), dt_format="short"
        )
        if kind == "response":
            text = env._(
                "SLA at risk: the customer awaits a response by %(deadline)s.",
                deadline=deadline_text,
            )
        else:
            text = env._(
                "SLA at risk: the problem is to be solved by %(deadline)s.",
                deadline=deadline_text,
            )
        self.message_post(
            body=Markup("<p>%s</p>") % text,
            subtype_xmlid="mail.mt_note",
            message_type="comment",
        )
        if user:
            self.activity_schedule(
                "helpdesk_service_agreement.mail_activity_type_sla_followup",
                date_deadline=fields.Date.context_today(self, deadline),
                summary=env._("SLA at risk"),
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
