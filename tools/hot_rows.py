#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Hot rows: which rows do two agents working for one customer both write?

Two threads, each with its own cursor and its own agent, do the same operation
at the same moment for one customer (a company with contacts): a reply on each
of two tickets, a ticket creation, a stage change, two replies on one ticket
copying the same newcomer (who then follows it), a customer's portal visit of
a ticket. Every row each transaction writes through the ORM is recorded (model, id,
fields; ``--trace`` shows where a customer's partner is written from); a row
written by both transactions serialises them: the second waits for the first
and then fails to commit under Odoo's REPEATABLE READ (Odoo retries the
request, the user waits). The script prints, per operation, the rows both
wrote, the serialization failures seen, and the customer company's
``write_date`` before and after. It exits 1 when a row of the customer's
partners was written by an agent's reply or creation.

Run it against a scratch database holding the addon (it commits its fixtures
there and leaves them):

    python3 tools/hot_rows.py -d mydb
    python3 tools/hot_rows.py -d mydb --addons-path=/path/a,/path/b

``HSA_ADDONS_PATH`` (set by tools/setup.sh) is the default addons path.
"""

import argparse
import os
import sys
import threading
import time
import traceback
from collections import defaultdict

try:
    import psycopg2.errors

    from odoo import api
    from odoo.api import SUPERUSER_ID
    from odoo.modules.registry import Registry
    from odoo.orm.models import BaseModel
    from odoo.tools import config
except ImportError as exc:  # pragma: no cover - run outside Odoo's python
    sys.exit(f"Odoo is not importable: {exc}")

_local = threading.local()


def _recording(method):
    def wrapper(self, *args, **kwargs):
        log = getattr(_local, "log", None)
        if log is not None:
            vals_list = args[0] if args else kwargs.get("vals_list", [])
            for record, vals in zip(self, vals_list, strict=False):
                log["orm"][(self._name, record.id)].update(vals)
        return method(self, *args, **kwargs)

    return wrapper


def _tracing(method):
    def wrapper(self, vals):
        log = getattr(_local, "log", None)
        if log is not None:
            for record in self:
                if (self._name, record.id) in log["watch"]:
                    log["stacks"].setdefault(
                        (self._name, record.id), "".join(traceback.format_stack())
                    )
        return method(self, vals)

    return wrapper


BaseModel._write_multi = _recording(BaseModel._write_multi)
BaseModel.write = _tracing(BaseModel.write)


def setup(registry):
    """A customer company (no login) with two contacts and two portal
    users, a team of two agents, two tickets of the company, each agent's
    (committed)."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        stamp = int(time.time())
        company = env["res.partner"].create(
            {
                "name": f"Hot Row Customer {stamp}",
                "is_company": True,
                "email": f"it.{stamp}@example.com",
            }
        )
        # two contacts calling in (no login: notified by email, the
        # portal's sign-up invitation goes to them) and two portal users
        contacts = env["res.partner"].create(
            [
                {
                    "name": f"Hot Row Contact {n} {stamp}",
                    "email": f"hot{n}.{stamp}@example.com",
                    "parent_id": company.id,
                }
                for n in (1, 2, 3, 4)
            ]
        )
        agent_groups = [
            env.ref("helpdesk_service_agreement.group_service_agent").id,
            env.ref("base.group_user").id,
        ]
        agents = env["res.users"].create(
            [
                {
                    "name": f"Hot Row Agent {n} {stamp}",
                    "login": f"hot_agent{n}_{stamp}",
                    "email": f"hot_agent{n}.{stamp}@example.com",
                    "group_ids": [(6, 0, agent_groups)],
                }
                for n in (1, 2)
            ]
        )
        portals = env["res.users"].create(
            [
                {
                    "name": contact.name,
                    "login": f"hot_portal{n}_{stamp}",
                    "partner_id": contact.id,
                    "group_ids": [(6, 0, [env.ref("base.group_portal").id])],
                }
                for n, contact in enumerate(contacts[2:], 1)
            ]
        )
        team = env["helpdesk.ticket.team"].create(
            {"name": f"Hot Row Team {stamp}", "user_ids": [(6, 0, agents.ids)]}
        )
        # both tickets are the company's (calls taken by the agents, as in
        # the demo data): the customer notified at every reply is the company
        tickets = env["helpdesk.ticket"].create(
            [
                {
                    "name": f"Hot row ticket {n}",
                    "description": "<p>Printer down</p>",
                    "partner_id": company.id,
                    "team_id": team.id,
                    "user_id": agent.id,
                }
                for n, agent in enumerate(agents, 1)
            ]
        )
        # the customer follows its ticket (as when it writes in); a first
        # reply each: the response is given
        for ticket in tickets:
            ticket.message_subscribe(ticket.partner_id.ids)
        for ticket, agent in zip(tickets, agents, strict=True):
            ticket.with_user(agent).message_post(
                body="First answer",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        return {
            "company": company.id,
            "contacts": contacts.ids,
            "agents": agents.ids,
            "portals": portals.ids,
            "team": team.id,
            "tickets": tickets.ids,
        }


def newcomer(registry):
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        stamp = time.time_ns()
        return (
            env["res.partner"]
            .create({"name": f"Newcomer {stamp}", "email": f"new.{stamp}@example.com"})
            .id
        )


def op_reply(env, fx, n):
    ticket = env["helpdesk.ticket"].browse(fx["tickets"][n])
    ticket.message_post(
        body=f"Reply of agent {n}",
        message_type="comment",
        subtype_xmlid="mail.mt_comment",
    )


def op_same_ticket_reply(env, fx, n):
    # both agents answer the first ticket and copy the same newcomer (a
    # partner not following yet): both subscribe it, the follower race
    ticket = env["helpdesk.ticket"].browse(fx["tickets"][0])
    ticket.with_context(mail_post_autofollow=True).message_post(
        body=f"Reply of agent {n}",
        message_type="comment",
        subtype_xmlid="mail.mt_comment",
        partner_ids=[fx["newcomer"]],
    )


def op_create(env, fx, n):
    env["helpdesk.ticket"].create(
        {
            "name": f"New request {n}",
            "description": "<p>Another request</p>",
            "partner_id": fx["contacts"][n],
            "team_id": fx["team"],
        }
    )


def op_stage(env, fx, n):
    ticket = env["helpdesk.ticket"].browse(fx["tickets"][n])
    stages = env["helpdesk.ticket.stage"].search(
        [("closed", "=", False), ("id", "!=", ticket.stage_id.id)], limit=1
    )
    if stages:
        ticket.stage_id = stages


def op_portal_page(env, fx, n):
    # the customer opens a ticket on the portal: the page links the previous
    # and next tickets with their tokens (portal's _get_page_view_values)
    tickets = env["helpdesk.ticket"].search([], order="id")
    for ticket in tickets.sudo():
        ticket._portal_ensure_token()


OPS = [
    ("reply", op_reply, "agents"),
    ("create", op_create, "agents"),
    ("stage", op_stage, "agents"),
    ("same-ticket reply", op_same_ticket_reply, "agents"),
    ("portal ticket page", op_portal_page, "portals"),
]


def run_op(registry, fx, name, func, users):
    barrier = threading.Barrier(2)
    results = [None, None]

    def worker(n):
        log = {
            "orm": defaultdict(dict),
            "watch": fx["watch"],
            "stacks": {},
        }
        error = None
        try:
            with registry.cursor() as cr:
                env = api.Environment(cr, fx[users][n], {})
                barrier.wait(timeout=30)
                _local.log = log
                try:
                    func(env, fx, n)
                    env.flush_all()
                finally:
                    _local.log = None
        except psycopg2.errors.SerializationFailure as exc:
            error = f"SerializationFailure: {str(exc).splitlines()[0]}"
        except Exception as exc:  # noqa: BLE001 - reported
            error = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
        results[n] = (log, error)

    threads = [threading.Thread(target=worker, args=(n,)) for n in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--addons-path", default=os.environ.get("HSA_ADDONS_PATH"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--trace",
        action="store_true",
        help="print where a customer's partner row is written from",
    )
    args = parser.parse_args(argv)
    options = ["--log-level=warn"]
    if args.addons_path:
        options.append(f"--addons-path={args.addons_path}")
    config.parse_config(options)
    registry = Registry(args.database)
    fx = setup(registry)
    customer_partners = {fx["company"], *fx["contacts"]}
    fx["watch"] = {("res.partner", pid) for pid in customer_partners}

    def write_date():
        with registry.cursor() as cr:
            cr.execute(
                "SELECT write_date FROM res_partner WHERE id = %s", [fx["company"]]
            )
            return cr.fetchone()[0]

    hot = False
    for name, func, users in OPS:
        shared = defaultdict(set)
        errors = []
        partner_writes = set()
        stacks = {}
        before = write_date()
        for _round in range(args.rounds):
            fx["newcomer"] = newcomer(registry)
            results = run_op(registry, fx, name, func, users)
            logs = [log for log, _error in results]
            errors += [error for _log, error in results if error]
            for key in set(logs[0]["orm"]) & set(logs[1]["orm"]):
                shared[key] |= set(logs[0]["orm"][key]) | set(logs[1]["orm"][key])
            for log in logs:
                stacks.update(log["stacks"])
                for (model, rid), vals in log["orm"].items():
                    if model == "res.partner" and rid in customer_partners:
                        partner_writes.add((rid, tuple(sorted(vals))))
        after = write_date()
        print(f"== {name}")
        print(f"   customer company write_date: {before} -> {after}")
        for (model, rid), fnames in sorted(shared.items()):
            print(f"   written by both: {model}({rid}) {sorted(fnames)}")
        for rid, fnames in sorted(partner_writes):
            print(f"   customer partner {rid} written: {list(fnames)}")
        for error in errors:
            print(f"   error: {error}")
        if args.trace:
            for (_model, rid), stack in stacks.items():
                print(f"   res.partner({rid}) written from:\n{stack}")
        if not shared and not errors:
            print("   no shared row, no error")
        if partner_writes and users == "agents" and name in ("reply", "create"):
            hot = True
    return 1 if hot else 0


if __name__ == "__main__":
    sys.exit(main())
