# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .helpdesk_ticket import REQUEST_TYPES


class HelpdeskTicketRouting(models.Model):
    _name = "helpdesk.ticket.routing"
    _description = "Ticket Routing Rule"
    _order = "company_id, sequence, id"
    _check_company_auto = True

    _type_category_uniq = models.UniqueIndex(
        "(company_id, request_type, COALESCE(category_id, 0)) WHERE active",
        lambda env, diag: env._(
            "A routing rule already exists for this request type and category."
        ),
    )

    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    request_type = fields.Selection(selection=REQUEST_TYPES, required=True)
    category_id = fields.Many2one(
        comodel_name="helpdesk.ticket.category",
        check_company=True,
        help="Leave empty to route every request of this type that no rule "
        "with a category matches.",
    )
    team_id = fields.Many2one(
        comodel_name="helpdesk.ticket.team",
        required=True,
        check_company=True,
        ondelete="cascade",
    )
    user_id = fields.Many2one(
        related="team_id.user_id", string="Team Leader", readonly=True
    )

    @api.depends("request_type", "category_id", "team_id")
    def _compute_display_name(self):
        types = dict(self._fields["request_type"]._description_selection(self.env))
        for rule in self:
            source = types.get(rule.request_type, "")
            if rule.category_id:
                source = f"{source} / {rule.category_id.display_name}"
            rule.display_name = f"{source} → {rule.team_id.display_name}"

    @api.constrains("team_id", "active")
    def _check_team_active(self):
        for rule in self:
            if rule.active and rule.team_id and not rule.team_id.active:
                raise ValidationError(
                    self.env._(
                        "The routing rule for %(rule)s points to the archived team "
                        "%(team)s. Choose an active team.",
                        rule=rule.display_name,
                        team=rule.team_id.name,
                    )
                )

    @api.model
    def _route(self, vals_list):
        """Map each ticket's values to a team id (or False), in one search for
        the whole batch: a rule with the ticket's category wins over a rule
        for the request type alone."""
        company_ids = {
            vals.get("company_id") or self.env.company.id for vals in vals_list
        }
        rules = self.sudo().search(
            [("company_id", "in", list(company_ids)), ("team_id.active", "=", True)]
        )
        table = {}
        for rule in rules:
            key = (rule.company_id.id, rule.request_type, rule.category_id.id)
            table.setdefault(key, rule.team_id.id)
        result = []
        for vals in vals_list:
            company_id = vals.get("company_id") or self.env.company.id
            request_type = vals.get("request_type")
            category_id = vals.get("category_id") or False
            team_id = (
                category_id and table.get((company_id, request_type, category_id))
            ) or table.get((company_id, request_type, False), False)
            result.append(team_id)
        return result
