# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# A follow-up visit (客户回访) or a care occasion (节日问候、生日祝福) of one
# customer, planned by the communication plan of its tier
# (helpdesk.service.contact.policy) and recorded by its owner: the entries of
# the customer relationship file (客户关系维护档案) that the service keeps
# itself.
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from .helpdesk_service_contact_policy import CUSTOMER_TIERS, VISIT_CHANNELS
from .system_fields import check_system_fields, system_write

VISIT_ACTIVITY = "helpdesk_service_agreement.mail_activity_type_service_visit"
# planned by the scheduled action, moved by recording and the late check
SYSTEM_FIELDS = {
    "kind",
    "care_type",
    "festival_id",
    "birthday_partner_id",
    "partner_id",
    "company_id",
    "tier",
    "team_id",
    "period_start",
    "period_end",
    "date_due",
    "state",
    "date_done",
}
# what recording writes: final once the visit is done
RECORD_FIELDS = {"channel", "contact_id", "result", "customer_remarks", "next_steps"}


class HelpdeskServiceVisit(models.Model):
    _name = "helpdesk.service.visit"
    _description = "Follow-up Visit"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_due desc, id desc"
    _check_company_auto = True

    # one visit per customer and period, one care record per occasion and
    # year: the scheduled action relies on it when two runs overlap
    _occasion_uniq = models.UniqueIndex(
        "(company_id, partner_id, kind, period_start, COALESCE(festival_id, 0), "
        "COALESCE(birthday_partner_id, 0))",
        lambda env, diag: env._(
            "The customer already has this follow-up visit or care occasion."
        ),
    )
    _period_ordered = models.Constraint(
        "CHECK(period_end IS NULL OR period_start <= period_end)",
        lambda env, diag: env._("A period cannot end before it starts."),
    )
    _state_due_idx = models.Index("(state, date_due)")

    kind = fields.Selection(
        selection=[("visit", "Follow-up Visit"), ("care", "Customer Care")],
        required=True,
        default="visit",
        readonly=True,
        index=True,
    )
    care_type = fields.Selection(
        selection=[("festival", "Festival Greeting"), ("birthday", "Birthday Wishes")],
        readonly=True,
    )
    festival_id = fields.Many2one(
        comodel_name="helpdesk.service.care.occasion",
        readonly=True,
        ondelete="restrict",
    )
    birthday_partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Birthday Of",
        readonly=True,
        ondelete="cascade",
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.company,
    )
    tier = fields.Selection(
        selection=CUSTOMER_TIERS, string="Customer Tier", readonly=True, index=True
    )
    team_id = fields.Many2one(
        comodel_name="helpdesk.ticket.team",
        readonly=True,
        index="btree_not_null",
        help="The team serving the customer when the visit was planned: its "
        "members and its leader read and record it.",
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Owner",
        index="btree_not_null",
        tracking=True,
        domain="[('share', '=', False)]",
        help="The account owner: the customer's salesperson, else the leader "
        "of the team serving the customer.",
    )
    period_start = fields.Date(required=True, readonly=True)
    period_end = fields.Date(readonly=True)
    date_due = fields.Date(string="Due Date", required=True, readonly=True)
    channel = fields.Selection(selection=VISIT_CHANNELS, default="phone")
    contact_id = fields.Many2one(
        comodel_name="res.partner",
        domain="[('commercial_partner_id', '=', partner_id)]",
        help="The customer's contact the visit or greeting was held with.",
    )
    state = fields.Selection(
        selection=[("planned", "Planned"), ("late", "Late"), ("done", "Done")],
        default="planned",
        required=True,
        readonly=True,
        tracking=True,
    )
    date_done = fields.Date(string="Done On", readonly=True, tracking=True)
    done_late = fields.Boolean(
        compute="_compute_done_late",
        store=True,
        help="Recorded after its due date.",
    )
    result = fields.Text(string="Visit Result")
    customer_remarks = fields.Text(string="Customer's Remarks")
    next_steps = fields.Text()

    @api.depends("kind", "care_type", "festival_id.name", "birthday_partner_id.name")
    @api.depends_context("lang")
    def _compute_display_name(self):
        for visit in self:
            if visit.kind == "visit":
                visit.display_name = self.env._(
                    "Follow-up Visit %(start)s – %(end)s",
                    start=visit.period_start or "",
                    end=visit.period_end or "",
                )
            elif visit.care_type == "birthday":
                visit.display_name = self.env._(
                    "Birthday Wishes: %(contact)s",
                    contact=visit.birthday_partner_id.name or "",
                )
            else:
                visit.display_name = self.env._(
                    "Festival Greeting: %(festival)s %(year)s",
                    festival=visit.festival_id.name or "",
                    year=visit.period_start.year if visit.period_start else "",
                )

    @api.depends("state", "date_done", "date_due")
    def _compute_done_late(self):
        for visit in self:
            visit.done_late = bool(
                visit.state == "done"
                and visit.date_done
                and visit.date_done > visit.date_due
            )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        check_system_fields(self, vals_list, SYSTEM_FIELDS, {"state": "planned"})
        return super().create(vals_list)

    def write(self, vals):
        check_system_fields(self, [vals], SYSTEM_FIELDS)
        if (
            RECORD_FIELDS & set(vals)
            and not self.env.su
            and any(visit.state == "done" for visit in self)
        ):
            raise UserError(
                self.env._(
                    "A recorded visit is part of the customer's file: it "
                    "cannot be changed."
                )
            )
        result = super().write(vals)
        if vals.get("user_id"):
            # the owner's to-do follows the visit to its new owner
            self.activity_search([VISIT_ACTIVITY]).write({"user_id": vals["user_id"]})
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        if any(visit.state == "done" for visit in self):
            raise UserError(
                self.env._("A recorded visit or care record cannot be deleted.")
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_open_record_wizard(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "helpdesk_service_agreement.helpdesk_service_visit_record_wizard_action"
        )
        action["context"] = {
            "default_visit_id": self.id,
            "default_channel": self.channel,
            "default_contact_id": self.contact_id.id or self.birthday_partner_id.id,
        }
        return action

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _record(self, values, date_done=None):
        """Record the visit (or the care) as held: its result, the
        customer's remarks, the next steps, the channel; the owner's to-do is
        closed. Who may write the visit may record it."""
        self.check_access("write")
        for visit in self:
            if visit.state == "done":
                raise UserError(
                    self.env._(
                        "%(visit)s is already recorded.", visit=visit.display_name
                    )
                )
            if visit.kind == "visit" and not (values.get("result") or "").strip():
                raise UserError(
                    self.env._("Say what came of the follow-up visit (its result).")
                )
        today = fields.Date.context_today(self)
        done_on = date_done or today
        if done_on > today:
            raise UserError(
                self.env._("A visit cannot be recorded as held in the future.")
            )
        with system_write("state", "date_done"):
            self.write(
                dict(
                    {key: values[key] for key in RECORD_FIELDS if key in values},
                    state="done",
                    date_done=done_on,
                )
            )
        self.activity_feedback([VISIT_ACTIVITY], feedback=values.get("result") or "")
        return True

    @api.model
    def _tier_figures(self, domain):
        """Visits due, done and late per tier among the follow-up visits due
        in ``domain`` (a period, a team, a customer): ``{tier: {"due": n,
        "done": n, "late": n}}`` in one query, for the summaries and the
        dashboard. Late counts the visits missed (still not done after their
        due date) and those done after it."""
        figures = {
            tier: {"due": 0, "done": 0, "late": 0} for tier, _label in CUSTOMER_TIERS
        }
        groups = self._read_group(
            Domain("kind", "=", "visit") & Domain(domain),
            ["tier", "state", "done_late"],
            ["__count"],
        )
        for tier, state, done_late, count in groups:
            row = figures.setdefault(tier or "none", {"due": 0, "done": 0, "late": 0})
            row["due"] += count
            if state == "done":
                row["done"] += count
            if state == "late" or done_late:
                row["late"] += count
        return figures
