from . import main
from . import portal
from . import portal_ticket
from . import portal_acceptance
from . import archive
from . import portal_archive
from . import portal_complaint
from . import portal_plan
