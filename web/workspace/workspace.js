// The staff workspace (/w/): sign-in, then by role a unit officer's
// self-assessment of its unit (scores, notes, evidence, submission, answers
// to explanation requests), the appraisal council's queue and appraisal
// (appraised scores with reasons, explanation requests, approval), the
// administration (rounds with deadlines, late submissions, progress,
// publication, imports, accounts) and the survey team's pages. Views are
// chosen by the URL's fragment (#/a/PERIOD/UNIT, #/admin, #/survey) and drawn
// from the JSON API; text goes in with textContent only.
//
// Stable hooks for tests: <body data-state> is "ready" once a view is drawn
// ("busy" while a change is sent), #status says what happened, #state
// carries data-state with the assessment's workflow state, each criterion is
// a section[data-node], and the buttons that move the workflow carry
// data-to.

import { LANG, T } from './i18n.js';
import { call, qs, setCsrf } from './api.js';
import { fmtDate, fmtTrim } from '../dashboard/fmt.js';
import { viewSurvey } from './survey.js';

const $ = (id) => document.getElementById(id);
let me = null;

// el('td', {class: 'num'}, 'text', child...): an element with attributes and children.
export function el(tag, attrs, ...children) {
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

export function status(text, kind) {
  const s = $('status');
  s.textContent = text || '';
  s.className = `status${kind ? ` ${kind}` : ''}`;
  s.hidden = !text;
}

export function ready() {
  document.body.dataset.state = 'ready';
}

function busy() {
  document.body.dataset.state = 'busy';
}

// Runs a change: the status says so, a failure is shown with its field.
export async function change(what, fn) {
  busy();
  status(T.saving);
  try {
    const r = await fn();
    status(what, 'ok');
    return r;
  } catch (e) {
    status(e.field ? `${e.message}` : e.message, 'error');
    throw e;
  } finally {
    ready();
  }
}

export function title(text) {
  $('title').textContent = text;
  document.title = `${text} — chiso`;
}

export function table(caption, cols, rows, cls) {
  const head = el('tr', {}, ...cols.map((c) => el('th', { scope: 'col', class: c.num ? 'num' : null }, c.label || c)));
  const body = rows.map((r) => el('tr', {}, ...r.map((c, i) => (i === 0
    ? el('th', { scope: 'row' }, c)
    : el('td', { class: cols[i].num ? 'num' : null }, c)))));
  return el('div', { class: 'scroll' }, el('table', { class: cls }, el('caption', {}, caption), el('thead', {}, head), el('tbody', {}, ...body)));
}

// A labelled field: {id, label, input}.
export function field(id, label, input, hint) {
  input.id = id;
  const p = el('p', {}, el('label', { for: id }, label), input);
  if (hint) {
    const h = el('span', { id: `${id}-hint`, class: 'note' }, hint);
    input.setAttribute('aria-describedby', h.id);
    p.append(h);
  }
  return p;
}

function roleName(r) {
  return T.roles[r] || r;
}

function when(iso) {
  if (!iso) return '';
  return `${fmtDate(iso.slice(0, 10), LANG)} ${iso.slice(11, 16)} UTC`;
}

function score(v) {
  if (v === null || v === undefined) return T.noScore;
  if (v === 'na') return T.na;
  return fmtTrim(v, 2, LANG);
}

// The text of a score in an input: "8,5" in Vietnamese, "8.5" in English.
function scoreInput(v) {
  if (v === null || v === undefined) return '';
  if (v === 'na') return 'na';
  const s = String(v);
  return LANG === 'vi' ? s.replace('.', ',') : s;
}

// What a person typed as a score: null for nothing, "na", or a number.
function parseScore(text) {
  const t = text.trim();
  if (t === '') return null;
  if (/^(na|n\/a|kad|không áp dụng)$/i.test(t)) return 'na';
  if (/^[0-9]+([.,][0-9]+)?$/.test(t)) return Number(t.replace(',', '.'));
  throw new Error(T.badScore(t));
}

function sameScore(a, b) {
  return (a ?? null) === (b ?? null);
}

// ---- Start ----

function showLogin() {
  me = null;
  title(T.signIn);
  $('login').hidden = false;
  $('view').replaceChildren();
  $('who').hidden = true;
  $('logout').hidden = true;
  status(T.signInPrompt);
  ready();
  $('login-name').focus();
}

function signedIn(s) {
  me = s;
  setCsrf(s.csrf);
  $('login').hidden = true;
  $('who').textContent = T.signedInAs(s.name || s.login, roleName(s.role));
  $('who').hidden = false;
  $('logout').hidden = false;
  route();
}

async function login(ev) {
  ev.preventDefault();
  busy();
  try {
    const s = await call('POST', '/api/v1/session', { login: $('login-name').value.trim(), password: $('login-password').value });
    $('login-password').value = '';
    signedIn(s);
  } catch (e) {
    status(e.message, 'error');
    ready();
  }
}

async function logout() {
  try {
    await call('DELETE', '/api/v1/session');
  } catch (e) {
    // The session may have ended already: sign-in is shown either way.
  }
  location.hash = '';
  showLogin();
  status(T.signedOut, 'ok');
}

let routeSeq = 0;

async function route() {
  if (!me) return;
  const seq = ++routeSeq;
  const parts = location.hash.replace(/^#\/?/, '').split('?')[0].split('/').filter((p) => p).map(decodeURIComponent);
  const lang = LANG === 'en' ? 'vi' : 'en';
  $('lang-switch').setAttribute('href', `?lang=${lang}${location.hash}`);
  document.body.dataset.state = 'loading';
  status(T.loading);
  // A fresh container: a view still drawing for an earlier route writes
  // into the old one, out of the page.
  const fresh = el('div', { id: 'view' });
  $('view').replaceWith(fresh);
  try {
    if (parts[0] === 'a' && parts.length === 3) await viewAssessment(parts[1], parts[2]);
    else if (parts[0] === 'admin' && me.role === 'admin') await viewAdmin();
    else if (parts[0] === 'survey' && (me.role === 'admin' || me.role === 'surveyor')) await viewSurvey($('view'), me);
    else await viewHome(parts[0] === 'p' ? parts[1] : null);
  } catch (e) {
    if (seq !== routeSeq) return;
    if (e.status === 401) {
      showLogin();
      return;
    }
    status(e.message, 'error');
    document.body.dataset.state = 'error';
    return;
  }
  // Only the latest route says the page is ready.
  if (seq !== routeSeq) return;
  ready();
  $('main').focus();
}

// ---- Home: choose a period and a unit, or the council's queue ----

async function periodSelect(chosen) {
  const { periods } = await call('GET', '/api/v1/periods');
  const sel = el('select', { name: 'period' });
  for (const p of periods) sel.append(el('option', { value: p.code }, p.code));
  sel.value = chosen && periods.some((p) => p.code === chosen) ? chosen : (periods.length ? periods[periods.length - 1].code : '');
  return sel;
}

async function viewHome(chosen) {
  title(T.home);
  const view = $('view');
  view.replaceChildren();
  if (me.role === 'surveyor') {
    view.append(el('p', {}, el('a', { href: '#/survey', id: 'go-survey' }, T.surveyTeam)));
    status('');
    return;
  }
  const psel = await periodSelect(chosen);
  const form = el('form', { class: 'form', id: 'choose' }, field('period', T.period, psel));
  view.append(form);
  if (me.role === 'unit_officer') {
    let usel = null;
    if (me.subtree) {
      const { units } = await call('GET', `/api/v1/units?${qs({ format: 'tree', parent: me.unit })}`);
      usel = el('select', { name: 'unit' });
      const walk = (list, depth) => {
        for (const u of list) {
          usel.append(el('option', { value: u.code }, `${'  '.repeat(depth)}${u.name} (${u.code})`));
          walk(u.children || [], depth + 1);
        }
      };
      walk(units, 0);
      form.append(field('unit', T.chooseUnit, usel));
    } else {
      form.append(el('p', {}, `${T.myUnit}: `, el('strong', {}, me.unit)));
    }
    form.append(el('p', {}, el('button', { type: 'submit', id: 'open' }, T.open)));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      location.hash = `#/a/${encodeURIComponent(psel.value)}/${encodeURIComponent(usel ? usel.value : me.unit)}`;
    });
    status('');
    return;
  }
  psel.addEventListener('change', () => {
    location.hash = `#/p/${encodeURIComponent(psel.value)}`;
  });
  if (me.role === 'admin') view.append(el('p', {}, el('a', { href: '#/admin', id: 'go-admin' }, T.rounds), ' · ', el('a', { href: '#/survey', id: 'go-survey' }, T.surveyTeam)));
  const box = el('section', { 'aria-labelledby': 'progress-h' }, el('h2', { id: 'progress-h' }, T.progress));
  view.append(box);
  await progress(box, psel.value);
  status('');
}

async function progress(box, period) {
  let p;
  try {
    p = await call('GET', `/api/v1/progress?${qs({ period })}`);
  } catch (e) {
    if (e.status !== 404) throw e;
    box.append(el('p', {}, T.noRound));
    return;
  }
  const link = (code) => el('a', { href: `#/a/${encodeURIComponent(period)}/${encodeURIComponent(code)}` }, code);
  const list = (label, codes, id) => el('p', { id }, `${label}: `, ...(codes.length ? codes.flatMap((c, i) => (i ? [', ', link(c)] : [link(c)])) : [T.none]));
  box.append(list(T.queue, p.appraisal_pending, 'queue'), list(T.notSubmitted, p.not_submitted, 'not-submitted'));
  box.append(table(`${T.progress} ${p.period} (${p.framework})`,
    [T.unit, T.state, { label: T.selfScores, num: true }, { label: T.appraisedScores, num: true }, { label: T.openQuestions, num: true }],
    p.units.map((u) => [el('a', { href: `#/a/${encodeURIComponent(period)}/${encodeURIComponent(u.unit)}` }, `${u.name} (${u.unit})`),
      el('span', { class: p.appraisal_pending.includes(u.unit) ? 'pending' : null, 'data-state': u.state }, T.states[u.state] || u.state),
      String(u.self_scores), String(u.appraised_scores), String(u.open_questions)]),
    'progress'));
}

// ---- One unit's assessment ----

function historyTable(rows) {
  return table(T.history(rows.length), T.historyCols,
    rows.map((h) => [when(h.at), h.actor, T.fields[h.field] || h.field, h.old ?? '', h.new ?? '', h.reason ?? '']), 'history');
}

function criterion(n, a, inputs) {
  const act = a.actions;
  const sec = el('section', { class: 'crit', 'data-node': n.code, 'aria-labelledby': `h-${n.code}` });
  sec.append(el('h3', { id: `h-${n.code}` }, `${n.code}. ${n.title}`));
  sec.append(el('p', {}, el('span', { class: 'max' }, T.max(fmtTrim(n.max, 2, LANG))), n.rule ? ' · ' : '',
    n.rule ? el('span', { class: 'rule' }, T.rule(n.rule + (Object.keys(n.params).length ? ` (${Object.entries(n.params).map(([k, v]) => `${k} ${v}`).join(', ')})` : ''))) : ''));
  const sides = el('div', { class: 'sides' });
  const idp = n.code.replace(/[^A-Za-z0-9_-]/g, '_');
  const rec = { node: n, self: null, note: null, appraised: null, reason: null, question: null, answers: [] };

  const self = el('div', { class: 'side' }, el('h4', {}, T.selfSide));
  if (act.edit_self && n.entry) {
    rec.self = el('input', { name: 'self', class: 'score', inputmode: 'decimal', autocomplete: 'off' });
    rec.self.value = scoreInput(n.self);
    rec.note = el('textarea', { name: 'note', rows: 2 });
    rec.note.value = n.note || '';
    self.append(field(`self-${idp}`, T.selfScore, rec.self, T.scoreHint), field(`note-${idp}`, T.note, rec.note));
  } else {
    self.append(el('p', {}, `${T.selfScore}: `, el('span', { class: 'value self-value' }, score(n.self))));
    if (n.note) self.append(el('p', { class: 'note-value' }, n.note));
  }
  const files = el('ul', { class: 'files' }, ...n.evidence.map((e) => el('li', {}, el('a', { href: e.url, download: e.name }, e.name),
    ` (${fmtTrim(e.size / 1024, 1, LANG)} KB, ${e.uploaded_by})`)));
  self.append(el('p', {}, el('strong', {}, T.evidence)), n.evidence.length ? files : el('p', {}, T.noEvidence));
  if (act.upload) {
    const f = el('input', { type: 'file', name: 'evidence', accept: '.pdf,.png,.jpg,.jpeg,.gif,.webp,.docx,.xlsx,.pptx,.odt,.ods,.odp,.doc,.xls,.ppt' });
    f.addEventListener('change', async () => {
      const file = f.files[0];
      if (!file) return;
      try {
        await change(T.uploaded(file.name), () => call('POST', `/api/v1/evidence?${qs({ period: a.period.code, unit: a.unit.code, framework: a.framework.code, node: n.code, name: file.name })}`, file, file.type));
        await reload(a);
      } catch (e) {
        // Shown in the status.
      }
    });
    self.append(field(`evidence-${idp}`, T.addEvidence, f));
  }
  sides.append(self);

  const council = el('div', { class: 'side' }, el('h4', {}, T.councilSide));
  if (act.edit_appraisal && n.entry) {
    rec.appraised = el('input', { name: 'appraised', class: 'score', inputmode: 'decimal', autocomplete: 'off' });
    rec.appraised.value = scoreInput(n.appraised);
    rec.reason = el('textarea', { name: 'reason', rows: 2 });
    rec.reason.value = n.reason || '';
    council.append(field(`appraised-${idp}`, T.appraisedScore, rec.appraised, T.scoreHint), field(`reason-${idp}`, T.reason, rec.reason));
  } else {
    council.append(el('p', {}, `${T.appraisedScore}: `, el('span', { class: 'value appraised-value' }, score(n.appraised))));
    if (n.reason) council.append(el('p', { class: 'reason-value' }, `${T.reasonShown}: ${n.reason}`));
  }
  sides.append(council);
  sec.append(sides);

  if (n.explanations.length || (act.ask && n.entry)) {
    const box = el('div', { class: 'explain' }, el('h4', {}, T.explanations));
    const ul = el('ul', { class: 'questions' });
    for (const q of n.explanations) {
      const li = el('li', { 'data-question': q.id }, el('p', { class: 'question' }, q.question, ' — ', el('em', {}, T.askedBy(q.asked_by, when(q.asked_at)))));
      if (act.answer) {
        const ta = el('textarea', { name: 'answer', 'data-id': q.id, rows: 2 });
        ta.value = q.answer || '';
        rec.answers.push({ id: q.id, input: ta, old: q.answer || '' });
        li.append(field(`answer-${q.id}`, T.answer, ta));
      } else {
        li.append(el('p', { class: 'answer' }, q.answer ? `${T.answer}: ${q.answer}` : T.noAnswer));
      }
      ul.append(li);
    }
    box.append(ul);
    if (act.ask && n.entry) {
      rec.question = el('textarea', { name: 'question', rows: 2 });
      box.append(field(`question-${idp}`, T.ask, rec.question));
    }
    sec.append(box);
  }
  if (n.history.length) sec.append(el('details', { class: 'hist' }, el('summary', {}, T.history(n.history.length)), historyTable(n.history)));
  inputs.push(rec);
  return sec;
}

// What the inputs changed, as the PUT body's members.
function collect(inputs) {
  const scores = [];
  const questions = [];
  const answers = [];
  for (const r of inputs) {
    const n = r.node;
    const s = { node: n.code };
    if (r.self) {
      const v = parseScore(r.self.value);
      if (!sameScore(v, n.self)) s.self = v;
      const note = r.note.value.trim();
      if (note !== (n.note || '')) s.note = note || null;
    }
    if (r.appraised) {
      const v = parseScore(r.appraised.value);
      const reason = r.reason.value.trim();
      if (!sameScore(v, n.appraised) || reason !== (n.reason || '')) {
        s.appraised = v;
        s.reason = reason || null;
      }
    }
    if (Object.keys(s).length > 1) scores.push(s);
    if (r.question && r.question.value.trim()) questions.push({ node: n.code, question: r.question.value.trim() });
    for (const a of r.answers) if (a.input.value.trim() && a.input.value.trim() !== a.old) answers.push({ id: a.id, answer: a.input.value.trim() });
  }
  const body = {};
  if (scores.length) body.scores = scores;
  if (questions.length) body.questions = questions;
  if (answers.length) body.answers = answers;
  return body;
}

async function reload(a) {
  await viewAssessment(a.period.code, a.unit.code, true);
  ready();
}

async function viewAssessment(period, unit, keepStatus) {
  // Taken before waiting: a later route replaces the container.
  const view = $('view');
  const a = await call('GET', `/api/v1/assessments?${qs({ period, unit })}`);
  if (!view.isConnected) return;
  title(`${a.unit.name} (${a.unit.code}) — ${a.period.code}`);
  const inputs = [];
  view.replaceChildren();
  view.append(el('p', {}, el('a', { href: '#/' }, T.back)));
  const r = a.round;
  view.append(el('dl', { class: 'facts' },
    el('div', {}, el('dt', {}, T.state), el('dd', { id: 'state', 'data-state': a.state }, T.states[a.state] || a.state)),
    el('div', {}, el('dt', {}, T.framework), el('dd', {}, `${a.framework.title} (${a.framework.code} ${a.framework.version})`)),
    el('div', {}, el('dt', {}, T.deadline), el('dd', { id: 'deadline' }, r && r.deadline ? when(r.deadline) : T.noDeadline,
      r && r.reopened_until ? ` (${T.reopened(when(r.reopened_until))})` : ''))));
  if (r && r.why) view.append(el('p', { class: 'status error', id: 'why' }, r.why));
  for (const n of a.nodes) {
    if (!n.leaf) view.append(el('h2', { class: 'area' }, `${n.code}. ${n.title} (${T.max(fmtTrim(n.max, 2, LANG))})`));
    else view.append(criterion(n, a, inputs));
  }
  if (a.history.length) {
    view.append(el('details', { class: 'hist' }, el('summary', {}, T.stateHistory), historyTable(a.history)));
  }
  const act = a.actions;
  const editable = act.edit_self || act.edit_appraisal || act.ask || act.answer;
  if (editable || act.transitions.length) {
    const bar = el('section', { class: 'actions', 'aria-labelledby': 'actions-h' }, el('h2', { id: 'actions-h', class: 'area' }, T.actions));
    const buttons = el('div', { class: 'buttons' });
    let reason = null;
    if (act.transitions.some((t) => t.reason_required) || act.transitions.length) {
      reason = el('input', { name: 'transition-reason' });
      bar.append(field('transition-reason', T.transitionReason, reason));
    }
    const send = async (to) => {
      let body;
      try {
        body = collect(inputs);
      } catch (e) {
        status(e.message, 'error');
        return;
      }
      if (to) {
        body.to = to;
        if (reason && reason.value.trim()) body.reason = reason.value.trim();
      }
      if (!Object.keys(body).length) {
        status(T.nothingToSave);
        return;
      }
      try {
        const res = await change(T.saved, () => call('PUT', `/api/v1/assessments?${qs({ period: a.period.code, unit: a.unit.code, framework: a.framework.code })}`, body));
        await reload(a);
        status(`${T.saved} ${T.state}: ${T.states[res.state] || res.state}.`, 'ok');
      } catch (e) {
        // Shown in the status.
      }
    };
    if (editable) {
      const save = el('button', { type: 'button', id: 'save' }, T.save);
      save.addEventListener('click', () => send(null));
      buttons.append(save);
    }
    for (const t of act.transitions) {
      const b = el('button', { type: 'button', class: 'secondary', 'data-to': t.to }, T.toLabels[t.to] || t.to);
      b.addEventListener('click', () => send(t.to));
      buttons.append(b);
    }
    bar.append(buttons);
    view.append(bar);
  }
  if (!keepStatus) status('');
}

// ---- Administration ----

async function fileText(input) {
  const f = input.files[0];
  return f ? f.text() : '';
}

async function viewAdmin() {
  title(T.rounds);
  const view = $('view');
  view.replaceChildren(el('p', {}, el('a', { href: '#/' }, T.back)));
  const [{ rounds }, { frameworks }] = await Promise.all([call('GET', '/api/v1/rounds'), call('GET', '/api/v1/frameworks')]);
  view.append(table(T.rounds, [T.period, T.framework, T.deadline, T.closed],
    rounds.map((r) => [r.period, r.framework, r.deadline ? when(r.deadline) : T.noDeadline, r.closed ? T.yes : '']), 'rounds'));

  // Open or change a round.
  const psel = await periodSelect();
  const fsel = el('select', { name: 'framework' });
  for (const f of frameworks) fsel.append(el('option', { value: f.code }, `${f.title} (${f.code} ${f.version})`));
  const dl = el('input', { type: 'date', name: 'deadline' });
  const closed = el('input', { type: 'checkbox', name: 'closed' });
  const units = el('textarea', { name: 'units', rows: 3 });
  const rform = el('form', { class: 'form', id: 'round-form', 'aria-labelledby': 'round-h' }, el('h2', { id: 'round-h' }, T.roundForm),
    field('round-period', T.period, psel), field('round-framework', T.framework, fsel), field('round-deadline', T.deadline, dl),
    el('p', {}, closed, ' ', el('label', { for: 'round-closed', class: 'inline' }, T.closed)), field('round-units', T.unitsToAdd, units),
    el('p', {}, el('button', { type: 'submit', id: 'round-save' }, T.saveRound)));
  closed.id = 'round-closed';
  rform.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const body = { closed: closed.checked, deadline: dl.value || null };
    const codes = units.value.split(/[\s,;]+/).filter((c) => c);
    if (codes.length) body.units = codes;
    try {
      await change(T.saved, () => call('PUT', `/api/v1/rounds?${qs({ period: psel.value, framework: fsel.value })}`, body));
      await viewAdmin();
      status(T.saved, 'ok');
    } catch (e) {
      // Shown in the status.
    }
  });
  view.append(rform);

  // A late unit.
  const rp = await periodSelect();
  const ru = el('input', { name: 'unit' });
  const until = el('input', { type: 'date', name: 'until' });
  const why = el('input', { name: 'reason' });
  const reform = el('form', { class: 'form', id: 'reopen-form', 'aria-labelledby': 'reopen-h' }, el('h2', { id: 'reopen-h' }, T.reopen),
    field('reopen-period', T.period, rp), field('reopen-unit', T.unit, ru), field('reopen-until', T.until, until), field('reopen-reason', T.reopenReason, why),
    el('p', {}, el('button', { type: 'submit' }, T.reopenButton)));
  reform.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const fw = (rounds.find((r) => r.period === rp.value) || {}).framework || fsel.value;
    try {
      await change(T.saved, () => call('POST', `/api/v1/rounds/reopen?${qs({ period: rp.value, framework: fw })}`, { unit: ru.value.trim(), until: until.value, reason: why.value.trim() }));
    } catch (e) {
      // Shown in the status.
    }
  });
  view.append(reform);

  // Publication.
  const pp = await periodSelect();
  const pub = el('input', { type: 'checkbox', name: 'public', checked: true });
  const pform = el('form', { class: 'form', id: 'publish-form', 'aria-labelledby': 'publish-h' }, el('h2', { id: 'publish-h' }, T.publish),
    field('publish-period', T.period, pp), el('p', {}, pub, ' ', el('label', { for: 'publish-public', class: 'inline' }, T.makePublic)),
    el('p', {}, el('button', { type: 'submit', id: 'publish' }, T.publishButton)));
  pub.id = 'publish-public';
  pform.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      const r = await change(T.saved, () => call('POST', `/api/v1/publish?${qs({ period: pp.value })}`, { public: pub.checked }));
      status(T.published(r.period, r.units), 'ok');
    } catch (e) {
      // Shown in the status.
    }
  });
  view.append(pform);

  // Imports.
  const uf = el('input', { type: 'file', name: 'units-file', accept: '.csv,text/csv' });
  const ff = el('input', { type: 'file', name: 'framework-file', accept: '.json,application/json' });
  const iform = el('section', { 'aria-labelledby': 'imports-h' }, el('h2', { id: 'imports-h' }, T.imports),
    field('import-units', T.importUnits, uf), field('import-framework', T.importFramework, ff));
  uf.addEventListener('change', async () => {
    try {
      const r = await change(T.importDone, async () => call('POST', '/api/v1/import/units', await fileText(uf), 'text/csv'));
      status(`${T.importDone} +${r.added} / ~${r.changed} / =${r.unchanged}`, 'ok');
    } catch (e) {
      // Shown in the status.
    }
  });
  ff.addEventListener('change', async () => {
    try {
      const r = await change(T.importDone, async () => call('POST', '/api/v1/import/frameworks', await fileText(ff), 'application/json'));
      status(`${T.importDone} ${r.code} ${r.version} (${r.nodes})`, 'ok');
    } catch (e) {
      // Shown in the status.
    }
  });
  view.append(iform);

  const { users } = await call('GET', '/api/v1/users');
  view.append(el('section', { 'aria-labelledby': 'users-h' }, el('h2', { id: 'users-h' }, T.users),
    table(T.users, T.usersCols, users.map((u) => [u.login, u.name, roleName(u.role), u.unit || '', u.disabled ? T.disabled : T.active]), 'users')));
  status('');
}

function main() {
  $('login-form').addEventListener('submit', login);
  $('logout').addEventListener('click', logout);
  window.addEventListener('hashchange', route);
  call('GET', '/api/v1/session').then(signedIn, (e) => {
    if (e.status === 401) showLogin();
    else {
      status(e.message, 'error');
      document.body.dataset.state = 'error';
    }
  });
}

main();
