# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Upgrade with data from every released version of the addon to this code.

A plain pytest test (not an Odoo test case: Odoo's own loader does not import
it, see tests/__init__.py), driving the ``odoo`` command in subprocesses on
throw-away databases, with the addons path tools/test.sh exports.

The released versions are the commits of main listed in ``RELEASES`` (every
manifest version from 19.0.1.3.0 on but the working tree's; the last commit
holding it that could be installed), checked against the git history of the
repository this file lives in. Each version is taken out of git (``git
archive``) into a temporary addons directory named after the module, then on
its own database:

1. the old version is installed (its own dependencies: the old manifests
   depend on fewer addons, those the new one adds are installed by the
   upgrade), with demo data when its release brought new demo files;
2. data is added through ``odoo shell`` with the APIs of that version (a
   routed and transferred ticket, a closed ticket, its archive filed where
   the version has one, a ticket under a demo agreement), and the records of
   every model of the addon are counted, with the xml ids of its demo and
   ``noupdate`` records and the next numbers of the sequences;
3. the addon is upgraded with this code (``-u``); no ERROR or CRITICAL line
   may be logged, nor demo data that failed to load;
4. nothing is lost: every model still holds at least as many records, every
   xml id still resolves, no sequence went back; every record of the addon's
   models reads (computed fields included), every stored selection holds
   values the code knows, the added records are as they were, the archive's
   hash chain verifies before and after filing what the old version queued
   and a ticket closed after the upgrade, and numbering continues (a new
   customer number, ticket number and agreement copy's code, none given
   before);
5. the addon is uninstalled: its tables go, the helpdesk's records stay.

Time (CI budget: the whole of tools/test.sh must stay under 30 minutes, this
test adds at most about 4). Every released version goes directly to this
code, two at a time in parallel (``PARALLEL``), the longest runs first. The
dependencies the old versions share are installed once into two template
databases (with and without demo data), each version's database is copied
from one (``odoo db duplicate``, filestore included). Demo data, the richest
data an old version can make (agreements, acceptances, plans, summaries,
archive), is loaded for the oldest version and for every version whose
release brought new demo files (19.0.1.3.0, 1.5.0, 1.6.0, 1.8.0); the others
(1.4.0: translations, 1.7.0: the same kinds of records as 1.6.0) run with the
added records only. Rendering is the slow part of filing: every type of
document the old version queued is filed for the newest version with demo
data only, the others file their own customer's. A version takes 50 s to
1 min 30 s (install 6-40 s, upgrade 20-40 s, checks 12-20 s, uninstall
12-25 s; 1.8.0's every-type filing 1 min more); the whole test took 6 min 15 s
on a 2-core machine running other jobs (load 2.5), 5 min 15 s of processor
time besides PostgreSQL's: about 4 to 4 min 30 s on that machine idle
(``PARALLEL = 1`` would double it). A chain (1.3 →
1.4 → … → this code) is not run: each released database went in one step to
the release that followed, which that release covered; what this code must
take is every one of them directly.
"""

import ast
import io
import json
import logging
import os
import subprocess
import tarfile
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

_logger = logging.getLogger(__name__)

MODULE = "helpdesk_service_agreement"
ADDONS_PATH = os.environ.get("HSA_ADDONS_PATH")
REPO = Path(__file__).resolve().parent.parent
FIRST_RELEASED = "19.0.1.3.0"
# The commit of main each released version's databases were made by: the
# last commit holding the version, but for the commits that could not be
# installed (the lead commits a session's work and bumps the version at its
# end; a few commits missed a file). A new release is added here when the
# version after it is set (test_released_versions_listed fails until then).
RELEASES = {
    "19.0.1.3.0": "27da99f67715ab88d0a8ab958f7ce0bc66f2ceab",
    "19.0.1.4.0": "bbd0295bb276d5ea6bfea2ab3606347cc68c537f",
    "19.0.1.5.0": "9901c09402b2b77752f3118a6815b237a4eca3eb",
    # not the later f7fc1f9, 1670623, 3b551f8: models/ and wizards/__init__.py
    # do not import the signed mixin, its paper wizard (f7fc1f9 on) nor the
    # numbered mixin (1670623 on), imported from 3cfb7de (19.0.1.7.0) on
    "19.0.1.6.0": "2b2c9a7e05d55332e16bab3d10b937ba993ae5c3",
    # not the later 2a323bc (reports/report_layout_templates.xml not in the
    # manifest: the demo data fails on report_signature_seal), 2661412 and
    # b15110e (helpdesk.service.summary.figure and the SLA statement's models
    # not imported, from 3d7f666, 19.0.1.8.0, on)
    "19.0.1.7.0": "8360db2adb6c4323fe17290ff8b17f6f9a87016d",
    # not the later d574384 and 389867c: the work of 19.0.1.9.0 committed
    # before the version was set (its data files not yet in the manifest)
    "19.0.1.8.0": "d1b38dbfad6ec3cea5b66ce3e657128959f0f709",
}
PARALLEL = 2
DB_PREFIX = os.environ.get("HSA_UPGRADE_DB_PREFIX", "hsa_upgrade")


def _key(version):
    return tuple(int(part) for part in version.split("."))


def _git(*args, binary=False):
    return subprocess.run(
        ["git", "-C", str(REPO), *args],
        capture_output=True,
        check=True,
        text=not binary,
        timeout=120,
    ).stdout


def _manifest(commit):
    return ast.literal_eval(_git("show", f"{commit}:__manifest__.py"))


def _current_version():
    return ast.literal_eval((REPO / "__manifest__.py").read_text())["version"]


def _released():
    """[(version, commit)] of the released versions found in the git
    history, oldest first; [] when the addon is not in a git checkout."""
    try:
        return [
            (version, RELEASES[version])
            for version in sorted(RELEASES, key=_key)
            if _git("cat-file", "-t", RELEASES[version]).strip() == "commit"
        ]
    except (OSError, subprocess.SubprocessError):
        return []


RELEASED = _released() if ADDONS_PATH else []

pytestmark = pytest.mark.skipif(
    not ADDONS_PATH, reason="run through tools/test.sh (needs HSA_ADDONS_PATH)"
)

# The snapshot of what the addon holds, taken before and after the upgrade:
# it uses nothing of the addon, so that every version runs it.
SNAPSHOT = f"""
import json

MODULE = "{MODULE}"
META = ("ir.model", "ir.model.fields", "ir.model.fields.selection",
        "ir.model.constraint", "ir.model.relation", "ir.model.access",
        "ir.ui.view", "ir.ui.menu", "ir.rule", "res.groups")


def snapshot():
    Data = env["ir.model.data"]
    model_ids = Data.search([("module", "=", MODULE), ("model", "=", "ir.model")])
    names = set(env["ir.model"].browse(model_ids.mapped("res_id")).mapped("model"))
    names |= {{"helpdesk.ticket", "res.partner", "agreement"}}
    counts, own = {{}}, {{}}
    for name in sorted(names):
        if name not in env:
            continue
        model = env[name]
        if model._abstract or model._transient or not model._auto:
            continue
        counts[name] = model.with_context(active_test=False).search_count([])
        if model._original_module == MODULE:
            own[name] = model._table
    xmlids = sorted(
        f"{{data.module}}.{{data.name}}"
        for data in Data.search([("module", "=", MODULE), ("noupdate", "=", True)])
        if data.model not in META and not data.model.startswith("ir.actions")
    )
    attachments = env["ir.attachment"].search_count([("res_model", "in", list(own))])
    sequences = {{
        str(seq.id): seq.number_next_actual
        for seq in env["ir.sequence"].with_context(active_test=False).search([])
    }}
    partners = env["res.partner"].with_context(active_test=False).search([])
    tickets = env["helpdesk.ticket"].with_context(active_test=False).search([])
    agreements = env["agreement"].with_context(active_test=False).search([])
    return {{
        "counts": counts,
        "own": own,
        "xmlids": xmlids,
        "attachments": attachments,
        "sequences": sequences,
        "customer_codes": sorted(filter(None, set(partners.mapped("customer_code")))),
        "ticket_numbers": sorted(filter(None, set(tickets.mapped("number")))),
        "agreement_codes": sorted(filter(None, set(agreements.mapped("code")))),
    }}
"""

# Data added on the old version, with the APIs every released version has.
SEED = f"""
Ticket = env["helpdesk.ticket"]
team = env["helpdesk.ticket.team"].create({{"name": "Upgrade team"}})
other = env["helpdesk.ticket.team"].create({{"name": "Upgrade other team"}})
category = env["helpdesk.ticket.category"].create({{"name": "Upgrade category"}})
env["helpdesk.ticket.routing"].create({{
    "request_type": "in_sale", "category_id": category.id, "team_id": team.id,
}})
customer = env["res.partner"].create({{"name": "Upgrade Customer", "is_company": True}})
ticket = Ticket.create({{
    "name": "Upgrade ticket", "description": "x", "user_id": False,
    "partner_id": customer.id, "request_type": "in_sale", "category_id": category.id,
}})
assert ticket.team_id == team, ticket.team_id
ticket.with_context(transfer_summary="over to the other team").team_id = other
assert len(ticket.transfer_ids) == 1
closed = Ticket.create({{
    "name": "Upgrade closed", "description": "x", "partner_id": customer.id,
}})
closed.stage_id = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
filed = 0
if "helpdesk.service.archive.request" in env:
    # the customer's (the demo's stay queued, filed by the new code)
    Request = env["helpdesk.service.archive.request"]
    for _round in range(2):
        Request.search(
            [("state", "=", "pending"), ("partner_id", "=", customer.id)]
        )._file()
    archive = env["helpdesk.service.archive"].search([("partner_id", "=", customer.id)])
    filed = len(archive.document_ids)
    assert filed, "nothing filed"
huaxin = env.ref("{MODULE}.res_partner_huaxin_demo", raise_if_not_found=False)
if huaxin:  # with demo data
    covered = Ticket.create({{
        "name": "Upgrade agreement ticket", "description": "x", "partner_id": huaxin.id,
    }})
    assert covered.agreement_id, "the demo customer's agreement does not cover it"
env.cr.commit()
print("SNAPSHOT " + json.dumps(dict(snapshot(), filed=filed)))
"""

CHECK = """
problems = []
after = snapshot()
for name, count in BEFORE["counts"].items():
    if name not in after["counts"]:
        problems.append(f"model {name} gone ({count} records)")
    elif after["counts"][name] < count:
        problems.append(f"{name}: {count} records, {after['counts'][name]} after")
if after["attachments"] < BEFORE["attachments"]:
    problems.append(f"attachments: {BEFORE['attachments']} -> {after['attachments']}")
for xmlid in BEFORE["xmlids"]:
    try:
        found = env.ref(xmlid, raise_if_not_found=False)
    except KeyError:  # its model is gone
        found = None
    if not found:
        problems.append(f"record {xmlid} gone")
for seq_id, number in BEFORE["sequences"].items():
    if after["sequences"].get(seq_id, 0) < number:
        then = after["sequences"].get(seq_id)
        problems.append(f"sequence {seq_id}: next {number}, then {then}")

# every record of the addon reads, computed fields included
for name in after["counts"]:
    model = env[name].with_context(active_test=False)
    fnames = [
        fname for fname, field in model._fields.items()
        if field.type != "binary"
        and (name in after["own"] or field._module == MODULE)
    ]
    records = model.search([])
    for start in range(0, len(records), 500):
        records[start:start + 500].read(fnames)
    records.invalidate_recordset()
    # stored selections hold values the code knows
    for fname in fnames:
        field = model._fields[fname]
        if field.type != "selection" or not field.store or not field.column_type:
            continue
        allowed = set(field.get_values(env))
        env.cr.execute(
            f'SELECT DISTINCT "{fname}" FROM "{model._table}" '
            f'WHERE "{fname}" IS NOT NULL'
        )
        unknown = {value for (value,) in env.cr.fetchall()} - allowed
        if unknown:
            problems.append(f"{name}.{fname} holds {sorted(unknown)}")

# the records added on the old version
Ticket = env["helpdesk.ticket"]
ticket = Ticket.search([("name", "=", "Upgrade ticket")])
assert ticket.request_type == "in_sale", ticket.request_type
assert ticket.transfer_ids.summary == "over to the other team"
customer = ticket.partner_id
assert customer.customer_code in BEFORE["customer_codes"], customer.customer_code
closed = Ticket.search([("name", "=", "Upgrade closed")])
assert closed.stage_id == env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
covered = Ticket.search([("name", "=", "Upgrade agreement ticket")])
if covered:  # with demo data
    assert covered.agreement_id.partner_id == covered.partner_id.commercial_partner_id

# the archive: the chain verifies, before and after filing what the upgrade
# queued and a ticket closed now
Document = env["helpdesk.service.archive.document"]
Request = env["helpdesk.service.archive.request"]
archive = env["helpdesk.service.archive"].search([("partner_id", "=", customer.id)])
assert len(archive.document_ids) == BEFORE["filed"], archive.document_ids
later = Ticket.create(
    {"name": "Upgrade closed later", "description": "x", "partner_id": customer.id}
)
later.stage_id = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
# what the old version queued: the customer's, and (FILE_EVERY_TYPE, for
# one version: rendering is the slow part) one request of each type, then
# what filing them queued for the same customers
pending = Request.search([("state", "=", "pending")])
sample = pending.filtered(lambda request: request.partner_id == customer)
for group in pending.grouped("document_type").values() if FILE_EVERY_TYPE else ():
    sample |= group[0]


def check_chains():
    for company in Document.search([]).company_id:
        verdict = Document._check_chain(company)
        if not verdict["ok"]:
            problems.append(f"archive chain of {company.name}: {verdict}")


check_chains()
sample._file()
Request.search(
    [("state", "=", "pending"), ("partner_id", "in", sample.partner_id.ids)]
)._file()
check_chains()
archive = env["helpdesk.service.archive"].search([("partner_id", "=", customer.id)])
assert len(archive.document_ids) > BEFORE["filed"], "nothing filed after the upgrade"
failed = Request.search([("state", "=", "failed")])
assert not failed, [(request.res_model, request.error) for request in failed]

# numbering continues
new = env["res.partner"].create({"name": "Upgrade new customer", "is_company": True})
new_ticket = Ticket.create(
    {"name": "Upgrade new", "description": "x", "partner_id": new.id}
)
assert new.customer_code, "the new customer has no number"
assert new.customer_code not in BEFORE["customer_codes"], new.customer_code
assert new_ticket.number not in BEFORE["ticket_numbers"], new_ticket.number
if covered:
    copy = covered.agreement_id.copy()
    assert copy.code not in BEFORE["agreement_codes"], copy.code
    copy.unlink()  # a draft; kept, it would keep the demo customer at uninstall
env.cr.commit()
assert not problems, "\\n".join(problems)
print("UPGRADED OK")
"""

UNINSTALL = f"""
module = env["ir.module.module"].search([("name", "=", "{MODULE}")])
tables = list(snapshot()["own"].values())
module.button_immediate_uninstall()
env.cr.commit()
env.cr.execute("SELECT state FROM ir_module_module WHERE name = %s", ["{MODULE}"])
assert env.cr.fetchone()[0] == "uninstalled"
left = []
for table in tables:
    env.cr.execute("SELECT to_regclass(%s)", [table])
    if env.cr.fetchone()[0]:
        left.append(table)
assert not left, left
env.cr.execute("SELECT name FROM helpdesk_ticket WHERE name LIKE %s", ["Upgrade %"])
names = {{name for (name,) in env.cr.fetchall()}}
kept = {{"Upgrade ticket", "Upgrade closed", "Upgrade closed later", "Upgrade new"}}
assert kept <= names, names
env.cr.execute(
    "SELECT count(*) FROM information_schema.columns "
    "WHERE table_name = 'helpdesk_ticket' AND column_name = 'request_type'"
)
assert env.cr.fetchone()[0] == 0
print("UNINSTALLED OK")
"""


def _odoo(addons_path, db, *args, stdin=None, command=()):
    cmd = ["odoo", *command, f"--addons-path={addons_path}", "-d", db, *args]
    result = subprocess.run(
        cmd, input=stdin, capture_output=True, text=True, timeout=1200, check=False
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"{' '.join(cmd)}\n{output[-6000:]}"
    errors = [
        line
        for line in output.splitlines()
        if " ERROR " in line or " CRITICAL " in line or "demo data failed" in line
    ]
    assert not errors, "\n".join(errors[:20]) + "\n" + output[-6000:]
    return output


def _shell(addons_path, db, script):
    return _odoo(
        addons_path,
        db,
        "--no-http",
        "--log-level=warn",
        stdin=script,
        command=["shell"],
    )


def _drop(db):
    subprocess.run(
        ["odoo", "db", "drop", db], capture_output=True, check=False, timeout=300
    )


def _other_addons():
    """HSA_ADDONS_PATH without the directory holding this addon."""
    return [
        path
        for path in ADDONS_PATH.split(",")
        if path and not (Path(path) / MODULE / "__manifest__.py").exists()
    ]


_duplicating = threading.Lock()


def _with_demo():
    """{version: whether it is installed with demo data}: the oldest, and
    every version whose demo brought new files (new kinds of records); a
    version whose demo files are those of the version before adds nothing
    its predecessor's demo data does not cover."""
    demos, seen = {}, None
    for version, commit in RELEASED:
        files = set(_manifest(commit).get("demo", []))
        demos[version] = seen is None or bool(files - seen)
        seen = files
    return demos


@pytest.fixture(scope="module")
def runs(request, tmp_path_factory):
    """Starts the run of every version selected (``-k``), PARALLEL at a time,
    the longest first (with demo data, newest first); yields their futures."""
    if not RELEASED:
        pytest.skip("no released version found: not a git checkout")
    selected = {
        item.callspec.params["version"]
        for item in request.session.items
        if getattr(item, "originalname", None) == "test_upgrade_from_released"
    }
    prefix = f"{DB_PREFIX}_{uuid.uuid4().hex[:8]}"
    root = tmp_path_factory.mktemp("released")
    demos = _with_demo()
    every_type = max((v for v, demo in demos.items() if demo), key=_key)
    # what every old version depends on, installed once into a template with
    # and one without demo data
    common = set.intersection(
        *(set(_manifest(commit)["depends"]) for _v, commit in RELEASED)
    )
    pool = ThreadPoolExecutor(PARALLEL)
    templates = {}
    try:
        order = sorted(
            (version for version, _commit in RELEASED if version in selected),
            key=lambda version: (demos[version], _key(version)),
            reverse=True,
        )
        for demo in sorted({demos[version] for version in order}, reverse=True):
            name = f"{prefix}_base_{'demo' if demo else 'nodemo'}"
            args = ["-i", ",".join(sorted(common)), "--stop-after-init"]
            args += ["--log-level=warn", "--with-demo" if demo else "--without-demo"]
            templates[demo] = (
                name,
                pool.submit(_odoo, ",".join(_other_addons()), name, *args),
            )
        commits = dict(RELEASED)
        futures = {
            version: pool.submit(
                _run,
                version,
                commits[version],
                templates[demos[version]],
                root,
                prefix,
                version == every_type,
            )
            for version in order
        }
        yield futures
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        for name, _future in templates.values():
            _drop(name)


def _run(version, commit, template, root, prefix, every_type):
    """Install ``version`` from ``commit``, fill, upgrade, check, uninstall;
    returns the durations of the steps."""
    template, built = template
    built.result()  # the template's failure fails every version
    db = f"{prefix}_{version.replace('.', '_')}"
    addons = Path(tempfile.mkdtemp(dir=root))
    tar = _git("archive", "--format=tar", commit, binary=True)
    with tarfile.open(fileobj=io.BytesIO(tar)) as archive:
        archive.extractall(addons / MODULE, filter="data")
    old_path = ",".join([str(addons), *_other_addons()])
    timings = {}

    def step(name, func, *args, **kwargs):
        start = time.monotonic()
        result = func(*args, **kwargs)
        timings[name] = round(time.monotonic() - start, 1)
        return result

    try:
        with _duplicating:
            subprocess.run(
                ["odoo", "db", "duplicate", template, db],
                capture_output=True,
                check=True,
                timeout=300,
            )
        step(
            "install",
            _odoo,
            old_path,
            db,
            "-i",
            MODULE,
            "--stop-after-init",
            "--log-level=warn",
        )
        output = step("seed", _shell, old_path, db, SNAPSHOT + SEED)
        lines = [line for line in output.splitlines() if line.startswith("SNAPSHOT ")]
        assert lines, output[-4000:]
        before = json.loads(lines[-1].removeprefix("SNAPSHOT "))
        step(
            "upgrade",
            _odoo,
            ADDONS_PATH,
            db,
            "-u",
            MODULE,
            "--stop-after-init",
            "--log-level=warn",
        )
        check = (
            SNAPSHOT
            + f"BEFORE = json.loads({json.dumps(before)!r})\n"
            + f"FILE_EVERY_TYPE = {every_type}\n"
            + CHECK
        )
        output = step("check", _shell, ADDONS_PATH, db, check)
        assert "UPGRADED OK" in output, output[-4000:]
        output = step("uninstall", _shell, ADDONS_PATH, db, SNAPSHOT + UNINSTALL)
        assert "UNINSTALLED OK" in output, output[-4000:]
    finally:
        _drop(db)
    return timings


def test_released_versions_listed():
    """Every release is in the history (a shallow clone fails: fetch the
    whole history, ``git fetch --unshallow``), holds its version, and every
    version main held before this one is listed in RELEASES."""
    found = dict(RELEASED)
    missing = [version for version in RELEASES if version not in found]
    assert not missing, f"released versions not found in git history: {missing}"
    for version, commit in RELEASED:
        assert _manifest(commit)["version"] == version, (version, commit)
    current = _current_version()
    held = set()
    for commit in _git("rev-list", "--first-parent", "HEAD").split():
        try:
            held.add(_manifest(commit)["version"])
        except subprocess.CalledProcessError:  # before the manifest
            continue
    unlisted = sorted(
        version
        for version in held
        if _key(FIRST_RELEASED) <= _key(version) < _key(current)
        and version not in RELEASES
    )
    assert not unlisted, f"released, not in RELEASES: {unlisted}"


@pytest.mark.parametrize(
    "version", [version for version, _commit in RELEASED] or ["none"]
)
def test_upgrade_from_released(runs, version):
    timings = runs[version].result()
    _logger.info("%s -> HEAD: %s", version, timings)
