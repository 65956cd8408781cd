# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The commitments of seed 002 on the SLA phases: the same clock (its
# calendar, pauses, at-risk date, breach, status and next check,
# helpdesk_ticket_sla_phase.py) measures, besides a ticket's problem level,
# the plan proposal after a request's confirmed need and the answer to a
# customer's feedback. Such a phase runs one target, in the response
# columns: its deadline, risk date, the moment it was met and its breach.
# The enquiry response of pre-sale requests is a target of the level's own
# response, as the complaint response is.
import logging

from markupsafe import Markup

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import format_datetime

from .helpdesk_ticket_sla_phase import _sla_status_of

COMMITMENT_TARGETS = [
    ("plan", "Plan Proposal"),
    ("feedback", "Feedback Answer"),
]
PHASE_TARGETS = [("level", "Problem Level"), *COMMITMENT_TARGETS]

_logger = logging.getLogger(__name__)


class HelpdeskTicketSlaPhase(models.Model):
    _inherit = "helpdesk.ticket.sla.phase"

    _commitment_check_idx = models.Index(
        "(next_check) WHERE target != 'level' AND state = 'running'"
    )

    target = fields.Selection(
        selection=PHASE_TARGETS,
        required=True,
        default="level",
        readonly=True,
        index=True,
        help="What the clock measures: the ticket's problem level (response, "
        "resolution, customer updates), the proposal of a service plan after "
        "the confirmed need, or the answer to a customer's feedback.",
    )
    plan_id = fields.Many2one(
        comodel_name="helpdesk.service.plan",
        string="Service Plan",
        readonly=True,
        ondelete="set null",
        index="btree_not_null",
        help="The plan whose review met the plan proposal target.",
    )
    satisfaction_id = fields.Many2one(
        comodel_name="helpdesk.service.satisfaction",
        string="Satisfaction Feedback",
        readonly=True,
        ondelete="cascade",
        index="btree_not_null",
    )

    # ------------------------------------------------------------------
    # Enquiry response: a target of the level's response
    # ------------------------------------------------------------------

    @api.model
    def _sla_request_targets(self, vals, ticket, service_level, calendar):
        """A pre-sale enquiry is answered within the agreement's enquiry
        response (minutes), the stricter of it and the level's response
        target (0: the level's target alone)."""
        super()._sla_request_targets(vals, ticket, service_level, calendar)
        if ticket.request_type != "pre_sale":
            return
        minutes = service_level.agreement_id.enquiry_response_minutes
        targets = [t for t in (vals["response_hours"], minutes / 60.0) if t > 0]
        vals["response_hours"] = min(targets, default=0.0)

    # ------------------------------------------------------------------
    # Commitment clocks: open, met, stopped
    # ------------------------------------------------------------------

    @api.model
    def _sla_open_commitments(self, target, entries, now):
        """Start a ``target`` clock at ``now`` per entry, planned in working
        days on the agreement's working hours, the risk date at the company's
        at-risk share, the calendars read once each.

        :param entries: dicts of ``ticket``, ``agreement`` (or template),
            ``days``, ``user`` and, for a feedback, ``satisfaction``
        :return: the new phases"""
        vals_list = []
        plans = []
        for entry in entries:
            ticket, agreement = entry["ticket"], entry["agreement"]
            calendar = (
                agreement.resource_calendar_id
                or ticket.service_level_id.calendar_id
                or ticket.company_id.resource_calendar_id
            )
            hours = entry["days"] * (calendar.hours_per_day or 8.0)
            vals = {
                "ticket_id": ticket.id,
                "target": target,
                "level": ticket.problem_level,
                "agreement_id": agreement.id if not agreement.is_template else False,
                "service_level_id": ticket.service_level_id.id,
                "calendar_id": calendar.id,
                "team_id": ticket.team_id.id,
                "user_id": entry["user"].id,
                "satisfaction_id": entry.get("satisfaction", self.browse()).id,
                "date_start": now,
                "state": "running",
                "sla_state": "on_track" if calendar else "no_schedule",
                "response_hours": hours,
                "response_deadline": False,
                "response_risk_date": False,
            }
            vals_list.append(vals)
            if calendar:
                ratio = min(ticket.company_id.sla_at_risk_ratio or 1.0, 1.0)
                plans.append((calendar, vals, "response_deadline", hours))
                plans.append((calendar, vals, "response_risk_date", hours * ratio))
        for calendar in {calendar for calendar, *_rest in plans}:
            items = [item for item in plans if item[0] == calendar]
            results = calendar._sla_plan_hours_batch(
                [(now, hours) for _c, _vals, _fname, hours in items]
            )
            for (_c, vals, fname, _hours), result in zip(items, results, strict=True):
                vals[fname] = result
        for vals in vals_list:
            if not vals["response_deadline"]:
                vals.update(sla_state="no_schedule", response_risk_date=False)
            vals["sla_state"], vals["next_check"] = _sla_status_of(vals.get, now)
        phases = self.create(vals_list)
        self.env["helpdesk.ticket"]._sla_trigger_check(phases)
        return phases

    def _sla_commitment_met(self, when, plan=None):
        """The commitment is kept at ``when`` (a plan passed the review, the
        feedback was answered): late, it is breached. A pause still open
        ends first, its working time moving the deadline."""
        phases = self.filtered(lambda phase: phase.state != "done")
        phases._sla_resume(when)
        phases._sla_update_held_hours(when)
        for phase in phases:
            breached = phase.response_breached or bool(
                phase.response_deadline and when > phase.response_deadline
            )
            phase.write(
                {
                    "response_date": when,
                    "response_breached": breached,
                    "plan_id": plan.id if plan else phase.plan_id.id,
                    "state": "done",
                    "date_end": when,
                    "next_check": False,
                    "sla_state": "breached"
                    if breached
                    else ("met" if phase.response_deadline else phase.sla_state),
                }
            )

    def _sla_commitment_drop(self, now):
        """Nothing is owed any more (the request closed without a plan): the
        clock stops, breached if its deadline passed, else it leaves as a
        level left before its deadline does."""
        phases = self.filtered(lambda phase: phase.state != "done")
        phases._sla_resume(now)
        for phase in phases:
            if phase.response_deadline and phase.response_deadline <= now:
                phase.response_breached = True
                phase.sla_state = "breached"
        phases._sla_stop(now)

    # ------------------------------------------------------------------
    # Scheduled check (run by the ticket's SLA check)
    # ------------------------------------------------------------------

    @api.model
    def _sla_commitment_due_domain(self, now):
        return (
            Domain("target", "!=", "level")
            & Domain("state", "=", "running")
            & Domain("next_check", "<=", now)
        )

    @api.model
    def _sla_check_commitments(self, now, batch_size=200):
        """Warn of the commitments at risk, record the breached ones and tell
        their owners: due phases in batches, locked, each batch in a
        savepoint (redone phase by phase when one fails), then wake the
        check up at the next due time."""
        domain = self._sla_commitment_due_domain(now)
        seen = []
        Cron = self.env["ir.cron"]
        while True:
            phases = self.search(
                domain & Domain("id", "not in", seen),
                order="next_check, id",
                limit=batch_size,
            )
            if not phases:
                break
            seen += phases.ids
            locked = phases.try_lock_for_update()
            self.env.invalidate_all()
            locked.filtered_domain(domain)._sla_handle_commitments_batch(now)
            full = len(phases) == batch_size
            if not Cron._commit_progress(len(phases)) or not full:
                break
        following = self.search(
            Domain("target", "!=", "level")
            & Domain("state", "=", "running")
            & Domain("next_check", ">", now),
            order="next_check",
            limit=1,
        )
        self.env["helpdesk.ticket"]._sla_trigger_check(following)

    def _sla_handle_commitments_batch(self, now):
        try:
            with self.env.cr.savepoint():
                self._sla_handle_commitments(now)
            return
        except Exception:  # noqa: BLE001 - redone phase by phase below
            _logger.info("SLA check: a commitment of the batch failed, one by one")
        for phase in self:
            try:
                with self.env.cr.savepoint():
                    phase._sla_handle_commitments(now)
            except Exception:  # one bad clock never blocks the others
                _logger.exception("SLA check of commitment %s failed", phase.id)

    def _sla_handle_commitments(self, now):
        for phase in self:
            breaches, warn = phase._sla_due_events(now)
            if breaches:
                phase.response_breached = True
                phase._sla_commitment_notify("breach", breaches[0][1])
            elif warn:
                phase.at_risk_warned = True
                phase._sla_commitment_notify("at_risk", phase.response_deadline)
            phase._sla_refresh(now)

    # ------------------------------------------------------------------
    # What the owner is told
    # ------------------------------------------------------------------

    def _sla_commitment_record(self):
        """The record the commitment measures: the feedback, or the request."""
        self.ensure_one()
        return self.satisfaction_id or self.ticket_id

    def _sla_commitment_owner(self):
        self.ensure_one()
        record = self._sla_commitment_record()
        return (
            self.user_id
            or record.user_id
            or self.ticket_id.user_id
            or self.ticket_id.team_id.user_id
        )

    def _sla_commitment_message(self, kind, deadline, env, tz):
        when = format_datetime(env, deadline, tz=tz, dt_format="short")
        name = self._sla_commitment_record().display_name
        if self.target == "plan":
            if kind == "breach":
                return env._(
                    "SLA breached: no service plan for %(record)s passed the "
                    "manager's review by %(deadline)s.",
                    record=name,
                    deadline=when,
                )
            return env._(
                "SLA at risk: a service plan for %(record)s is to pass the "
                "manager's review by %(deadline)s.",
                record=name,
                deadline=when,
            )
        if kind == "breach":
            return env._(
                "SLA breached: the customer's feedback %(record)s was not "
                "answered by %(deadline)s.",
                record=name,
                deadline=when,
            )
        return env._(
            "SLA at risk: the customer's feedback %(record)s is to be answered "
            "by %(deadline)s.",
            record=name,
            deadline=when,
        )

    def _sla_commitment_notify(self, kind, deadline):
        """A note on the measured record addressed to its owner, in their
        language and time zone, and, on a request, their SLA follow-up
        to-do (as a deadline at risk of a level gives)."""
        self.ensure_one()
        record = self._sla_commitment_record().sudo()
        user = self._sla_commitment_owner()
        env = record.with_context(
            lang=user.lang or record.company_id.partner_id.lang
        ).env
        tz = self.ticket_id._sla_reader_tz(user)
        text = self._sla_commitment_message(kind, deadline, env, tz)
        record.message_post(
            body=Markup("<p>%s</p>") % text,
            subtype_xmlid="mail.mt_note",
            message_type="comment",
            partner_ids=user.partner_id.ids,
        )
        if user and record._name == "helpdesk.ticket":
            record.activity_schedule(
                "helpdesk_service_agreement.mail_activity_type_sla_followup",
                date_deadline=fields.Date.context_today(record, deadline),
                summary=env._("SLA breached")
                if kind == "breach"
                else env._("SLA at risk"),
                note=text,
                user_id=user.id,
            )
