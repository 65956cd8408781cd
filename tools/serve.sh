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
        --load-language=zh_CN --stop-after-init --log-level=warn
fi
echo "Odoo serves $HSA_MODULE on http://localhost:$PORT (database $DB)."
echo "Log in as admin / admin; role users: manager/manager, lead/lead, demo/demo (agent), archivist/archivist; portal: huaxin/huaxin."
exec odoo -d "$DB" --addons-path="$HSA_ADDONS_PATH" --http-interface=127.0.0.1 \
    --http-port="$PORT" --db-filter="^$DB\$"
