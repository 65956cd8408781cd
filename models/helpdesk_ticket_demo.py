# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Demo data only (demo/helpdesk_ticket_demo.xml): the demo tickets are created
# at install time, so their SLA history is replayed at past moments with the
# clock's own methods, which all take the moment they act at. Nothing here is
# called outside the demo data.
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL

# the working time looked back on for the moments of a replay
DEMO_LOOKBACK_DAYS = 120


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    def _demo_replay(self, steps):
        """Replay the history of one demo ticket. ``steps``: ``(hours, action,
        *args)`` in the order they happened, ``hours`` being working hours
        (of the ticket's SLA calendar) before now:

        - ``start``: the ticket came in (its clock and creation date);
        - ``reply``, user xml id, body: a public answer of that user (a new
          ticket moves on to In Progress);
        - ``pause`` / ``resume``: waiting on the customer, and back;
        - ``check``: the scheduled SLA check (at-risk warning, a missed
          deadline at level 3; a climb would start the next level at the real
          now, so the climbs are left to ``_demo_sla_check``);
        - ``transfer``, user xml id, team xml id, assignee xml id or False,
          summary: that user hands the ticket over (the Transfer wizard);
        - ``postmortem``, user xml id, values (paragraphs by field): written
          by that user and done;
        - ``close``: solved at that moment.

        Users act as themselves (the assignee moves the stages), the clock
        and the check as the system. The chatter messages of a step are
        dated at its moment."""
        self.ensure_one()
        ticket = self.sudo()
        now = fields.Datetime.now()
        moments = ticket._demo_moments(now, [step[0] for step in steps])
        for (_hours, action, *args), moment in zip(steps, moments, strict=True):
            self.env.flush_all()
            self.env.cr.execute(SQL("SELECT COALESCE(MAX(id), 0) FROM mail_message"))
            last_message_id = self.env.cr.fetchone()[0]
            getattr(ticket, f"_demo_{action}")(moment, *args)
            # the tracking messages and the stage's e-mail of the step, which
            # Odoo writes before the commit, written now (as mail tests do)
            self.env.cr.precommit.run()
            self.env.flush_all()
            self.env.cr.execute(
                SQL(
                    "UPDATE mail_message SET date = %s WHERE model = %s "
                    "AND res_id = %s AND id > %s",
                    moment,
                    self._name,
                    self.id,
                    0 if action == "start" else last_message_id,
                )
            )
            self.env["mail.message"].invalidate_model(["date"])

    def _demo_moments(self, now, hours_list):
        """The moments ``hours`` working hours before ``now`` on the calendar
        the ticket's clock plans on."""
        calendar = (
            self.service_level_id.calendar_id or self.company_id.resource_calendar_id
        )
        intervals = calendar._sla_work_intervals(
            now - timedelta(days=DEMO_LOOKBACK_DAYS), now
        )
        moments = []
        for hours in hours_list:
            left, moment = hours, None
            for begin, end in reversed(intervals):
                span = (end - begin).total_seconds() / 3600
                if left <= span:
                    moment = end - timedelta(hours=left)
                    break
                left -= span
            moments.append(moment.replace(microsecond=0))
        return moments

    # ------------------------------------------------------------------
    # Steps of a replay, each at its moment
    # ------------------------------------------------------------------

    def _demo_start(self, moment):
        # the clock the install started gives way to one started at the
        # moment the ticket came in
        self.sla_phase_ids.unlink()
        self._sla_start(moment)
        self.env.cr.execute(
            SQL(
                "UPDATE helpdesk_ticket SET create_date = %s WHERE id = %s",
                moment,
                self.id,
            )
        )
        self.invalidate_recordset(["create_date"])

    def _demo_reply(self, moment, user_xmlid, body):
        # the response hook registers the answer at the message's date
        self._demo_as(self.env.ref(user_xmlid)).message_post(
            body=body,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            date=moment,
        )
        if self.stage_id == self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new"):
            self._demo_stage(moment, "helpdesk_mgmt.helpdesk_ticket_stage_in_progress")

    def _demo_pause(self, moment):
        # the clock first, so that the change of stage finds it paused; its
        # reason is the stage it waits in
        awaiting = "helpdesk_mgmt.helpdesk_ticket_stage_awaiting"
        self.sla_phase_id.with_context(
            sla_pause_stage_id=self.env.ref(awaiting).id
        )._sla_pause(moment)
        self._demo_stage(moment, awaiting)

    def _demo_resume(self, moment):
        self.sla_phase_id._sla_resume(moment)
        self._demo_stage(moment, "helpdesk_mgmt.helpdesk_ticket_stage_in_progress")

    def _demo_check(self, moment):
        self._sla_process_due(moment)

    def _demo_transfer(self, moment, by_xmlid, team_xmlid, user_xmlid, summary):
        transfers = self.transfer_ids
        self._demo_as(self.env.ref(by_xmlid)).env[
            "helpdesk.ticket.transfer.wizard"
        ].create(
            {
                "ticket_ids": self.ids,
                "team_id": self.env.ref(team_xmlid).id,
                "user_id": user_xmlid and self.env.ref(user_xmlid).id,
                "summary": summary,
            }
        ).action_transfer()
        (self.transfer_ids - transfers).date = moment

    def _demo_postmortem(self, moment, by_xmlid, values):
        html = {
            fname: Markup("").join(Markup("<p>%s</p>") % text for text in texts)
            for fname, texts in values.items()
        }
        self._demo_as(self.env.ref(by_xmlid)).env["helpdesk.ticket.postmortem"].create(
            dict(html, ticket_id=self.id, date=moment.date())
        ).action_done()

    def _demo_close(self, moment):
        # the clock settles at the moment of the solution, then the ticket
        # closes (its to-dos are settled there)
        self.sla_phase_id._sla_stop(moment, closing=True)
        self._demo_stage(moment, "helpdesk_mgmt.helpdesk_ticket_stage_done")
        self.closed_date = moment
        # the postmortem's timeline ends with the close at its moment
        for postmortem in self.postmortem_ids:
            postmortem.timeline = postmortem.with_context(
                lang=postmortem.user_id.lang
            )._build_timeline()

    def _demo_stage(self, moment, stage_xmlid):
        # moved by the assignee
        self._demo_as(self.user_id or self.env.user).stage_id = self.env.ref(
            stage_xmlid
        )
        self.last_stage_update = moment

    def _demo_as(self, user):
        """The ticket as ``user`` works on it, in their language."""
        return self.with_user(user).with_context(lang=user.lang)

    # ------------------------------------------------------------------
    # After the replays
    # ------------------------------------------------------------------

    @api.model
    def _demo_sla_check(self):
        """The scheduled SLA check and the nightly count of the working hours
        held, as their next runs do, in the install's transaction (the
        scheduled actions commit their progress)."""
        now = fields.Datetime.now()
        self.sudo().search(
            self._sla_due_domain(now), order="sla_next_check, id"
        )._sla_handle_due_batch(now)
        self._sla_schedule_next_check(now)
        self.env["helpdesk.ticket.sla.phase"].sudo().search(
            [("state", "!=", "done")]
        )._sla_update_held_hours(now)
