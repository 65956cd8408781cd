from . import helpdesk_ticket_transfer_wizard
from . import agreement_renewal_wizard
from . import agreement_termination_wizard
from . import helpdesk_ticket_escalation_wizard
from . import helpdesk_service_acceptance_paper_wizard
from . import helpdesk_service_plan_paper_wizard
