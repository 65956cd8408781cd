# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Backups (数据备份): a database with filed archive documents is dumped with
pg_dump and its filestore copied, restored into a new database, and the
service archive's integrity check passes on the restored copy; a filed row
changed in the copy, or a restore without the filestore, fails it.

A plain pytest test (as tests/test_install_upgrade_uninstall.py): it drives
``odoo`` and PostgreSQL's tools in subprocesses on throw-away databases.
"""

import os
import shutil
import subprocess
import uuid

import pytest

MODULE = "helpdesk_service_agreement"
ADDONS_PATH = os.environ.get("HSA_ADDONS_PATH")

pytestmark = pytest.mark.skipif(
    not ADDONS_PATH, reason="run through tools/test.sh (needs HSA_ADDONS_PATH)"
)

SEED = """
import odoo.tools
customer = env["res.partner"].create({"name": "Backup Customer", "is_company": True})
for name in ("Backup one", "Backup two"):
    ticket = env["helpdesk.ticket"].create(
        {"name": name, "description": "x", "partner_id": customer.id}
    )
    ticket.stage_id = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
Request = env["helpdesk.service.archive.request"]
for _round in range(2):
    Request.search([("state", "=", "pending")])._file()
archive = env["helpdesk.service.archive"].search([("partner_id", "=", customer.id)])
assert len(archive.document_ids) == 3, archive.document_ids
env.cr.commit()
print("FILESTORE", odoo.tools.config.filestore(env.cr.dbname))
"""

VERIFY = """
import odoo.tools
archive = env["helpdesk.service.archive"].search(
    [("partner_id.name", "=", "Backup Customer")]
)
assert archive.document_ids, "no filed document restored"
result = archive.action_verify_integrity()
print("VERDICT", result["params"]["type"], result["params"]["message"])
print("FILESTORE", odoo.tools.config.filestore(env.cr.dbname))
"""

TAMPER = """
env.cr.execute(
    "UPDATE helpdesk_service_archive_document SET customer_code = 'C9999' "
    "WHERE sequence_number = 2"
)
env.cr.commit()
print("TAMPERED", env.cr.rowcount)
"""


def _run(cmd, stdin=None):
    result = subprocess.run(
        cmd, input=stdin, capture_output=True, text=True, timeout=1800, check=False
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    return output


def _odoo(db, *args, stdin=None, command=()):
    return _run(
        ["odoo", f"--addons-path={ADDONS_PATH}", *command, "-d", db, *args],
        stdin=stdin,
    )


def _shell(db, script):
    return _odoo(db, "--no-http", "--log-level=warn", stdin=script, command=["shell"])


def _value(output, key):
    for line in output.splitlines():
        if line.startswith(f"{key} "):
            return line[len(key) + 1 :]
    raise AssertionError(f"{key} not printed:\n{output[-4000:]}")


@pytest.fixture
def databases():
    """Names of throw-away databases, dropped with their filestores in all
    cases."""
    tag = uuid.uuid4().hex[:8]
    names = [f"hsa_backup_{tag}_{kind}" for kind in ("src", "copy", "nofiles")]
    filestores = []
    yield names, filestores
    for name in names:
        subprocess.run(
            ["dropdb", "--if-exists", name], check=False, capture_output=True
        )
    for path in filestores:
        shutil.rmtree(path, ignore_errors=True)


def test_restored_archive_verifies(databases, tmp_path):
    (source, copy, nofiles), filestores = databases
    _odoo(source, "-i", MODULE, "--stop-after-init", "--log-level=warn")
    source_store = _value(_shell(source, SEED), "FILESTORE")
    filestores.append(source_store)
    # the backup: the database and the filestore
    dump = tmp_path / "backup.dump"
    _run(["pg_dump", "--format=custom", f"--file={dump}", source])
    for name in (copy, nofiles):
        _run(["createdb", name])
        _run(["pg_restore", "--no-owner", f"--dbname={name}", str(dump)])
    copy_store = os.path.join(os.path.dirname(source_store), copy)
    filestores += [copy_store, os.path.join(os.path.dirname(source_store), nofiles)]
    shutil.copytree(source_store, copy_store)

    output = _shell(copy, VERIFY)
    assert _value(output, "VERDICT").startswith("success"), output[-2000:]
    assert _value(output, "FILESTORE") == copy_store
    # a restore without the filestore lost the PDFs: the check says so
    assert _value(_shell(nofiles, VERIFY), "VERDICT").startswith("danger")
    # a filed row changed in the restored copy breaks the chain
    assert _value(_shell(copy, TAMPER), "TAMPERED") == "1"
    assert _value(_shell(copy, VERIFY), "VERDICT").startswith("danger")
