from . import res_partner
from . import helpdesk_ticket_routing
from . import helpdesk_ticket_transfer
from . import helpdesk_ticket
from . import agreement_service_level
from . import agreement_third_party
from . import agreement
from . import res_company
