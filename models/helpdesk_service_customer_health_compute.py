# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The computation of customer health: per batch of customers, the factors
# (eight grouped queries), the previous month's scores (one), the month's
# snapshots upserted (one INSERT ... ON CONFLICT: a rerun updates, two runs
# at once never duplicate), the customers' current score (one UPDATE), and
# the account owners' to-dos of the customers that turned red, or amber in a
# renewal window, once per turn. The daily scheduled action runs it in
# batches it commits as it goes.
from datetime import datetime, time, timedelta

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL

MANAGER_GROUP = "helpdesk_service_agreement.group_service_manager"
# the alerts a customer's account owner gets, by rank: a higher one is new
ALERT_RANK = {None: 0, "amber": 1, "red": 2}
# the snapshot's columns the computation fills, in the order of the insert
_COLUMNS = (
    "score",
    "state",
    "previous_score",
    "has_previous",
    "trend",
    "breach_count",
    "escalation_count",
    "complaint_count",
    "complaint_open_count",
    "satisfaction_count",
    "satisfaction_avg",
    "recommend_rate",
    "recommend_target",
    "rectification_count",
    "plan_delay_count",
    "renewal_days",
    "has_renewal",
    "points_breach",
    "points_escalation",
    "points_complaint",
    "points_satisfaction",
    "points_recommend",
    "points_rectification",
    "points_plan_delay",
    "points_renewal",
)


class HelpdeskServiceCustomerHealth(models.Model):
    _inherit = "helpdesk.service.customer.health"

    @api.model
    def _health_compute(self, partners, day=None):
        """Compute the health of the customers ``partners`` (commercial
        partners) on ``day`` (today by default) into the snapshot of its
        month, and, for today, their current score and the to-dos of their
        account owners. A fixed number of queries, whatever the number of
        customers and of their records. Returns the snapshots."""
        today = fields.Date.context_today(self)
        day = day or today
        partners = partners.sudo()
        period_start, previous_start = self._health_period(day)
        until = datetime.combine(day + timedelta(days=1), time.min)
        customers = []
        companies = {}
        for partner in partners:
            company = (
                partner.customer_code_company_id
                or partner.company_id
                or self.env.company
            )
            companies[partner.id] = company
            since = until - timedelta(days=company.health_window_days)
            customers.append((partner.id, company.id, since))
        if not customers:
            return self.browse()
        factors = self._health_factors(customers, until, day)
        batch = self._health_batch_sql(customers)
        previous = dict(
            self.env.execute_query(
                SQL(
                    """
                    WITH customer AS (%(batch)s)
                    SELECT health.partner_id, health.score
                      FROM helpdesk_service_customer_health health
                      JOIN customer ON customer.partner_id = health.partner_id
                                   AND customer.company_id = health.company_id
                     WHERE health.period_start = %(previous)s
                    """,
                    batch=batch,
                    previous=previous_start,
                )
            )
        )
        rows = []
        for partner_id, company_id, _since in customers:
            values = self._health_values(factors[partner_id], companies[partner_id])
            values["has_previous"] = partner_id in previous
            values["previous_score"] = previous.get(partner_id) or 0.0
            values["trend"] = (
                round(values["score"] - previous[partner_id], 1)
                if partner_id in previous
                else 0.0
            )
            rows.append((partner_id, company_id, values))
        snapshot_ids = self._health_upsert(rows, period_start, day)
        snapshots = self.browse(snapshot_ids[partner_id] for partner_id, *_ in rows)
        if day == today:
            self._health_update_partners(rows, snapshot_ids, day)
        return snapshots

    @api.model
    def _health_upsert(self, rows, period_start, day):
        """Insert or update the month's snapshots of ``rows`` (partner id,
        company id, values): one query. {partner id: snapshot id}."""
        uid = self.env.uid
        now = self.env.cr.now()
        values_sql = SQL(", ").join(
            SQL(
                "(%s)",
                SQL(", ").join(
                    [partner_id, company_id, period_start, day]
                    + [values[column] for column in _COLUMNS]
                    + [uid, now, uid, now]
                ),
            )
            for partner_id, company_id, values in rows
        )
        columns = (
            "partner_id",
            "company_id",
            "period_start",
            "date",
            *_COLUMNS,
            "create_uid",
            "create_date",
            "write_uid",
            "write_date",
        )
        updates = SQL(", ").join(
            SQL("%s = EXCLUDED.%s", SQL.identifier(column), SQL.identifier(column))
            for column in ("date", *_COLUMNS, "write_uid", "write_date")
        )
        result = self.env.execute_query(
            SQL(
                """
                INSERT INTO helpdesk_service_customer_health (%(columns)s)
                VALUES %(values)s
                ON CONFLICT (partner_id, company_id, period_start)
                DO UPDATE SET %(updates)s
                RETURNING partner_id, id
                """,
                columns=SQL(", ").join(SQL.identifier(c) for c in columns),
                values=values_sql,
                updates=updates,
            )
        )
        self.invalidate_model()
        return dict(result)

    @api.model
    def _health_update_partners(self, rows, snapshot_ids, day):
        """The customers' current score, state, trend and alert: one query,
        which also reads the alert each had; then the to-dos of those that
        turned red, or amber in a renewal window."""
        values_sql = SQL(", ").join(
            SQL(
                "(%s::int, %s::float8, %s::varchar, %s::float8, %s::date,"
                " %s::int, %s::varchar)",
                partner_id,
                values["score"],
                values["state"],
                values["trend"],
                day,
                snapshot_ids[partner_id],
                self._health_alert_of(values),
            )
            for partner_id, _company_id, values in rows
        )
        result = self.env.execute_query(
            SQL(
                """
                UPDATE res_partner partner
                   SET health_score = new.score,
                       health_state = new.state,
                       health_trend = new.trend,
                       health_date = new.day,
                       health_snapshot_id = new.snapshot_id,
                       health_alert_state = new.alert
                  FROM (VALUES %(values)s)
                       AS new(id, score, state, trend, day, snapshot_id, alert),
                       res_partner old
                 WHERE partner.id = new.id AND old.id = new.id
             RETURNING partner.id, old.health_alert_state, new.alert
                """,
                values=values_sql,
            )
        )
        self.env["res.partner"].invalidate_model(
            [
                "health_score",
                "health_state",
                "health_trend",
                "health_date",
                "health_snapshot_id",
                "health_alert_state",
            ]
        )
        turned = {
            partner_id: snapshot_ids[partner_id]
            for partner_id, old, new in result
            if ALERT_RANK[new] > ALERT_RANK[old]
        }
        if turned:
            self.browse(turned.values())._health_notify_owners()

    @api.model
    def _health_alert_of(self, values):
        """The alert a customer's values call for: red, amber in a renewal
        window, or none."""
        if values["state"] == "red":
            return "red"
        if (
            values["state"] == "amber"
            and values["has_renewal"]
            and values["renewal_days"] <= 0
        ):
            return "amber"
        return None

    def _health_owners(self):
        """{snapshot: the customer's account owner}: its salesperson, else
        the leader of the team with most of its tickets, else a customer
        service manager of the company. Three queries."""
        owners = {}
        without = self.browse()
        for snapshot in self:
            owner = snapshot.partner_id.user_id
            if owner.active and not owner.share:
                owners[snapshot] = owner
            else:
                without |= snapshot
        if without:
            leaders = dict(
                self.env.execute_query(
                    SQL(
                        """
                        SELECT DISTINCT ON (ticket.commercial_partner_id)
                               ticket.commercial_partner_id, team.user_id
                          FROM helpdesk_ticket ticket
                          JOIN helpdesk_ticket_team team ON team.id = ticket.team_id
                          JOIN res_users leader ON leader.id = team.user_id
                         WHERE ticket.commercial_partner_id IN %s
                           AND leader.active
                      GROUP BY ticket.commercial_partner_id, team.user_id
                      ORDER BY ticket.commercial_partner_id, COUNT(*) DESC,
                               team.user_id
                        """,
                        tuple(without.partner_id.ids),
                    )
                )
            )
            Users = self.env["res.users"].sudo()
            managers = Users.search(
                Domain("all_group_ids", "in", self.env.ref(MANAGER_GROUP).ids)
                & Domain("share", "=", False)
                & Domain("company_ids", "in", without.company_id.ids),
                order="id",
            )
            for snapshot in without:
                leader = Users.browse(leaders.get(snapshot.partner_id.id))
                owners[snapshot] = (
                    leader
                    or managers.filtered(
                        lambda user, c=snapshot.company_id: c in user.company_ids
                    )[:1]
                )
        return owners

    def _health_notify_owners(self):
        """A to-do for the account owner of each customer, in the owner's
        language, listing what lowered the score. Batched: one create."""
        snapshots = self.sudo()
        todo = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id("res.partner")
        vals_list = []
        for snapshot, owner in snapshots._health_owners().items():
            if not owner:
                continue
            localized = snapshot.with_context(lang=owner.lang or self.env.lang)
            state = dict(
                localized._fields["state"]._description_selection(localized.env)
            )[snapshot.state]
            if snapshot.state == "red":
                summary = localized.env._(
                    "Customer health red: %(customer)s",
                    customer=snapshot.partner_id.name,
                )
            else:
                summary = localized.env._(
                    "Customer health amber in the renewal window: %(customer)s",
                    customer=snapshot.partner_id.name,
                )
            reasons = Markup("").join(
                Markup("<li>%s</li>") % reason for reason in localized._health_reasons()
            )
            note = Markup("<p>%s</p><ul>%s</ul>") % (
                localized.env._(
                    "%(customer)s scores %(score)s (%(state)s). What lowered it:",
                    customer=snapshot.partner_id.name,
                    score=f"{snapshot.score:g}",
                    state=state,
                ),
                reasons or escape(""),
            )
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": snapshot.partner_id.id,
                    "activity_type_id": todo.id,
                    "user_id": owner.id,
                    "summary": summary,
                    "note": note,
                    "date_deadline": fields.Date.context_today(self),
                }
            )
        if vals_list:
            # the to-do shows in the owner's activities; no e-mail per to-do
            self.env["mail.activity"].sudo().with_context(
                mail_activity_quick_update=True
            ).create(vals_list)

    # ------------------------------------------------------------------
    # Cron
    # ------------------------------------------------------------------

    @api.model
    def _health_due_domain(self, today):
        """The customers (commercial partners with a customer number) whose
        health was not computed today."""
        return (
            Domain("customer_code", "!=", False)
            & Domain("parent_id", "=", False)
            & (Domain("health_date", "=", False) | Domain("health_date", "<", today))
        )

    @api.model
    def _cron_compute_health(self, batch_size=1000):
        """Every day: the health of every customer into this month's
        snapshot, in batches locked and committed as they go. Run twice the
        same day, the second run finds nothing to do; a batch another worker
        holds is left to it."""
        today = fields.Date.context_today(self)
        Partner = self.env["res.partner"].sudo()
        Cron = self.env["ir.cron"]
        domain = self._health_due_domain(today)
        while True:
            partners = Partner.search(
                domain, limit=batch_size, order="id"
            ).try_lock_for_update()
            if not partners:
                break
            self._health_compute(partners, today)
            remaining = Partner.search_count(domain)
            if not Cron._commit_progress(len(partners), remaining=remaining):
                return
