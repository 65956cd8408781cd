# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""From 19.0.1.4.0: acceptance forms arrive, and with them the agreement's
*Acceptance Required* flag, on by default. The agreements that existed before
close their tickets as they did: the flag is off for them. Templates keep it
(they pass it on to the new agreements made from them), and so do the
agreements the upgrade itself creates (demo data): they were created in this
transaction, at its timestamp."""

from odoo.tools import SQL


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        SQL(
            "UPDATE agreement SET acceptance_required = FALSE "
            "WHERE create_date < %s AND is_template IS NOT TRUE "
            "AND acceptance_required IS NOT FALSE",
            cr.now(),
        )
    )
