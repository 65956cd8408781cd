# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from unittest.mock import patch

from odoo.tests import tagged
from odoo.tools import SQL

from .sla_common import CRON, SlaCommon, utc

LOGGER = "odoo.addons.helpdesk_service_agreement.models.helpdesk_ticket"


@tagged("post_install", "-at_install")
class TestSlaCron(SlaCommon):
    def test_failing_ticket_is_skipped(self):
        tickets = self._new_ticket() | self._new_ticket() | self._new_ticket()
        bad = tickets[1]
        Ticket = type(self.env["helpdesk.ticket"])
        handle = Ticket._sla_handle_due

        def flaky(ticket, now):
            if ticket.id == bad.id:
                raise ValueError("broken ticket")
            return handle(ticket, now)

        with (
            patch.object(Ticket, "_sla_handle_due", flaky),
            self.assertLogs(LOGGER, level="ERROR") as logs,
        ):
            self._check("2026-03-05 10:05")
        self.assertIn(f"SLA check of ticket {bad.id} failed", logs.output[0])
        self.assertEqual((tickets - bad).mapped("problem_level"), ["2", "2"])
        self.assertEqual(bad.problem_level, "1")
        self.assertFalse(bad.escalation_ids, "nothing half-written")
        self.assertEqual(bad.sla_phase_id.level, "1")
        # the next run picks it up
        self._check("2026-03-05 11:00")
        self.assertEqual(bad.problem_level, "2")
        self.assertEqual(len(tickets.escalation_ids), 3)

    def test_ticket_locked_by_another_worker_is_skipped(self):
        tickets = self._new_ticket() | self._new_ticket()
        busy = tickets[0]
        Ticket = type(self.env["helpdesk.ticket"])
        lock = Ticket.try_lock_for_update

        def partial_lock(records, **kwargs):
            return lock(records, **kwargs) - busy

        with patch.object(Ticket, "try_lock_for_update", partial_lock):
            self._check("2026-03-05 10:05")
        self.assertEqual(busy.problem_level, "1")
        self.assertEqual(tickets[1].problem_level, "2")
        self._check("2026-03-05 10:06")
        self.assertEqual(busy.problem_level, "2")
        self.assertEqual(len(tickets.escalation_ids), 2)

    def test_cron_wakes_up_at_next_due_time(self):
        ticket = self._new_ticket()
        cron = self.env.ref(CRON)
        self._check("2026-03-02 11:00")
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        self.assertIn(ticket.sla_next_check, triggers.mapped("call_at"))
        self.assertEqual(ticket.sla_next_check, utc("2026-03-04 14:12"))

    def test_new_ticket_triggers_check_only_before_next_regular_run(self):
        cron = self.env.ref(CRON)
        Trigger = self.env["ir.cron.trigger"]
        # the next regular run comes after the new ticket's first check: the
        # ticket wakes the check up at its at-risk time
        cron.nextcall = utc("2026-03-09 10:00")
        before = Trigger.search([("cron_id", "=", cron.id)])
        ticket = self._new_ticket()
        added = Trigger.search([("cron_id", "=", cron.id)]) - before
        self.assertEqual(added.mapped("call_at"), [ticket.sla_next_check])
        # the regular run comes first: no trigger
        cron.nextcall = utc("2026-03-02 10:30")
        before = Trigger.search([("cron_id", "=", cron.id)])
        ticket = self._new_ticket()
        self.assertGreater(ticket.sla_next_check, cron.nextcall)
        self.assertFalse(Trigger.search([("cron_id", "=", cron.id)]) - before)

    def test_ticket_without_team_or_agreement(self):
        other = self.env["res.partner"].create(
            {"name": "HSA Walk-in", "is_company": True}
        )
        self.env["helpdesk.ticket.routing"].search([]).action_archive()
        ticket = self._new_ticket(partner_id=other.id)
        self.assertFalse(ticket.team_id)
        self.assertTrue(ticket.sla_phase_id)
        self.assertTrue(ticket.resolution_deadline)
        self._check("2026-03-20 10:00")
        self.assertEqual(ticket.problem_level, "2")
        self.assertEqual(ticket.escalation_ids.reason, "resolution_breach")

    def _create_count(self, partner, size):
        """Queries of creating ``size`` tickets in one call."""
        vals_list = [
            {
                "name": f"Bulk {i}",
                "description": "<p>bulk</p>",
                "partner_id": partner.id,
                "team_id": self.team_support.id,
            }
            for i in range(size)
        ]
        with self._at_local("2026-03-02 10:00"):
            self.env.flush_all()
            before = self.cr.sql_log_count
            self.env["helpdesk.ticket"].create(vals_list)
            self.env.flush_all()
            return self.cr.sql_log_count - before

    def test_query_count_of_create_is_flat(self):
        """The SLA adds the same number of queries to a create of 1, 10 or 50
        tickets: a constant per batch, none per ticket."""
        plain = self.env["res.partner"].create(
            {"name": "HSA No SLA", "is_company": True}
        )
        self.company.default_service_agreement_id = False
        # warm the caches of both set-ups
        self._create_count(plain, 2)
        self._create_count(self.contact, 2)
        overhead = {}
        for size in (1, 10, 50):
            base = self._create_count(plain, size)
            with_sla = self._create_count(self.contact, size)
            overhead[size] = with_sla - base
        self.assertEqual(overhead[10], overhead[1], overhead)
        self.assertEqual(overhead[50], overhead[1], overhead)
        base = self._create_count(plain, 50)
        vals_list = [
            {
                "name": f"Bulk {i}",
                "description": "<p>bulk</p>",
                "partner_id": self.contact.id,
                "team_id": self.team_support.id,
            }
            for i in range(50)
        ]
        with (
            self._at_local("2026-03-02 10:00"),
            self.assertQueryCount(base + overhead[1]),
        ):
            tickets = self.env["helpdesk.ticket"].create(vals_list)
        self.assertEqual(len(tickets.sla_phase_id), 50)

    def _cron_count(self):
        with self._at_local("2026-03-02 11:00"):
            self.env.flush_all()
            before = self.cr.sql_log_count
            self._run_cron(CRON)
            return self.cr.sql_log_count - before

    def test_query_count_of_check_is_flat(self):
        """A pass of the check over 10 or 1,000 open tickets that are not due
        costs the same queries."""
        tickets = self.env["helpdesk.ticket"]
        for _i in range(10):
            tickets |= self._new_ticket()
        self._cron_count()
        count = self._cron_count()
        self.env.flush_all()
        Ticket = self.env["helpdesk.ticket"]
        columns = [
            name
            for name, field in Ticket._fields.items()
            if field.store and field.column_type and name not in ("id", "number")
        ]
        self.env.cr.execute(
            SQL(
                "INSERT INTO helpdesk_ticket (number, %(columns)s) "
                "SELECT 'HSA-Q' || n, %(values)s FROM helpdesk_ticket t, "
                "generate_series(1, 990) AS n WHERE t.id = %(model)s",
                columns=SQL(", ").join(SQL.identifier(c) for c in columns),
                values=SQL(", ").join(SQL.identifier("t", c) for c in columns),
                model=tickets[0].id,
            )
        )
        self.assertEqual(Ticket.search_count([("number", "=like", "HSA-Q%")]), 990)
        with self.assertQueryCount(count):
            self._run_cron_at("2026-03-02 11:00")

    def test_missed_deadlines_escalate_together(self):
        """Tickets that missed their deadline climb together, each escalation
        recording its own missed deadline; escalating ten tickets costs the
        chatter messages of each, not ten times the pass."""

        def escalate(count, day):
            tickets = self.env["helpdesk.ticket"]
            # working hours of the day (lunch is 12:00-13:00)
            hours = [9, 10, 11, 13, 14, 15, 16, 17]
            for index in range(count):
                tickets |= self._new_ticket(f"{day} {hours[index % 8]:02d}:00")
            self.env.flush_all()
            queries = self.env.cr.sql_log_count
            # a week later every resolution deadline (24 working hours) passed
            self._check(f"{day[:-2]}{int(day[-2:]) + 7:02d} 09:00")
            self.env.flush_all()
            return tickets, self.env.cr.sql_log_count - queries

        _one, one_queries = escalate(1, "2026-03-02")
        ten, ten_queries = escalate(10, "2026-03-16")
        self.assertEqual(set(ten.mapped("problem_level")), {"2"})
        for ticket in ten:
            escalation = ticket.escalation_ids
            self.assertEqual(escalation.reason, "resolution_breach")
            self.assertEqual(
                escalation.missed_deadline,
                ticket.sla_phase_ids[-1:].resolution_deadline,
            )
        self.assertEqual(len(set(ten.escalation_ids.mapped("missed_deadline"))), 8)
        # the messages, activity and e-mail of each escalation (46 queries
        # each when every ticket climbed alone and its owner got three e-mails)
        self.assertLessEqual((ten_queries - one_queries) / 9, 25)

    def test_running_clocks_show_hours_held(self):
        running = self._new_ticket()
        paused = self._new_ticket()
        with self._at_local("2026-03-02 11:00"):
            paused.stage_id = self.stage_waiting
        self.assertEqual(running.sla_phase_id.consumed_hours, 0.0)
        with self._at_local("2026-03-03 10:00"):
            self._run_cron(
                "helpdesk_service_agreement.ir_cron_helpdesk_ticket_sla_held_hours"
            )
        # Monday 7 and Tuesday 1 working hours
        self.assertAlmostEqual(running.sla_phase_id.consumed_hours, 8.0)
        # the hour before the pause
        self.assertAlmostEqual(paused.sla_phase_id.consumed_hours, 1.0)
        # closing counts the same way
        with self._at_local("2026-03-03 10:00"):
            running.stage_id = self.stage_done
            paused.stage_id = self.stage_done
        self.assertAlmostEqual(running.sla_phase_id.consumed_hours, 8.0)
        self.assertAlmostEqual(paused.sla_phase_id.consumed_hours, 1.0)

    def _run_cron_at(self, local):
        with self._at_local(local):
            self._run_cron(CRON)

    def test_ticket_closed_behind_the_orm_is_not_escalated(self):
        ticket = self._new_ticket()
        self.env.flush_all()
        # closed by an import or a script that bypassed the clocks
        self.env.cr.execute(
            SQL(
                "UPDATE helpdesk_ticket SET stage_id = %s WHERE id = %s",
                self.stage_done.id,
                ticket.id,
            )
        )
        self.env.invalidate_all()
        # the due search skips it; were it found, it would be set right
        self._check("2026-03-10 10:00")
        self.assertFalse(ticket.escalation_ids)
        with self._at_local("2026-03-10 10:00"):
            ticket._sla_handle_due(utc("2026-03-10 10:00"))
        self.assertFalse(ticket.escalation_ids)
        self.assertEqual(ticket.sla_phase_id.state, "done")
        self.assertFalse(ticket.sla_next_check)
