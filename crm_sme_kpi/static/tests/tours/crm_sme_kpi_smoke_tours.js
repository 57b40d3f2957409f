/** @odoo-module **/
/**
 * One smoke tour per role: every screen crm_sme_kpi adds, opened the way
 * that role's person opens it (tests/test_tours.py runs them).
 */

import { registry } from "@web/core/registry";
import {
    appAbsent,
    back,
    menuAbsent,
    noErrorLeft,
    openApp,
    openContact,
    openFirstRecord,
    openMenu,
    revealSmartButton,
    printReport,
    visitFirstRecord,
    visitNewForm,
    visitTabs,
    waitUntil,
} from "./smoke_utils";

const REPORTING = "crm.crm_menu_report";
const DASHBOARD = "crm_sme_kpi.crm_sme_kpi_dashboard_menu";
const SUMMARY = "crm_sme_kpi.crm_sme_kpi_summary_menu";
const FIGURES = "crm_sme_kpi.crm_sme_kpi_report_menu";
const FLAGS = "crm_sme_kpi.crm_kpi_flag_menu";
const READINESS_APP = "crm_sme_kpi.menu_sme_readiness_root";
const SALES = "crm.crm_menu_sales";
const CALL_LIST = "crm_sme_kpi.crm_sme_call_item_menu";

function pipelineSteps() {
    return [
        ...openApp("crm.crm_menu_root"),
        {
            content: "each card of the pipeline says lead or client",
            trigger: ".o_kanban_record .o_sme_customer_state",
        },
        ...visitFirstRecord("deal"),
    ];
}

function effectivenessSteps() {
    return [
        ...openMenu(REPORTING, SUMMARY),
        {
            content: "the summary lists the teams",
            trigger: ".o_list_view .o_group_header",
            run: "click",
        },
        {
            content: "a salesperson's row beside the team median",
            trigger: ".o_list_view .o_data_row",
        },
        ...openMenu(REPORTING, FIGURES),
        {
            content: "the figures open as a pivot table",
            trigger: ".o_pivot table .o_pivot_header_cell_closed, .o_pivot table .o_pivot_header_cell_opened",
        },
        {
            content: "as a graph",
            trigger: ".o_switch_view.o_graph",
            run: "click",
        },
        { trigger: ".o_graph_renderer canvas" },
        {
            content: "as a list",
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        { trigger: ".o_list_view .o_data_row" },
    ];
}

/**
 * The dashboard. The sales head opens the team they lead (every salesperson,
 * the flags: acknowledge one); the administrator their own team, with the
 * flags badge; a salesperson only their own row.
 */
/**
 * Choose each other option of the select `selector`, then the first one
 * again, waiting each time until the dashboard shows what was chosen.
 */
function everyOption(selector) {
    return async function () {
        const chosen = () => document.querySelector(selector);
        const first = chosen().value;
        const values = [...chosen().options].map((option) => option.value);
        for (const value of [...values.filter((v) => v !== first), first]) {
            chosen().value = value;
            chosen().dispatchEvent(new Event("change", { bubbles: true }));
            await waitUntil(
                () =>
                    chosen()?.value === value &&
                    document.querySelector(".o_sme_dashboard .o_sme_period_label"),
                `${selector} ${value}`
            );
        }
    };
}

/** The menu's click, timed until the dashboard's rows are there (printed). */
function timedDashboardOpening(rowsTrigger) {
    const [section, menu] = openMenu(REPORTING, DASHBOARD);
    return [
        section,
        {
            ...menu,
            async run(helpers) {
                window.smeDashboardClickedAt = performance.now();
                return menu.run.call(this, helpers);
            },
        },
        {
            content: "the dashboard is interactive: print how long it took",
            trigger: rowsTrigger,
            run() {
                const ms = Math.round(performance.now() - window.smeDashboardClickedAt);
                console.info(`crm_sme_kpi dashboard interactive ${ms} ms after the click`);
            },
        },
    ];
}

function dashboardSteps(role) {
    const rows = {
        head: {
            content: "a row per salesperson of the team",
            trigger: ".o_sme_dashboard .o_sme_row ~ .o_sme_row",
        },
        administrator: {
            content: "the team's rows and its open flags",
            trigger: ".o_sme_dashboard:has(.o_sme_open_flags) .o_sme_row",
        },
        salesperson: {
            content: "only the salesperson's own row, and no flags",
            trigger: ".o_sme_dashboard:not(:has(.o_sme_open_flags)) .o_sme_dashboard_table tbody:not(:has(.o_sme_row ~ .o_sme_row)) .o_sme_row",
        },
    }[role];
    const steps = [
        ...timedDashboardOpening(rows.trigger),
        { content: "the dashboard says its figures are live", trigger: ".o_sme_live" },
        rows,
        {
            content: "each row says how much of the call list was called the same day",
            trigger: ".o_sme_row .o_sme_call_list",
        },
        {
            content: "every team the reader may open, then the first again",
            trigger: ".o_sme_dashboard .o_sme_team",
            run: everyOption(".o_sme_team"),
        },
        {
            content: "weeks and quarters, then months again",
            trigger: ".o_sme_dashboard .o_sme_period_type",
            run: everyOption(".o_sme_period_type"),
        },
        rows,
        {
            content: "each figure is drawn against the team median",
            trigger: ".o_sme_row .o_sme_bullet .o_sme_median",
        },
        {
            content: "the trend of another figure",
            trigger: ".o_sme_trend_figure",
            run: "select won_count",
        },
        { trigger: ".o_sme_trend svg polyline" },
        {
            content: "the previous period",
            trigger: ".o_sme_previous",
            run: "click",
        },
        { trigger: ".o_sme_period_label" },
        {
            content: "back to the period shown first",
            trigger: ".o_sme_next",
            run: "click",
        },
        {
            content: "a number opens the records it counts",
            trigger: ".o_sme_row [data-figure=leads_received] .o_sme_value",
            run: "click",
        },
        { content: "in a normal list", trigger: ".o_list_view" },
        ...back(),
        { trigger: ".o_sme_dashboard .o_sme_row" },
    ];
    if (role === "head") {
        steps.push(
            {
                content: "a flag beside its salesperson: acknowledge it",
                trigger: ".o_sme_flags_row .o_sme_ack",
                run: "click",
            },
            {
                content: "with a note",
                trigger: ".o_sme_ack_note",
                run: "edit Discussed at the morning meeting",
            },
            { trigger: ".o_sme_ack_confirm", run: "click" },
            {
                content: "it is acknowledged and leaves the list",
                trigger: ".o_notification_manager .o_notification",
            },
            { trigger: ".o_sme_dashboard:not(:has(.o_sme_ack_note)) .o_sme_row" }
        );
    }
    return steps;
}

/** The reader's call list: Victor and Dmitry have unanswered web requests. */
function callListSteps() {
    return [
        ...openMenu(SALES, CALL_LIST),
        {
            content: "the call list opens on the reader's items to call",
            trigger: ".o_list_view .o_data_row, .o_view_nocontent",
        },
    ];
}

function flagSteps() {
    return [...openMenu(REPORTING, FLAGS), ...visitFirstRecord("flag")];
}

function contactSteps() {
    return [...openContact("Anna customer 10-1"), ...visitTabs()];
}

/**
 * The readiness app. `print`: the role prints the assessment (`"admin"`: as
 * the administrator, whose first print sets the document layout); `create`:
 * the role may create checklist templates.
 */
function readinessSteps({ print, create }) {
    return [
        ...openApp(READINESS_APP),
        ...openFirstRecord("assessment"),
        ...visitTabs(),
        ...(print ? printReport("action_print", { firstByAdmin: print === "admin" }) : []),
        ...back(),
        ...openMenu("crm_sme_kpi.menu_sme_readiness_config", "crm_sme_kpi.menu_sme_readiness_template"),
        ...visitFirstRecord("checklist template"),
        ...(create ? visitNewForm("checklist template") : []),
    ];
}

/** The contact's Readiness button offers to start an assessment; discard it. */
function startReadinessSteps() {
    return [
        ...revealSmartButton("action_open_sme_readiness"),
        {
            content: "the Readiness button offers to start an assessment",
            trigger: '.o-form-buttonbox button.oe_stat_button[name="action_open_sme_readiness"]',
            run: "click",
        },
        {
            content: "the start dialog names the client; discard it",
            trigger: ".modal .o_form_view .o_field_widget[name=partner_id]",
        },
        {
            trigger: '.modal-footer button[special="cancel"], .modal .o_form_button_cancel',
            run: "click",
        },
        { trigger: "body:not(:has(.modal))" },
    ];
}

const tours = {
    crm_sme_kpi_smoke_sales_manager: () => [
        ...pipelineSteps(),
        ...callListSteps(),
        ...dashboardSteps("head"),
        ...effectivenessSteps(),
        ...flagSteps(),
        ...readinessSteps({ print: false, create: false }),
        ...contactSteps(),
        ...noErrorLeft(),
    ],
    crm_sme_kpi_smoke_salesperson: () => [
        ...pipelineSteps(),
        ...callListSteps(),
        ...dashboardSteps("salesperson"),
        ...effectivenessSteps(),
        ...menuAbsent(REPORTING, FLAGS),
        ...appAbsent(READINESS_APP),
        ...contactSteps(),
        ...noErrorLeft(),
    ],
    crm_sme_kpi_smoke_consultant: () => [
        ...readinessSteps({ print: true, create: true }),
        ...contactSteps(),
        ...startReadinessSteps(),
        ...noErrorLeft(),
    ],
    crm_sme_kpi_smoke_administrator: () => [
        ...pipelineSteps(),
        ...callListSteps(),
        ...dashboardSteps("administrator"),
        ...effectivenessSteps(),
        ...flagSteps(),
        ...readinessSteps({ print: "admin", create: true }),
        ...contactSteps(),
        ...openApp("base.menu_administration"),
        {
            content: "open the CRM settings",
            trigger: ".settings_tab .tab[data-key=crm]",
            run: "click",
        },
        {
            content: "they hold the Sales Effectiveness options",
            trigger: ".app_settings_block[data-key=crm] [name=sme_kpi_negotiation_stage_id]",
        },
        ...noErrorLeft(),
    ],
};

for (const [name, steps] of Object.entries(tours)) {
    registry.category("web_tour.tours").add(name, { url: "/odoo", steps });
}
