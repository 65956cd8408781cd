from . import res_partner
from . import helpdesk_ticket_routing
from . import helpdesk_ticket_transfer
from . import helpdesk_ticket
