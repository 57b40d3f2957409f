/** @odoo-module **/
/**
 * One smoke tour per role: every screen the 1C connector adds, on a demo
 * database whose connection has exchanged once with a 1C stand-in and whose
 * contact "Anna customer 10-1" is linked to its 1C counterparty
 * (tests/test_tours.py prepares that and runs the tours).
 */

import { registry } from "@web/core/registry";
import {
    back,
    clickButtonForNotification,
    menuAbsent,
    noErrorLeft,
    openApp,
    openContact,
    openFirstRecord,
    openMenu,
    openSmartButton,
    visitFirstRecord,
    visitSmartButton,
    visitTabs,
} from "@crm_sme_kpi/../tests/tours/smoke_utils";

const CONFIG = "crm.crm_menu_config";
const DOCUMENTS = "accounting_1c_connector.menu_onec_documents";
const LINKED_CONTACT = "Anna customer 10-1";

function menu(name) {
    return `accounting_1c_connector.menu_onec_${name}`;
}

function connectionSteps() {
    return [
        ...openApp("crm.crm_menu_root"),
        ...openMenu(CONFIG, menu("connections")),
        ...openFirstRecord("1C connection"),
        ...visitTabs(),
        ...clickButtonForNotification("action_test_connection"),
        ...clickButtonForNotification("action_run_now"),
        {
            content: "open the reconciliation with 1C",
            trigger: '.o_form_statusbar button[name="action_open_reconciliation"]',
            run: "click",
        },
        {
            content: "close the reconciliation",
            trigger: '.modal .o_form_view .modal-footer button[special="cancel"], .modal-footer button[special="cancel"]',
            run: "click",
        },
        ...visitSmartButton("action_open_failures"),
        ...back(),
        ...visitFirstRecordOf(CONFIG, "journal"),
        ...openMenu(CONFIG, menu("failures")),
        ...openMenu(CONFIG, menu("client_exports")),
    ];
}

function visitFirstRecordOf(section, name) {
    return [...openMenu(section, menu(name)), ...visitFirstRecord(name)];
}

function listRows(what) {
    return [{ content: `the ${what} list shows 1C's records`, trigger: ".o_list_view .o_data_row" }];
}

function documentSteps() {
    return [
        ...openApp("crm.crm_menu_root"),
        ...["orders", "shipments", "payments"].flatMap((name) => visitFirstRecordOf(DOCUMENTS, name)),
        // balances and counterparties are read in their lists: no form
        ...openMenu(DOCUMENTS, menu("settlements")),
        ...listRows("settlements"),
        { content: "the balances as a pivot table", trigger: ".o_switch_view.o_pivot", run: "click" },
        { trigger: ".o_pivot table .o_pivot_header_cell_closed, .o_pivot table .o_pivot_header_cell_opened" },
        ...openMenu(DOCUMENTS, menu("sales_months")),
        { content: "the monthly sales as a bar chart", trigger: ".o_graph_renderer canvas" },
        { content: "the monthly sales as a list", trigger: ".o_switch_view.o_list", run: "click" },
        ...listRows("monthly sales"),
        ...openMenu(DOCUMENTS, menu("counterparties")),
        ...listRows("counterparties"),
    ];
}

/** The linked contact's card; `ownDeals`: the role sees the contact's deals. */
function contactSteps({ ownDeals }) {
    return [
        ...openContact(LINKED_CONTACT),
        {
            content: "the contact linked to 1C has a 1C tab",
            trigger: '.o_notebook_headers .nav-link[name="onec"]',
        },
        ...visitTabs(),
        ...salesChartSteps(),
        ...["action_onec_settlements", "action_onec_orders", "action_onec_payments"].flatMap(
            visitSmartButton
        ),
        ...(ownDeals ? dealSteps() : []),
    ];
}

/** The 1C tab's bar chart of the customer's monthly sales, drawn by Chart.js. */
function salesChartSteps() {
    return [
        {
            content: "open the 1C tab",
            trigger: '.o_notebook_headers .nav-link[name="onec"]',
            run: "click",
        },
        {
            content: "the 1C tab shows the sales of the last months as a bar chart",
            // Chart.js sizes the canvas it has drawn on
            trigger: ".o_onec_sales_chart .o_dashboard_graph canvas[style*='height']",
        },
    ];
}

function dealSteps() {
    return [
        ...openSmartButton("action_view_opportunity"),
        ...openFirstRecord("deal of the contact"),
        {
            content: "the deal shows its orders from 1C",
            trigger: '.o_notebook_headers .nav-link[name="onec_orders"]',
        },
        ...visitTabs(),
    ];
}

/**
 * The salesperson's call list names the linked contact for its overdue debt
 * (the demo's 1C story); on the contact, the Call Today activity is marked
 * done with what the customer said, and the call is logged.
 */
function callListSteps() {
    return [
        ...openApp("crm.crm_menu_root"),
        ...openMenu("crm.crm_menu_sales", "crm_sme_kpi.crm_sme_call_item_menu"),
        {
            content: "the call list names the debtor and says why",
            trigger: `.o_list_view .o_data_row:contains("${LINKED_CONTACT}") .o_data_cell[name=reason]:contains("Overdue debt in 1C")`,
        },
        ...openContact(LINKED_CONTACT),
        {
            content: "the contact's chatter holds the Call Today activity",
            trigger: ".o-mail-Activity:contains('Overdue debt') .o-mail-Activity-markDone",
            run: "click",
        },
        {
            content: "what the customer said",
            trigger: ".o-mail-ActivityMarkAsDone textarea",
            run: "edit Promised to pay on Friday",
        },
        { trigger: ".o-mail-ActivityMarkAsDone button[aria-label=Done]", run: "click" },
        {
            content: "the call is logged on the contact",
            trigger: ".o-mail-Message:contains('Promised to pay on Friday')",
        },
    ];
}

function noDocumentsSection() {
    return [
        ...openApp("crm.crm_menu_root"),
        {
            content: "the CRM top bar has no 1C section",
            trigger: `.o_menu_sections:not(:has([data-menu-xmlid="${DOCUMENTS}"]))`,
        },
    ];
}

const tours = {
    accounting_1c_connector_smoke_administrator: () => [
        ...connectionSteps(),
        ...documentSteps(),
        ...contactSteps({ ownDeals: true }),
        ...noErrorLeft(),
    ],
    accounting_1c_connector_smoke_sales_manager: () => [
        ...documentSteps(),
        ...menuAbsent(CONFIG, menu("connections")),
        ...contactSteps({ ownDeals: true }),
        ...noErrorLeft(),
    ],
    accounting_1c_connector_smoke_salesperson: () => [
        ...noDocumentsSection(),
        ...contactSteps({ ownDeals: true }),
        ...callListSteps(),
        ...noErrorLeft(),
    ],
    accounting_1c_connector_smoke_consultant: () => [
        ...noDocumentsSection(),
        ...contactSteps({ ownDeals: false }),
        ...noErrorLeft(),
    ],
};

for (const [name, steps] of Object.entries(tours)) {
    registry.category("web_tour.tours").add(name, { url: "/odoo", steps });
}
