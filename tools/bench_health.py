#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark: customer health (客户健康度) of many customers, in figures.

On a database with the addon installed (``--db``; it is changed: use a copy),
creates N customers (10,000 by default) with T tickets each (3 by default),
their SLA clocks (one in seven with a missed response), escalations (one
ticket in thirteen), a complaint for one customer in ten and, for one
customer in a hundred, every target missed (those turn red and their account
owner gets a to-do). The rows are copied in SQL from one ticket made through
the ORM, so that the set-up takes seconds. Then runs the scheduled action
three times and prints its wall time and SQL query count:

1. the first run of the day (every snapshot inserted, to-dos given);
2. a second run the same day (nothing due: no work);
3. a rerun after the day's marks are reset (every snapshot updated, no
   second to-do).

    python3 tools/bench_health.py --db hsa_bench_health --customers 10000
"""

import argparse
import sys
import time

try:
    from odoo import api
    from odoo.api import SUPERUSER_ID
    from odoo.modules.registry import Registry
    from odoo.tools import SQL, config
except ImportError:
    sys.exit("Odoo 19.0 must be importable from this python3.")


def columns(cr, table):
    cr.execute(
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_name = %s AND column_name != 'id' ORDER BY ordinal_position",
        [table],
    )
    return [row[0] for row in cr.fetchall()]


def clone(cr, table, template_id, source, overrides):
    """Copy row ``template_id`` of ``table`` once per row of ``source`` (an
    SQL relation aliased ``src``), with ``overrides`` {column: SQL}; returns
    the new ids."""
    cols = columns(cr, table)
    exprs = [overrides.get(col, SQL("tpl.%s", SQL.identifier(col))) for col in cols]
    cr.execute(
        SQL(
            "INSERT INTO %s (%s) SELECT %s FROM %s tpl, %s WHERE tpl.id = %s"
            " RETURNING id",
            SQL.identifier(table),
            SQL(", ").join(SQL.identifier(col) for col in cols),
            SQL(", ").join(exprs),
            SQL.identifier(table),
            source,
            template_id,
        )
    )
    return [row[0] for row in cr.fetchall()]


def build(env, customers, tickets):
    cr = env.cr
    partner = env["res.partner"].create({"name": "Bench Template", "is_company": True})
    ticket = env["helpdesk.ticket"].create(
        {"name": "Bench", "description": "<p>x</p>", "partner_id": partner.id}
    )
    phase = ticket.sla_phase_ids[:1]
    if not phase:
        sys.exit(
            "The template ticket got no SLA clock: give the company default levels."
        )
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
    start = time.perf_counter()
    partner_ids = clone(
        cr,
        "res_partner",
        partner.id,
        SQL("generate_series(1, %s) AS src(n)", customers),
        {
            "name": SQL("'Bench Customer ' || src.n"),
            "customer_code": SQL("'BENCH-' || src.n"),
            "complete_name": SQL("'Bench Customer ' || src.n"),
        },
    )
    cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)",
        [partner_ids],
    )
    source = SQL(
        "unnest(%s::int[]) AS src(pid), generate_series(1, %s) AS g(n)",
        partner_ids,
        tickets,
    )
    cols = columns(cr, "helpdesk_ticket")
    overrides = {
        "partner_id": SQL("src.pid"),
        "commercial_partner_id": SQL("src.pid"),
        "name": SQL("'Bench ' || src.pid || '-' || g.n"),
        "request_type": SQL(
            "CASE WHEN g.n = 1 AND src.pid %% 10 = 0 THEN 'complaint'"
            " ELSE tpl.request_type END"
        ),
    }
    for col in ("number", "access_token"):
        if col in cols:
            overrides[col] = SQL("'B' || src.pid || '-' || g.n || '-' || random()")
    ticket_ids = clone(cr, "helpdesk_ticket", ticket.id, source, overrides)
    cr.execute(
        "SELECT id, commercial_partner_id FROM helpdesk_ticket WHERE id = ANY(%s)",
        [ticket_ids],
    )
    pairs = cr.fetchall()
    source = SQL(
        "unnest(%s::int[], %s::int[]) AS src(tid, pid)",
        [p[0] for p in pairs],
        [p[1] for p in pairs],
    )
    clone(
        cr,
        "helpdesk_ticket_sla_phase",
        phase.id,
        source,
        {
            "ticket_id": SQL("src.tid"),
            "commercial_partner_id": SQL("src.pid"),
            "response_breached": SQL("src.tid %% 7 = 0 OR src.pid %% 100 = 0"),
            "resolution_breached": SQL("src.pid %% 100 = 0"),
        },
    )
    escalated = [tid for tid, _pid in pairs if tid % 13 == 0]
    clone(
        cr,
        "helpdesk_ticket_escalation",
        escalation.id,
        SQL("unnest(%s::int[]) AS src(tid)", escalated),
        {"ticket_id": SQL("src.tid")},
    )
    env.invalidate_all()
    cr.commit()
    print(
        f"set-up: {len(partner_ids):,} customers, {len(ticket_ids):,} tickets and "
        f"clocks, {len(escalated):,} escalations in {time.perf_counter() - start:.1f} s"
    )
    return partner_ids


def run(env, label, partner_ids):
    Health = env["helpdesk.service.customer.health"]
    env.invalidate_all()
    count = env.cr.sql_log_count
    start = time.perf_counter()
    Health._cron_compute_health()
    elapsed = time.perf_counter() - start
    queries = env.cr.sql_log_count - count
    env.cr.execute(
        "SELECT state, COUNT(*) FROM helpdesk_service_customer_health"
        " WHERE partner_id = ANY(%s) GROUP BY state ORDER BY state",
        [partner_ids],
    )
    states = ", ".join(f"{state} {n:,}" for state, n in env.cr.fetchall())
    env.cr.execute(
        "SELECT COUNT(*) FROM mail_activity WHERE res_model = 'res.partner'"
        " AND res_id = ANY(%s)",
        [partner_ids],
    )
    todos = env.cr.fetchone()[0]
    print(
        f"{label:<38} {elapsed:7.2f} s {queries:6,} queries | snapshots: {states}"
        f" | to-dos: {todos:,}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--customers", type=int, default=10000)
    parser.add_argument("--tickets", type=int, default=3)
    parser.add_argument("-c", "--config")
    args = parser.parse_args()
    config.parse_config(["-c", args.config] if args.config else [])
    registry = Registry(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        partner_ids = build(env, args.customers, args.tickets)
        run(env, "1. first run of the day", partner_ids)
        run(env, "2. second run the same day", partner_ids)
        cr.execute(
            "UPDATE res_partner SET health_date = NULL WHERE id = ANY(%s)",
            [partner_ids],
        )
        run(env, "3. rerun (every snapshot updated)", partner_ids)


if __name__ == "__main__":
    main()
