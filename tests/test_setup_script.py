# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""tools/setup.sh finds Odoo and its addons however Odoo was installed.

A plain pytest test (no database): fake Odoo layouts in a temporary folder, run
with a python that ignores the machine's site-packages, so that only the fake
Odoo is importable. Odoo 19 makes ``odoo`` and ``odoo.addons`` namespace
packages, which the fakes reproduce (no ``__init__.py``).
"""

import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SETUP = REPO / "tools" / "setup.sh"


def _odoo_package(root, version="19.0", core=("base", "web")):
    """An ``odoo`` package under ``root`` with its core addons."""
    (root / "odoo").mkdir(parents=True)
    (root / "odoo" / "release.py").write_text(f"version = {version!r}\n")
    for name in core:
        _addon(root / "odoo" / "addons", name)


def _addon(addons_dir, name):
    path = addons_dir / name
    path.mkdir(parents=True)
    (path / "__manifest__.py").write_text(f"{{'name': {name!r}}}\n")
    return path


def _executable(path, body):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(0o755)
    return path


@pytest.fixture
def sandbox(tmp_path):
    # a python without the machine's site-packages: only the fakes import
    python = _executable(tmp_path / "py" / "python3", 'exec python3 -S "$@"')
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "TMPDIR": str(tmp_path / "tmp"),
        "PYTHON": str(python),
    }
    (tmp_path / "tmp").mkdir()
    return tmp_path, env


def _run(env, script):
    return subprocess.run(
        ["bash", "-c", f"source {SETUP}; {script}"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _check(env):
    result = _run(
        env,
        "hsa_check_odoo helpdesk_mgmt agreement; "
        'echo "ADDONS=$ODOO_ADDONS"; echo "MGMT=$HSA_ADDON_HELPDESK_MGMT"; '
        "odoo --version",
    )
    assert result.returncode == 0, result.stderr
    lines = dict(
        line.split("=", 1) for line in result.stdout.splitlines() if "=" in line
    )
    return lines, result.stdout


def test_installed_package(sandbox):
    """A wheel or distribution package: core and OCA addons in site-packages."""
    root, env = sandbox
    site = root / "site"
    _odoo_package(site)
    _addon(site / "odoo" / "addons", "helpdesk_mgmt")
    _addon(site / "odoo" / "addons", "agreement")
    _executable(root / "bin" / "odoo", 'echo "PACKAGED ODOO $*"')
    env.update(PYTHONPATH=str(site), PATH=f"{root / 'bin'}:{env['PATH']}")
    lines, out = _check(env)
    assert lines["ADDONS"] == str((site / "odoo" / "addons").resolve())
    assert lines["MGMT"] == str(site / "odoo" / "addons" / "helpdesk_mgmt")
    assert "PACKAGED ODOO --version" in out


def test_editable_install(sandbox):
    """`pip install -e` of a checkout: core addons in the checkout, OCA wheels
    next to the odoo package in site-packages (the layout that broke before)."""
    root, env = sandbox
    checkout, site = root / "checkout", root / "site"
    _odoo_package(checkout)
    _addon(checkout / "addons", "mail")
    _addon(site / "odoo" / "addons", "helpdesk_mgmt")
    _addon(site / "odoo" / "addons", "agreement")
    _executable(root / "bin" / "odoo", 'echo "EDITABLE ODOO $*"')
    env.update(PYTHONPATH=f"{checkout}:{site}", PATH=f"{root / 'bin'}:{env['PATH']}")
    lines, out = _check(env)
    addons = lines["ADDONS"].split(",")
    assert str((checkout / "odoo" / "addons").resolve()) in addons
    assert str((site / "odoo" / "addons").resolve()) in addons
    assert lines["MGMT"] == str((site / "odoo" / "addons").resolve() / "helpdesk_mgmt")
    assert "EDITABLE ODOO --version" in out


def test_source_checkout(sandbox):
    """ODOO_SRC: its odoo-bin runs Odoo, its addons/ are on the path, nothing
    of it is installed into python."""
    root, env = sandbox
    src, site = root / "odoo-src", root / "site"
    _odoo_package(src)
    _addon(src / "addons", "mail")
    _executable(src / "odoo-bin", "")
    (src / "odoo-bin").write_text('import sys\nprint("ODOO-BIN", *sys.argv[1:])\n')
    _addon(site / "odoo" / "addons", "helpdesk_mgmt")
    _addon(site / "odoo" / "addons", "agreement")
    env.update(PYTHONPATH=str(site), ODOO_SRC=str(src))
    lines, out = _check(env)
    addons = lines["ADDONS"].split(",")
    assert str((src / "addons").resolve()) in addons
    assert str((src / "odoo" / "addons").resolve()) in addons
    assert "ODOO-BIN --version" in out
    # the checkout holds nothing of the set-up
    assert sorted(p.name for p in src.iterdir()) == ["addons", "odoo", "odoo-bin"]


def test_missing_odoo_fails_with_the_reason(sandbox):
    _root, env = sandbox
    result = _run(env, "hsa_check_odoo; echo REACHED")
    assert result.returncode != 0
    assert "REACHED" not in result.stdout
    assert "Odoo is not importable" in result.stderr
    assert "ODOO_SRC" in result.stderr


def test_missing_addon_fails_with_the_reason(sandbox):
    root, env = sandbox
    _odoo_package(root / "site")
    env.update(PYTHONPATH=str(root / "site"))
    result = _run(env, "hsa_check_odoo helpdesk_mgmt; echo REACHED")
    assert result.returncode != 0
    assert "REACHED" not in result.stdout
    assert "helpdesk_mgmt not found" in result.stderr


def test_wrong_version_fails(sandbox):
    root, env = sandbox
    _odoo_package(root / "site", version="18.0")
    env.update(PYTHONPATH=str(root / "site"))
    result = _run(env, "hsa_check_odoo; echo REACHED")
    assert result.returncode != 0
    assert "needs Odoo 19.0" in result.stderr


def test_bad_odoo_src_fails(sandbox):
    root, env = sandbox
    env.update(ODOO_SRC=str(root / "nowhere"))
    result = _run(env, "hsa_check_odoo; echo REACHED")
    assert result.returncode != 0
    assert "ODOO_SRC" in result.stderr


def test_no_odoo_command_runs_python_m_odoo(sandbox):
    root, env = sandbox
    site = root / "site"
    _odoo_package(site)
    _addon(site / "odoo" / "addons", "helpdesk_mgmt")
    _addon(site / "odoo" / "addons", "agreement")
    (site / "odoo" / "__main__.py").write_text(
        'import sys\nprint("PYTHON -M ODOO", *sys.argv[1:])\n'
    )
    env.update(PYTHONPATH=str(site))
    assert not os.path.exists(root / "bin" / "odoo")
    _lines, out = _check(env)
    assert "PYTHON -M ODOO --version" in out
