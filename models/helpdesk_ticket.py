# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The ticket's intake (request type, grading, routing) and its transfers
# between teams. Its link to the customer's agreement is in
# helpdesk_ticket_agreement.py, its SLA clocks in
# helpdesk_ticket_sla.py, escalation and the scheduled SLA check in
# helpdesk_ticket_escalation_check.py.
import uuid

from markupsafe import Markup
from psycopg2.errors import UniqueViolation

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .system_fields import check_system_fields

REQUEST_TYPES = [
    ("pre_sale", "Pre-sale"),
    ("in_sale", "In-sale"),
    ("after_sale", "After-sale"),
    ("complaint", "Complaint"),
]
PROBLEM_LEVELS = [
    ("1", "Level 1 - General"),
    ("2", "Level 2 - Urgent"),
    ("3", "Level 3 - Major"),
]
# what lists and kanban show of a ticket's clock, one value for the reader
SLA_STATUSES = [
    ("paused", "Paused"),
    ("breached", "Breached"),
    ("at_risk", "At Risk"),
    ("on_track", "On Track"),
    ("met", "Met"),
    ("no_schedule", "Cannot Schedule"),
]
SLA_STATES = [
    ("on_track", "On Track"),
    ("at_risk", "At Risk"),
    ("breached", "Breached"),
    ("met", "Met"),
    ("no_schedule", "Cannot Schedule"),
]


# fields of the ticket that decide its agreement, hence its service level
SLA_SOURCE_FIELDS = {"agreement_id", "partner_id", "company_id"}
# fields the SLA clocks, the escalation and the transfers set: no user writes
# them, over RPC as in the form (see system_fields.py)
SLA_SYSTEM_FIELDS = frozenset(
    {
        "service_level_id",
        "agreement_missing",
        "sla_phase_id",
        "sla_phase_ids",
        "sla_pause_ids",
        "response_deadline",
        "resolution_deadline",
        "next_update_deadline",
        "first_response_date",
        "sla_state",
        "sla_breached",
        "sla_next_check",
        "sla_status",
        "escalation_ids",
        "transfer_ids",
    }
)


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    request_type = fields.Selection(
        selection=REQUEST_TYPES,
        required=True,
        default="after_sale",
        index=True,
        tracking=True,
        help="Pre-sale, in-sale or after-sale request, or a complaint: decides "
        "the team the request is routed to.",
    )
    problem_level = fields.Selection(
        selection=PROBLEM_LEVELS,
        required=True,
        compute="_compute_problem_level",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        tracking=True,
        help="Level 1 (general) is handled by the agent, level 2 (urgent) by "
        "the team lead, level 3 (major) by the emergency team. A new ticket is "
        "graded from its request type and priority (a complaint or a very high "
        "priority is urgent); raising the level is an escalation, lowering it "
        "is for team leads and managers.",
    )
    customer_code = fields.Char(
        string="Customer Number", related="commercial_partner_id.customer_code"
    )
    transfer_ids = fields.One2many(
        comodel_name="helpdesk.ticket.transfer",
        inverse_name="ticket_id",
        string="Transfer Records",
    )
    transfer_count = fields.Integer(compute="_compute_transfer_count")

    # ------------------------------------------------------------------
    # Agreement and service level
    # ------------------------------------------------------------------

    @api.depends("number", "name")
    def _compute_display_name(self):
        """helpdesk_mgmt's "HT00042 - Printer down", without the "/" of a
        ticket not numbered yet nor the "False" of a missing title: a new
        ticket reads "New"."""
        for ticket in self:
            number = ticket.number if ticket.number != "/" else False
            ticket.display_name = " - ".join(
                filter(None, (number, ticket.name))
            ) or self.env._("New")

    # ------------------------------------------------------------------
    # Intake: grading, selection checks, routing
    # ------------------------------------------------------------------

    @api.depends("request_type", "priority")
    def _compute_problem_level(self):
        """Grade a new ticket at intake: a complaint or a very high priority
        is urgent (level 2), any other request general (level 1). A level
        given explicitly wins, and a saved ticket keeps its level when its
        type or priority changes: changing it is a regrade."""
        for ticket in self:
            if ticket._origin.id and ticket.problem_level:
                ticket.problem_level = ticket.problem_level
            else:
                ticket.problem_level = self._intake_problem_level(
                    ticket.request_type, ticket.priority
                )

    @api.model
    def _intake_problem_level(self, request_type, priority):
        """The level a new request is graded at from its type and priority."""
        return "2" if request_type == "complaint" or priority == "3" else "1"

    def _grade_vals_list(self, vals_list):
        """Grade the new tickets in their values, so that the ORM does not
        compute the level on a new record per ticket before inserting them:
        the same result as ``_compute_problem_level``, for a batch at once."""
        missing = [vals for vals in vals_list if "problem_level" not in vals]
        if not missing:
            return
        defaults = self.default_get(["request_type", "priority", "problem_level"])
        if defaults.get("problem_level"):
            return
        for vals in missing:
            vals["problem_level"] = self._intake_problem_level(
                vals.get("request_type", defaults.get("request_type")),
                vals.get("priority", defaults.get("priority")),
            )

    def _check_selection_values(self, vals_list):
        """Refuse values outside a selection with a message in the user's
        language (the ORM's own ValueError is neither translated nor clear
        over XML-RPC)."""
        for fname in ("request_type", "problem_level"):
            field = self._fields[fname]
            selection = field._description_selection(self.env)
            allowed = {key for key, _label in selection}
            for vals in vals_list:
                value = vals.get(fname)
                if fname not in vals or value in allowed:
                    continue
                if not value and not field.required:
                    continue
                raise ValidationError(
                    self.env._(
                        "%(value)r is not a valid %(field)s. Allowed values: "
                        "%(allowed)s.",
                        value=value,
                        field=field._description_string(self.env),
                        allowed=", ".join(
                            f"{key} ({label})" for key, label in selection
                        ),
                    )
                )

    def _route_vals_list(self, vals_list):
        """Give a team from the company's routing table to the new tickets
        whose team nobody chose. A team chosen by hand (in the values, or as a
        default team in the context) wins over routing, and so does an
        assignee chosen by hand. The team the backend form derives from its
        creator (helpdesk_mgmt's "auto assign tickets" makes the creator the
        assignee, and the assignee's first team the ticket's) is no choice:
        the ticket is routed, and keeps its creator as assignee only when they
        belong to the team it is routed to. Tickets made by the system (mail
        gateway, crons, the portal) are always routed."""
        if self.env.su:
            defaults = {"team_id": self.env.context.get("default_team_id")}
        else:
            defaults = self.default_get(["team_id", "user_id"])
        auto_user_id = defaults.get("user_id") or False
        auto_team_ids = set()
        if auto_user_id:
            auto_team_ids = set(
                self.env["res.users"]
                .sudo()
                .browse(auto_user_id)
                .helpdesk_team_ids[:1]
                .ids
            )
        to_route = []
        for vals in vals_list:
            user_id = vals.get("user_id") if "user_id" in vals else auto_user_id
            if user_id and user_id != auto_user_id:
                continue  # an assignee chosen by hand
            if "team_id" in vals:
                team_id = vals["team_id"]
                if team_id and team_id not in auto_team_ids:
                    continue  # a team chosen by hand
            elif defaults.get("team_id"):
                continue  # the default team of the context
            to_route.append(vals)
        if not to_route:
            return
        for vals in to_route:
            vals.setdefault("request_type", self._fields["request_type"].default(self))
        teams = self.env["helpdesk.ticket.routing"]._route(to_route)
        Team = self.env["helpdesk.ticket.team"].sudo()
        for vals, team_id in zip(to_route, teams, strict=True):
            if not team_id:
                continue
            vals["team_id"] = team_id
            user_id = vals.get("user_id", auto_user_id)
            if user_id and user_id not in Team.browse(team_id).user_ids.ids:
                vals["user_id"] = False

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [dict(vals) for vals in vals_list]
        check_system_fields(self, vals_list, SLA_SYSTEM_FIELDS)
        self._check_selection_values(vals_list)
        for vals in vals_list:
            # the portal token is minted with the ticket: minted on first use
            # (a notification, the portal's previous/next links), it was
            # written while the ticket was read, by concurrent readers
            if not vals.get("access_token"):
                vals["access_token"] = str(uuid.uuid4())
        self._route_vals_list(vals_list)
        self._grade_vals_list(vals_list)
        tickets = super().create(vals_list)
        tickets.partner_id._assign_customer_code()
        tickets._sla_start(fields.Datetime.now())
        return tickets

    def write(self, vals):
        check_system_fields(self, [vals], SLA_SYSTEM_FIELDS)
        self._check_selection_values([vals])
        now = fields.Datetime.now()
        old_levels = self._sla_check_regrade(vals)
        old_stages = self._sla_check_stage_change(vals)
        transfers = []
        if vals.get("team_id"):
            transfers = [
                {
                    "ticket_id": ticket.id,
                    "from_team_id": ticket.team_id.id,
                    "to_team_id": vals["team_id"],
                    "summary": self.env.context.get("transfer_summary") or False,
                }
                for ticket in self
                if ticket.team_id.id != vals["team_id"]
            ]
        result = super().write(vals)
        if transfers:
            self._log_transfers(transfers)
        if vals.get("partner_id"):
            self.partner_id._assign_customer_code()
        if old_levels:
            self.browse(old_levels)._sla_regrade(old_levels, now)
        if old_stages:
            self.browse(old_stages)._sla_stage_changed(old_stages, now)
        if SLA_SOURCE_FIELDS.intersection(vals):
            (self - self.browse(old_levels))._sla_follow_service_level(now)
        return result

    # ------------------------------------------------------------------
    # Followers
    # ------------------------------------------------------------------

    def _message_subscribe(self, partner_ids=None, subtype_ids=None, customer_ids=None):
        """Two replies posted at the same moment may subscribe the same partner
        (their author, the customer they answer): the later insert meets the
        earlier's follower, unique per record and partner, and the reply would
        fail. The partner follows either way: the duplicate is skipped, the
        other partners subscribed one by one."""
        # the savepoint flushes the followers only: the operation around it
        # (a transfer, a reopened complaint) keeps its pending writes
        Followers = self.env["mail.followers"]
        try:
            with self.env.cr.savepoint(flush=False):
                result = super()._message_subscribe(
                    partner_ids, subtype_ids, customer_ids=customer_ids
                )
                Followers.flush_model()
                return result
        except UniqueViolation as exc:
            if "mail_followers" not in (exc.diag.constraint_name or ""):
                raise
        for partner_id in partner_ids or []:
            try:
                with self.env.cr.savepoint(flush=False):
                    super()._message_subscribe(
                        [partner_id], subtype_ids, customer_ids=customer_ids
                    )
                    Followers.flush_model()
            except UniqueViolation as exc:
                if "mail_followers" not in (exc.diag.constraint_name or ""):
                    raise
        return True

    # ------------------------------------------------------------------
    # Agreement linking
    # ------------------------------------------------------------------

    # ------------------------------------------------------------------
    # Transfers between teams
    # ------------------------------------------------------------------

    @api.depends("transfer_ids")
    def _compute_transfer_count(self):
        counts = {}
        if self.ids:
            counts = dict(
                self.env["helpdesk.ticket.transfer"]._read_group(
                    [("ticket_id", "in", self.ids)], ["ticket_id"], ["__count"]
                )
            )
        for ticket in self:
            ticket.transfer_count = counts.get(ticket, 0)

    def _log_transfers(self, transfers):
        """Write the transfer records (需求转接记录) of a change of team and
        say it in each ticket's chatter. The records are the system's log:
        they are written whatever the user's rights on the log itself."""
        records = self.env["helpdesk.ticket.transfer"].sudo().create(transfers)
        for record in records:
            body = Markup("<p>%s</p>") % self.env._(
                "Transferred from %(from_team)s to %(to_team)s.",
                from_team=record.from_team_id.name,
                to_team=record.to_team_id.name,
            )
            if record.summary:
                body += Markup("<p>%s %s</p>") % (
                    self.env._("Hand-over summary:"),
                    record.summary,
                )
            record.ticket_id.message_post(
                body=body, subtype_xmlid="mail.mt_note", message_type="comment"
            )
        return records

    def action_open_transfer_wizard(self):
        action = self.env["ir.actions.actions"]._for_xml_id(
            "helpdesk_service_agreement.helpdesk_ticket_transfer_wizard_action"
        )
        action["context"] = {
            "active_model": self._name,
            "active_ids": self.ids,
            "default_ticket_ids": self.ids,
        }
        return action

    def action_view_transfers(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "helpdesk_service_agreement.helpdesk_ticket_transfer_action"
        )
        action["domain"] = [("ticket_id", "=", self.id)]
        action["context"] = {"create": False}
        return action
