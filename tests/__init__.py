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

# test_install_upgrade_uninstall is a plain pytest test, collected by pytest only
