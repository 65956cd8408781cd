#!/usr/bin/env bash
# Shared set-up of tools/serve.sh and tools/test.sh (sourced, not run).
# Checks the prerequisites (Odoo 19.0 importable, PostgreSQL), installs what the
# addon needs from Debian and PyPI when it is missing, and prepares an addons
# path in which the clone, whatever its directory name, is the module
# `helpdesk_service_agreement`.
set -euo pipefail

HSA_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HSA_MODULE=helpdesk_service_agreement
PYTHON="${PYTHON:-python3}"

hsa_die() {
    echo "ERROR: $*" >&2
    exit 1
}

hsa_check_odoo() {
    local version
    if ! version="$("$PYTHON" -c 'import odoo.release as r; print(r.version)' 2>/dev/null)"; then
        hsa_die "Odoo is not importable from $(command -v "$PYTHON" || echo "$PYTHON"). \
Odoo 19.0 Community is this addon's prerequisite: install it into this python3 first \
(this project does not install Odoo)."
    fi
    case "$version" in
        19.0*) ;;
        *) hsa_die "Odoo $version found, but this addon needs Odoo 19.0." ;;
    esac
    ODOO_SITE="$("$PYTHON" -c 'import odoo, os; print(os.path.dirname(list(odoo.__path__)[0]))')"
    ODOO_ADDONS="$ODOO_SITE/odoo/addons"
    ODOO_BIN="$(command -v odoo || true)"
    [ -n "$ODOO_BIN" ] || hsa_die "the 'odoo' command of Odoo 19.0 is not on PATH."
}

hsa_apt_install() {
    local missing=() pkg
    for pkg in "$@"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" != 0 ] && ! command -v sudo >/dev/null; then
        hsa_die "missing Debian packages: ${missing[*]} (install them as root)."
    fi
    local SUDO=""
    [ "$(id -u)" = 0 ] || SUDO=sudo
    echo "Installing Debian packages: ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
}

hsa_pip_install() {
    # quick no-op when every requirement is already satisfied
    if "$PYTHON" - "$@" <<'PY' 2>/dev/null; then
import sys
from importlib.metadata import PackageNotFoundError, version
from packaging.requirements import Requirement
for path in sys.argv[1:]:
    for line in open(path):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        req = Requirement(line)
        try:
            if not req.specifier.contains(version(req.name), prereleases=True):
                sys.exit(1)
        except PackageNotFoundError:
            sys.exit(1)
PY
        return 0
    fi
    echo "Installing Python requirements: $*"
    local args=()
    for f in "$@"; do args+=(-r "$f"); done
    "$PYTHON" -m pip install -q --upgrade-strategy only-if-needed "${args[@]}"
}

hsa_start_postgres() {
    command -v pg_isready >/dev/null || hsa_apt_install postgresql postgresql-client
    if ! pg_isready -q; then
        echo "Starting PostgreSQL"
        local version
        version="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)"
        if [ -n "$version" ] && command -v pg_ctlcluster >/dev/null; then
            pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
        fi
        for _ in $(seq 1 20); do pg_isready -q && break; sleep 0.5; done
    fi
    pg_isready -q || hsa_die "PostgreSQL is not running and could not be started."
    psql -Atqc 'select 1' postgres >/dev/null 2>&1 \
        || hsa_die "PostgreSQL runs but user $(id -un) cannot connect (create a superuser role for it)."
}

hsa_addons_path() {
    local hash
    hash="$(printf '%s' "$HSA_REPO" | md5sum | cut -c1-10)"
    HSA_ADDONS_DIR="${TMPDIR:-/tmp}/hsa-addons-$hash"
    mkdir -p "$HSA_ADDONS_DIR"
    ln -sfn "$HSA_REPO" "$HSA_ADDONS_DIR/$HSA_MODULE"
    HSA_ADDONS_PATH="$HSA_ADDONS_DIR,$ODOO_ADDONS"
    export HSA_ADDONS_DIR HSA_ADDONS_PATH
}

hsa_setup() {
    hsa_check_odoo
    hsa_apt_install wkhtmltopdf fonts-noto-cjk fonts-wqy-microhei chromium poppler-utils
    hsa_pip_install "$HSA_REPO/requirements.txt" "$HSA_REPO/requirements-test.txt"
    hsa_start_postgres
    hsa_addons_path
}
