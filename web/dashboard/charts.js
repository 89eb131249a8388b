// The dashboards' charts, drawn with Apache ECharts (served by chiso as
// /assets/echarts.min.js, from npm; no CDN). Canvas rendering and text
// tooltips keep within the Content-Security-Policy: no inline styles. Every
// chart repeats figures that a table next to it also gives, for people who
// cannot see it.

import { fmtNumber, fmtPercent } from './fmt.js';

const ACCENT = '#0b5394';
const SECOND = '#b45309';
const INK = '#1a1a1a';

// True when the chart library is there (a build without it has a stub).
export function chartsAvailable() {
  return typeof globalThis.echarts === 'object' && typeof globalThis.echarts.init === 'function';
}

const charts = [];
let resizing = false;

function make(elm, label, option) {
  elm.setAttribute('role', 'img');
  elm.setAttribute('aria-label', label);
  const chart = globalThis.echarts.init(elm, null, { renderer: 'canvas' });
  chart.setOption({ animation: false, textStyle: { fontFamily: 'system-ui, sans-serif' }, ...option });
  charts.push(chart);
  if (!resizing) {
    resizing = true;
    globalThis.addEventListener('resize', () => charts.forEach((c) => c.resize()));
  }
  return chart;
}

function tooltip(formatter) {
  return { trigger: 'item', renderMode: 'richText', formatter };
}

// Horizontal bars of the units' indices, best first, with the average as a line.
export function unitBars(elm, label, units, average, lang, averageName) {
  const rows = units.slice().reverse();
  elm.style.height = `${Math.max(12, rows.length * 1.9 + 4)}rem`;
  return make(elm, label, {
    grid: { left: 8, right: 48, top: 16, bottom: 24, containLabel: true },
    tooltip: tooltip((p) => `${p.name}: ${fmtPercent(p.value, 2, lang)}`),
    xAxis: {
      type: 'value', min: 0, max: 100,
      axisLabel: { formatter: (v) => fmtNumber(v, 0, lang) },
    },
    yAxis: {
      type: 'category', data: rows.map((u) => u.name || u.code),
      axisLabel: { width: 160, overflow: 'truncate' },
    },
    series: [{
      type: 'bar', data: rows.map((u) => u.index), itemStyle: { color: ACCENT },
      label: { show: true, position: 'right', formatter: (p) => fmtNumber(p.value, 2, lang) },
      markLine: typeof average === 'number' ? {
        symbol: 'none', lineStyle: { color: SECOND, type: 'dashed', width: 2 },
        label: { formatter: () => `${averageName} ${fmtNumber(average, 2, lang)}` },
        data: [{ xAxis: average }],
      } : undefined,
    }],
  });
}

// Bars of the element indices with whiskers for their confidence intervals.
export function elementBars(elm, label, elements, target, lang) {
  const names = elements.map((e) => e.code);
  return make(elm, label, {
    grid: { left: 8, right: 40, top: 24, bottom: 24, containLabel: true },
    tooltip: tooltip((p) => {
      const e = elements[p.dataIndex];
      return `${e.code} ${e.name}: ${fmtPercent(e.index, 2, lang)} ` +
        `(${fmtNumber(e.ci_lo, 2, lang)} – ${fmtNumber(e.ci_hi, 2, lang)})`;
    }),
    xAxis: { type: 'category', data: names },
    yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: (v) => fmtNumber(v, 0, lang) } },
    series: [
      {
        type: 'bar', data: elements.map((e) => e.index), itemStyle: { color: ACCENT }, barMaxWidth: 56,
        markLine: typeof target === 'number' ? {
          symbol: 'none', lineStyle: { color: SECOND, type: 'dashed', width: 2 },
          label: { formatter: () => fmtPercent(target, 0, lang) },
          data: [{ yAxis: target }],
        } : undefined,
      },
      {
        type: 'custom', z: 10, silent: true,
        data: elements.map((e, i) => [i, e.ci_lo, e.ci_hi]),
        encode: { x: 0, y: [1, 2] },
        renderItem: (params, api) => {
          if (Number.isNaN(api.value(1)) || Number.isNaN(api.value(2))) return null;
          const lo = api.coord([api.value(0), api.value(1)]);
          const hi = api.coord([api.value(0), api.value(2)]);
          const w = api.size([1, 0])[0] * 0.12;
          const stroke = { stroke: INK, lineWidth: 2 };
          return {
            type: 'group',
            children: [
              { type: 'line', shape: { x1: lo[0], y1: lo[1], x2: hi[0], y2: hi[1] }, style: stroke },
              { type: 'line', shape: { x1: lo[0] - w, y1: lo[1], x2: lo[0] + w, y2: lo[1] }, style: stroke },
              { type: 'line', shape: { x1: hi[0] - w, y1: hi[1], x2: hi[0] + w, y2: hi[1] }, style: stroke },
            ],
          };
        },
      },
    ],
  });
}

// Lines across periods: one series per index, gaps where a period has none.
export function trendLines(elm, label, periods, series, lang) {
  const colors = [ACCENT, SECOND, '#2e7d32', '#6a1b9a'];
  return make(elm, label, {
    grid: { left: 8, right: 24, top: 48, bottom: 24, containLabel: true },
    legend: { top: 0 },
    tooltip: tooltip((p) => `${p.seriesName}, ${p.name}: ${fmtPercent(p.value, 2, lang)}`),
    xAxis: { type: 'category', data: periods },
    yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: (v) => fmtNumber(v, 0, lang) } },
    series: series.map((s, i) => ({
      type: 'line', name: s.name, data: s.values, connectNulls: false, symbolSize: 8,
      itemStyle: { color: colors[i % colors.length] }, lineStyle: { width: 3 },
    })),
  });
}
