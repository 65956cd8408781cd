#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark: the appraisals of a quarter (考核与评估), in figures.

On an existing database with the addon (a copy: everything is rolled back),
creates ``--members`` service agents (500 by default) in one team and
inserts ``--tickets`` tickets (100,000 by default) closed during a past
quarter, spread over the members, each with its SLA clock (response and
resolution working hours, one in ten breached) and one in fifty a complaint
naming its agent. Then prints the seconds and queries of computing the
figures of the members' appraisals of that quarter, for 50 members and for
all of them (the queries must be the same), and of preparing them (creation
included):

    python3 tools/bench_appraisal.py --db hsa_bench_appraisal
"""

import argparse
import os
import sys
import time
from datetime import date, datetime

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchmark import addons_path, measure

from odoo import api
from odoo.api import SUPERUSER_ID
from odoo.modules.registry import Registry
from odoo.tools import SQL, config

QUARTER = date(2026, 4, 1)


def populate(env, members, count):
    """``count`` closed tickets of the quarter with their clocks, in SQL."""
    team = env["helpdesk.ticket.team"].create(
        {"name": "Bench appraisal team", "user_ids": [(6, 0, members.ids)]}
    )
    customer = env["res.partner"].create(
        {"name": "Bench appraisal customer", "is_company": True}
    )
    model = env["helpdesk.ticket"].create(
        {
            "name": "model",
            "description": "x",
            "team_id": team.id,
            "partner_id": customer.id,
        }
    )
    env.flush_all()
    Ticket, Phase = env["helpdesk.ticket"], env["helpdesk.ticket.sla.phase"]
    columns = [
        name
        for name, field in Ticket._fields.items()
        if field.store
        and field.column_type
        and name
        not in (
            "id",
            "number",
            "name",
            "user_id",
            "closed_date",
            "create_date",
            "request_type",
            "complained_user_id",
        )
    ]
    start = datetime.combine(QUARTER, datetime.min.time())
    env.cr.execute(
        SQL(
            """
        INSERT INTO helpdesk_ticket (number, name, user_id, closed_date,
            create_date, request_type, complained_user_id, %(columns)s)
        SELECT 'BENCHA' || n, 'Closed ticket ' || n,
               (%(users)s::int[])[1 + n %% %(size)s],
               %(start)s + (n %% 90) * interval '1 day' + interval '10 hours',
               %(start)s + (n %% 90) * interval '1 day',
               CASE WHEN n %% 50 = 0 THEN 'complaint' ELSE 'after_sale' END,
               CASE WHEN n %% 50 = 0
                    THEN (%(users)s::int[])[1 + (n / 50) %% %(size)s] END,
               %(values)s
          FROM helpdesk_ticket t, generate_series(1, %(count)s) AS n
         WHERE t.id = %(model)s
        RETURNING id
        """,
            columns=SQL(", ").join(SQL.identifier(c) for c in columns),
            values=SQL(", ").join(SQL.identifier("t", c) for c in columns),
            users=members.ids,
            size=len(members),
            start=start,
            count=count,
            model=model.id,
        )
    )
    ids = [row[0] for row in env.cr.fetchall()]
    phase_columns = [
        name
        for name, field in Phase._fields.items()
        if field.store and field.column_type and name not in ("id", "ticket_id")
    ]
    env.cr.execute(
        SQL(
            """
        INSERT INTO helpdesk_ticket_sla_phase (ticket_id, %(columns)s)
        SELECT t.id, %(values)s
          FROM helpdesk_ticket t, helpdesk_ticket_sla_phase p
         WHERE t.id = ANY(%(ids)s) AND p.id = %(phase)s;
        UPDATE helpdesk_ticket_sla_phase p
           SET user_id = t.user_id, date_start = t.create_date,
               date_end = t.closed_date, state = 'done',
               response_deadline = t.create_date + interval '4 hours',
               response_date = t.create_date + interval '1 hour',
               response_work_hours = 0.5 + (t.id %% 7),
               resolution_deadline = t.create_date + interval '24 hours',
               resolution_date = t.closed_date,
               resolution_breached = (t.id %% 10 = 0),
               consumed_hours = 2 + (t.id %% 13)
          FROM helpdesk_ticket t
         WHERE p.ticket_id = t.id AND t.id = ANY(%(ids)s)
        """,
            columns=SQL(", ").join(SQL.identifier(c) for c in phase_columns),
            values=SQL(", ").join(SQL.identifier("p", c) for c in phase_columns),
            ids=ids,
            phase=model.sla_phase_id.id,
        )
    )
    env.cr.execute("ANALYZE helpdesk_ticket")
    env.cr.execute("ANALYZE helpdesk_ticket_sla_phase")
    env.invalidate_all()
    return team


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--members", type=int, default=500)
    parser.add_argument("--tickets", type=int, default=100_000)
    args = parser.parse_args()
    config.parse_config([f"--addons-path={addons_path()}", "--log-level=warn"])
    registry = Registry(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        group = env.ref("helpdesk_service_agreement.group_service_agent")
        started = time.perf_counter()
        members = (
            env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                [
                    {
                        "name": f"Bench member {i}",
                        "login": f"bench_member_{i}",
                        "group_ids": [(6, 0, group.ids)],
                    }
                    for i in range(args.members)
                ]
            )
        )
        team = populate(env, members, args.tickets)
        print(
            f"set-up: {args.members} members, {args.tickets} tickets "
            f"({time.perf_counter() - started:.1f} s)"
        )
        Appraisal = env["helpdesk.service.appraisal"]
        print(f"{'members':>9}{'seconds':>9}{'queries':>9}")
        for subset in (members[:50], members):
            appraisals = Appraisal.create(
                [
                    {
                        "user_id": user.id,
                        "team_id": team.id,
                        "period_type": "quarter",
                        "date_start": QUARTER,
                    }
                    for user in subset
                ]
            )
            env.flush_all()
            env.invalidate_all()
            with measure(cr) as figures:
                appraisals._compute_figures()
                env.flush_all()
            print(f"{len(subset):>9}{figures['seconds']:>9.2f}{figures['queries']:>9}")
            handled = sum(appraisals.mapped("tickets_handled"))
            if subset != members:
                appraisals.unlink()
        print(f"tickets handled over the {len(members)} appraisals: {handled}")
        cr.rollback()


if __name__ == "__main__":
    main()
