from . import helpdesk_ticket_transfer_wizard
