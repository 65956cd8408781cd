# Copyright 2026 helpdesk_service_agreement authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Helpdesk Service Agreement",
    "summary": "Customer service standard in the helpdesk: registration, routing, "
    "service agreements, tiered escalation, acceptance and archive",
    "version": "19.0.1.0.0",
    "category": "After-Sales",
    "license": "AGPL-3",
    "author": "helpdesk_service_agreement authors",
    "website": "https://github.com/helpdesk-service-agreement/helpdesk_service_agreement",
    "depends": [
        "helpdesk_mgmt",
        "agreement",
        "resource",
        "portal",
        "mail",
    ],
    "data": [
        "security/helpdesk_service_agreement_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "wizards/helpdesk_ticket_transfer_wizard_views.xml",
        "views/res_partner_views.xml",
        "views/helpdesk_ticket_views.xml",
        "views/helpdesk_ticket_routing_views.xml",
        "views/helpdesk_ticket_transfer_views.xml",
        "views/helpdesk_ticket_templates.xml",
    ],
    "demo": [
        "demo/res_partner_demo.xml",
        "demo/helpdesk_ticket_team_demo.xml",
        "demo/helpdesk_ticket_routing_demo.xml",
        "demo/helpdesk_ticket_demo.xml",
    ],
    "installable": True,
    "application": False,
}
