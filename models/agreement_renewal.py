# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The end of an agreement's term: the renewal notice, the renewal into a
# successor, the termination and the daily expiry, each linking the customer's
# open tickets again to the agreement in force.
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL

from .system_fields import system_write


class Agreement(models.Model):
    _inherit = "agreement"

    _notice_positive = models.Constraint(
        "CHECK(renewal_notice_days >= 0)",
        lambda env, diag: env._("The renewal notice cannot be negative."),
    )

    renewal_notice_days = fields.Integer(
        string="Renewal Notice (days)",
        default=30,
        help="Days before the end at which the renewal is prepared.",
    )
    is_expiring = fields.Boolean(
        string="Expiring",
        compute="_compute_is_expiring",
        search="_search_is_expiring",
        help="Active and inside its renewal notice window.",
    )
    renewal_notice_date = fields.Date(
        copy=False,
        readonly=True,
        help="Day the renewal notice was given (to-do and e-mail), once.",
    )
    predecessor_id = fields.Many2one(
        comodel_name="agreement", string="Renewal of", copy=False, readonly=True
    )
    successor_id = fields.Many2one(
        comodel_name="agreement", string="Renewed by", copy=False, readonly=True
    )

    @api.depends("state", "end_date", "renewal_notice_days")
    @api.depends_context("date")
    def _compute_is_expiring(self):
        today = fields.Date.context_today(self)
        for agreement in self:
            agreement.is_expiring = bool(
                agreement.state == "active"
                and agreement.end_date
                and agreement.end_date
                - relativedelta(days=agreement.renewal_notice_days)
                <= today
            )

    def _search_is_expiring(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        today = fields.Date.context_today(self)

        def in_window_sql(model, alias, query):
            # the window is per agreement: end date minus its own notice days
            return SQL(
                "(%(state)s = 'active' AND %(template)s IS NOT TRUE"
                " AND %(end)s IS NOT NULL"
                " AND %(end)s - COALESCE(%(notice)s, 0) <= %(today)s)",
                state=model._field_to_sql(alias, "state", query),
                template=model._field_to_sql(alias, "is_template", query),
                end=model._field_to_sql(alias, "end_date", query),
                notice=model._field_to_sql(alias, "renewal_notice_days", query),
                today=today,
            )

        in_window = Domain.custom(
            to_sql=in_window_sql, predicate=lambda agreement: agreement.is_expiring
        )
        positive = (operator == "in") == (True in value)
        return in_window if positive else ~in_window

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_open_renewal_wizard(self):
        self.ensure_one()
        self._check_renewable()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "helpdesk_service_agreement.agreement_renewal_wizard_action"
        )
        action["context"] = {"default_agreement_id": self.id}
        return action

    def action_open_termination_wizard(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "helpdesk_service_agreement.agreement_termination_wizard_action"
        )
        action["context"] = {"default_agreement_id": self.id}
        return action

    # ------------------------------------------------------------------
    # Renewal and termination
    # ------------------------------------------------------------------

    def _check_renewable(self):
        for agreement in self:
            if agreement.state not in ("active", "expired"):
                raise UserError(
                    self.env._(
                        "Only an active or expired agreement can be renewed "
                        "(%(agreement)s is %(state)s).",
                        agreement=agreement.display_name,
                        state=agreement._state_label(),
                    )
                )
            if agreement.successor_id:
                raise UserError(
                    self.env._(
                        "%(agreement)s was already renewed by %(successor)s.",
                        agreement=agreement.display_name,
                        successor=agreement.successor_id.display_name,
                    )
                )

    def _renew(self, start_date, end_date):
        """Create the successors: new dates, same terms and levels, linked
        both ways. They start as drafts, to be signed and activated."""
        self._check_renewable()
        successors = self.browse()
        for agreement in self:
            if end_date < start_date:
                raise ValidationError(
                    self.env._("An agreement cannot end before it starts.")
                )
            successor = agreement.sudo().copy(
                {
                    "code": self.env._("%(code)s-R", code=agreement.code),
                    "start_date": start_date,
                    "end_date": end_date,
                    "signature_date": False,
                    "predecessor_id": agreement.id,
                }
            )
            agreement.sudo().successor_id = successor
            agreement.message_post(
                body=self.env._(
                    "Renewed by %(successor)s.", successor=successor.display_name
                )
            )
            successors |= successor
        return successors.sudo(False)

    def _terminate(self, date, reason):
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason of the termination."))
        for agreement in self:
            if agreement.state != "active":
                raise UserError(
                    self.env._(
                        "Only an active agreement can be terminated (%(agreement)s "
                        "is %(state)s).",
                        agreement=agreement.display_name,
                        state=agreement._state_label(),
                    )
                )
            if agreement.start_date and date < agreement.start_date:
                raise ValidationError(
                    self.env._("An agreement cannot be terminated before it starts.")
                )
        with system_write("state", "termination_date", "termination_reason"):
            self.write(
                {
                    "state": "terminated",
                    "termination_date": date,
                    "termination_reason": reason.strip(),
                    "end_date": date,
                }
            )
        self.env["helpdesk.ticket"]._relink_agreements(self.commercial_partner_id)
        return True

    def _expire(self):
        """End of term (the daily action's first step): the agreements are
        expired and their customers' open tickets linked again."""
        with system_write("state"):
            self.write({"state": "expired"})
        for agreement in self:
            agreement.message_post(body=self.env._("The agreement has expired."))
        self.env["helpdesk.ticket"]._relink_agreements(self.commercial_partner_id)

    def _give_renewal_notice(self):
        """The renewal notice (the daily action's second step), once: a to-do
        for the responsible and an e-mail to the customer, the day marked."""
        for agreement in self:
            agreement._send_renewal_notice()
        with system_write("renewal_notice_date"):
            self.write({"renewal_notice_date": fields.Date.context_today(self)})

    # ------------------------------------------------------------------
    # Crons
    # ------------------------------------------------------------------

    @api.model
    def _cron_agreement_renewal(self, batch_size=200):
        """Daily: give the renewal notice once to the agreements entering
        their notice window (to-do for the responsible, e-mail to the
        customer) and expire the agreements past their end. Batched and
        idempotent: what is done is marked, what is marked is not redone."""
        today = fields.Date.context_today(self)
        Cron = self.env["ir.cron"]
        expire_domain = Domain(
            [
                ("state", "=", "active"),
                ("is_template", "=", False),
                ("end_date", "<", today),
            ]
        )
        while True:
            # rows another worker holds are left for the next run
            agreements = self.search(
                expire_domain, limit=batch_size
            ).try_lock_for_update()
            if not agreements:
                break
            agreements._expire()
            remaining = self.search_count(expire_domain)
            if not Cron._commit_progress(len(agreements), remaining=remaining):
                return
        # an agreement already renewed needs no notice
        notice_domain = Domain(
            [
                ("is_expiring", "=", True),
                ("renewal_notice_date", "=", False),
                ("successor_id", "=", False),
            ]
        )
        while True:
            agreements = self.search(
                notice_domain, limit=batch_size
            ).try_lock_for_update()
            if not agreements:
                break
            agreements._give_renewal_notice()
            remaining = self.search_count(notice_domain)
            if not Cron._commit_progress(len(agreements), remaining=remaining):
                return

    def _send_renewal_notice(self):
        self.ensure_one()
        responsible = self.user_id or self.env.user
        # the to-do in the language of who prepares the renewal
        localized = self.with_context(lang=responsible.lang)
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=self.end_date
            - relativedelta(days=self.renewal_notice_days // 2),
            summary=localized.env._(
                "Prepare the renewal of %(agreement)s",
                agreement=localized.display_name,
            ),
            user_id=responsible.id,
        )
        template = self.env.ref(
            "helpdesk_service_agreement.mail_template_agreement_renewal",
            raise_if_not_found=False,
        )
        if template and self.partner_id.email:
            self.message_post_with_source(
                template, subtype_xmlid="mail.mt_comment", message_type="comment"
            )
