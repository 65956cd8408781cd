# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""No hot row: what many agents do for one customer at the same time writes no
row they all share (issue 21).

Under load, every agent's reply wrote the customer's partner row (``write_date``
only: Odoo prepared the customer's portal sign-up again at every notification),
so the agents of one customer waited on each other; tickets got their portal
token while being read; two replies at once subscribing the same partner failed
one of them. ``tools/hot_rows.py`` shows it with two committing transactions;
these tests pin down each cause in one transaction.
"""

from contextlib import contextmanager
from unittest.mock import patch

from odoo.tools import mute_logger

from .common import ServiceCommon


class TestHotRows(ServiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Odoo's default: customers without a login get a sign-up link
        cls.env["ir.config_parameter"].sudo().set_param(
            "auth_signup.invitation_scope", "b2c"
        )
        cls.customer.email = "it@customer.example.com"
        cls.contact.email = "contact@customer.example.com"
        cls._create_agreement()
        # the customer company is the ticket's customer (a call taken by an
        # agent), following it as when it writes in
        cls.ticket = cls._create_ticket(
            env=cls.env(user=cls.agent), partner_id=cls.customer.id
        )
        cls.ticket.message_subscribe(partner_ids=cls.customer.ids)
        # the first answer: the customer's number, its sign-up and the
        # agent's subscription are made once, here
        cls._reply(cls.ticket, cls.agent)
        cls.env.flush_all()

    @classmethod
    def _reply(cls, ticket, user, **kwargs):
        return ticket.with_user(user).message_post(
            body="We are on it.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            **kwargs,
        )

    @contextmanager
    def _rows_written(self, model):
        """The (id, fields) of every row of ``model`` written to the
        database inside the block, flushed at its end."""
        written = []
        cls = self.registry[model]
        write_multi = cls._write_multi

        def _write_multi(records, vals_list):
            written.extend(
                (record.id, sorted(vals))
                for record, vals in zip(records, vals_list, strict=True)
            )
            return write_multi(records, vals_list)

        self.env.flush_all()
        with patch.object(cls, "_write_multi", _write_multi):
            yield written
            self.env.flush_all()

    def _customer_rows(self, written):
        customer_ids = {self.customer.id, self.contact.id}
        return [(pid, fnames) for pid, fnames in written if pid in customer_ids]

    def test_reply_does_not_write_the_customer(self):
        """A reply notifies the customer by email with its portal link; the
        customer's partner row is not written (it was, at every reply)."""
        with self._rows_written("res.partner") as written:
            message = self._reply(self.ticket, self.agent)
            self._reply(self.ticket, self.lead)
        self.assertIn(self.customer, message.notification_ids.res_partner_id)
        self.assertEqual(self._customer_rows(written), [])

    def test_ticket_creation_does_not_write_the_customer(self):
        """A further ticket of a numbered customer, for the company or one of
        its contacts, writes none of the customer's partners."""
        Ticket = self.env["helpdesk.ticket"].with_user(self.agent)
        with self._rows_written("res.partner") as written:
            Ticket.create(
                [
                    {
                        "name": "Scanner down",
                        "description": "<p>No scan.</p>",
                        "partner_id": self.customer.id,
                    },
                    {
                        "name": "Screen flickers",
                        "description": "<p>Flickers.</p>",
                        "partner_id": self.contact.id,
                    },
                ]
            )
        self.assertTrue(self.customer.customer_code)
        self.assertEqual(self._customer_rows(written), [])

    def test_sign_up_type_still_set_when_it_changes(self):
        """The no-op write is skipped, not the sign-up: a customer asked to
        reset its password is prepared for a sign-up again."""
        self.customer.sudo().signup_type = "reset"
        self.customer.sudo().signup_prepare()
        self.assertEqual(self.customer.sudo().signup_type, "signup")

    def test_token_minted_at_creation(self):
        """A ticket has its portal token from its creation; reading it,
        notifying its customer or linking it from the portal writes nothing."""
        ticket = self._create_ticket(
            env=self.env(user=self.agent), partner_id=self.customer.id
        )
        token = ticket.sudo().access_token
        self.assertTrue(token)
        with self._rows_written("helpdesk.ticket") as written:
            self.assertEqual(ticket.sudo()._portal_ensure_token(), token)
            self.assertIn(token, ticket.sudo().get_portal_url())
        self.assertEqual(written, [])
        copy = ticket.sudo().copy()
        self.assertTrue(copy.access_token)
        self.assertNotEqual(copy.access_token, token)

    @mute_logger("odoo.sql_db")
    def test_concurrent_subscription_is_not_an_error(self):
        """Two replies at once subscribing the same partner: the second one's
        snapshot does not see the first one's follower, its insert meets the
        unique constraint. The reply goes through; the partner follows once."""
        Followers = self.registry["mail.followers"]
        add_followers = Followers._add_followers

        def _add_followers(self, *args, **kwargs):
            # as if the concurrent transaction's follower were not visible
            kwargs["check_existing"] = False
            return add_followers(self, *args, **kwargs)

        self.ticket.message_subscribe(partner_ids=self.contact.ids)
        with patch.object(Followers, "_add_followers", _add_followers):
            message = self._reply(
                self.ticket.with_context(mail_post_autofollow=True),
                self.agent,
                partner_ids=(self.contact | self.customer).ids,
            )
        self.assertEqual(message.body, "<p>We are on it.</p>")
        followers = self.ticket.message_follower_ids.partner_id
        for partner in (self.contact, self.customer, self.agent.partner_id):
            self.assertEqual(followers.ids.count(partner.id), 1)
