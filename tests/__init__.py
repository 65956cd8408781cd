from . import test_customer_code
from . import test_routing
from . import test_transfer
from . import test_intake_access
from . import test_portal_intake
from . import test_agreement_lifecycle
from . import test_agreement_renewal
from . import test_agreement_ticket
from . import test_agreement_report
from . import test_agreement_portal
from . import test_sla_deadlines
from . import test_escalation
from . import test_sla_cron
from . import test_postmortem_report
from . import test_ui
from . import test_security_confidential_link
from . import test_security_sla_fields
from . import test_security_workflow_states
from . import test_security_ticket_agreement
from . import test_security_template
from . import test_security_context
from . import test_security_ticket_close
from . import test_security_numbering
from . import test_security_held_hours_cron
from . import test_security_access_matrix
from . import test_menus_per_role
from . import test_daily_use
from . import test_tour_agent_day
from . import test_sla_compliance_report
from . import test_acceptance
from . import test_acceptance_portal
from . import test_acceptance_report
from . import test_security_acceptance

# test_install_upgrade_uninstall and test_setup_script are plain pytest tests,
# collected by pytest only
from . import test_zh_cn_portal
