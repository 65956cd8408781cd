#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark: the communication plan's cadence action (客户回访), in figures.

On a database with the addon installed (``--db``; it is changed: use a copy),
creates N customers (10,000 by default) of mixed tiers (2 in 10 large, 3
medium, 5 small) and owners: the first 30% with a salesperson (one of 20
agents), the next 30% with a serving team (one of 5 teams with a leader), the
rest mixed (a salesperson, a serving team, or only a ticket of a team), so
that the batches differ in content. The rows are copied in SQL from one
customer (and one ticket) made through the ORM. Then runs the scheduled
action of the communication plan and prints its wall time, its SQL query
count in total and per batch (each batch is measured from its search to its
commit):

1. the first run (a visit and its owner's to-do for every customer);
2. a second run the same day (nothing new);
3. the first run again, after the bench's visits are deleted, with batches
   of twice the size (the queries per batch must not change).

    python3 tools/bench_communication.py --db hsa_bench_visits --customers 10000
"""

import argparse
import os
import sys
import time
from collections import Counter

try:
    from odoo import api
    from odoo.api import SUPERUSER_ID
    from odoo.modules.registry import Registry
    from odoo.tools import SQL, config
except ImportError:
    sys.exit("Odoo 19.0 must be importable from this python3.")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_health import clone, columns
from benchmark import addons_path

TIERS = SQL(
    "CASE WHEN src.n %% 10 < 2 THEN 'large' WHEN src.n %% 10 < 5 THEN 'medium'"
    " ELSE 'small' END"
)


def build(env, customers):
    cr = env.cr
    stamp = int(time.time())
    agent = env.ref("helpdesk_service_agreement.group_service_agent")
    users = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            [
                {
                    "name": f"Bench owner {i}",
                    "login": f"bench_visit_owner_{stamp}_{i}",
                    "group_ids": [(6, 0, agent.ids)],
                }
                for i in range(20)
            ]
        )
    )
    teams = env["helpdesk.ticket.team"].create(
        [
            {
                "name": f"Bench visit team {i}",
                "user_id": users[i].id,
                "user_ids": [(6, 0, users[i * 4 : i * 4 + 4].ids)],
            }
            for i in range(5)
        ]
    )
    partner = env["res.partner"].create(
        {"name": "Bench Visit Template", "is_company": True, "customer_tier": "small"}
    )
    ticket = env["helpdesk.ticket"].create(
        {
            "name": "Bench",
            "description": "<p>x</p>",
            "partner_id": partner.id,
            "team_id": teams[0].id,
        }
    )
    env.flush_all()
    start = time.perf_counter()
    share = customers * 3 // 10
    salesperson = SQL(
        "(%s::int[])[1 + src.n %% 20]", users.ids
    )  # an internal user of the bench
    team = SQL("(%s::int[])[1 + src.n %% 5]", teams.ids)
    partner_ids = clone(
        cr,
        "res_partner",
        partner.id,
        SQL("generate_series(1, %s) AS src(n)", customers),
        {
            "name": SQL("'Bench Visit Customer ' || src.n"),
            "complete_name": SQL("'Bench Visit Customer ' || src.n"),
            "customer_code": SQL("%s || src.n", f"BV{stamp}-"),
            "customer_tier": TIERS,
            "user_id": SQL(
                "CASE WHEN src.n <= %s OR (src.n > %s AND src.n %% 3 = 0) THEN %s END",
                share,
                2 * share,
                salesperson,
            ),
            "service_team_id": SQL(
                "CASE WHEN (src.n > %s AND src.n <= %s)"
                " OR (src.n > %s AND src.n %% 3 = 1) THEN %s END",
                share,
                2 * share,
                2 * share,
                team,
            ),
        },
    )
    cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)",
        [partner_ids],
    )
    # the customers with neither: the team of their (only) ticket
    cr.execute(
        "SELECT id, id %% 5 FROM res_partner WHERE id = ANY(%s)"
        " AND user_id IS NULL AND service_team_id IS NULL",
        [partner_ids],
    )
    lonely = [row[0] for row in cr.fetchall()]
    overrides = {
        "partner_id": SQL("src.pid"),
        "commercial_partner_id": SQL("src.pid"),
        "team_id": SQL("(%s::int[])[1 + src.pid %% 5]", teams.ids),
        "name": SQL("'Bench visit ' || src.pid"),
    }
    for col in ("number", "access_token"):
        if col in columns(cr, "helpdesk_ticket"):
            overrides[col] = SQL("'BV' || src.pid || '-' || random()")
    clone(
        cr,
        "helpdesk_ticket",
        ticket.id,
        SQL("unnest(%s::int[]) AS src(pid)", lonely),
        overrides,
    )
    cr.execute("ANALYZE res_partner")
    cr.execute("ANALYZE helpdesk_ticket")
    env.invalidate_all()
    cr.commit()
    cr.execute(
        "SELECT customer_tier, COUNT(*) FROM res_partner WHERE id = ANY(%s)"
        " GROUP BY 1 ORDER BY 1",
        [partner_ids],
    )
    tiers = ", ".join(f"{tier} {n:,}" for tier, n in cr.fetchall())
    print(
        f"set-up: {len(partner_ids):,} customers ({tiers}; {len(lonely):,} served "
        f"through their ticket's team) in {time.perf_counter() - start:.1f} s"
    )
    return partner_ids


class Probe:
    """Marks the query count at each batch's start and commit."""

    def __init__(self, env):
        self.env = env
        self.batches = []  # (label, customers, queries)
        self.label = "?"
        self.mark = 0
        Visit = type(env["helpdesk.service.visit"])
        Cron = type(env["ir.cron"])
        probe = self

        def wrap(cls, name, before):
            orig = getattr(cls, name)

            def wrapper(self, *args, **kwargs):
                before(*args, **kwargs)
                return orig(self, *args, **kwargs)

            setattr(cls, name, wrapper)

        wrap(Visit, "_plan_batches", lambda *a, **k: probe.start("?"))
        wrap(Visit, "_flag_late", lambda *a, **k: probe.start("late"))
        wrap(
            Visit,
            "_visit_values",
            lambda policy, *a, **k: setattr(probe, "label", f"visits {policy.tier}"),
        )
        wrap(
            Visit,
            "_care_values",
            lambda policy, *a, **k: setattr(probe, "label", f"care {policy.tier}"),
        )
        wrap(Cron, "_commit_progress", lambda done=0, **k: probe.commit(done))

    def start(self, label):
        self.label = label
        self.mark = self.env.cr.sql_log_count

    def commit(self, done):
        count = self.env.cr.sql_log_count
        self.batches.append((self.label, done, count - self.mark))
        self.mark = count


def run(env, probe, label, partner_ids, batch_size):
    Visit = env["helpdesk.service.visit"]
    env.invalidate_all()
    probe.batches = []
    count = env.cr.sql_log_count
    start = time.perf_counter()
    Visit._cron_plan_visits(batch_size=batch_size)
    elapsed = time.perf_counter() - start
    queries = env.cr.sql_log_count - count
    env.cr.execute(
        "SELECT COUNT(*), COUNT(DISTINCT user_id) FROM helpdesk_service_visit"
        " WHERE partner_id = ANY(%s) AND kind = 'visit'",
        [partner_ids],
    )
    visits, owners = env.cr.fetchone()
    env.cr.execute(
        "SELECT COUNT(*) FROM mail_activity a JOIN helpdesk_service_visit v"
        " ON a.res_model = 'helpdesk.service.visit' AND a.res_id = v.id"
        " WHERE v.partner_id = ANY(%s)",
        [partner_ids],
    )
    todos = env.cr.fetchone()[0]
    print(
        f"{label:<44} {elapsed:7.2f} s {queries:6,} queries | visits: {visits:,}"
        f" ({owners} owners) | to-dos: {todos:,}"
    )
    per_label = {}
    for name, done, count in probe.batches:
        per_label.setdefault(name, []).append((done, count))
    for name, rows in per_label.items():
        spread = Counter(count for done, count in rows if done == batch_size)
        last = [(done, count) for done, count in rows if done != batch_size]
        text = ", ".join(
            f"{count} queries x {n}" for count, n in sorted(spread.items())
        )
        if last:
            text += "; last " + ", ".join(f"{d} customers: {c}" for d, c in last)
        print(f"    {name:<14} batches of {batch_size}: {text}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--customers", type=int, default=10000)
    parser.add_argument("--batch-size", type=int, default=500)
    args = parser.parse_args()
    config.parse_config([f"--addons-path={addons_path()}", "--log-level=warn"])
    registry = Registry(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        partner_ids = build(env, args.customers)
        probe = Probe(env)
        run(env, probe, "1. first run", partner_ids, args.batch_size)
        run(env, probe, "2. second run (nothing new)", partner_ids, args.batch_size)
        cr.execute(
            "DELETE FROM mail_activity WHERE res_model = 'helpdesk.service.visit';"
            "DELETE FROM mail_followers WHERE res_model = 'helpdesk.service.visit';"
            "DELETE FROM mail_message WHERE model = 'helpdesk.service.visit';"
            "DELETE FROM helpdesk_service_visit WHERE partner_id = ANY(%s)",
            [partner_ids],
        )
        cr.commit()
        run(
            env,
            probe,
            f"3. first run again, batches of {2 * args.batch_size}",
            partner_ids,
            2 * args.batch_size,
        )


if __name__ == "__main__":
    main()
