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
    # Finds Odoo 19.0 however it was installed: a package or wheel, an editable
    # install (`pip install -e`), or a source checkout given as ODOO_SRC (its
    # odoo-bin and addons/ are used, nothing is installed into it). Addons are
    # located by tools/find_odoo.py through Odoo's own namespace packages.
    # Arguments: addons that must be found (their directories are exported as
    # HSA_ADDON_<NAME>).
    local found own_wrapper
    own_wrapper="$(hsa_wrapper_dir)/odoo"  # written below, skipped when looking for Odoo's
    if [ -n "${ODOO_SRC:-}" ]; then
        ODOO_SRC="$(cd "$ODOO_SRC" 2>/dev/null && pwd)" \
            || hsa_die "ODOO_SRC=$ODOO_SRC is not a directory."
        [ -f "$ODOO_SRC/odoo-bin" ] && [ -d "$ODOO_SRC/odoo" ] \
            || hsa_die "ODOO_SRC=$ODOO_SRC is not an Odoo source checkout (no odoo-bin and odoo/)."
        case ":${PYTHONPATH:-}:" in
            *":$ODOO_SRC:"*) ;;
            *) PYTHONPATH="$ODOO_SRC${PYTHONPATH:+:$PYTHONPATH}" ;;
        esac
        export ODOO_SRC PYTHONPATH
        HSA_ODOO_CMD="$(printf '%q ' "$PYTHON" "$ODOO_SRC/odoo-bin")"
    elif ODOO_BIN="$(PATH="${PATH//"$(hsa_wrapper_dir)":/}" command -v odoo)"; then
        HSA_ODOO_CMD="$(printf '%q ' "$ODOO_BIN")"
    else
        HSA_ODOO_CMD="$(printf '%q ' "$PYTHON" -m odoo)"
    fi
    if ! found="$("$PYTHON" "$HSA_REPO/tools/find_odoo.py" "$@" 2>&1)"; then
        hsa_die "${found##*$'\n'}
Odoo 19.0 Community is this addon's prerequisite (this project does not install it):
install it into $(command -v "$PYTHON" || echo "$PYTHON") as a package or with 'pip install -e',
or point ODOO_SRC at an Odoo 19.0 source checkout."
    fi
    eval "$found"
    case "$HSA_ODOO_VERSION" in
        19.0*) ;;
        *) hsa_die "Odoo $HSA_ODOO_VERSION found, but this addon needs Odoo 19.0." ;;
    esac
    ODOO_ADDONS="$HSA_ODOO_ADDONS"
    # one `odoo` command for the scripts and tests, whichever way Odoo runs
    mkdir -p "$(hsa_wrapper_dir)"
    printf '#!/usr/bin/env bash\nexec %s"$@"\n' "$HSA_ODOO_CMD" >"$own_wrapper"
    chmod +x "$own_wrapper"
    case ":$PATH:" in
        *":$(hsa_wrapper_dir):"*) ;;
        *) PATH="$(hsa_wrapper_dir):$PATH" ;;
    esac
    export PATH ODOO_ADDONS HSA_ODOO_CMD
}

hsa_wrapper_dir() {
    echo "$(hsa_work_dir)/bin"
}

hsa_work_dir() {
    echo "${TMPDIR:-/tmp}/hsa-addons-$(printf '%s' "$HSA_REPO" | md5sum | cut -c1-10)"
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
    # Installs the requirements of the given files that are not satisfied yet.
    # OCA addon wheels require the `odoo` distribution: when Odoo runs from a
    # checkout that is not installed as one (ODOO_SRC), they go in without
    # their dependencies, which that checkout provides.
    local missing addons=() others=() req
    missing="$("$PYTHON" - "$@" <<'PY'
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
            if req.specifier.contains(version(req.name), prereleases=True):
                continue
        except PackageNotFoundError:
            pass
        print(line)
PY
)" || hsa_die "cannot read the requirements $*"
    [ -n "$missing" ] || return 0
    while IFS= read -r req; do
        case "$req" in
            odoo-addon-*) addons+=("$req") ;;
            *) others+=("$req") ;;
        esac
    done <<<"$missing"
    echo "Installing Python requirements: ${addons[*]} ${others[*]}"
    if [ ${#others[@]} -gt 0 ]; then
        "$PYTHON" -m pip install -q --upgrade-strategy only-if-needed "${others[@]}"
    fi
    if [ ${#addons[@]} -gt 0 ]; then
        local nodeps=()
        "$PYTHON" -c 'import importlib.metadata as m; m.version("odoo")' 2>/dev/null \
            || nodeps=(--no-deps)
        "$PYTHON" -m pip install -q --upgrade-strategy only-if-needed "${nodeps[@]}" "${addons[@]}"
    fi
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
    HSA_ADDONS_DIR="$(hsa_work_dir)"
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
    hsa_check_odoo helpdesk_mgmt agreement document_page helpdesk_mgmt_project project
    hsa_addons_path
}
