# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The agreement on the portal and on paper: its link and token, and which of
# its restricted terms the reader of the contract gets.
from odoo import fields, models


class Agreement(models.Model):
    _inherit = "agreement"

    # a link's token is read by no user; it opens the contract without its
    # restricted terms (see _may_show_restricted_term)
    access_token = fields.Char("Security Token", copy=False, groups="base.group_system")

    def _compute_access_url(self):
        result = super()._compute_access_url()
        for agreement in self:
            agreement.access_url = f"/my/agreements/{agreement.id}"
        return result

    def _may_show_restricted_term(self, records, fname):
        """Whether the contract shown to the current user (printed or on the
        portal, possibly rendered as superuser) carries the restricted term
        ``fname`` of ``records`` (this agreement or its third parties): the
        user holds the field's group, or is a logged-in portal contact of the
        agreement's customer, who signed it. A visitor holding only a link
        (a share or notification token) never gets these terms."""
        self.ensure_one()
        user = self.env.user
        if records.sudo(False)._has_field_access(records._fields[fname], "read"):
            return True
        return bool(
            user.share
            and not user._is_public()
            and user.partner_id.commercial_partner_id
            == self.sudo().commercial_partner_id
        )

    def _portal_ensure_token(self):
        """The token is minted and read as superuser, for the links Odoo
        sends the customer: users never read ``access_token`` (manager-only
        field), and a token opens the contract without its restricted terms
        (``_may_show_restricted_term``)."""
        return super(Agreement, self.sudo())._portal_ensure_token()

    def _get_report_base_filename(self):
        """Name of the printed contract downloaded from the portal."""
        self.ensure_one()
        return " ".join(part for part in (self.code, self.name) if part)
