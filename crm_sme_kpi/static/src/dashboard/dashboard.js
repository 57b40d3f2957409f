/** @odoo-module **/
// The sales head's dashboard: each salesperson's figures against the team
// median, the previous period, six periods of trend, the open flags and the
// funnel. One server call (crm.sme.kpi.dashboard.get_dashboard) per screen.
import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { formatFloat } from "@web/core/utils/numbers";
import { useService } from "@web/core/utils/hooks";

const MODEL = "crm.sme.kpi.dashboard";
// the longest bar stands for this share above the biggest value or median
const BAR_HEADROOM = 1.15;

export class SalesEffectivenessDashboard extends Component {
    static template = "crm_sme_kpi.SalesEffectivenessDashboard";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.notification = useService("notification");
        this.state = useState({
            data: null,
            teamId: false,
            periodType: "month",
            periodStart: false,
            trendFigure: "calls",
            acknowledging: null,
            note: "",
        });
        onWillStart(() => this.load());
    }

    async load() {
        const data = await this.orm.call(MODEL, "get_dashboard", [], {
            team_id: this.state.teamId,
            period_type: this.state.periodType,
            period_start: this.state.periodStart,
        });
        this.state.data = data;
        this.state.teamId = data.team ? data.team.id : false;
        this.state.periodStart = data.period.start;
    }

    // ---- controls ----------------------------------------------------------

    onTeamChange(ev) {
        this.state.teamId = parseInt(ev.target.value);
        return this.load();
    }

    onPeriodTypeChange(ev) {
        this.state.periodType = ev.target.value;
        this.state.periodStart = false;
        return this.load();
    }

    goToPeriod(start) {
        this.state.periodStart = start;
        return this.load();
    }

    // ---- figures -----------------------------------------------------------

    format(value, unit) {
        if (value === null || value === undefined) {
            return "—";
        }
        if (unit === "count") {
            return formatFloat(value, { digits: [16, 0] });
        }
        if (unit === "percent") {
            return `${formatFloat(value, { digits: [16, 0] })} %`;
        }
        if (unit === "money") {
            const amount = formatFloat(value, { digits: [16, 0] });
            const { symbol, position } = this.state.data.currency;
            return position === "before" ? `${symbol} ${amount}` : `${amount} ${symbol}`;
        }
        return formatFloat(value, { digits: [16, 1] });
    }

    /** The scale of a figure's bars: the biggest value or median, with room. */
    scaleOf(figure) {
        const data = this.state.data;
        const values = data.rows.map((row) => row.values[figure.key] || 0);
        return Math.max(...values, data.medians[figure.key] || 0, 1e-9) * BAR_HEADROOM;
    }

    barStyle(row, figure) {
        const value = row.values[figure.key] || 0;
        return `width: ${Math.round((100 * value) / this.scaleOf(figure))}%`;
    }

    medianStyle(figure) {
        const median = this.state.data.medians[figure.key] || 0;
        return `left: ${Math.round((100 * median) / this.scaleOf(figure))}%`;
    }

    deviationClass(row, figure) {
        return `o_sme_dev_${row.deviation[figure.key]}`;
    }

    /** The change against the previous period, as a short signed text. */
    changeOf(row, figure) {
        const now = row.values[figure.key];
        const before = row.previous[figure.key];
        if (now === null || before === null || now === before) {
            return { text: "", cls: "" };
        }
        const up = now > before;
        const better = up === (figure.better === "high");
        const text = before
            ? `${up ? "▲" : "▼"} ${formatFloat(Math.abs((100 * (now - before)) / before), {
                  digits: [16, 0],
              })} %`
            : `${up ? "▲" : "▼"}`;
        return { text, cls: better ? "text-success" : "text-danger" };
    }

    callListText(row) {
        const { given, worked } = row.call_list;
        return given ? `${worked} / ${given}` : "—";
    }

    callListClass(row) {
        const { given, worked } = row.call_list;
        if (!given) {
            return "text-muted";
        }
        // fewer than half called the same day: the list is being ignored
        return worked * 2 < given ? "text-danger fw-bold" : "text-success";
    }

    callListTitle(row) {
        return _t("%(worked)s of %(given)s call-list items called the same day", {
            worked: row.call_list.worked,
            given: row.call_list.given,
        });
    }

    medianText(figure) {
        return _t("Team median: %(value)s", {
            value: this.format(this.state.data.medians[figure.key], figure.unit),
        });
    }

    get trendFigure() {
        return this.state.data.figures.find((f) => f.key === this.state.trendFigure);
    }

    /** SVG points of a six-period line, scaled to the team's values. */
    sparkline(row) {
        const key = this.state.trendFigure;
        const all = this.state.data.rows.flatMap((r) => r.trend[key].map((v) => v || 0));
        const top = Math.max(...all, 1e-9);
        const values = row.trend[key].map((v) => v || 0);
        const step = 100 / Math.max(values.length - 1, 1);
        return values
            .map((v, i) => `${Math.round(i * step)},${Math.round(28 - (26 * v) / top)}`)
            .join(" ");
    }

    trendTitle(row) {
        const figure = this.trendFigure;
        const labels = this.state.data.period.trend;
        return row.trend[figure.key]
            .map((v, i) => `${labels[i]}: ${this.format(v, figure.unit)}`)
            .join("\n");
    }

    // ---- funnel ------------------------------------------------------------

    funnelShare(counts, index) {
        const received = counts[0] || 0;
        return received ? Math.round((100 * counts[index]) / received) : 0;
    }

    funnelClass(row, index) {
        const mine = this.funnelShare(row.funnel, index);
        const team = this.funnelShare(this.state.data.funnel.team, index);
        if (!row.funnel[0] || mine === team) {
            return "";
        }
        return mine < team ? "text-danger" : "text-success";
    }

    // ---- actions -----------------------------------------------------------

    async openRecords(row, figure) {
        const action = await this.orm.call(MODEL, "action_drilldown", [
            row.user.id,
            figure.key,
            this.state.periodType,
            this.state.periodStart,
        ]);
        return this.actionService.doAction(action);
    }

    startAcknowledge(flag) {
        this.state.acknowledging = flag.id;
        this.state.note = "";
    }

    cancelAcknowledge() {
        this.state.acknowledging = null;
    }

    async acknowledge(flag) {
        await this.orm.write("crm.kpi.flag", [flag.id], {
            acknowledge_note: this.state.note,
        });
        await this.orm.call("crm.kpi.flag", "action_acknowledge", [[flag.id]]);
        this.state.acknowledging = null;
        this.notification.add(_t("Flag acknowledged."), { type: "success" });
        return this.load();
    }
}

registry.category("actions").add("crm_sme_kpi.dashboard", SalesEffectivenessDashboard);
