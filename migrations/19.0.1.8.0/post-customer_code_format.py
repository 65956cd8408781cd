# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""From 19.0.1.8.0: customer numbers are C2026-00001 like the addon's other
numbers. The sequences still numbering C202600001 switch, unless their company
only holds numbers of the old format (it keeps its one format). Numbers
already given are printed on documents and never change."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["res.partner"]._customer_code_align_sequences()
