// The public dashboard pages of chiso: /d/ lists the periods with public
// results, /d/PERIOD shows a period (PAR ranking, SIPAS indices, trend) and
// /d/PERIOD/unit/CODE one unit. The page is one HTML shell per language; this
// module reads the view from the URL, fetches the JSON API
// (/api/v1/dashboards, /api/v1/trend) and builds accessible tables and the
// charts. Text goes in with textContent only: nothing from the data is ever
// parsed as HTML.
//
// Stable hooks for tests: #sipas-n and #sipas-overall hold the response count
// and the overall satisfaction index of the view (data-value has the number
// as the API gives it), #status says what is loading or went wrong, and
// <body data-state> becomes "ready" or "error" once the page is drawn.

import { LANG, T } from './i18n.js';
import { fmtCount, fmtDate, fmtInterval, fmtNumber, fmtPercent, fmtRank, fmtSigned } from './fmt.js';
import { chartsAvailable, elementBars, trendLines, unitBars } from './charts.js';

const $ = (id) => document.getElementById(id);

// el('td', {class: 'num', scope: 'row'}, 'text', child...): an element with
// attributes and children (strings become text nodes).
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

// A link inside the dashboards, keeping the language the reader chose.
function href(path) {
  const lang = new URLSearchParams(location.search).get('lang');
  return lang ? `${path}?lang=${encodeURIComponent(lang)}` : path;
}

function periodHref(period) {
  return href(`/d/${encodeURIComponent(period)}`);
}

function unitHref(period, unit) {
  return href(`/d/${encodeURIComponent(period)}/unit/${encodeURIComponent(unit)}`);
}

// Fetches API JSON; a problem object becomes an Error with its detail and status.
async function api(path) {
  const r = await fetch(path, { headers: { Accept: 'application/json' } });
  let body = null;
  try {
    body = await r.json();
  } catch (e) {
    body = null;
  }
  if (!r.ok) {
    const err = new Error((body && body.detail) || `${r.status} ${r.statusText}`);
    err.status = r.status;
    throw err;
  }
  return body;
}

// A table with a caption, column headers (scope col) and rows whose first
// cell is a row header (scope row). cols: [{label, num}], rows: [[cells]].
function table(caption, cols, rows, cls) {
  const head = el('tr', {}, ...cols.map((c) => el('th', { scope: 'col', class: c.num ? 'num' : null }, c.label)));
  const body = rows.map((cells) =>
    el('tr', {}, ...cells.map((c, i) =>
      el(i === 0 ? 'th' : 'td', { scope: i === 0 ? 'row' : null, class: cols[i].num ? 'num' : null }, c))));
  return el('div', { class: 'table-wrap' },
    el('table', { class: cls || null }, el('caption', {}, caption), el('thead', {}, head), el('tbody', {}, ...body)));
}

function chartBox(cls) {
  return el('div', { class: `chart ${cls || ''}` });
}

function showStatus(text, isError) {
  const s = $('status');
  s.textContent = text;
  s.hidden = !text;
  s.classList.toggle('error', Boolean(isError));
}

function bandLabel(bands, code) {
  const b = bands.find((x) => x.code === code);
  if (!b) return code || '';
  return LANG === 'en' && b.label_en ? b.label_en : b.label_vi;
}

function bandChip(bands, code) {
  if (!code) return '';
  const i = bands.findIndex((x) => x.code === code);
  return el('span', { class: `band band-${Math.max(0, i)}` }, bandLabel(bands, code));
}

function placesText(change) {
  if (!change || change.places === null || change.places === undefined) return '';
  if (change.places > 0) return `↑${change.places}`;
  if (change.places < 0) return `↓${-change.places}`;
  return '=';
}

function placesLabel(change) {
  if (!change || change.places === null || change.places === undefined) return null;
  if (change.places > 0) return T.up(change.places);
  if (change.places < 0) return T.down(-change.places);
  return T.same;
}

function changeCell(change) {
  if (!change) return '';
  const p = placesText(change);
  return el('span', {},
    fmtSigned(change.index, 2, LANG),
    p ? ' ' : '',
    p ? el('span', { class: 'places', title: placesLabel(change), 'aria-label': placesLabel(change) }, p) : '');
}

function flagsText(flags) {
  return (flags || []).map((f) => T.flags[f] || f).join(', ');
}

function name(obj) {
  return (LANG === 'en' && obj.name_en) ? obj.name_en : (obj.name || obj.code);
}

// --- PAR ---------------------------------------------------------------

// One framework's block: average, bar chart, ranking table (with each unit's
// SIPAS index when the survey has it).
function parBlock(rk, period, sipasUnits, unitView, unitName) {
  const fw = rk.framework;
  const box = el('div', { class: 'block' });
  box.append(el('h3', {}, fw.title || fw.code));
  const avg = rk.average;

  if (unitView) {
    const u = rk.unit;
    if (!u) {
      box.append(el('p', { class: 'note' }, T.unitNoPar));
    } else {
      box.append(el('dl', { class: 'kpis' },
        el('div', {}, el('dt', {}, T.unitPosition), el('dd', { class: 'par-position' }, u.position || T.unranked)),
        el('div', {}, el('dt', {}, T.unitIndex),
          el('dd', { class: 'par-index', 'data-value': u.index ?? '' }, u.index === null ? T.noResult : fmtPercent(u.index, 2, LANG))),
        el('div', {}, el('dt', {}, T.unitBand), el('dd', {}, bandChip(rk.bands, u.band) || '–')),
        el('div', {}, el('dt', {}, T.unitChange), el('dd', {}, u.change ? changeCell(u.change) : '–'))));
      box.append(table(T.componentsCaption,
        [{ label: T.code }, { label: T.content }, { label: T.points, num: true }, { label: T.maxPoints, num: true }, { label: T.index, num: true }],
        u.components.map((c) => [c.code, c.title, c.points === null ? '–' : fmtNumber(c.points, 2, LANG),
          fmtNumber(c.max_points, 2, LANG), c.index === null ? '–' : fmtPercent(c.index, 2, LANG)]),
        'components'));
    }
    if (!rk.units.length) return box;
  } else if (avg && avg.n) {
    box.append(el('p', { class: 'kpi' },
      `${T.average(fmtCount(avg.n, LANG))}: `,
      el('strong', { class: 'par-average', 'data-value': avg.mean }, fmtPercent(avg.mean, 2, LANG)),
      ` (${T.medianRange(fmtNumber(avg.median, 2, LANG), fmtNumber(avg.min, 2, LANG), fmtNumber(avg.max, 2, LANG))}).`));
  }

  const ranked = rk.units.filter((u) => u.index !== null);
  if (ranked.length && chartsAvailable()) {
    const c = chartBox('bars');
    box.append(c);
    unitBars(c, T.barChart(fw.title || fw.code), ranked, unitView ? null : avg && avg.mean, LANG, T.averageLine);
  }
  const sipasByCode = new Map((sipasUnits || []).map((u) => [u.code, u]));
  const cols = [{ label: T.position }, { label: T.unit }, { label: T.index, num: true }, { label: T.band }, { label: T.change, num: true }];
  if (sipasUnits) cols.push({ label: T.satisfaction, num: true });
  const rows = rk.units.map((u) => {
    const s = sipasByCode.get(u.code);
    const cells = [
      u.position || (u.unranked ? T.unranked : '–'),
      el('a', { href: unitHref(period, u.code) }, u.name || u.code),
      u.index === null ? T.noResult : fmtPercent(u.index, 2, LANG),
      bandChip(rk.bands, u.band),
      changeCell(u.change),
    ];
    if (sipasUnits) cells.push(s ? fmtPercent(s.index, 2, LANG) : '–');
    return cells;
  });
  box.append(table(unitView ? T.childrenCaption(unitName) : T.rankingCaption(fw.title || fw.code, rk.previous_period),
    cols, rows, 'ranking'));
  return box;
}

// --- SIPAS -------------------------------------------------------------

function sipasBlocks(s, period, unitView) {
  const conf = fmtPercent(s.confidence * 100, 0, LANG);
  const o = s.overall;
  const n = $('sipas-n');
  n.textContent = fmtCount(s.n, LANG);
  n.dataset.value = String(s.n);
  const ov = $('sipas-overall');
  ov.textContent = fmtPercent(o.index, 2, LANG);
  ov.dataset.value = o.index === null ? '' : String(o.index);
  $('sipas-ci').textContent = `${fmtInterval(o.ci_lo, o.ci_hi, 2, LANG)} (${conf})`;
  const ch = o.change;
  $('sipas-change').replaceChildren(...(ch
    ? [fmtSigned(ch.diff, 2, LANG), el('span', { class: 'sub' }, ch.significant ? T.significant : T.notSignificant)]
    : ['–']));
  $('sipas-note').textContent = T.sipasNote(s.wave.code, s.questionnaire.title || s.questionnaire.code,
    fmtCount(s.respondents, LANG)) + (o.flags.length ? ` ${flagsText(o.flags)}.` : '');

  const out = $('sipas-blocks');
  out.replaceChildren();

  const eb = el('div', { class: 'block' }, el('h3', {}, T.elements));
  if (s.elements.length && chartsAvailable()) {
    const c = chartBox('elements');
    eb.append(c);
    elementBars(c, T.elementChart, s.elements, s.target, LANG);
  }
  eb.append(table(T.elementsCaption(conf),
    [{ label: T.element }, { label: T.index, num: true }, { label: T.interval, num: true }, { label: T.respondentsCol, num: true }, { label: T.change, num: true }],
    s.elements.map((e) => [`${e.code} ${name(e)}`, fmtPercent(e.index, 2, LANG), fmtInterval(e.ci_lo, e.ci_hi, 2, LANG),
      fmtCount(e.n, LANG), e.change ? fmtSigned(e.change.diff, 2, LANG) : '–']),
    'elements'));
  out.append(eb);

  const ib = el('div', { class: 'block' }, el('h3', {}, T.items));
  ib.append(table(T.itemsCaption,
    [{ label: T.item }, { label: T.element }, { label: T.index, num: true }, { label: T.interval, num: true }, { label: T.respondentsCol, num: true }, { label: T.fixFirst }],
    s.items.map((it) => [
      `${it.code} ${(LANG === 'en' && it.text_en) ? it.text_en : it.text}`,
      it.element || '',
      fmtPercent(it.index, 2, LANG),
      fmtInterval(it.ci_lo, it.ci_hi, 2, LANG),
      fmtCount(it.n, LANG),
      it.fix_first ? el('span', { class: 'fix', title: T.fixFirst, 'aria-label': T.fixFirst }, '✱') : (it.flags.length ? flagsText(it.flags) : ''),
    ]),
    'items'));
  out.append(ib);

  if (s.expectations.length) {
    const xb = el('div', { class: 'block' }, el('h3', {}, T.expectations));
    xb.append(table(T.expectationsCaption,
      [{ label: T.expectation }, { label: T.share, num: true }, { label: T.respondentsCol, num: true }],
      s.expectations.map((x) => [(LANG === 'en' && x.label_en) ? x.label_en : (x.label || x.choice),
        fmtPercent(x.share, 2, LANG), fmtCount(x.n, LANG)]),
      'expectations'));
    out.append(xb);
  }

  if (s.units.length) {
    const ub = el('div', { class: 'block' });
    ub.append(table(T.unitsCaption,
      [{ label: T.unit }, { label: T.index, num: true }, { label: T.interval, num: true }, { label: T.respondentsCol, num: true }],
      s.units.map((u) => [el('a', { href: unitHref(period, u.code) }, u.name || u.code), fmtPercent(u.index, 2, LANG),
        fmtInterval(u.ci_lo, u.ci_hi, 2, LANG), fmtCount(u.n, LANG)]),
      'sipas-units'));
    out.append(ub);
  }
  $('sipas').hidden = false;
}

// --- Trend -------------------------------------------------------------

async function trend(unit) {
  const t = await api(unit ? `/api/v1/trend?unit=${encodeURIComponent(unit)}` : '/api/v1/trend');
  const periods = t.periods.map((p) => p.code);
  if (periods.length < 1) return;
  const frameworks = [];
  for (const p of t.periods) for (const f of p.par) if (!frameworks.some((x) => x.code === f.framework)) frameworks.push({ code: f.framework, title: f.title });
  const series = frameworks.map((f) => ({
    name: T.parSeries(f.code),
    values: t.periods.map((p) => { const x = p.par.find((y) => y.framework === f.code); return x && x.index !== null ? x.index : null; }),
  }));
  series.push({ name: T.sipasSeries, values: t.periods.map((p) => (p.sipas ? p.sipas.index : null)) });
  const out = $('trend-blocks');
  out.replaceChildren();
  if (chartsAvailable()) {
    const c = chartBox('trend');
    out.append(c);
    trendLines(c, T.trendChart, periods, series, LANG);
  }
  out.append(table(T.trendCaption,
    [{ label: T.period }, ...series.map((s) => ({ label: s.name, num: true }))],
    t.periods.map((p, i) => [el('a', { href: unit ? unitHref(p.code, unit) : periodHref(p.code) }, p.code),
      ...series.map((s) => fmtPercent(s.values[i], 2, LANG))]),
    'trend'));
  $('trend').hidden = false;
}

// --- Views -------------------------------------------------------------

async function viewIndex() {
  $('title').textContent = T.publicResults;
  const d = await api('/api/v1/dashboards');
  const list = $('period-list');
  list.replaceChildren();
  for (const p of d.periods.slice().reverse()) {
    const parts = [];
    if (p.frameworks.length) parts.push(p.frameworks.map((f) => f.title || f.code).join(', '));
    if (p.wave) parts.push(`${T.wave} ${p.wave.code}: ${fmtCount(p.wave.responses, LANG)} ${T.responses}`);
    list.append(el('li', {}, el('a', { href: periodHref(p.code) }, T.periodTitle(p.code)),
      ` (${fmtDate(p.starts, LANG)} – ${fmtDate(p.ends, LANG)})`, parts.length ? ` — ${parts.join('; ')}` : ''));
  }
  $('periods').hidden = false;
  if (!d.periods.length) {
    showStatus(T.noPublic);
    return;
  }
  showStatus('');
  await trend(null);
}

function crumbs(items) {
  const nav = $('crumbs');
  nav.replaceChildren(el('ol', {}, ...items.map((it, i) =>
    el('li', {}, i === items.length - 1 ? el('span', { 'aria-current': 'page' }, it.label) : el('a', { href: it.href }, it.label)))));
  nav.hidden = false;
}

async function viewPeriod(period, unit) {
  const q = unit ? `?unit=${encodeURIComponent(unit)}` : '';
  const d = await api(`/api/v1/dashboards/${encodeURIComponent(period)}${q}`);
  const trail = [{ label: T.publicResults, href: href('/d/') }, { label: T.periodTitle(d.period.code), href: periodHref(d.period.code) }];
  if (d.unit) {
    for (const a of d.unit.ancestors) trail.push({ label: a.name, href: unitHref(d.period.code, a.code) });
    trail.push({ label: d.unit.name });
    $('title').textContent = d.unit.name;
    document.title = `${d.unit.name} — ${T.periodTitle(d.period.code)}`;
  } else {
    $('title').textContent = T.periodTitle(d.period.code);
    document.title = `${T.periodTitle(d.period.code)} — chiso`;
  }
  crumbs(trail);

  const parOut = $('par-blocks');
  parOut.replaceChildren();
  const sipasUnits = d.sipas ? d.sipas.units : null;
  for (const rk of d.par) parOut.append(parBlock(rk, d.period.code, sipasUnits, Boolean(d.unit), d.unit && d.unit.name));
  if (!d.par.length) parOut.append(el('p', { class: 'note' }, T.noPar));
  $('par').hidden = false;

  if (d.sipas) {
    sipasBlocks(d.sipas, d.period.code, Boolean(d.unit));
  } else {
    $('sipas-blocks').replaceChildren(el('p', { class: 'note' }, d.unit ? T.unitNoSipas : T.noSipas));
    $('sipas-n').textContent = '0';
    $('sipas-n').dataset.value = '0';
    $('sipas').hidden = false;
  }
  showStatus('');
  await trend(d.unit ? d.unit.code : null);
}

// /d/, /d/PERIOD, /d/PERIOD/unit/CODE.
function route() {
  const parts = location.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] !== 'd' || parts.length === 1) return { view: 'index' };
  if (parts.length === 2) return { view: 'period', period: parts[1] };
  if (parts.length === 4 && parts[2] === 'unit') return { view: 'unit', period: parts[1], unit: parts[3] };
  return { view: 'index' };
}

async function main() {
  const sw = $('lang-switch');
  sw.href = `${location.pathname}?lang=${LANG === 'en' ? 'vi' : 'en'}`;
  showStatus(T.loading);
  if (!chartsAvailable()) $('main').append(el('p', { class: 'note' }, T.chartsMissing));
  const r = route();
  try {
    if (r.view === 'index') await viewIndex();
    else await viewPeriod(r.period, r.view === 'unit' ? r.unit : null);
    document.body.dataset.state = 'ready';
  } catch (e) {
    showStatus(e.status === 404 && r.view !== 'index' ? `${T.notPublic} ${e.message}` : `${T.loadFailed}: ${e.message}`, true);
    if (r.view !== 'index') $('main').append(el('p', {}, el('a', { href: href('/d/') }, T.backToList)));
    document.body.dataset.state = 'error';
  }
}

main();
