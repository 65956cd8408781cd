# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Load test of the addon under Odoo's own way to scale (Locust locustfile).

Run by ``tools/load_test.sh``, which builds a scratch database, starts Odoo
with ``--workers`` (one node, or two servers on the same database), runs this
file with ``locust --headless`` and checks the database afterwards. The users
work as the browser does: a web session opened by
``/web/session/authenticate``, then JSON-RPC on ``/web/dataset/call_kw`` and
the mail routes (agents, leads, the scheduler), or the portal's HTML pages
(customers). OdooLocust 2.0.0 was not used: it replaces Locust's HTTP session
by an odoolib connection that calls the external API (``/json/2`` with API
keys, or ``/jsonrpc`` with the password on every call), neither of which is
what the web client and the portal do, and it cannot fetch portal pages.

The users (weights for ``-u``; one scheduler per node besides):

- agents (6): list their team's open tickets, open one (record and chatter),
  reply to the customer (``message_post``), move it to another stage (now
  and then closing it, which queues its problem record for the archive),
  create a ticket for a customer contact;
- leads (1): the SLA compliance list and its totals by team, the service
  plans and one plan;
- portal customers (3): ``/my``, ``/my/tickets``, one ticket's page;
- scheduler (``fixed_count``, one per node): as admin, fires the SLA check,
  the archive filing, the satisfaction survey reminders and now and then the
  progress reports, quality to-dos and summaries through
  ``ir.cron.method_direct_trigger`` every few seconds. A job that another
  worker or the cron thread is running is reported as "busy", not as an
  error (Odoo never runs one job twice at once).

Environment (written by tools/load_test.sh): ``HSA_LOAD_SEED`` (the JSON file
of logins, contacts, teams, plans and crons written when the database was
filled), ``HSA_LOAD_HOSTS`` (space-separated base URLs, users spread over
them; only 127.0.0.1).

``python3 tools/load_test.py report OUT_DIR`` prints the figures of a run
from Locust's CSV files and the servers' logs (used by the runner).
"""

import itertools
import json
import os
import random
import re
import sys
import time
from urllib.parse import urlparse

LOCAL_HOSTS = ("127.0.0.1",)
_ids = itertools.count(1)


def check_local(url):
    """Refuse any target that is not this machine."""
    host = urlparse(url).hostname
    if host not in LOCAL_HOSTS:
        raise SystemExit(f"load test refused: {url} is not 127.0.0.1")
    return url.rstrip("/")


def load_seed():
    path = os.environ.get("HSA_LOAD_SEED")
    if not path:
        return {}
    with open(path, encoding="utf-8") as seed_file:
        return json.load(seed_file)


if __name__ != "__main__":
    from locust import HttpUser, between, constant, events, task
    from locust.exception import StopUser

    SEED = load_seed()
    BUSY = {}
    # the tokens of the replies and tickets whose request the agents saw succeed
    SEEN = {"reply": [], "ticket": []}
    HOSTS = [check_local(url) for url in os.environ.get("HSA_LOAD_HOSTS", "").split()]
    _counters = {}

    def next_index(kind, size):
        """Round-robin over the logins and hosts, per kind of user."""
        counter = _counters.setdefault(kind, itertools.count())
        return next(counter) % max(size, 1)

    @events.test_stop.add_listener
    @events.quitting.add_listener
    def _write_outcome(**_kwargs):
        """Cron triggers that found their job running elsewhere, and the
        tokens of the writes the users saw succeed (for the database check)."""
        out = os.environ.get("HSA_LOAD_OUT")
        if out:
            with open(os.path.join(out, "busy.json"), "w", encoding="utf-8") as f:
                json.dump(BUSY, f)
            with open(os.path.join(out, "seen.json"), "w", encoding="utf-8") as f:
                json.dump(SEEN, f)

    def token():
        """Unique in the run: marks a reply or a ticket in the database."""
        return f"lt{os.getpid()}x{next(_ids)}"

    class OdooUser(HttpUser):
        """A web session of one login on one node."""

        abstract = True
        kind = "user"

        def on_start(self):
            if HOSTS:
                self.client.base_url = HOSTS[
                    next_index(f"host-{self.kind}", len(HOSTS))
                ]
            check_local(self.client.base_url or self.host)
            login = self.pick_login()
            self.uid = None
            session = self.rpc(
                "/web/session/authenticate",
                {"db": SEED["db"], "login": login, "password": login},
                name=f"{self.kind}: login",
            )
            if not session:
                raise StopUser()
            self.uid = session["uid"]

        def pick_login(self):
            raise NotImplementedError

        def rpc(self, path, params, name):
            """One JSON-RPC request; an Odoo error is a failure named by its
            exception class (``odoo.exceptions.UserError: ...``)."""
            payload = {
                "jsonrpc": "2.0",
                "method": "call",
                "params": params,
                "id": next(_ids),
            }
            with self.client.post(
                path, json=payload, name=name, catch_response=True
            ) as response:
                try:
                    body = response.json()
                except ValueError:
                    response.failure(f"HTTP {response.status_code}: not JSON")
                    return None
                error = body.get("error")
                if error:
                    data = error.get("data") or {}
                    message = (data.get("message") or error.get("message") or "")[:200]
                    response.failure(f"{data.get('name', 'error')}: {message}")
                    self.last_error = data
                    return None
                self.last_error = None
                return body.get("result")

        def call(self, model, method, args=(), kwargs=None, name=None):
            return self.rpc(
                f"/web/dataset/call_kw/{model}/{method}",
                {
                    "model": model,
                    "method": method,
                    "args": list(args),
                    "kwargs": dict(kwargs or {}, context=self.odoo_context()),
                },
                name=name or f"{model}.{method}",
            )

        def odoo_context(self):
            return {"lang": "en_US", "tz": "Asia/Shanghai", "uid": self.uid}

    TICKET_LIST = {
        "number": {},
        "name": {},
        "partner_id": {"fields": {"display_name": {}}},
        "stage_id": {"fields": {"display_name": {}}},
        "user_id": {"fields": {"display_name": {}}},
        "problem_level": {},
        "sla_state": {},
        "resolution_deadline": {},
    }
    TICKET_FORM = dict(
        TICKET_LIST,
        description={},
        team_id={"fields": {"display_name": {}}},
        agreement_id={"fields": {"display_name": {}}},
        sla_phase_id={"fields": {"display_name": {}}},
        escalation_count={},
    )

    class Agent(OdooUser):
        """A service agent working through the tickets of the team."""

        weight = 6
        kind = "agent"
        wait_time = between(1, 4)

        def pick_login(self):
            agents = SEED["agents"]
            return agents[next_index("agent", len(agents))]

        def on_start(self):
            super().on_start()
            self.ticket_ids = []

        def _list(self):
            result = self.call(
                "helpdesk.ticket",
                "web_search_read",
                kwargs={
                    "domain": [
                        ("stage_id.closed", "=", False),
                        ("user_id", "in", [self.uid, False]),
                    ],
                    "specification": TICKET_LIST,
                    "limit": 80,
                    "order": "priority desc, id desc",
                },
                name="agent: list tickets",
            )
            if result:
                self.ticket_ids = [record["id"] for record in result["records"]]

        def _ticket(self):
            if not self.ticket_ids:
                self._list()
            return random.choice(self.ticket_ids) if self.ticket_ids else None

        @task(4)
        def list_tickets(self):
            self._list()

        @task(4)
        def open_ticket(self):
            ticket_id = self._ticket()
            if not ticket_id:
                return
            self.call(
                "helpdesk.ticket",
                "web_read",
                [[ticket_id]],
                {"specification": TICKET_FORM},
                name="agent: open ticket",
            )
            self.rpc(
                "/mail/thread/messages",
                {
                    "thread_model": "helpdesk.ticket",
                    "thread_id": ticket_id,
                    "fetch_params": {"limit": 30},
                },
                name="agent: ticket messages",
            )

        @task(3)
        def reply(self):
            ticket_id = self._ticket()
            if not ticket_id:
                return
            mark = token()
            posted = self.call(
                "helpdesk.ticket",
                "message_post",
                [[ticket_id]],
                {
                    "body": f"We are working on it ({time.strftime('%H:%M')}, {mark}).",
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_comment",
                },
                name="agent: reply",
            )
            if posted:
                SEEN["reply"].append(mark)

        @task(2)
        def change_stage(self):
            ticket_id = self._ticket()
            if not ticket_id:
                return
            stages = SEED["stages"]
            # mostly between the open stages; one move in eight closes it
            if random.random() < 0.125:
                stage_id = stages["done"]
            else:
                stage_id = random.choice(
                    [stages["progress"], stages["progress"], stages["awaiting"]]
                )
            if (
                self.call(
                    "helpdesk.ticket",
                    "write",
                    [[ticket_id], {"stage_id": stage_id}],
                    name="agent: change stage",
                )
                and stage_id == stages["done"]
            ):
                self.ticket_ids.remove(ticket_id)

        @task(1)
        def create_ticket(self):
            contact = random.choice(SEED["contacts"])
            mark = token()
            result = self.call(
                "helpdesk.ticket",
                "create",
                [
                    {
                        "name": f"Load test request {mark}",
                        "description": "<p>The customer reports a problem.</p>",
                        "partner_id": contact,
                        "team_id": random.choice(SEED["teams"]),
                        "user_id": self.uid,
                    }
                ],
                name="agent: create ticket",
            )
            if result:
                SEEN["ticket"].append(mark)
                self.ticket_ids.append(
                    result[0] if isinstance(result, list) else result
                )

    class Lead(OdooUser):
        """A team lead watching the SLA figures and the service plans."""

        weight = 1
        kind = "lead"
        wait_time = between(3, 8)

        def pick_login(self):
            return SEED["lead"]

        @task(3)
        def sla_list(self):
            self.call(
                "helpdesk.sla.report",
                "web_search_read",
                kwargs={
                    "domain": [],
                    "specification": {
                        "ticket_id": {"fields": {"display_name": {}}},
                        "team_id": {"fields": {"display_name": {}}},
                        "level": {},
                        "state": {},
                        "sla_state": {},
                        "date_start": {},
                        "compliance": {},
                    },
                    "limit": 80,
                },
                name="lead: SLA list",
            )

        @task(3)
        def sla_dashboard(self):
            self.call(
                "helpdesk.sla.report",
                "formatted_read_group",
                kwargs={
                    "domain": [],
                    "groupby": ["team_id"],
                    "aggregates": [
                        "met:sum",
                        "breached:sum",
                        "response_breached:sum",
                        "resolution_breached:sum",
                    ],
                },
                name="lead: SLA dashboard",
            )

        @task(2)
        def plan(self):
            result = self.call(
                "helpdesk.service.plan",
                "web_search_read",
                kwargs={
                    "domain": [],
                    "specification": {"display_name": {}, "state": {}},
                    "limit": 80,
                },
                name="lead: plans",
            )
            if result and result["records"]:
                plan_id = random.choice(result["records"])["id"]
                self.call(
                    "helpdesk.service.plan",
                    "web_read",
                    [[plan_id]],
                    {
                        "specification": {
                            "display_name": {},
                            "state": {},
                            "partner_id": {"fields": {"display_name": {}}},
                            "ticket_ids": {"fields": {"display_name": {}}},
                            "milestone_ids": {"fields": {"display_name": {}}},
                        }
                    },
                    name="lead: open plan",
                )

    class PortalCustomer(OdooUser):
        """A customer's contact following their tickets on the portal."""

        weight = 3
        kind = "portal"
        wait_time = between(2, 6)

        def pick_login(self):
            portals = SEED["portals"]
            return portals[next_index("portal", len(portals))]

        def on_start(self):
            super().on_start()
            self.ticket_urls = []

        def page(self, path, name):
            with self.client.get(path, name=name, catch_response=True) as response:
                if response.status_code != 200:
                    response.failure(f"HTTP {response.status_code}")
                elif "/web/login" in response.url:
                    response.failure("redirected to the login page")
                return response

        @task(2)
        def home(self):
            self.page("/my", "portal: /my")

        @task(3)
        def tickets(self):
            response = self.page("/my/tickets", "portal: /my/tickets")
            found = re.findall(r'href="(/my/ticket/\d+[^"]*)"', response.text or "")
            if found:
                self.ticket_urls = sorted(set(found))

        @task(3)
        def ticket(self):
            if not self.ticket_urls:
                self.tickets()
            if self.ticket_urls:
                url = random.choice(self.ticket_urls).replace("&amp;", "&")
                self.page(url, "portal: ticket page")

    class Scheduler(OdooUser):
        """The crons fired on purpose, beside the servers' own cron threads."""

        fixed_count = int(os.environ.get("HSA_LOAD_SCHEDULERS", "1"))
        kind = "scheduler"
        wait_time = constant(3)

        def pick_login(self):
            return "admin"

        def fire(self, key):
            cron_id = SEED["crons"][key]
            name = f"cron: {key}"
            payload = {
                "jsonrpc": "2.0",
                "method": "call",
                "params": {
                    "model": "ir.cron",
                    "method": "method_direct_trigger",
                    "args": [[cron_id]],
                    "kwargs": {"context": self.odoo_context()},
                },
                "id": next(_ids),
            }
            with self.client.post(
                "/web/dataset/call_kw/ir.cron/method_direct_trigger",
                json=payload,
                name=name,
                catch_response=True,
            ) as response:
                error = (response.json() or {}).get("error")
                message = ((error or {}).get("data") or {}).get("message", "")
                if error and "already executing" in message:
                    # another node, worker or cron thread runs it: Odoo's lock
                    response.success()
                    BUSY[key] = BUSY.get(key, 0) + 1
                elif error:
                    response.failure(
                        f"{error.get('data', {}).get('name', 'error')}: {message[:200]}"
                    )

        @task(4)
        def sla_check(self):
            self.fire("sla_check")

        @task(3)
        def archive_filing(self):
            self.fire("archive_filing")

        @task(2)
        def survey(self):
            self.fire("survey")

        @task(1)
        def periodic(self):
            self.fire(random.choice(["progress", "quality", "summary"]))


# ----------------------------------------------------------------------
# Report of a run (python3 tools/load_test.py report OUT_DIR)
# ----------------------------------------------------------------------

RETRY_RE = re.compile(
    r"(SERIALIZATION_FAILURE|LOCK_NOT_AVAILABLE|DEADLOCK_DETECTED|"
    r"ConcurrencyError[^,]*), (\d+) tries left"
)
GAVE_UP_RE = re.compile(r"maximum number of tries reached")
BAD_QUERY_RE = re.compile(r"bad query: (.*)")
SERIALIZE_RE = re.compile(r"could not serialize access|SerializationFailure")
ERROR_RE = re.compile(r"^\S+ \S+ \d+ (ERROR|CRITICAL) ")
# a worker closing a keep-alive connection the client left idle: no request
IDLE_RE = re.compile(r"Request timed out: TimeoutError")


def _float(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def _print_locust(out_dir, duration):
    """Per operation: count, failures, p50/p95/max (ms) from Locust's CSV;
    return (successes per operation, requests, failures)."""
    import csv

    with open(os.path.join(out_dir, "locust_stats.csv"), encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    total = next((row for row in rows if row["Name"] == "Aggregated"), None) or {}
    print(f"\n{'operation':<42}{'count':>7}{'fail':>6}{'p50':>7}{'p95':>7}{'max':>7}")
    successes = {"p95 agent: reply": 0.0}
    for row in sorted(rows, key=lambda row: row["Name"]):
        if row is total:
            continue
        count, failures = int(row["Request Count"]), int(row["Failure Count"])
        successes[row["Name"]] = count - failures
        if row["Name"] == "agent: reply":
            successes["p95 agent: reply"] = _float(row["95%"])
        print(
            f"{row['Name'][:41]:<42}{count:>7}{failures:>6}{_float(row['50%']):>7.0f}"
            f"{_float(row['95%']):>7.0f}{_float(row['Max Response Time']):>7.0f}"
        )
    requests = int(total.get("Request Count") or 0)
    failures = int(total.get("Failure Count") or 0)
    print(
        f"{'all (ms)':<42}{requests:>7}{failures:>6}{_float(total.get('50%')):>7.0f}"
        f"{_float(total.get('95%')):>7.0f}"
        f"{_float(total.get('Max Response Time')):>7.0f}"
    )
    print(
        f"\n{requests} requests in {duration:.0f} s: {requests / duration:.1f} "
        f"operations/s; {failures} failed (seen by the users)"
    )
    busy_path = os.path.join(out_dir, "busy.json")
    if os.path.exists(busy_path):
        with open(busy_path, encoding="utf-8") as f:
            busy = json.load(f)
        if busy:
            print(
                "cron triggers that found the job running elsewhere (Odoo's job "
                "lock; not errors): "
                + ", ".join(f"{key} {count}" for key, count in sorted(busy.items()))
            )
    failures_path = os.path.join(out_dir, "locust_failures.csv")
    if os.path.exists(failures_path):
        with open(failures_path, encoding="utf-8") as f:
            for row in csv.DictReader(f):
                print(f"  error x{row['Occurrences']}: {row['Name']}: {row['Error']}")
    return successes, requests, failures


def _scan_logs(out_dir):
    """Concurrency retries, failed statements and errors of the server logs."""
    import glob
    from collections import Counter

    found = {
        "retries": Counter(),
        "bad_queries": Counter(),
        "errors": Counter(),
        "gave_up": 0,
        "serialize_lines": 0,
        "idle": 0,
    }
    for path in sorted(glob.glob(os.path.join(out_dir, "node*.log"))):
        with open(path, encoding="utf-8", errors="replace") as log:
            for line in log:
                match = RETRY_RE.search(line)
                if match:
                    found["retries"][match.group(1)] += 1
                found["gave_up"] += bool(GAVE_UP_RE.search(line))
                found["serialize_lines"] += bool(SERIALIZE_RE.search(line))
                match = BAD_QUERY_RE.search(line)
                if match:
                    statement = " ".join(match.group(1).split())[:90]
                    found["bad_queries"][statement] += 1
                elif IDLE_RE.search(line):
                    found["idle"] += 1
                elif ERROR_RE.match(line):
                    found["errors"][" ".join(line.split()[4:])[:150]] += 1
    return found


def report(out_dir):
    """Figures of the run: per operation from Locust's CSV statistics, and
    the concurrency retries, failed queries and errors of the server logs.
    Writes ``ops.json`` (successes per operation) for the database check."""
    duration = _float(os.environ.get("HSA_LOAD_SECONDS")) or 1.0
    successes, requests, failures = _print_locust(out_dir, duration)
    found = _scan_logs(out_dir)
    retried = sum(found["retries"].values())
    print(
        f"\nconcurrency retries in the server logs: {retried} "
        f"({1000.0 * retried / max(requests, 1):.2f} per 1,000 requests) "
        + ", ".join(f"{kind} {count}" for kind, count in found["retries"].items())
    )
    print(f"  log lines naming a serialization failure: {found['serialize_lines']}")
    if found["gave_up"]:
        print(f"  given up after 5 tries: {found['gave_up']}")
    for statement, count in found["bad_queries"].most_common(10):
        print(f"  failed statement x{count}: {statement}")
    if found["idle"]:
        print(
            "  idle keep-alive connections closed by a worker (logged as ERROR "
            f"'Request timed out', no request lost): {found['idle']}"
        )
    if found["errors"]:
        print("errors in the server logs:")
        for line, count in found["errors"].most_common(15):
            print(f"  x{count}: {line}")
    else:
        print("errors in the server logs: none")
    p95_reply = successes.pop("p95 agent: reply")
    print(
        "goals of issue 21: users saw no error: "
        f"{'yes' if not failures else 'NO'}; retries under 1 per 1,000 requests: "
        f"{'yes' if retried * 1000 < max(requests, 1) else 'NO'}; "
        f"p95 of a reply under 1 s: {'yes' if p95_reply < 1000 else 'NO'} "
        f"({p95_reply:.0f} ms)"
    )
    with open(os.path.join(out_dir, "ops.json"), "w", encoding="utf-8") as f:
        json.dump(
            {
                "successes": successes,
                "requests": requests,
                "failures": failures,
                "retries": retried,
                "server_errors": sum(found["errors"].values()),
            },
            f,
        )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "report":
        report(sys.argv[2])
    else:
        sys.exit("usage: python3 tools/load_test.py report OUT_DIR")
