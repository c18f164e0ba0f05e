// The store-tier simulation (lib/store-tier-model.mjs) as an SVG chart: three stacked panels
// sharing the time axis (load and drain capacity, the consumer's lag, the replicas), with the
// burst and the store outage shaded. Pure text from the rows: the same rows give the same
// bytes, so the committed chart can be compared with a fresh rendering.

const WIDTH = 900;
const PANEL_HEIGHT = 150;
const MARGIN = { left: 70, right: 20, top: 30, gap: 40, bottom: 40 };
const PLOT_WIDTH = WIDTH - MARGIN.left - MARGIN.right;

const fmt = (n) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

function niceMax(value) {
    if (value <= 0) return 1;
    const magnitude = 10 ** Math.floor(Math.log10(value));
    return [1, 2, 5, 10].map((m) => m * magnitude).find((m) => m >= value);
}

function polyline(points, color, dashed = false) {
    const d = points.map(([x, y]) => `${fmt(x)},${fmt(y)}`).join(" ");
    const dash = dashed ? ' stroke-dasharray="6 4"' : "";
    return `<polyline fill="none" stroke="${color}" stroke-width="2"${dash} points="${d}"/>`;
}

// One panel: series [{label, color, dashed, values}], `top` its y offset.
function panel({ title, unit, series, times, endSeconds, top, shaded }) {
    const max = niceMax(Math.max(...series.flatMap((s) => s.values)));
    const x = (t) => MARGIN.left + (t / endSeconds) * PLOT_WIDTH;
    const y = (v) => top + PANEL_HEIGHT - (v / max) * PANEL_HEIGHT;
    const parts = [];
    for (const { from, to, color } of shaded) {
        parts.push(`<rect x="${fmt(x(from))}" y="${top}" width="${fmt(x(to) - x(from))}" height="${PANEL_HEIGHT}" fill="${color}"/>`);
    }
    parts.push(`<rect x="${MARGIN.left}" y="${top}" width="${PLOT_WIDTH}" height="${PANEL_HEIGHT}" fill="none" stroke="#999"/>`);
    for (const fraction of [0, 0.5, 1]) {
        const value = max * fraction;
        parts.push(`<text x="${MARGIN.left - 6}" y="${fmt(y(value) + 4)}" text-anchor="end">${fmt(value)}</text>`);
    }
    parts.push(`<text x="${MARGIN.left}" y="${top - 8}" font-weight="bold">${title} (${unit})</text>`);
    let legendX = MARGIN.left + PLOT_WIDTH;
    for (const s of [...series].reverse()) {
        parts.push(`<text x="${legendX}" y="${top - 8}" text-anchor="end" fill="${s.color}">${s.label}</text>`);
        legendX -= 12 + 7 * s.label.length;
    }
    for (const s of series) {
        parts.push(polyline(times.map((t, i) => [x(t), y(s.values[i])]), s.color, s.dashed));
    }
    return parts.join("\n");
}

export function simulationChart(rows, { endSeconds, burst, outage, title }) {
    const times = rows.map((r) => r.t);
    const shaded = [
        { ...burst, color: "#fde9c8" },
        { ...outage, color: "#f8d0d0" },
    ];
    const panels = [
        { title: "Load and drain capacity", unit: "messages/s", series: [
            { label: "published", color: "#1f77b4", values: rows.map((r) => r.load) },
            { label: "store capacity", color: "#2ca02c", dashed: true, values: rows.map((r) => r.capacity) },
        ] },
        { title: "Consumer lag", unit: "messages", series: [
            { label: "lag (KEDA)", color: "#d62728", values: rows.map((r) => r.lag) },
        ] },
        { title: "Store replicas", unit: "pods", series: [
            { label: "replicas", color: "#9467bd", values: rows.map((r) => r.replicas) },
            { label: "ready", color: "#8c564b", dashed: true, values: rows.map((r) => r.ready) },
        ] },
    ];
    const height = MARGIN.top + panels.length * (PANEL_HEIGHT + MARGIN.gap) + MARGIN.bottom - MARGIN.gap + 20;
    const body = panels.map((p, i) => panel({ ...p, times, endSeconds, shaded,
        top: MARGIN.top + 20 + i * (PANEL_HEIGHT + MARGIN.gap) }));
    const axisY = MARGIN.top + 20 + panels.length * (PANEL_HEIGHT + MARGIN.gap) - MARGIN.gap;
    const ticks = [];
    for (let minute = 0; minute * 60 <= endSeconds; minute += 10) {
        const tx = MARGIN.left + ((minute * 60) / endSeconds) * PLOT_WIDTH;
        ticks.push(`<text x="${fmt(tx)}" y="${axisY + 16}" text-anchor="middle">${minute}</text>`);
    }
    return [
        `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">`,
        `<rect width="${WIDTH}" height="${height}" fill="white"/>`,
        `<text x="${MARGIN.left}" y="20" font-size="14" font-weight="bold">${title}</text>`,
        ...body,
        ...ticks,
        `<text x="${MARGIN.left + PLOT_WIDTH / 2}" y="${axisY + 32}" text-anchor="middle">minutes (shaded: market-open burst, store outage)</text>`,
        "</svg>",
        "",
    ].join("\n");
}
