# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Install, upgrade (-u) and uninstall on a database holding data.

A plain pytest test (not an Odoo test case: Odoo's own loader does not import
it, see tests/__init__.py): it drives the ``odoo`` command in subprocesses on
a throw-away database, with the addons path tools/test.sh exports.
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

BEFORE = """
env["helpdesk.ticket"].create({"name": "Before", "description": "x"})
env.cr.commit()
"""

CHECK_DEFAULTED = """
before = env["helpdesk.ticket"].search([("name", "=", "Before")])
assert before.request_type == "after_sale", before.request_type
print("DEFAULTED")
"""

CHECK_DEMO = """
ticket = env.ref("helpdesk_service_agreement.helpdesk_ticket_complaint_demo")
assert ticket.team_id == env.ref(
    "helpdesk_service_agreement.helpdesk_team_complaint_demo"
), ticket.team_id
print("DEMO OK")
"""

SEED_DATA = """
team = env["helpdesk.ticket.team"].create({"name": "Lifecycle team"})
other = env["helpdesk.ticket.team"].create({"name": "Lifecycle other team"})
category = env["helpdesk.ticket.category"].create({"name": "Lifecycle category"})
env["helpdesk.ticket.routing"].create({
    "request_type": "in_sale", "category_id": category.id, "team_id": team.id,
})
customer = env["res.partner"].create({"name": "Lifecycle Customer", "is_company": True})
ticket = env["helpdesk.ticket"].create({
    "name": "Lifecycle ticket", "description": "x", "user_id": False,
    "partner_id": customer.id, "request_type": "in_sale", "category_id": category.id,
})
assert ticket.team_id == team, ticket.team_id
ticket.with_context(transfer_summary="over to the other team").team_id = other
assert len(ticket.transfer_ids) == 1
assert customer.customer_code
# a closed ticket filed in the customer's archive (problem record, then the
# registration form the new archive queues)
closed = env["helpdesk.ticket"].create({
    "name": "Lifecycle filed", "description": "x", "partner_id": customer.id,
})
closed.stage_id = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
Request = env["helpdesk.service.archive.request"]
for _round in range(2):
    Request.search([("state", "=", "pending")])._file()
archive = env["helpdesk.service.archive"].search([("partner_id", "=", customer.id)])
assert len(archive.document_ids) == 2, archive.document_ids
env.cr.commit()
print("SEEDED", customer.customer_code)
"""

CHECK_UPGRADED = """
ticket = env["helpdesk.ticket"].search([("name", "=", "Lifecycle ticket")])
assert ticket.request_type == "in_sale"
assert ticket.transfer_ids.summary == "over to the other team"
assert ticket.partner_id.customer_code
archive = env["helpdesk.service.archive"].search(
    [("partner_id", "=", ticket.partner_id.id)]
)
assert len(archive.document_ids) == 2, archive.document_ids
Document = env["helpdesk.service.archive.document"]
assert Document._check_chain(env.company)["ok"]
print("UPGRADED OK")
"""

UNINSTALL = f"""
module = env["ir.module.module"].search([("name", "=", "{MODULE}")])
module.button_immediate_uninstall()
env.cr.commit()
print("STATE", module.state)
"""

CHECK_UNINSTALLED = f"""
module = env["ir.module.module"].search([("name", "=", "{MODULE}")])
assert module.state == "uninstalled"
assert env["helpdesk.ticket"].search([("name", "=", "Lifecycle ticket")])
assert env["res.partner"].search([("name", "=", "Lifecycle Customer")])
env.cr.execute(
    "SELECT to_regclass('helpdesk_ticket_transfer'), "
    "to_regclass('helpdesk_ticket_routing'), "
    "to_regclass('helpdesk_service_archive_document')"
)
assert env.cr.fetchone() == (None, None, None)
env.cr.execute(
    "SELECT count(*) FROM information_schema.columns "
    "WHERE table_name = 'helpdesk_ticket' AND column_name = 'request_type'"
)
assert env.cr.fetchone()[0] == 0
print("UNINSTALLED OK")
"""


def _odoo(db, *args, stdin=None, command=()):
    cmd = ["odoo", f"--addons-path={ADDONS_PATH}", *command, "-d", db, *args]
    result = subprocess.run(
        cmd, input=stdin, capture_output=True, text=True, timeout=900, check=False
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    errors = [
        line
        for line in output.splitlines()
        if " ERROR " in line or " CRITICAL " in line
    ]
    assert not errors, "\n".join(errors[:20])
    return output


def _shell(db, script):
    return _odoo(db, "--no-http", "--log-level=warn", stdin=script, command=["shell"])


@pytest.fixture
def database():
    name = f"hsa_lifecycle_{uuid.uuid4().hex[:8]}"
    yield name
    subprocess.run(["dropdb", "--if-exists", name], check=False, capture_output=True)


def test_install_upgrade_uninstall_with_data(database):
    # a helpdesk already in use, then the addon comes in
    _odoo(
        database,
        "-i",
        "helpdesk_mgmt",
        "--with-demo",
        "--stop-after-init",
        "--log-level=warn",
    )
    _shell(database, BEFORE)
    # with the addon's demo data: it must load without an error
    _odoo(database, "-i", MODULE, "--stop-after-init", "--log-level=warn")
    output = _shell(database, CHECK_DEMO)
    assert "DEMO OK" in output
    output = _shell(database, CHECK_DEFAULTED)
    assert "DEFAULTED" in output
    assert "SEEDED" in _shell(database, SEED_DATA)
    _odoo(database, "-u", MODULE, "--stop-after-init", "--log-level=warn")
    assert "UPGRADED OK" in _shell(database, CHECK_UPGRADED)
    assert "STATE uninstalled" in _shell(database, UNINSTALL)
    assert "UNINSTALLED OK" in _shell(database, CHECK_UNINSTALLED)
