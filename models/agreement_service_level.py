# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .helpdesk_ticket import PROBLEM_LEVELS

# The seed's service levels (问题分级与升级机制): hours are working hours.
DEFAULT_SERVICE_LEVELS = [
    {
        "level": "1",
        "response_hours": 0.0,
        "resolution_hours": 24.0,
        "update_hours": 0.0,
        "owner_type": "agent",
    },
    {
        "level": "2",
        "response_hours": 12.0,
        "resolution_hours": 48.0,
        "update_hours": 0.0,
        "owner_type": "team_lead",
    },
    {
        "level": "3",
        "response_hours": 2.0,
        "resolution_hours": 0.0,
        "update_hours": 4.0,
        "owner_type": "emergency_team",
    },
]


class AgreementServiceLevel(models.Model):
    """One row per problem level of an agreement: its targets and its owner."""

    _name = "agreement.service.level"
    _description = "Agreement Service Level"
    _order = "agreement_id, level"
    _check_company_auto = True

    _level_uniq = models.UniqueIndex(
        "(agreement_id, level)",
        lambda env, diag: env._(
            "An agreement has one service level per problem level."
        ),
    )
    _targets_positive = models.Constraint(
        "CHECK(response_hours >= 0 AND resolution_hours >= 0 AND update_hours >= 0)",
        lambda env, diag: env._("Service level targets cannot be negative."),
    )
    _has_target = models.Constraint(
        "CHECK(response_hours > 0 OR resolution_hours > 0)",
        lambda env, diag: env._(
            "A service level needs a response or a resolution target."
        ),
    )
    _resolution_after_response = models.Constraint(
        "CHECK(resolution_hours = 0 OR response_hours = 0 "
        "OR resolution_hours >= response_hours)",
        lambda env, diag: env._(
            "A resolution target cannot be shorter than its response target."
        ),
    )

    agreement_id = fields.Many2one(
        comodel_name="agreement",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        related="agreement_id.company_id", store=True, index=True, precompute=True
    )
    level = fields.Selection(selection=PROBLEM_LEVELS, required=True)
    response_hours = fields.Float(
        string="Response (working hours)",
        help="Working hours within which the first public answer to the customer "
        "is due. 0: no response target.",
    )
    resolution_hours = fields.Float(
        string="Resolution (working hours)",
        help="Working hours within which the problem must be solved. 0: solved by "
        "a dedicated plan, no fixed target.",
    )
    update_hours = fields.Float(
        string="Customer Update (working hours)",
        help="Interval of the progress updates owed to the customer (level 3). "
        "0: none.",
    )
    owner_type = fields.Selection(
        selection=[
            ("agent", "Service Agent"),
            ("team_lead", "Team Lead"),
            ("emergency_team", "Emergency Team"),
        ],
        string="Owner",
        required=True,
        default="agent",
    )
    owner_team_id = fields.Many2one(
        comodel_name="helpdesk.ticket.team",
        string="Emergency Team",
        check_company=True,
        help="Team that takes over the problems of this level.",
    )
    owner_user_ids = fields.Many2many(
        comodel_name="res.users",
        string="Named Owners",
        domain=[("share", "=", False)],
        help="People who own the problems of this level (technical, legal, "
        "management for the emergency team). Without them, the team's leader "
        "and the customer service managers own the level.",
    )
    calendar_id = fields.Many2one(
        comodel_name="resource.calendar",
        string="Working Hours",
        compute="_compute_calendar_id",
        store=True,
        readonly=False,
        copy=True,
        check_company=True,
        help="Calendar the clocks of this level run on (holidays and leaves "
        "included): by default the round-the-clock calendar (7×24) for level 3, "
        "whose major problems do not wait for office hours, and the agreement's "
        "working hours for the other levels.",
    )
    # the targets as the grid shows them: "2 h", "No target" rather than 00:00
    response_display = fields.Char(string="Response", compute="_compute_target_display")
    resolution_display = fields.Char(
        string="Resolution", compute="_compute_target_display"
    )
    update_display = fields.Char(
        string="Customer Update", compute="_compute_target_display"
    )

    @api.depends("agreement_id.resource_calendar_id", "level")
    def _compute_calendar_id(self):
        round_the_clock = self.env["resource.calendar"]._round_the_clock_calendar()
        for service_level in self:
            if service_level.calendar_id:
                continue
            if service_level.level == "3" and round_the_clock:
                # seed 001: a major problem is answered within 2 hours, at
                # any hour of any day
                service_level.calendar_id = round_the_clock
            else:
                service_level.calendar_id = (
                    service_level.agreement_id.resource_calendar_id
                )

    @api.depends("level", "response_hours", "resolution_hours", "update_hours")
    @api.depends_context("lang")
    def _compute_target_display(self):
        for service_level in self:
            service_level.response_display = service_level._format_target(
                service_level.response_hours
            )
            service_level.resolution_display = service_level._format_target(
                service_level.resolution_hours
            )
            service_level.update_display = service_level._format_target(
                service_level.update_hours
            )
            if service_level.level == "3" and not service_level.resolution_hours:
                # the standard solves a major problem by a dedicated plan
                service_level.resolution_display = self.env._("Dedicated plan")

    @api.depends("level", "agreement_id")
    def _compute_display_name(self):
        levels = dict(self._fields["level"]._description_selection(self.env))
        for service_level in self:
            service_level.display_name = levels.get(service_level.level, "")

    def _format_target(self, hours):
        """Working hours as read in a contract: "2 h", "1 h 30 min"; 0 is no
        target."""
        if not hours:
            return self.env._("No target")
        whole_hours, minutes = divmod(round(hours * 60), 60)
        if not minutes:
            return self.env._("%(hours)s h", hours=whole_hours)
        if not whole_hours:
            return self.env._("%(minutes)s min", minutes=minutes)
        return self.env._(
            "%(hours)s h %(minutes)s min", hours=whole_hours, minutes=minutes
        )

    def _template_values(self):
        """Values to copy this level into another agreement."""
        self.ensure_one()
        values = {
            "level": self.level,
            "response_hours": self.response_hours,
            "resolution_hours": self.resolution_hours,
            "update_hours": self.update_hours,
            "owner_type": self.owner_type,
            "owner_team_id": self.owner_team_id.id,
            "owner_user_ids": [fields.Command.set(self.owner_user_ids.ids)],
        }
        # the working time chosen for the level passes on (7×24 for level 3);
        # a level of a template without working hours (the shipped one) runs
        # on the new agreement's
        if self.calendar_id:
            values["calendar_id"] = self.calendar_id.id
        return values
