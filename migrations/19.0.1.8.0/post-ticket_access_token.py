# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""From 19.0.1.8.0: a ticket gets its portal token at creation. Tickets created
before got one on first use (a notification, the portal's previous/next links),
written while the ticket was read and by concurrent readers: they get theirs
now, in one statement."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE helpdesk_ticket
           SET access_token = gen_random_uuid()::text
         WHERE access_token IS NULL
        """
    )
