#!/usr/bin/env bash
# Run the whole test suite from scratch: linters, a fresh database with the
# addon and its demo data, then pytest-odoo over the addon's tests and OCA
# helpdesk_mgmt's own suite (the addon must not break the helpdesk it extends).
#   SKIP_LINT=1      skip ruff and pylint-odoo
#   SKIP_UPSTREAM=1  skip the peers' own tests (helpdesk_mgmt, Odoo's project)
#   KEEP_DB=1        keep the test database afterwards
#   tools/test.sh -k routing   extra arguments go to pytest
set -euo pipefail
# shellcheck source=tools/setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
hsa_setup

ADDON_DIR="$HSA_ADDONS_DIR/$HSA_MODULE"
DB="hsa_test_$$_$(date +%s)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/hsa-test.XXXXXX")"
cleanup() {
    if [ "${KEEP_DB:-0}" != 1 ]; then
        dropdb --if-exists "$DB" >/dev/null 2>&1 || true
    else
        echo "Test database kept: $DB"
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

if [ "${SKIP_LINT:-0}" != 1 ]; then
    echo "== ruff"
    (cd "$HSA_REPO" && ruff check . && ruff format --check .)
    echo "== pylint-odoo"
    (cd "$HSA_ADDONS_DIR" && "$PYTHON" -m pylint --rcfile="$HSA_REPO/.pylintrc" "$HSA_MODULE")
fi

# The suites run on a database as a customer has it: the addon installed, no
# demo data (tests make their own records; demo data is loaded, upgraded and
# uninstalled by tests/test_install_upgrade_uninstall.py).
echo "== installing $HSA_MODULE into $DB"
LOG="$WORK/install.log"
if ! odoo -d "$DB" --addons-path="$HSA_ADDONS_PATH" -i "$HSA_MODULE" \
        --stop-after-init --log-level=warn >"$LOG" 2>&1; then
    cat "$LOG" >&2
    hsa_die "installing $HSA_MODULE failed"
fi
if grep -E " (ERROR|CRITICAL) " "$LOG" >&2; then
    hsa_die "installing $HSA_MODULE logged errors (above)"
fi

CONF="$WORK/odoo.conf"
cat >"$CONF" <<CONF
[options]
addons_path = $HSA_ADDONS_PATH
db_name = $DB
dbfilter = ^$DB\$
log_level = warn
CONF
export HSA_ODOO_CONF="$CONF" HSA_TEST_DB="$DB"

TARGETS=("$ADDON_DIR/tests")
if [ "${SKIP_UPSTREAM:-0}" != 1 ]; then
    # helpdesk_mgmt's test_js drives Odoo's own JS unit-test runner, which
    # needs Odoo's test runner (not pytest): it is left out here.
    TARGETS+=("$HSA_ADDON_HELPDESK_MGMT/tests" "--ignore=$HSA_ADDON_HELPDESK_MGMT/tests/test_js.py")
    # Odoo's own Project runs beside the addon (the plans' tasks are project
    # tasks). Deselected, each failing the same way with helpdesk_mgmt and
    # project_todo installed and this addon NOT installed:
    # - TestProjectMailFeatures: its set-up creates the mail alias "help",
    #   which helpdesk_mgmt's own data already gives its default team;
    # - test_internal_cannot_crud_private_task: the same alias collision
    #   answers before the access check the test expects;
    # - test_wizard_confirm: the invitation link is built from web.base.url
    #   (localhost:8069), not from the port pytest-odoo's server listens on.
    PT="$HSA_ADDON_PROJECT/tests"
    # node ids are relative to pytest's rootdir, which is / (set below)
    TARGETS+=("$PT"
        "--deselect=${PT#/}/test_project_mail_features.py::TestProjectMailFeatures"
        "--deselect=${PT#/}/test_access_rights.py::TestAccessRightsPrivateTask::test_internal_cannot_crud_private_task"
        "--deselect=${PT#/}/test_project_sharing_portal_access.py::TestProjectSharingPortalAccess::test_wizard_confirm")
fi

echo "== pytest-odoo: ${TARGETS[*]}"
OUT="$WORK/pytest.out"
set +e
(cd "$WORK" && "$PYTHON" -m pytest -p no:cacheprovider --rootdir=/ --odoo-config="$CONF" --odoo-http \
    -o python_files='test_*.py' "${TARGETS[@]}" "$@") 2>&1 | tee "$OUT"
status=${PIPESTATUS[0]}
set -e
if [ "$status" -eq 5 ]; then
    hsa_die "pytest collected no test"
fi
if [ "$status" -ne 0 ]; then
    hsa_die "tests failed (pytest exit $status)"
fi
if ! tail -n 5 "$OUT" | grep -Eq "[1-9][0-9]* passed"; then
    hsa_die "pytest reported no passed test"
fi
echo "All tests passed."
