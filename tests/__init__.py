from . import test_customer_code
from . import test_routing
from . import test_transfer
from . import test_intake_access
from . import test_portal_intake
