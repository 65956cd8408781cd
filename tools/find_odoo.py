#!/usr/bin/env python3
"""Locate Odoo 19.0 and its addons the way Odoo itself resolves them.

Prints shell assignments for tools/setup.sh (``eval "$(python3 find_odoo.py)"``):

- ``HSA_ODOO_VERSION``: the version of the ``odoo`` package this python imports;
- ``HSA_ODOO_ADDONS``: the comma-separated addons directories, i.e. every
  ``<entry of sys.path>/odoo/addons`` (``odoo`` and ``odoo.addons`` are namespace
  packages in Odoo 19, so core addons of a source checkout and OCA wheels installed
  next to the ``odoo`` package are all portions of ``odoo.addons``), plus the
  ``addons/`` folder of a source checkout given as ``ODOO_SRC``;
- ``HSA_ADDON_<NAME>``: the directory of each addon named on the command line,
  looked up in that order, as Odoo's ``get_module_path`` does.

Exits with a message on stderr when Odoo is not importable or an addon is missing.
Works with Odoo installed as a package, in editable mode, or from a checkout
(``ODOO_SRC=/path/to/odoo`` on ``PYTHONPATH``).
"""

import os
import shlex
import sys


def addons_dirs():
    import odoo.addons

    dirs = []
    for path in list(odoo.addons.__path__):
        path = os.path.realpath(path)
        if os.path.isdir(path) and path not in dirs:
            dirs.append(path)
    src = os.environ.get("ODOO_SRC")
    if src:
        extra = os.path.realpath(os.path.join(src, "addons"))
        if os.path.isdir(extra) and extra not in dirs:
            dirs.append(extra)
    return dirs


def module_path(name, dirs):
    for path in dirs:
        candidate = os.path.join(path, name)
        if os.path.isfile(os.path.join(candidate, "__manifest__.py")):
            return candidate
    return None


def main(argv):
    try:
        import odoo.release
    except ImportError as exc:
        sys.exit(f"Odoo is not importable from {sys.executable}: {exc}")
    print(f"HSA_ODOO_VERSION={shlex.quote(odoo.release.version)}")
    dirs = addons_dirs()
    print(f"HSA_ODOO_ADDONS={shlex.quote(','.join(dirs))}")
    missing = []
    for name in argv:
        path = module_path(name, dirs)
        if path is None:
            missing.append(name)
            continue
        print(f"HSA_ADDON_{name.upper()}={shlex.quote(path)}")
    if missing:
        sys.exit(
            f"addon(s) {', '.join(missing)} not found in the addons path "
            f"{','.join(dirs) or '(empty)'}"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
