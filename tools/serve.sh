#!/usr/bin/env bash
# Serve Odoo on http://localhost:8069 with the addon and its demo data
# (database hsa_demo, created on first run, upgraded afterwards).
set -euo pipefail
# shellcheck source=tools/setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
hsa_setup

DB="${HSA_DB:-hsa_demo}"
PORT="${HSA_PORT:-8069}"
if psql -Atqc "select 1 from pg_database where datname = '$DB'" postgres | grep -q 1; then
    echo "Upgrading $HSA_MODULE in database $DB"
    odoo -d "$DB" --addons-path="$HSA_ADDONS_PATH" -u "$HSA_MODULE" --stop-after-init --log-level=warn
else
    echo "Creating database $DB with demo data"
    odoo -d "$DB" --addons-path="$HSA_ADDONS_PATH" -i "$HSA_MODULE" --with-demo \
        --load-language=en_US,zh_CN --stop-after-init --log-level=warn
    # both languages active: the administrator reads English, the roles of
    # the standard and the demo customer read Chinese (Preferences → Language
    # switches any of them)
    odoo shell -d "$DB" --addons-path="$HSA_ADDONS_PATH" --no-http --log-level=warn <<'PY'
for code in ("en_US", "zh_CN"):
    env["res.lang"]._activate_lang(code)
env.ref("base.user_admin").lang = "en_US"
for xmlid in (
    "base.user_demo",
    "helpdesk_service_agreement.user_service_lead_demo",
    "helpdesk_service_agreement.user_service_manager_demo",
    "helpdesk_service_agreement.user_service_archivist_demo",
    "helpdesk_service_agreement.portal_user_huaxin_demo",
):
    user = env.ref(xmlid, raise_if_not_found=False)
    if user:
        user.lang = "zh_CN"
env.cr.commit()
PY
fi
echo "Odoo serves $HSA_MODULE on http://localhost:$PORT (database $DB)."
echo "Log in as admin / admin (English); role users, in Chinese: manager/manager, lead/lead, demo/demo (agent), archivist/archivist; portal: huaxin/huaxin."
exec odoo -d "$DB" --addons-path="$HSA_ADDONS_PATH" --http-interface=127.0.0.1 \
    --http-port="$PORT" --db-filter="^$DB\$"
