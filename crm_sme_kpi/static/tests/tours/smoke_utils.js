/** @odoo-module **/
/**
 * Steps the smoke tours of both add-ons are made of: open an app or a menu
 * entry, open the first record of a list, click through a form's tabs, go
 * back. Each step waits until the screen it opens has replaced the previous
 * one, and fails at once, with the dialog's text, when Odoo shows an error.
 */

import { stepUtils } from "@web_tour/tour_service/tour_utils";

const WAIT_MS = 20000;

function errorDialogText() {
    const dialog = document.querySelector(".o_error_dialog, .o_dialog .o_error_detail");
    return dialog && dialog.closest(".modal-content, .o_dialog").innerText;
}

/** Resolve when `ready()` is truthy; throw when an error dialog shows up. */
export async function waitUntil(ready, what) {
    const deadline = Date.now() + WAIT_MS;
    while (Date.now() < deadline) {
        const error = errorDialogText();
        if (error) {
            throw new Error(`${what}: Odoo showed an error: ${error}`);
        }
        if (ready()) {
            return;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`${what}: not there after ${WAIT_MS / 1000} s`);
}

function currentScreen() {
    return document.querySelector(".o_action_manager > .o_action");
}

function isLoaded(screen) {
    return (
        screen &&
        screen.querySelector(".o_content, .o_form_view, .o_setting_container") &&
        !screen.querySelector(".o_view_nocontent_empty_folder.o_loading")
    );
}

/** A `run` that clicks its anchor and waits for the next screen. */
function clickForNewScreen(what) {
    return async function (helpers) {
        const before = currentScreen();
        await helpers.click();
        await waitUntil(() => {
            const now = currentScreen();
            return now !== before && isLoaded(now);
        }, what);
    };
}

/** Open an app from the home menu. */
export function openApp(appXmlid) {
    return [
        stepUtils.showAppsMenuItem(),
        {
            content: `open app ${appXmlid}`,
            trigger: `.o_app[data-menu-xmlid="${appXmlid}"]`,
            run: clickForNewScreen(`app ${appXmlid}`),
        },
    ];
}

/** Click the app's top-bar section `sectionXmlid` (opens or closes it). */
function toggleSection(sectionXmlid, action = "open") {
    return {
        content: `${action} menu section ${sectionXmlid}`,
        trigger: `.o_menu_sections button[data-menu-xmlid="${sectionXmlid}"]`,
        run: "click",
    };
}

/** Open the app's top-bar section, then its entry `menuXmlid`. */
export function openMenu(sectionXmlid, menuXmlid) {
    return [
        toggleSection(sectionXmlid),
        {
            content: `open menu ${menuXmlid}`,
            trigger: `.o-dropdown--menu [data-menu-xmlid="${menuXmlid}"]`,
            run: clickForNewScreen(`menu ${menuXmlid}`),
        },
    ];
}

/** The section `sectionXmlid` does not list `menuXmlid` (the role may not use it). */
export function menuAbsent(sectionXmlid, menuXmlid) {
    return [
        toggleSection(sectionXmlid),
        {
            content: `${menuXmlid} is not offered`,
            trigger: `.o-dropdown--menu:not(:has([data-menu-xmlid="${menuXmlid}"]))`,
        },
        toggleSection(sectionXmlid, "close"),
    ];
}

/** Open the first record of the list or kanban on screen. */
export function openFirstRecord(what) {
    return [
        {
            content: `open the first ${what}`,
            trigger: ".o_data_row:first .o_data_cell:first, .o_kanban_record:not(.o_kanban_ghost):first",
            run: clickForNewScreen(`first ${what}`),
        },
    ];
}

/** Click every tab of the form on screen, then come back to the first. */
export function visitTabs() {
    return [
        {
            content: "open every tab of the form",
            trigger: ".o_form_view .o_form_sheet",
            async run() {
                const tabs = [...document.querySelectorAll(".o_form_view .o_notebook_headers .nav-link")];
                for (const tab of [...tabs, tabs[0]].filter(Boolean)) {
                    tab.click();
                    await waitUntil(
                        () => tab.classList.contains("active"),
                        `tab "${tab.innerText}"`
                    );
                }
            },
        },
    ];
}

/**
 * Show the form's smart button `name`: Odoo puts the buttons a narrow screen
 * has no room for under "More".
 */
export function revealSmartButton(name) {
    return [
        {
            content: `smart button ${name} is offered, under "More" if need be`,
            trigger: ".o_form_view .o-form-buttonbox",
            async run() {
                if (!document.querySelector(`.o-form-buttonbox ${smartButton(name)}`)) {
                    document.querySelector(".o-form-buttonbox .o_button_more").click();
                }
            },
        },
    ];
}

function smartButton(name) {
    return `button.oe_stat_button[name="${name}"]`;
}

/** Click the form's smart button `name`: it opens a screen. */
export function openSmartButton(name) {
    return [
        ...revealSmartButton(name),
        {
            content: `open the smart button ${name}`,
            trigger: `.o-form-buttonbox ${smartButton(name)}`,
            run: clickForNewScreen(`smart button ${name}`),
        },
    ];
}

/** Click the form's smart button `name`, then come back to the form. */
export function visitSmartButton(name) {
    return [...openSmartButton(name), ...back()];
}

/** Go back one step in the breadcrumbs. */
export function back() {
    return [
        {
            content: "go back",
            trigger: ".o_breadcrumb .breadcrumb-item.o_back_button",
            run: clickForNewScreen("previous screen"),
        },
    ];
}

/** Open the first record of the list on screen, click its tabs, go back. */
export function visitFirstRecord(what) {
    return [...openFirstRecord(what), ...visitTabs(), ...back()];
}

/** Open a new record's form (the role may create), then discard it. */
export function visitNewForm(what) {
    return [
        {
            content: `new ${what}`,
            trigger: ".o_control_panel_main_buttons .o_list_button_add:visible, .o_control_panel_main_buttons .o-kanban-button-new:visible",
            run: clickForNewScreen(`new ${what}`),
        },
        ...visitTabs(),
        {
            content: `discard the new ${what}`,
            trigger: ".o_form_button_cancel:visible",
            run: "click",
        },
    ];
}

/** Click a header button of the form and wait for its notification. */
export function clickButtonForNotification(name, kind = "success") {
    return [
        {
            content: `click ${name}`,
            trigger: `.o_form_view .o_form_statusbar button[name="${name}"]`,
            run: "click",
        },
        {
            content: `${name} reports ${kind}`,
            trigger: `.o_notification:has(.o_notification_bar.bg-${kind})`,
        },
        {
            content: "close the notification",
            trigger: ".o_notification .o_notification_close",
            run: "click",
        },
    ];
}

/** Open the contact `name` from the Contacts app (the search finds it). */
export function openContact(name) {
    return [
        ...openApp("contacts.menu_contacts"),
        {
            content: `search the contact ${name}`,
            trigger: ".o_searchview_input",
            run: `edit ${name} && press Enter`,
        },
        {
            content: `open the contact ${name}`,
            trigger: `.o_kanban_record:contains("${name}"), .o_data_row:contains("${name}") .o_data_cell:first`,
            run: clickForNewScreen(`contact ${name}`),
        },
    ];
}

/** The tour ends on a screen with no error. */
export function noErrorLeft() {
    return [
        {
            content: "no error dialog is left open",
            trigger: "body:not(:has(.o_error_dialog))",
        },
    ];
}

/** The home menu does not offer the app `appXmlid` (the role may not use it). */
export function appAbsent(appXmlid) {
    return [
        stepUtils.showAppsMenuItem(),
        {
            content: `the home menu offers no ${appXmlid}`,
            trigger: `.o-dropdown--menu:has(.o_app):not(:has(.o_app[data-menu-xmlid="${appXmlid}"]))`,
        },
        {
            content: "close the home menu",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
    ];
}

/**
 * Click the form's header button that prints a PDF; the download ends without
 * error. `firstByAdmin`: an administrator's first print asks for the company's
 * document layout, and the tour accepts Odoo's default one.
 */
export function printReport(buttonName, { firstByAdmin = false } = {}) {
    const button = `.o_form_view .o_form_statusbar button[name="${buttonName}"]`;
    const layoutSteps = [
        {
            content: "Odoo asks for the document layout first: keep its default",
            trigger: ".modal:has(.o_document_layout) .modal-footer .btn-primary",
            run: "click",
        },
    ];
    return [
        { content: `print with ${buttonName}`, trigger: button, run: "click" },
        ...(firstByAdmin ? layoutSteps : []),
        {
            content: "the PDF is downloaded (the screen is free again)",
            trigger: `body:not(:has(.o_blockUI, .modal)) ${button}:enabled`,
            async run() {
                // the download blocks the screen until the PDF is rendered
                await new Promise((resolve) => setTimeout(resolve, 300));
                await waitUntil(() => !document.querySelector(".o_blockUI"), "the PDF download");
            },
        },
    ];
}
