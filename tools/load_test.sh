#!/usr/bin/env bash
# Load test of the addon under Odoo's own way to scale: prefork workers, and
# two Odoo servers ("nodes") on one database and one filestore, each with its
# cron thread. Builds a scratch database from the demo data with extra
# tickets (a share of them due for the SLA check, their deadlines falling
# through the run), starts the server(s) on 127.0.0.1, runs Locust
# (tools/load_test.py) headless, stops the servers, prints the figures
# (operations/s, p50/p95/max per operation, errors, concurrency retries in the
# server logs) and checks the invariants in the database; exits 1 when one
# fails. Everything stays on 127.0.0.1 and stops by itself.
#
#   tools/load_test.sh                       # 1 node, 4 workers, 20 users, 5 min
#   tools/load_test.sh --nodes 2             # two servers on the same database
#   tools/load_test.sh --users 5 --duration 30s --workers 2 --tickets 200
#   tools/load_test.sh --from-db hsa_demo    # copy a demo database instead
set -euo pipefail

usage() {
    sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    cat <<'EOF'
Options:
  --nodes 1|2         Odoo servers on the database (default 1)
  --workers N         HTTP workers per server, 1-8 (default 4)
  --users N           concurrent Locust users, 1-60 (default 20)
  --rate R            users started per second (default 2)
  --duration T        run time, e.g. 300s, 5m; at most 30m (default 5m)
  --tickets N         extra tickets in the database, 0-20000 (default 1000)
  --due-share F       share of them due for the SLA check (default 0.3)
  --db NAME           scratch database, dropped and rebuilt; must start with
                      hsa_load (default hsa_load)
  --from-db NAME      copy this database (createdb -T, and its filestore)
                      instead of installing the demo data
  --port P            first HTTP port (default 18069; node 2 on P+1)
  --host H            must be 127.0.0.1 (anything else is refused)
  --out DIR           where the logs, CSV files and seed go
EOF
}

NODES=1 WORKERS=4 USERS=20 RATE=2 DURATION=5m TICKETS=1000 DUE_SHARE=0.3
DB=hsa_load FROM_DB="" PORT=18069 HOST=127.0.0.1 OUT=""
while [ $# -gt 0 ]; do
    case "$1" in
        --nodes) NODES="$2"; shift 2 ;;
        --workers) WORKERS="$2"; shift 2 ;;
        --users) USERS="$2"; shift 2 ;;
        --rate) RATE="$2"; shift 2 ;;
        --duration) DURATION="$2"; shift 2 ;;
        --tickets) TICKETS="$2"; shift 2 ;;
        --due-share) DUE_SHARE="$2"; shift 2 ;;
        --db) DB="$2"; shift 2 ;;
        --from-db) FROM_DB="$2"; shift 2 ;;
        --port) PORT="$2"; shift 2 ;;
        --host) HOST="$2"; shift 2 ;;
        --out) OUT="$2"; shift 2 ;;
        -h | --help) usage; exit 0 ;;
        *) usage >&2; echo "unknown option: $1" >&2; exit 2 ;;
    esac
done

die() {
    echo "ERROR: $*" >&2
    exit 2
}
is_int() { [[ "$1" =~ ^[0-9]+$ ]]; }
[ "$HOST" = 127.0.0.1 ] || die "the load test runs against 127.0.0.1 only (got --host $HOST)."
case "$NODES" in 1 | 2) ;; *) die "--nodes is 1 or 2." ;; esac
is_int "$WORKERS" && [ "$WORKERS" -ge 1 ] && [ "$WORKERS" -le 8 ] || die "--workers is 1 to 8."
is_int "$USERS" && [ "$USERS" -ge 1 ] && [ "$USERS" -le 60 ] || die "--users is 1 to 60."
is_int "$TICKETS" && [ "$TICKETS" -le 20000 ] || die "--tickets is 0 to 20000."
is_int "$PORT" && [ "$PORT" -ge 1024 ] && [ "$PORT" -le 65000 ] || die "--port is 1024 to 65000."
[[ "$RATE" =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "--rate is a number."
[[ "$DUE_SHARE" =~ ^(0(\.[0-9]+)?|1(\.0+)?)$ ]] || die "--due-share is between 0 and 1."
case "$DURATION" in
    *m) SECONDS_RUN=$((${DURATION%m} * 60)) ;;
    *s) SECONDS_RUN=${DURATION%s} ;;
    *) SECONDS_RUN=$DURATION ;;
esac
is_int "$SECONDS_RUN" && [ "$SECONDS_RUN" -ge 10 ] && [ "$SECONDS_RUN" -le 1800 ] \
    || die "--duration is 10 s to 30 min (e.g. 90s, 5m)."
[[ "$DB" =~ ^hsa_load[A-Za-z0-9_]*$ ]] \
    || die "--db must start with hsa_load (the database is dropped and rebuilt)."
[ -z "$FROM_DB" ] || [[ "$FROM_DB" =~ ^[A-Za-z0-9_]+$ ]] || die "--from-db: bad name."
[ "$FROM_DB" != "$DB" ] || die "--from-db and --db must differ."

# shellcheck source=tools/setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
hsa_setup
# Locust in a virtual environment of its own: its requirements (recent
# werkzeug, gevent, requests, urllib3) stay out of the interpreter Odoo runs in
LOCUST_VENV="$(hsa_work_dir)/locust-venv"
if ! "$LOCUST_VENV/bin/python" -c 'import locust' 2>/dev/null; then
    echo "Installing Locust into $LOCUST_VENV"
    "$PYTHON" -m venv "$LOCUST_VENV"
    "$LOCUST_VENV/bin/python" -m pip install -q 'locust>=2.40,<3'
fi
LOCUST=("$LOCUST_VENV/bin/python" -m locust)

OUT="${OUT:-$(hsa_work_dir)/load-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
ODOO_OPTIONS=(-d "$DB" --addons-path="$HSA_ADDONS_PATH" --db-filter="^$DB\$")
FILESTORE="${HOME}/.local/share/Odoo/filestore"

for node in $(seq 1 "$NODES"); do
    port=$((PORT + node - 1))
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        die "port $port is in use: stop what listens there or give --port."
    fi
done

# ---------------------------------------------------------------- database
echo "== Database $DB"
dropdb --if-exists "$DB"
rm -rf "${FILESTORE:?}/$DB"
if [ -n "$FROM_DB" ]; then
    echo "copying $FROM_DB"
    createdb -T "$FROM_DB" "$DB"
    if [ -d "$FILESTORE/$FROM_DB" ]; then
        cp -a "$FILESTORE/$FROM_DB" "$FILESTORE/$DB"
    fi
else
    echo "installing $HSA_MODULE with its demo data"
    odoo "${ODOO_OPTIONS[@]}" -i "$HSA_MODULE" --with-demo --stop-after-init --log-level=warn --no-http
fi

echo "adding $TICKETS tickets ($DUE_SHARE of them due for the SLA check), users and portal contacts"
HSA_LOAD_TICKETS="$TICKETS" HSA_LOAD_DUE_SHARE="$DUE_SHARE" HSA_LOAD_SECONDS="$SECONDS_RUN" \
HSA_LOAD_SEED="$OUT/seed.json" HSA_LOAD_DB="$DB" HSA_LOAD_BASE_URL="http://127.0.0.1:$PORT" \
    odoo shell "${ODOO_OPTIONS[@]}" --no-http --log-level=warn >"$OUT/seed.log" 2>&1 <<'PY' || { cat "$OUT/seed.log" >&2; die "filling the database failed"; }
import json
import os
import random
from datetime import timedelta

from odoo.fields import Command, Datetime
from odoo.tools import SQL

random.seed(21)
count = int(os.environ["HSA_LOAD_TICKETS"])
due_share = float(os.environ["HSA_LOAD_DUE_SHARE"])
seconds = int(os.environ["HSA_LOAD_SECONDS"])
module = "helpdesk_service_agreement"
ref = env.ref
# no SMTP server here: e-mails are queued and stay queued (rendered, not sent)
params = env["ir.config_parameter"].sudo()
params.set_param("mail.mail.force.send.limit", "0")
params.set_param("web.base.url", os.environ["HSA_LOAD_BASE_URL"])
params.set_param("web.base.url.freeze", "True")
ref("mail.ir_cron_mail_scheduler_action").active = False

demo = ref("base.user_demo")
teams = env["helpdesk.ticket.team"].search([("user_ids", "in", demo.ids)])
Users = env["res.users"].with_context(no_reset_password=True)
agents = Users.create(
    [
        {
            "name": f"Load Agent {i:02d}",
            "login": f"load_agent{i:02d}",
            "password": f"load_agent{i:02d}",
            "email": f"load_agent{i:02d}@example.com",
            "group_ids": [Command.set(demo.group_ids.ids)],
        }
        for i in range(1, 13)
    ]
)
for team in teams:
    team.user_ids = [Command.link(agent.id) for agent in agents]

# the customers under agreement, most of the load on one of them (the
# contacts of one company are where rows are shared)
huaxin = ref(f"{module}.res_partner_huaxin_demo")
others = [
    ref(f"{module}.res_partner_mingde_demo"),
    ref(f"{module}.res_partner_jinfeng_demo"),
    ref(f"{module}.res_partner_changjiang_demo"),
]
contacts = env["res.partner"].create(
    [
        {"name": f"Huaxin Contact {i}", "parent_id": huaxin.id, "email": f"c{i}@huaxin.example.com"}
        for i in range(1, 7)
    ]
    + [
        {"name": f"{company.name} Contact", "parent_id": company.id, "email": f"c{company.id}@customer.example.com"}
        for company in others
    ]
)
portal_group = ref("base.group_portal")
portals = Users.create(
    [
        {
            "name": contact.name,
            "login": f"load_portal{i:02d}",
            "password": f"load_portal{i:02d}",
            "partner_id": contact.id,
            "group_ids": [Command.set(portal_group.ids)],
        }
        for i, contact in enumerate(contacts[:4] | contacts[6:], start=1)
    ]
)

weights = [0.5] + [0.5 / len(others)] * len(others)
Ticket = env["helpdesk.ticket"].with_context(mail_notrack=True)
tickets = Ticket.browse()
for start in range(0, count, 200):
    vals = []
    for i in range(start, min(start + 200, count)):
        company = random.choices([huaxin, *others], weights)[0]
        candidates = contacts.filtered(lambda c, company=company: c.parent_id == company)
        vals.append(
            {
                "name": f"Load ticket {i + 1}",
                "description": "<p>Seeded for the load test.</p>",
                "partner_id": random.choice(candidates).id,
                "team_id": random.choice(teams).id,
                "user_id": random.choice(agents).id,
            }
        )
    tickets |= Ticket.create(vals)
env.flush_all()

# due for the SLA check: the resolution deadline of the running phase missed
# a minute ago for half of them, the others falling due through the run
now = env.cr.now()
with_phase = tickets.filtered("sla_phase_id")
due = with_phase[: int(len(tickets) * due_share)]
deadlines = {}
for index, ticket in enumerate(due):
    offset = -60 if index % 2 == 0 else random.randint(60, max(seconds, 61))
    deadlines[ticket.sla_phase_id.id] = now + timedelta(seconds=offset)
for phase_id, deadline in deadlines.items():
    env.cr.execute(
        SQL(
            """
            UPDATE helpdesk_ticket_sla_phase
               SET date_start = %(start)s, resolution_risk_date = %(risk)s,
                   resolution_deadline = %(deadline)s, next_check = %(deadline)s,
                   at_risk_warned = TRUE, sla_state = 'at_risk'
             WHERE id = %(id)s
            """,
            start=now - timedelta(days=10),
            risk=deadline - timedelta(days=1),
            deadline=deadline,
            id=phase_id,
        )
    )
env.cr.execute(
    SQL(
        """
        UPDATE helpdesk_ticket t
           SET resolution_deadline = p.resolution_deadline,
               sla_next_check = p.next_check, sla_state = p.sla_state
          FROM helpdesk_ticket_sla_phase p
         WHERE p.id = t.sla_phase_id AND p.id = ANY(%s)
        """,
        list(deadlines),
    )
)
env.invalidate_all()
env["helpdesk.ticket"]._sla_schedule_next_check(now - timedelta(hours=1))

stages = {
    "progress": ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress").id,
    "awaiting": ref("helpdesk_mgmt.helpdesk_ticket_stage_awaiting").id,
    "done": ref("helpdesk_mgmt.helpdesk_ticket_stage_done").id,
}
crons = {
    "sla_check": f"{module}.ir_cron_helpdesk_ticket_sla_check",
    "archive_filing": f"{module}.ir_cron_helpdesk_service_archive_file",
    "survey": f"{module}.ir_cron_service_satisfaction_reminder",
    "progress": f"{module}.ir_cron_service_plan_progress",
    "quality": f"{module}.ir_cron_service_plan_quality_todo",
    "summary": f"{module}.ir_cron_helpdesk_service_summary",
}
seed = {
    "db": env.cr.dbname,
    "start": Datetime.to_string(now),
    "agents": agents.mapped("login"),
    "agent_ids": agents.ids,
    "portals": portals.mapped("login"),
    "lead": ref(f"{module}.user_service_lead_demo").login,
    "contacts": contacts.ids,
    "teams": teams.ids,
    "stages": stages,
    "crons": {key: ref(xmlid).id for key, xmlid in crons.items()},
    "tickets": len(tickets),
    "with_phase": len(with_phase),
    "due": len(deadlines),
    "due_now": sum(1 for d in deadlines.values() if d <= now),
}
env.cr.commit()
with open(os.environ["HSA_LOAD_SEED"], "w", encoding="utf-8") as seed_file:
    json.dump(seed, seed_file)
print(json.dumps({k: v for k, v in seed.items() if not isinstance(v, (list, dict))}))
PY
tail -n 1 "$OUT/seed.log"
"$PYTHON" -c 'import json, sys; s = json.load(open(sys.argv[1])); sys.exit(0 if s["due"] or not s["tickets"] else 1)' "$OUT/seed.json" \
    || echo "WARNING: no seeded ticket has an SLA phase: nothing is due for the check." >&2
psql -qc "ANALYZE" "$DB" >/dev/null

# ---------------------------------------------------------------- servers
PIDS=()
stop_servers() {
    local pid
    for pid in "${PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 1 60); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.5
        done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    PIDS=()
}
trap stop_servers EXIT INT TERM

HOSTS=()
for node in $(seq 1 "$NODES"); do
    port=$((PORT + node - 1))
    echo "== Node $node: $WORKERS workers and 1 cron thread on http://127.0.0.1:$port (log $OUT/node$node.log)"
    odoo "${ODOO_OPTIONS[@]}" --http-interface=127.0.0.1 --http-port="$port" \
        --gevent-port=$((port + 100)) --workers="$WORKERS" --max-cron-threads=1 \
        --logfile="$OUT/node$node.log" --log-level=info &
    PIDS+=("$!")
    HOSTS+=("http://127.0.0.1:$port")
done
for host in "${HOSTS[@]}"; do
    for _ in $(seq 1 120); do
        curl -fsS -o /dev/null "$host/web/health" 2>/dev/null && break
        sleep 1
    done
    curl -fsS -o /dev/null "$host/web/health" || die "$host did not start (see $OUT)."
done

# ---------------------------------------------------------------- load
echo "== Locust: $USERS users (+$NODES scheduler(s)), $RATE/s, $SECONDS_RUN s"
START=$(date +%s)
HSA_LOAD_OUT="$OUT" HSA_LOAD_SEED="$OUT/seed.json" HSA_LOAD_HOSTS="${HOSTS[*]}" HSA_LOAD_SCHEDULERS="$NODES" \
    timeout --kill-after=30 $((SECONDS_RUN + 120)) \
    "${LOCUST[@]}" -f "$HSA_REPO/tools/load_test.py" --headless \
    -u $((USERS + NODES)) -r "$RATE" -t "${SECONDS_RUN}s" --stop-timeout 20 \
    --host "${HOSTS[0]}" --csv "$OUT/locust" --only-summary \
    >"$OUT/locust.log" 2>&1 || echo "(locust exited with $?, see $OUT/locust.log)"
ELAPSED=$(($(date +%s) - START))
stop_servers
trap - EXIT INT TERM

# ---------------------------------------------------------------- figures
echo "== Figures ($NODES node(s), $WORKERS workers each, $USERS users, $SECONDS_RUN s)"
HSA_LOAD_SECONDS="$SECONDS_RUN" "$LOCUST_VENV/bin/python" "$HSA_REPO/tools/load_test.py" report "$OUT"

# ---------------------------------------------------------------- invariants
echo
echo "== Invariants (after one last SLA check and filing pass, servers stopped)"
HSA_LOAD_OUT="$OUT" odoo shell "${ODOO_OPTIONS[@]}" --no-http --log-level=warn >"$OUT/invariants.log" 2>&1 <<'PY' || true
import json
import os

from odoo.tools import SQL

out = os.environ["HSA_LOAD_OUT"]
seed = json.load(open(os.path.join(out, "seed.json")))
ops = json.load(open(os.path.join(out, "ops.json")))
module = "helpdesk_service_agreement"
# the last pass of the checks the run may have left due (a deadline falling
# in its last seconds), as the cron thread would do a moment later
for xmlid in ("ir_cron_helpdesk_ticket_sla_check", "ir_cron_helpdesk_service_archive_file"):
    env.ref(f"{module}.{xmlid}").method_direct_trigger()
env.cr.commit()
env.invalidate_all()
cr = env.cr
failed = []


def check(label, query, *args):
    """An invariant: the query finds no row breaking it."""
    cr.execute(SQL(query, *args))
    rows = cr.fetchall()
    value = len(rows)
    ok = not rows
    print(f"INVARIANT {'ok  ' if ok else 'FAIL'} {label}: {value}")
    if not ok:
        failed.append(label)
        for row in rows[:5]:
            print(f"    {row}")
    return value


start = seed["start"]
check(
    "missed deadlines escalated twice (same ticket, reason, deadline)",
    """SELECT ticket_id, reason, missed_deadline, count(*) FROM helpdesk_ticket_escalation
        WHERE missed_deadline IS NOT NULL GROUP BY 1, 2, 3 HAVING count(*) > 1""",
)
check(
    "tickets raised twice to the same level during the run (nobody lowers one)",
    """SELECT ticket_id, to_level, count(*) FROM helpdesk_ticket_escalation
        WHERE date >= %s AND direction = 'up' GROUP BY 1, 2 HAVING count(*) > 1""",
    start,
)
check(
    "open tickets whose running clock missed its resolution deadline unescalated",
    """SELECT p.id FROM helpdesk_ticket_sla_phase p
         JOIN helpdesk_ticket t ON t.id = p.ticket_id
         JOIN helpdesk_ticket_stage s ON s.id = t.stage_id
        WHERE p.state = 'running' AND NOT s.closed AND NOT p.resolution_breached
          AND p.resolution_deadline < (now() AT TIME ZONE 'UTC') - interval '1 minute'""",
)
cr.execute(
    SQL(
        "SELECT count(*) FROM helpdesk_ticket_escalation WHERE date >= %s AND reason LIKE %s",
        start,
        "%_breach",
    )
)
print(f"INFO escalations for missed deadlines during the run: {cr.fetchone()[0]} (seeded due: {seed['due']})")
check(
    "tickets with more than one open SLA phase",
    """SELECT ticket_id FROM helpdesk_ticket_sla_phase WHERE state IN ('running', 'paused')
        GROUP BY 1 HAVING count(*) > 1""",
)
check(
    "tickets whose current phase is not their open phase",
    """SELECT p.ticket_id FROM helpdesk_ticket_sla_phase p
         JOIN helpdesk_ticket t ON t.id = p.ticket_id
        WHERE p.state IN ('running', 'paused') AND t.sla_phase_id IS DISTINCT FROM p.id""",
)
check(
    "archive chain numbers used twice in a company",
    """SELECT company_id, sequence_number FROM helpdesk_service_archive_document
        GROUP BY 1, 2 HAVING count(*) > 1""",
)
check(
    "archive chains with a gap (numbers not 1..n)",
    """SELECT company_id FROM helpdesk_service_archive_document
        GROUP BY 1 HAVING max(sequence_number) <> count(*)""",
)
check(
    "documents filed twice (same filing key)",
    """SELECT company_id, filing_key FROM helpdesk_service_archive_document
        GROUP BY 1, 2 HAVING count(*) > 1""",
)
Document = env["helpdesk.service.archive.document"]
for company in env["res.company"].search([]):
    result = Document._check_chain(company)
    ok = result["ok"]
    print(
        f"INVARIANT {'ok  ' if ok else 'FAIL'} archive chain of {company.name} verified "
        f"from the filestore: {result['checked']} documents"
        + ("" if ok else f", broken at {result['document'].sequence_number}: {result['problem']}")
    )
    if not ok:
        failed.append(f"archive chain of {company.name}")
cr.execute(SQL("SELECT state, count(*) FROM helpdesk_service_archive_request GROUP BY 1 ORDER BY 1"))
print(f"INFO archive filing requests by state: {dict(cr.fetchall())}")
check(
    "closed tickets of the run whose problem record was not queued for filing",
    """SELECT t.id FROM helpdesk_ticket t JOIN helpdesk_ticket_stage s ON s.id = t.stage_id
        WHERE s.closed AND t.closed_date >= %s AND NOT EXISTS (
              SELECT 1 FROM helpdesk_service_archive_request r
               WHERE r.res_model = 'helpdesk.ticket' AND r.res_id = t.id)""",
    start,
)
check(
    "acceptance forms with two survey invitations",
    """SELECT acceptance_id FROM helpdesk_service_satisfaction
        WHERE acceptance_id IS NOT NULL GROUP BY 1 HAVING count(*) > 1""",
)
check(
    "plans with two progress reports for one period",
    """SELECT plan_id, period_start FROM helpdesk_service_plan_progress
        GROUP BY 1, 2 HAVING count(*) > 1""",
)
check(
    "summaries drafted twice for one period and team or customer",
    """SELECT scope, period_type, date_start, company_id, team_id, partner_id
         FROM helpdesk_service_summary GROUP BY 1, 2, 3, 4, 5, 6 HAVING count(*) > 1""",
)
check(
    "duplicate followers (same document, same partner)",
    """SELECT res_model, res_id, partner_id FROM mail_followers
        GROUP BY 1, 2, 3 HAVING count(*) > 1""",
)
# every creation and reply a user saw succeed is in the database, once; a
# request still on its way when Locust stopped is in the database unseen
seen = json.load(open(os.path.join(out, "seen.json")))
agent_ids = seed["agent_ids"]
written = {}
cr.execute(
    SQL(
        """SELECT substring(name from 'lt[0-9]+x[0-9]+') FROM helpdesk_ticket
            WHERE create_uid = ANY(%s)""",
        agent_ids,
    )
)
written["ticket"] = [row[0] for row in cr.fetchall()]
cr.execute(
    SQL(
        """SELECT substring(m.body::text from 'lt[0-9]+x[0-9]+') FROM mail_message m
             JOIN res_users u ON u.partner_id = m.author_id
            WHERE m.model = 'helpdesk.ticket' AND m.message_type = 'comment'
              AND u.id = ANY(%s) AND m.body::text LIKE %s""",
        agent_ids,
        "%We are working on it%",
    )
)
written["reply"] = [row[0] for row in cr.fetchall()]
for kind, label in (("ticket", "tickets created"), ("reply", "replies posted")):
    in_db, saw = written[kind], set(seen[kind])
    doubled = len(in_db) - len(set(in_db))
    lost = len(saw - set(in_db))
    unseen = len(set(in_db) - saw)
    ok = not doubled and not lost
    print(
        f"INVARIANT {'ok  ' if ok else 'FAIL'} {label} by the agents: {len(saw)} seen "
        f"by them, {len(in_db)} in the database; lost {lost}, doubled {doubled}"
        f" (in flight when Locust stopped: {unseen})"
    )
    if not ok:
        failed.append(label)
cr.execute(SQL("SELECT active FROM ir_cron WHERE id = ANY(%s)", list(seed["crons"].values())))
inactive = [row for row in cr.fetchall() if not row[0]]
print(f"INVARIANT {'ok  ' if not inactive else 'FAIL'} scheduled actions switched off by failures: {len(inactive)}")
if inactive:
    failed.append("crons switched off")
cr.rollback()
print("INVARIANTS: " + ("FAIL " + "; ".join(failed) if failed else "ALL OK"))
PY
grep -E '^(INVARIANT|INFO)' "$OUT/invariants.log" || true
echo "(run: $ELAPSED s; logs, CSV and seed in $OUT)"
if ! grep -q '^INVARIANTS: ALL OK' "$OUT/invariants.log"; then
    grep -E '^INVARIANTS:' "$OUT/invariants.log" || tail -n 30 "$OUT/invariants.log"
    exit 1
fi
echo "INVARIANTS: ALL OK"
