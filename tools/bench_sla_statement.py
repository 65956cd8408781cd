#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark: the monthly SLA statements (服务水平报告) of many agreements.

On a database with the addon installed (``--db``; it is changed and
committed: use a copy), creates A active agreements (1,000 by default) of as
many customers, with the standard service levels and a credit schedule, and
last month's tickets spread over them with their SLA clocks at levels 1 and
2 (one response in seven missed, one resolution in eleven), pauses (six
tickets in ten: waiting on the customer, waiting for parts, or without a
recorded reason, at both levels in every agreement) and escalations (one
ticket in thirteen). The rows are
copied in SQL from one agreement and one ticket made through the ORM, so
that the set-up takes seconds.

Then runs the statement cron (every agreement's statement of last month
drafted, figures, pauses by reason and credit computed, a to-do for the
agreement's responsible) and prints its wall time and SQL query count, at
each ticket count given (10,000 and 100,000 by default; the statements are
deleted between the runs, after a first run that fills the registry's
caches): the query count must be the same at both.

    python3 tools/bench_sla_statement.py --db hsa_bench_statement \\
        --agreements 1000 --tickets 10000 100000
"""

import argparse
import sys
import time
from datetime import date, timedelta

try:
    from odoo import api
    from odoo.api import SUPERUSER_ID
    from odoo.modules.registry import Registry
    from odoo.tools import SQL, config
except ImportError:
    sys.exit("Odoo 19.0 must be importable from this python3.")

try:
    from bench_health import clone, columns
except ImportError:  # run from elsewhere than tools/
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from bench_health import clone, columns

MODULE = "helpdesk_service_agreement"


def last_month():
    end = date.today().replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


def build_agreements(env, count, month_start):
    """``count`` active agreements of as many customers: one made through
    the ORM, the others copied in SQL with its service levels and credit
    schedule. Returns their ids."""
    cr = env.cr
    partner = env["res.partner"].create(
        {"name": "Bench Statement Customer", "is_company": True}
    )
    agreement = env["agreement"].create(
        {
            "name": "Bench Statement Agreement",
            "code": "BENCH-STMT-0",
            "partner_id": partner.id,
            "template_id": env.ref(f"{MODULE}.agreement_template_default").id,
            "signature_date": month_start - timedelta(days=90),
            "start_date": month_start - timedelta(days=60),
            "end_date": month_start + timedelta(days=300),
            "acceptance_required": False,
            "service_credit_monthly_fee": 10000.0,
            "service_credit_per_breach": 200.0,
            "service_credit_cap_percent": 25.0,
            "service_credit_line_ids": [
                (0, 0, {"compliance_below": 95.0, "credit_percent": 5.0}),
                (0, 0, {"compliance_below": 80.0, "credit_percent": 10.0}),
            ],
        }
    )
    agreement.service_level_ids.filtered(
        lambda level: (
            level.owner_type == "emergency_team"
            and not level.owner_team_id
            and not level.owner_user_ids
        )
    ).owner_user_ids = env.ref("base.user_admin")
    agreement.action_activate()
    env.flush_all()
    partner_ids = clone(
        cr,
        "res_partner",
        partner.id,
        SQL("generate_series(1, %s) AS src(n)", count - 1),
        {
            "name": SQL("'Bench Statement Customer ' || src.n"),
            "complete_name": SQL("'Bench Statement Customer ' || src.n"),
            "customer_code": SQL("'BENCH-STMT-' || src.n"),
        },
    )
    cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)",
        [partner_ids],
    )
    agreement_cols = columns(cr, "agreement")
    overrides = {
        "partner_id": SQL("src.pid"),
        "name": SQL("'Bench Statement Agreement ' || src.pid"),
        "code": SQL("'BENCH-STMT-' || src.pid"),
    }
    for col in ("commercial_partner_id", "number", "access_token"):
        if col in agreement_cols:
            overrides[col] = (
                SQL("src.pid")
                if col == "commercial_partner_id"
                else SQL("'BENCH-STMT-' || src.pid || '-' || random()")
            )
    agreement_ids = clone(
        cr,
        "agreement",
        agreement.id,
        SQL("unnest(%s::int[]) AS src(pid)", partner_ids),
        overrides,
    )
    source = SQL("unnest(%s::int[]) AS src(aid)", agreement_ids)
    for table, lines in (
        ("agreement_service_level", agreement.service_level_ids),
        ("agreement_service_credit_line", agreement.service_credit_line_ids),
    ):
        for line in lines:
            clone(cr, table, line.id, source, {"agreement_id": SQL("src.aid")})
    env.invalidate_all()
    return [agreement.id, *agreement_ids]


def add_tickets(env, template, agreement_ids, first, count, month_start, stages):
    """Tickets ``first`` to ``first + count - 1`` of last month, spread over
    the agreements, with their clocks, pauses and escalations."""
    cr = env.cr
    ticket, phase, escalation = template
    n = SQL("g.n")
    source = SQL(
        "generate_series(%s, %s) AS g(n),"
        " LATERAL (SELECT (%s::int[])[1 + (g.n - 1) %% %s] AS aid) a,"
        " LATERAL (SELECT commercial_partner_id AS pid FROM agreement"
        "          WHERE id = a.aid) p,"
        " LATERAL (SELECT %s::timestamp + (g.n %% 648) * interval '1 hour'"
        "          AS ts) d",
        first,
        first + count - 1,
        agreement_ids,
        len(agreement_ids),
        month_start,
    )
    ticket_cols = columns(cr, "helpdesk_ticket")
    overrides = {
        "partner_id": SQL("p.pid"),
        "commercial_partner_id": SQL("p.pid"),
        "agreement_id": SQL("a.aid"),
        "name": SQL("'Bench statement ' || %s", n),
        "create_date": SQL("d.ts"),
    }
    for col in ("number", "access_token"):
        if col in ticket_cols:
            overrides[col] = SQL("'BS' || %s || '-' || random()", n)
    ticket_ids = clone(cr, "helpdesk_ticket", ticket.id, source, overrides)
    cr.execute(
        SQL(
            "SELECT t.id, t.agreement_id, t.commercial_partner_id, t.create_date,"
            "       %s + row_number() OVER (ORDER BY t.id) - 1"
            "  FROM helpdesk_ticket t WHERE t.id = ANY(%s)",
            first,
            ticket_ids,
        )
    )
    # (ticket, agreement, customer, date, rank of the ticket in its agreement)
    rows = [
        (tid, aid, pid, ts, (n - 1) // len(agreement_ids))
        for tid, aid, pid, ts, n in cr.fetchall()
    ]
    src = SQL(
        "unnest(%s::int[], %s::int[], %s::int[], %s::timestamp[], %s::int[])"
        " AS src(tid, aid, pid, ts, n)",
        *([row[i] for row in rows] for i in range(5)),
    )
    phase_ids = clone(
        cr,
        "helpdesk_ticket_sla_phase",
        phase.id,
        src,
        {
            "ticket_id": SQL("src.tid"),
            "agreement_id": SQL("src.aid"),
            "commercial_partner_id": SQL("src.pid"),
            "level": SQL("CASE WHEN src.n %% 2 = 1 THEN '2' ELSE '1' END"),
            "state": SQL("'done'"),
            "date_start": SQL("src.ts"),
            "date_end": SQL("src.ts + interval '6 hours'"),
            "response_date": SQL("src.ts + interval '1 hour'"),
            "response_deadline": SQL("src.ts + interval '4 hours'"),
            "response_work_hours": SQL("1 + src.n %% 5"),
            "resolution_date": SQL("src.ts + interval '6 hours'"),
            "resolution_deadline": SQL("src.ts + interval '24 hours'"),
            "consumed_hours": SQL("2 + src.n %% 30"),
            "response_breached": SQL("src.n %% 7 = 0"),
            "resolution_breached": SQL("src.n %% 11 = 0"),
            "paused_hours": SQL("CASE WHEN src.n %% 10 < 6 THEN 2 ELSE 0 END"),
        },
    )
    # six tickets in ten paused: on the customer, for parts, no reason kept,
    # by the rank of the ticket, so that each level of every agreement has
    # each reason whatever the number of tickets
    cr.execute(
        SQL(
            """
            INSERT INTO helpdesk_ticket_sla_pause
                   (ticket_id, phase_id, company_id, stage_id, date_start,
                    date_end, paused_hours, create_uid, create_date, write_uid,
                    write_date)
            SELECT phase.ticket_id, phase.id, phase.company_id,
                   (%s::int[])[1 + (src.n %% 10 / 2) %% 3], phase.date_start,
                   phase.date_start + interval '2 hours', 2.0, 1, now(), 1, now()
              FROM helpdesk_ticket_sla_phase phase
              JOIN unnest(%s::int[], %s::int[]) AS src(tid, n)
                ON src.tid = phase.ticket_id
             WHERE phase.id = ANY(%s) AND phase.paused_hours > 0
            """,
            stages,
            [row[0] for row in rows],
            [row[4] for row in rows],
            phase_ids,
        )
    )
    escalated = [(tid, ts) for tid, _a, _p, ts, n in rows if n % 13 == 0]
    if escalated:
        clone(
            cr,
            "helpdesk_ticket_escalation",
            escalation.id,
            SQL(
                "unnest(%s::int[], %s::timestamp[]) AS src(tid, ts)",
                [e[0] for e in escalated],
                [e[1] for e in escalated],
            ),
            {
                "ticket_id": SQL("src.tid"),
                "date": SQL("src.ts + interval '2 hours'"),
                "direction": SQL("'up'"),
            },
        )
    env.invalidate_all()
    return len(ticket_ids)


def template_rows(env, agreement_id, stages):
    agreement = env["agreement"].browse(agreement_id)
    ticket = env["helpdesk.ticket"].create(
        {
            "name": "Bench statement template",
            "description": "<p>x</p>",
            "partner_id": agreement.partner_id.id,
        }
    )
    phase = ticket.sla_phase_ids[:1]
    if not phase or phase.agreement_id != agreement:
        sys.exit("The template ticket got no clock under the bench agreement.")
    escalation = (
        env["helpdesk.ticket.escalation"]
        .sudo()
        .create(
            {
                "ticket_id": ticket.id,
                "from_level": "1",
                "to_level": "2",
                "reason": "manual",
            }
        )
    )
    env.flush_all()
    # out of the month: the template rows count nowhere
    env.cr.execute(
        "UPDATE helpdesk_ticket_sla_phase SET date_start = %s WHERE id = %s",
        ["2000-01-01", phase.id],
    )
    env.cr.execute(
        "UPDATE helpdesk_ticket_escalation SET date = %s WHERE id = %s",
        ["2000-01-01", escalation.id],
    )
    return ticket, phase, escalation


def run(env, agreement_ids, tickets, quiet=False):
    Statement = env["helpdesk.service.sla.statement"]
    env.cr.execute(
        "DELETE FROM helpdesk_service_sla_statement WHERE agreement_id = ANY(%s)",
        [agreement_ids],
    )
    env.cr.commit()
    env.invalidate_all()
    count = env.cr.sql_log_count
    start = time.perf_counter()
    Statement._cron_draft_statements()
    elapsed = time.perf_counter() - start
    queries = env.cr.sql_log_count - count
    env.cr.execute(
        "SELECT COUNT(*), SUM(ticket_count), SUM(pause_count), SUM(breached_count)"
        "  FROM helpdesk_service_sla_statement WHERE agreement_id = ANY(%s)",
        [agreement_ids],
    )
    statements, counted, pauses, breached = env.cr.fetchone()
    env.cr.execute(
        "SELECT COUNT(*) FROM helpdesk_service_sla_statement_pause line"
        "  JOIN helpdesk_service_sla_statement s ON s.id = line.statement_id"
        " WHERE s.agreement_id = ANY(%s)",
        [agreement_ids],
    )
    reason_lines = env.cr.fetchone()[0]
    if quiet:
        return queries
    print(
        f"{tickets:>9,} {statements:>11,} {elapsed:>9.2f} {queries:>9,}"
        f" {elapsed / max(statements, 1) * 1000:>8.1f}"
        f" | clocks counted {counted or 0:,}, breached {breached or 0:,},"
        f" pauses {pauses or 0:,} in {reason_lines:,} reason lines"
    )
    return queries


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--agreements", type=int, default=1000)
    parser.add_argument("--tickets", type=int, nargs="+", default=[10000, 100000])
    parser.add_argument("-c", "--config")
    args = parser.parse_args()
    config.parse_config(["-c", args.config] if args.config else [])
    registry = Registry(args.db)
    month_start, _month_end = last_month()
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        start = time.perf_counter()
        agreement_ids = build_agreements(env, args.agreements, month_start)
        Stage = env["helpdesk.ticket.stage"]
        stages = [
            Stage.create({"name": name, "sla_pause": True, "sequence": 90}).id
            for name in ("Bench waiting on the customer", "Bench waiting for parts")
        ] + [None]
        template = template_rows(env, agreement_ids[0], stages)
        cr.commit()
        print(
            f"set-up: {len(agreement_ids):,} agreements in"
            f" {time.perf_counter() - start:.1f} s; statements of"
            f" {month_start:%Y-%m}"
        )
        print(
            f"{'tickets':>9} {'statements':>11} {'seconds':>9} {'queries':>9}"
            f" {'ms/stmt':>8}"
        )
        done = 0
        counts = []
        for total in sorted(args.tickets):
            done += add_tickets(
                env,
                template,
                agreement_ids,
                done + 1,
                total - done,
                month_start,
                stages,
            )
            cr.commit()
            if not counts:
                # a first run fills the caches of the registry (views,
                # models, access rules): not measured
                run(env, agreement_ids, done, quiet=True)
            counts.append(run(env, agreement_ids, done))
        flat = len(set(counts)) == 1
        print(
            "query count "
            + ("the same at every ticket count" if flat else "GROWS with the tickets")
        )


if __name__ == "__main__":
    main()
