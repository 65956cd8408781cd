from . import test_customer_code
from . import test_routing
from . import test_transfer
from . import test_intake_access
from . import test_portal_intake

# test_install_upgrade_uninstall is a plain pytest test, collected by pytest only
