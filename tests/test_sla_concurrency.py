# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The SLA check run by two workers at once escalates each missed deadline
once: two real, committing database cursors in two processes.

A plain pytest test (an Odoo test transaction cannot commit): it drives
``odoo shell`` in subprocesses on a throw-away database, with the addons path
tools/test.sh exports.
"""

import os
import subprocess
import uuid

import pytest

MODULE = "helpdesk_service_agreement"
ADDONS_PATH = os.environ.get("HSA_ADDONS_PATH")

pytestmark = pytest.mark.skipif(
    not ADDONS_PATH, reason="run through tools/test.sh (needs HSA_ADDONS_PATH)"
)

TICKETS = 300

SEED = f"""
from datetime import timedelta
from odoo import fields
customer = env["res.partner"].create({{"name": "Two workers", "is_company": True}})
tickets = env["helpdesk.ticket"].create([
    {{"name": f"due {{i}}", "description": "x", "partner_id": customer.id}}
    for i in range({TICKETS})
])
past = fields.Datetime.now() - timedelta(hours=1)
phases = tickets.sla_phase_id
assert len(phases) == {TICKETS}, len(phases)
phases.write({{"resolution_deadline": past, "next_check": past}})
env.flush_all()
due = env["helpdesk.ticket"].search_count([("sla_next_check", "<=", past)])
assert due == {TICKETS}, due
env.cr.commit()
print("SEEDED")
"""

CHECK = """
env["helpdesk.ticket"]._cron_sla_check(batch_size=50)
env.cr.commit()
print("CHECKED")
"""

RESULT = """
tickets = env["helpdesk.ticket"].search([("name", "=like", "due %")])
Escalation = env["helpdesk.ticket.escalation"]
escalations = Escalation.search([("ticket_id", "in", tickets.ids)])
per_ticket = {}
for escalation in escalations:
    per_ticket[escalation.ticket_id.id] = per_ticket.get(escalation.ticket_id.id, 0) + 1
print("TICKETS", len(tickets))
print("ESCALATED", len(per_ticket))
print("MAX PER TICKET", max(per_ticket.values(), default=0))
print("LEVELS", sorted(set(tickets.mapped("problem_level"))))
"""


def _cmd(db):
    return [
        "odoo",
        f"--addons-path={ADDONS_PATH}",
        "shell",
        "-d",
        db,
        "--no-http",
        "--log-level=warn",
    ]


def _shell(db, script):
    result = subprocess.run(
        _cmd(db), input=script, capture_output=True, text=True, timeout=900, check=False
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    return result.stdout


@pytest.fixture
def database():
    name = f"hsa_concurrency_{uuid.uuid4().hex[:8]}"
    install = subprocess.run(
        [
            "odoo",
            f"--addons-path={ADDONS_PATH}",
            "-d",
            name,
            "-i",
            MODULE,
            "--stop-after-init",
            "--log-level=warn",
            "--no-http",
        ],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert install.returncode == 0, install.stderr[-4000:]
    yield name
    subprocess.run(["dropdb", "--if-exists", name], check=False, capture_output=True)


def test_two_workers_escalate_each_deadline_once(database):
    assert "SEEDED" in _shell(database, SEED)
    workers = [
        subprocess.Popen(
            _cmd(database),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [worker.communicate(CHECK, timeout=900) for worker in workers]
    for worker, (stdout, stderr) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, (stdout + stderr)[-4000:]
        assert "CHECKED" in stdout, (stdout + stderr)[-4000:]
    result = _shell(database, RESULT)
    assert f"TICKETS {TICKETS}" in result
    assert f"ESCALATED {TICKETS}" in result, result
    assert "MAX PER TICKET 1" in result, result
    assert "LEVELS ['2']" in result, result
