# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Stays one file (over 400 lines): the phase clock is one state machine on the
# module-level helpers below, its planning, pauses, status and the working
# hours it held read the same columns and cannot be understood apart.
import logging
from collections import defaultdict

from odoo import api, fields, models
from odoo.fields import Domain

from .helpdesk_ticket import PROBLEM_LEVELS, SLA_STATES

# (deadline field, at-risk field, target hours field) of each clock of a phase
SLA_CLOCKS = [
    ("response_deadline", "response_risk_date", "response_hours"),
    ("resolution_deadline", "resolution_risk_date", "resolution_hours"),
    ("next_update_deadline", False, "update_hours"),
]
_CLOCK_FIELDS = [
    fname
    for deadline_field, risk_field, _hours in SLA_CLOCKS
    for fname in (deadline_field, risk_field)
    if fname
]

_logger = logging.getLogger(__name__)


def _sla_pending_of(get):
    """The clocks still running of a phase given by ``get(field name)`` (a
    record's ``__getitem__`` or the values of a phase to create): ``(kind,
    risk date, deadline)``, kind being response, resolution or update."""
    pending = []
    if (
        get("response_deadline")
        and not get("response_date")
        and not get("response_breached")
    ):
        pending.append(
            ("response", get("response_risk_date"), get("response_deadline"))
        )
    if get("resolution_deadline") and not get("resolution_breached"):
        pending.append(
            ("resolution", get("resolution_risk_date"), get("resolution_deadline"))
        )
    if get("next_update_deadline"):
        pending.append(("update", False, get("next_update_deadline")))
    return pending


def _sla_status_of(get, now):
    """``(sla_state, next_check)`` at ``now`` of a phase given by ``get``: a
    phase that is not running, or cannot be scheduled, is not checked."""
    if get("state") != "running" or get("sla_state") == "no_schedule":
        return get("sla_state"), False
    pending = _sla_pending_of(get)
    if get("response_breached") or get("resolution_breached"):
        sla_state = "breached"
    elif any(risk and risk <= now for kind, risk, _d in pending if kind != "update"):
        sla_state = "at_risk"
    else:
        sla_state = "on_track"
    moments = [deadline for _kind, _risk, deadline in pending]
    moments += [
        risk
        for _kind, risk, _deadline in pending
        if risk and (risk > now or not get("at_risk_warned"))
    ]
    return sla_state, min(moments, default=False)


class HelpdeskTicketSlaPhase(models.Model):
    """The clock of one problem level of a ticket (问题分级): it starts when the
    ticket enters the level and ends when the ticket leaves it or closes, so a
    change of level keeps the time each level held the ticket."""

    _name = "helpdesk.ticket.sla.phase"
    _description = "Ticket SLA Phase"
    _order = "date_start desc, id desc"
    _rec_name = "level"
    _check_company_auto = True

    _dates_ordered = models.Constraint(
        "CHECK(date_end IS NULL OR date_end >= date_start)",
        lambda env, diag: env._("An SLA phase cannot end before it starts."),
    )

    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    # not precomputed: the ORM would compute them on a new record per phase;
    # computed after the insert, they cost one update for the whole batch
    company_id = fields.Many2one(related="ticket_id.company_id", store=True, index=True)
    commercial_partner_id = fields.Many2one(
        related="ticket_id.commercial_partner_id", string="Customer", store=True
    )
    agreement_id = fields.Many2one(
        comodel_name="agreement",
        string="Service Agreement",
        readonly=True,
        help="The agreement whose service level set this phase's targets.",
    )
    level = fields.Selection(selection=PROBLEM_LEVELS, required=True, readonly=True)
    service_level_id = fields.Many2one(
        comodel_name="agreement.service.level",
        ondelete="set null",
        readonly=True,
    )
    calendar_id = fields.Many2one(
        comodel_name="resource.calendar", string="Working Hours", readonly=True
    )
    team_id = fields.Many2one(comodel_name="helpdesk.ticket.team", readonly=True)
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Owner",
        readonly=True,
        help="Who owned the ticket when it entered the level.",
    )
    date_start = fields.Datetime(string="Start", required=True, readonly=True)
    date_end = fields.Datetime(string="End", readonly=True)
    state = fields.Selection(
        selection=[("running", "Running"), ("paused", "Paused"), ("done", "Done")],
        required=True,
        default="running",
        readonly=True,
    )
    sla_state = fields.Selection(
        selection=SLA_STATES, string="SLA Status", default="on_track", readonly=True
    )
    response_hours = fields.Float(string="Response Target (h)", readonly=True)
    resolution_hours = fields.Float(string="Resolution Target (h)", readonly=True)
    update_hours = fields.Float(string="Customer Update Interval (h)", readonly=True)
    response_risk_date = fields.Datetime(string="Response At Risk", readonly=True)
    response_deadline = fields.Datetime(readonly=True)
    response_date = fields.Datetime(
        string="Responded On",
        readonly=True,
        help="First public answer of the staff to the customer in this phase.",
    )
    resolution_risk_date = fields.Datetime(string="Resolution At Risk", readonly=True)
    resolution_deadline = fields.Datetime(readonly=True)
    next_update_deadline = fields.Datetime(string="Next Customer Update", readonly=True)
    response_breached = fields.Boolean(readonly=True)
    resolution_breached = fields.Boolean(readonly=True)
    at_risk_warned = fields.Boolean(
        readonly=True, help="The owner was warned that a deadline is at risk."
    )
    next_check = fields.Datetime(
        readonly=True, help="When the scheduled check looks at this phase again."
    )
    consumed_hours = fields.Float(
        string="Working Hours Held",
        readonly=True,
        aggregator="sum",
        help="Working hours the ticket spent at this level, pauses excluded: "
        "counted when the phase ends, and every night while it runs.",
    )
    paused_hours = fields.Float(
        string="Working Hours Paused", readonly=True, aggregator="sum"
    )
    pause_ids = fields.One2many(
        comodel_name="helpdesk.ticket.sla.pause",
        inverse_name="phase_id",
        string="Pauses",
        readonly=True,
    )
    # figures of the SLA compliance report (helpdesk.sla.report), kept when
    # they happen: the working time of the first response and of the
    # resolution at this level
    response_work_hours = fields.Float(
        string="Working Hours to Respond",
        compute="_compute_response_work_hours",
        store=True,
        aggregator="avg",
        help="Working hours from the start of the level to its first public "
        "answer, pauses excluded.",
    )
    resolution_date = fields.Datetime(
        string="Resolved On",
        readonly=True,
        help="When the ticket closed at this level: its working hours held "
        "are then the time the level took to resolve it.",
    )

    # ------------------------------------------------------------------
    # Computes: figures of the SLA compliance report
    # ------------------------------------------------------------------

    @api.depends(
        "date_start",
        "response_date",
        "calendar_id",
        "pause_ids.date_start",
        "pause_ids.date_end",
    )
    def _compute_response_work_hours(self):
        """Working hours from the start to the response, less the pauses
        before the response: the working time read once per calendar."""
        self.response_work_hours = 0.0
        answered = self.filtered(
            lambda phase: phase.response_date and phase.calendar_id
        )
        for calendar, phases in answered.grouped("calendar_id").items():
            # per phase: start to response, then each pause before the response
            spans = {}
            for phase in phases:
                end = phase.response_date
                spans[phase] = [(phase.date_start, end)] + [
                    (pause.date_start, min(pause.date_end or end, end))
                    for pause in phase.pause_ids
                    if pause.date_start < end
                ]
            hours = iter(
                calendar._sla_work_hours_batch(
                    [span for phase_spans in spans.values() for span in phase_spans]
                )
            )
            for phase, phase_spans in spans.items():
                worked, *paused = [next(hours) for _span in phase_spans]
                phase.response_work_hours = round(max(worked - sum(paused), 0.0), 4)

    # ------------------------------------------------------------------
    # Business methods: every method works on a batch, reading the working
    # intervals once per calendar
    # ------------------------------------------------------------------

    @api.model
    def _sla_plan(self, entries, now):
        """Targets and deadlines of clocks under their ticket's service level,
        planned in working hours on its calendar (the company's when the
        level has none), the working time read once per calendar.

        :param entries: list of ``(ticket, start, paused hours)``: response
            and resolution are counted from ``start``, the working hours
            already paused added (as a resume would); the customer-update
            interval runs from ``now``
        :return: one dict of phase values per entry"""
        vals_list = []
        plans = defaultdict(list)
        for ticket, start, paused in entries:
            service_level = ticket.service_level_id
            calendar = (
                service_level.calendar_id or ticket.company_id.resource_calendar_id
            )
            vals = dict.fromkeys(_CLOCK_FIELDS, False)
            vals.update(
                {
                    "agreement_id": service_level.agreement_id.id
                    if not service_level.agreement_id.is_template
                    else False,
                    "service_level_id": service_level.id,
                    "calendar_id": calendar.id,
                    "response_hours": service_level.response_hours,
                    "resolution_hours": service_level.resolution_hours,
                    "update_hours": service_level.update_hours,
                    "sla_state": "on_track",
                }
            )
            vals_list.append(vals)
            if not calendar:
                vals["sla_state"] = "no_schedule"
                continue
            self._sla_request_targets(vals, ticket, service_level, calendar)
            ratio = min(ticket.company_id.sla_at_risk_ratio or 1.0, 1.0)
            for deadline_field, risk_field, hours_field in SLA_CLOCKS:
                hours = vals[hours_field]
                if hours <= 0:
                    continue
                if not risk_field:
                    plans[calendar].append((vals, deadline_field, now, hours))
                    continue
                plans[calendar].append((vals, deadline_field, start, hours + paused))
                if ratio < 1:
                    plans[calendar].append(
                        (vals, risk_field, start, hours * ratio + paused)
                    )
        for calendar, items in plans.items():
            results = calendar._sla_plan_hours_batch(
                [(start, hours) for _vals, _fname, start, hours in items]
            )
            for (vals, fname, _start, _hours), result in zip(
                items, results, strict=True
            ):
                vals[fname] = result
                if not result:
                    vals["sla_state"] = "no_schedule"
        for vals in vals_list:
            if vals["sla_state"] == "no_schedule":
                vals.update(dict.fromkeys(_CLOCK_FIELDS, False))
                continue
            # a deadline planned at ratio 1 is its own risk date
            for deadline_field, risk_field, _hours in SLA_CLOCKS:
                if risk_field and not vals[risk_field]:
                    vals[risk_field] = vals[deadline_field]
        return vals_list

    @api.model
    def _sla_request_targets(self, vals, ticket, service_level, calendar):
        """The agreement's targets of the ticket's request type that apply
        at every level (complaints here; pre-sale enquiries in
        helpdesk_ticket_sla_phase_commitment.py)."""
        if ticket.request_type == "complaint":
            self._sla_complaint_targets(vals, service_level, calendar)

    @api.model
    def _sla_complaint_targets(self, vals, service_level, calendar):
        """A complaint's targets: its agreement's complaint response (minutes)
        and feedback (working days of the calendar) apply at every level, the
        stricter of them and the level's own targets wins (0: no target)."""
        agreement = service_level.agreement_id
        for hours_field, hours in (
            ("response_hours", agreement.complaint_response_minutes / 60.0),
            (
                "resolution_hours",
                agreement.complaint_feedback_days * (calendar.hours_per_day or 8.0),
            ),
        ):
            targets = [target for target in (vals[hours_field], hours) if target > 0]
            vals[hours_field] = min(targets, default=0.0)

    @api.model
    def _sla_open(self, tickets, now):
        """Start the clock of each ticket's current level at ``now``. Tickets
        without a service level get no clock."""
        tickets = tickets.filtered("service_level_id")
        vals_list = self._sla_plan([(ticket, now, 0.0) for ticket in tickets], now)
        for ticket, vals in zip(tickets, vals_list, strict=True):
            vals.update(
                {
                    "ticket_id": ticket.id,
                    "level": ticket.problem_level,
                    "team_id": ticket.team_id.id,
                    "user_id": ticket.user_id.id,
                    "date_start": now,
                    "state": "running",
                }
            )
            # status and next check are known before the phases exist: no
            # second write of the new rows
            vals["sla_state"], vals["next_check"] = _sla_status_of(vals.get, now)
        return self.create(vals_list)

    def _sla_replan(self, now):
        """Apply their ticket's new service level to open phases: same start
        and level, new targets, deadlines planned again from the start. A
        deadline already missed stays recorded as missed."""
        vals_list = self._sla_plan(
            [(phase.ticket_id, phase.date_start, phase.paused_hours) for phase in self],
            now,
        )
        for phase, vals in zip(self, vals_list, strict=True):
            if vals["sla_state"] != "no_schedule" and (
                phase.response_breached or phase.resolution_breached
            ):
                vals["sla_state"] = "breached"
            phase.write(vals)
        self._sla_refresh(now)

    def _sla_update_held_hours(self, now):
        """Working hours the open phases held so far (pauses excluded), as
        the closing of the phase would count them: the compliance report then
        shows the clocks still running too."""
        phases = self.filtered(lambda phase: phase.state != "done")
        open_pauses = {
            pause.phase_id: pause for pause in phases.pause_ids if not pause.date_end
        }
        for calendar, calendar_phases in phases.grouped("calendar_id").items():
            if not calendar:
                continue
            pauses = [open_pauses.get(phase) for phase in calendar_phases]
            hours = calendar._sla_work_hours_batch(
                [(phase.date_start, now) for phase in calendar_phases]
                + [(pause.date_start, now) for pause in pauses if pause]
            )
            paused_now = iter(hours[len(calendar_phases) :])
            for phase, pause, worked in zip(
                calendar_phases, pauses, hours, strict=False
            ):
                held = worked - phase.paused_hours
                if pause:
                    held -= next(paused_now)
                held = round(max(held, 0.0), 4)
                if held != phase.consumed_hours:
                    phase.consumed_hours = held

    @api.model
    def _cron_update_held_hours(self, batch_size=1000):
        """Nightly: the working hours held by the clocks still running, for
        the SLA compliance report, in batches committed as they go."""
        now = fields.Datetime.now()
        domain = Domain("state", "!=", "done")
        last_id = 0
        Cron = self.env["ir.cron"]
        while True:
            phases = self.search(
                domain & Domain("id", ">", last_id), order="id", limit=batch_size
            )
            if not phases:
                break
            last_id = phases[-1].id
            phases._sla_update_held_hours_batch(now)
            remaining = self.search_count(domain & Domain("id", ">", last_id))
            if not Cron._commit_progress(len(phases), remaining=remaining):
                break
            if not remaining:
                break

    def _sla_update_held_hours_batch(self, now):
        """Count a batch in one savepoint; if a phase fails (a broken
        calendar), redo the batch phase by phase so that only the failing
        ones are logged and skipped."""
        try:
            with self.env.cr.savepoint():
                self._sla_update_held_hours(now)
            return
        except Exception:  # noqa: BLE001 - redone phase by phase below
            _logger.info("Held hours: a phase of the batch failed, counting one by one")
        for phase in self:
            try:
                with self.env.cr.savepoint():
                    phase._sla_update_held_hours(now)
            except Exception:  # one bad calendar never blocks the others
                _logger.exception("Held hours of SLA phase %s failed", phase.id)

    def _sla_pending(self):
        """The clocks of the phase still running: ``(kind, risk date,
        deadline)``, kind being response, resolution or update."""
        self.ensure_one()
        return _sla_pending_of(self.__getitem__)

    def _sla_due_events(self, now):
        """What happened by ``now``: the missed deadlines ``[(kind,
        deadline)]``, earliest first, and whether the owner is to be warned
        that a deadline is at risk."""
        self.ensure_one()
        if self.state != "running":
            return [], False
        pending = self._sla_pending()
        breaches = sorted(
            ((kind, deadline) for kind, _risk, deadline in pending if deadline <= now),
            key=lambda item: item[1],
        )
        warn = not self.at_risk_warned and any(
            risk and risk <= now for _kind, risk, _deadline in pending
        )
        return breaches, warn

    def _sla_refresh(self, now):
        """Status and next check time of the phases at ``now``, in memory."""
        for phase in self:
            sla_state, next_check = _sla_status_of(phase.__getitem__, now)
            if sla_state != phase.sla_state:
                phase.sla_state = sla_state
            if next_check != phase.next_check:
                phase.next_check = next_check

    def _sla_close_pauses(self, now):
        """End the open pauses of the phases at ``now`` and return the working
        hours paused per phase."""
        pauses = self.pause_ids.filtered(lambda pause: not pause.date_end)
        paused = defaultdict(float)
        for calendar, calendar_pauses in pauses.grouped(
            lambda pause: pause.phase_id.calendar_id
        ).items():
            hours_list = (
                calendar._sla_work_hours_batch(
                    [(pause.date_start, now) for pause in calendar_pauses]
                )
                if calendar
                else [0.0] * len(calendar_pauses)
            )
            for pause, hours in zip(calendar_pauses, hours_list, strict=True):
                pause.write({"date_end": now, "paused_hours": hours})
                paused[pause.phase_id] += hours
        for phase, hours in paused.items():
            phase.paused_hours += hours
        return paused

    def _sla_pause(self, now):
        """Stop the clocks of the running phases (the ticket waits on the
        customer)."""
        running = self.filtered(lambda phase: phase.state == "running")
        if not running:
            return
        self.env["helpdesk.ticket.sla.pause"].create(
            [
                {
                    "phase_id": phase.id,
                    "ticket_id": phase.ticket_id.id,
                    "date_start": now,
                }
                for phase in running
            ]
        )
        running.write({"state": "paused", "next_check": False})

    def _sla_resume(self, now):
        """Restart the clocks of the paused phases: their pending deadlines
        move by exactly the working time the pause took."""
        paused = self.filtered(lambda phase: phase.state == "paused")
        if not paused:
            return
        hours_by_phase = paused._sla_close_pauses(now)
        shifts = defaultdict(list)
        for phase in paused:
            hours = hours_by_phase.get(phase, 0.0)
            if hours <= 0:
                continue
            kinds = {kind for kind, _risk, _deadline in phase._sla_pending()}
            for kind, (deadline_field, risk_field, _hours) in zip(
                ("response", "resolution", "update"), SLA_CLOCKS, strict=True
            ):
                if kind not in kinds:
                    continue
                for fname in filter(None, (deadline_field, risk_field)):
                    if phase[fname]:
                        shifts[phase.calendar_id].append((phase, fname, hours))
        for calendar, items in shifts.items():
            results = calendar._sla_plan_hours_batch(
                [(phase[fname], hours) for phase, fname, hours in items]
            )
            for (phase, fname, _hours), result in zip(items, results, strict=True):
                if result:
                    phase[fname] = result
        paused.state = "running"
        paused._sla_refresh(now)

    def _sla_stop(self, now, closing=False):
        """End the open phases at ``now``: the ticket leaves the level, or
        closes (``closing``: the resolution is met or breached for good)."""
        phases = self.filtered(lambda phase: phase.state != "done")
        if not phases:
            return
        phases._sla_close_pauses(now)
        phases._sla_update_held_hours(now)
        for phase in phases:
            vals = {"state": "done", "date_end": now, "next_check": False}
            if closing and phase.sla_state != "no_schedule":
                # the level the ticket is resolved at (compliance report)
                vals["resolution_date"] = now
                for kind, _risk, deadline in phase._sla_pending():
                    if kind != "update" and deadline < now:
                        vals[f"{kind}_breached"] = True
                # closed without the customer ever getting an answer: the
                # response target of the level is not met, whatever the time
                if (
                    phase.response_deadline
                    and not phase.response_date
                    and not phase.ticket_id.first_response_date
                ):
                    vals["response_breached"] = True
                breached = vals.get("response_breached") or vals.get(
                    "resolution_breached"
                )
                vals["sla_state"] = (
                    "breached" if breached or phase.ticket_id.sla_breached else "met"
                )
            phase.write(vals)
