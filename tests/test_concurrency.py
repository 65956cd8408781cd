# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Scheduled actions run by two workers at once: the SLA check escalates each
missed deadline once, the archive files each queued document once in one
unbroken chain. Two real, committing database cursors in two processes.

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


@pytest.fixture(scope="module")
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


ARCHIVED = 12

SEED_ARCHIVE = f"""
done = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
for i in range({ARCHIVED}):
    customer = env["res.partner"].create(
        {{"name": f"Archived {{i}}", "is_company": True}}
    )
    ticket = env["helpdesk.ticket"].create(
        {{"name": f"archived {{i}}", "description": "x", "partner_id": customer.id}}
    )
    ticket.stage_id = done
env.cr.commit()
print("QUEUED", env["helpdesk.service.archive.request"].search_count([]))
"""

FILE = """
Request = env["helpdesk.service.archive.request"]
while Request.search_count([("state", "=", "pending")]):
    Request._cron_file_pending(batch_size=3)
env.cr.commit()
print("FILED")
"""

ARCHIVE_RESULT = """
Document = env["helpdesk.service.archive.document"]
documents = Document.search([], order="sequence_number")
keys = documents.mapped("filing_key")
print("DOCUMENTS", len(documents))
print("DUPLICATES", len(keys) - len(set(keys)))
numbers = documents.mapped("sequence_number")
print("NUMBERS OK", numbers == list(range(1, len(documents) + 1)))
print("CHAIN OK", Document._check_chain(env.company)["ok"])
Request = env["helpdesk.service.archive.request"]
print("PENDING", Request.search_count([("state", "!=", "filed")]))
"""


def test_two_workers_file_each_document_once(database):
    assert f"QUEUED {ARCHIVED}" in _shell(database, SEED_ARCHIVE)
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
    outputs = [worker.communicate(FILE, timeout=900) for worker in workers]
    for worker, (stdout, stderr) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, (stdout + stderr)[-4000:]
        assert "FILED" in stdout, (stdout + stderr)[-4000:]
    result = _shell(database, ARCHIVE_RESULT)
    # each customer's registration form and problem record, once each
    assert f"DOCUMENTS {2 * ARCHIVED}" in result, result
    assert "DUPLICATES 0" in result, result
    assert "NUMBERS OK True" in result, result
    assert "CHAIN OK True" in result, result
    assert "PENDING 0" in result, result
