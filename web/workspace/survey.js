// The survey team's pages of the workspace (#/survey): a wave's responses
// per unit against its sample plan, the plan itself, token sheets to print
// (one-time tokens with their QR codes) and the keying of paper forms with
// double entry: a second person keys the same form, the two keyings are
// compared field by field by the server, and differences are resolved here
// before the response is stored.
//
// Hooks for tests: #wave selects the wave; #keying-form keys a form (inputs
// named by item code); #keying-result says what came of it; the forms list
// is table.keyed with a button[data-resolve=FORM] per differing form; the
// resolution form is #resolve-form with a .diff row per differing field.

import { LANG, T as W } from './i18n.js';
import { call, qs } from './api.js';
import { el, change, field, ready, status, table, title } from './workspace.js';
import { fmtPercent } from '../dashboard/fmt.js';

const S = {
  vi: {
    title: 'Nhóm khảo sát', wave: 'Đợt khảo sát', progress: 'Số phiếu theo đơn vị so với kế hoạch mẫu',
    cols: ['Đơn vị', 'Kế hoạch', 'Đã thu', 'Tỷ lệ', 'Mã đã phát', 'Mã đã dùng'], total: 'Tổng',
    plan: 'Kế hoạch mẫu', planHint: 'Mỗi dòng: mã đơn vị và số phiếu cần thu, ví dụ "D1 120"; 0 để bỏ.',
    planSave: 'Lưu kế hoạch', badPlan: (l) => `Dòng "${l}": cần mã đơn vị và một số`,
    tokens: 'In phiếu mã QR', unit: 'Đơn vị', count: 'Số phiếu', expires: 'Hết hạn sau (ngày; 0: không hạn)',
    issue: 'Phát hành mã', print: 'In', sheet: 'Phiếu khảo sát', slipText: 'Quét mã QR bằng điện thoại để cho biết mức độ hài lòng. Mỗi mã dùng một lần.',
    issued: (n) => `Đã phát hành ${n} mã.`,
    keying: 'Nhập phiếu giấy (nhập hai lần)', keyingHint: 'Người thứ hai nhập lại cùng phiếu; hai lần nhập được so sánh từng ô trước khi lưu.',
    form: 'Số phiếu', key: 'Ghi nhận lần nhập', first: 'Đã ghi lần nhập thứ nhất; chờ người thứ hai nhập lại.',
    stored: 'Hai lần nhập khớp nhau: phiếu đã được lưu.', differs: 'Hai lần nhập khác nhau: cần đối chiếu phiếu gốc.',
    problem: (p) => `Hai lần nhập khớp nhau nhưng giá trị không hợp lệ: ${p}`,
    forms: 'Các phiếu đã nhập', formCols: ['Số phiếu', 'Trạng thái', 'Lần 1', 'Lần 2', 'Số ô khác nhau', ''],
    states: { waiting: 'chờ lần nhập thứ hai', differs: 'khác nhau', stored: 'đã lưu' },
    resolve: 'Đối chiếu', resolveTitle: (f) => `Đối chiếu phiếu ${f}`, resolveSave: 'Lưu giá trị đúng',
    firstSecond: (a, b) => `Lần 1: "${a}" · Lần 2: "${b}"`, resolved: 'Đã lưu phiếu sau khi đối chiếu.',
    values: { likert5: '1–5', yesno: '1 (có) hoặc 0 (không)', multi: 'các giá trị cách nhau bởi ;', number: 'số', text: 'chữ' },
  },
  en: {
    title: 'Survey team', wave: 'Survey wave', progress: 'Responses per unit against the sample plan',
    cols: ['Unit', 'Planned', 'Received', 'Rate', 'Tokens issued', 'Tokens used'], total: 'Total',
    plan: 'Sample plan', planHint: 'One line per unit: its code and the responses to collect, e.g. "D1 120"; 0 removes it.',
    planSave: 'Save the plan', badPlan: (l) => `Line "${l}": expected a unit code and a number`,
    tokens: 'Print QR token slips', unit: 'Unit', count: 'Slips', expires: 'Expire after (days; 0: never)',
    issue: 'Issue tokens', print: 'Print', sheet: 'Survey slips', slipText: 'Scan the QR code with a phone to say how satisfied you were. Each code works once.',
    issued: (n) => `Issued ${n} tokens.`,
    keying: 'Keying of paper forms (double entry)', keyingHint: 'A second person keys the same form again; the two keyings are compared field by field before the response is stored.',
    form: 'Form number', key: 'Record this keying', first: 'First keying recorded; waiting for the second person.',
    stored: 'The two keyings agree: the response is stored.', differs: 'The two keyings differ: check the paper form.',
    problem: (p) => `The two keyings agree but a value is refused: ${p}`,
    forms: 'Keyed forms', formCols: ['Form', 'State', 'First', 'Second', 'Fields that differ', ''],
    states: { waiting: 'waiting for the second keying', differs: 'differ', stored: 'stored' },
    resolve: 'Resolve', resolveTitle: (f) => `Resolve form ${f}`, resolveSave: 'Store the right values',
    firstSecond: (a, b) => `First: "${a}" · second: "${b}"`, resolved: 'The form is stored after resolution.',
    values: { likert5: '1–5', yesno: '1 (yes) or 0 (no)', multi: 'values separated by ;', number: 'a number', text: 'text' },
  },
}[LANG];

const $ = (id) => document.getElementById(id);
let questionnaire = null;

function text(o) {
  return (o && (o[LANG] || o.vi)) || '';
}

// The fields of a paper form: the unit and every item but notes.
function formFields(units, values, diffs, prefix) {
  const box = el('div', {});
  const usel = el('select', { name: 'unit' });
  for (const u of units) usel.append(el('option', { value: u.code }, `${u.name} (${u.code})`));
  if (values && values.unit) usel.value = values.unit;
  box.append(field(`${prefix}-unit`, S.unit, usel));
  for (const it of questionnaire.items) {
    if (it.type === 'note') continue;
    let input;
    if (it.type === 'single' && it.choices) {
      input = el('select', { name: it.code }, el('option', { value: '' }, '–'));
      for (const c of it.choices) input.append(el('option', { value: c.value }, `${c.value}: ${text(c.label)}`));
    } else {
      input = el('input', { name: it.code, autocomplete: 'off', inputmode: it.type === 'text' || it.type === 'multi' ? 'text' : 'numeric' });
    }
    if (values && values[it.code] !== undefined && values[it.code] !== null) {
      input.value = Array.isArray(values[it.code]) ? values[it.code].join(';') : String(values[it.code]);
    }
    const hint = S.values[it.type] || (it.choices ? it.choices.map((c) => c.value).join(', ') : '');
    const p = field(`${prefix}-${it.code}`, `${it.code}. ${text(it.text)}`, input, hint);
    const d = diffs && diffs.find((x) => x.field === it.code);
    if (d) {
      p.classList.add('diff');
      p.append(el('span', { class: 'note' }, S.firstSecond(d.first, d.second)));
    }
    box.append(p);
  }
  return box;
}

function readForm(form) {
  const answers = {};
  for (const e of form.querySelectorAll('input[name], select[name]')) {
    if (e.name === 'unit' || e.name === 'form') continue;
    if (e.value.trim() !== '') answers[e.name] = e.value.trim();
  }
  return { unit: form.querySelector('select[name="unit"]').value, answers };
}

export async function viewSurvey(view) {
  title(S.title);
  const [{ waves }, { units }] = await Promise.all([call('GET', '/api/v1/waves'), call('GET', '/api/v1/units')]);
  const wsel = el('select', { name: 'wave' });
  for (const w of waves) wsel.append(el('option', { value: w.code }, `${w.title || w.code} (${w.code}, ${w.period})`));
  const chosen = new URLSearchParams(location.hash.split('?')[1] || '').get('wave');
  if (chosen) wsel.value = chosen;
  wsel.addEventListener('change', () => {
    location.hash = `#/survey?wave=${encodeURIComponent(wsel.value)}`;
  });
  view.replaceChildren(el('p', {}, el('a', { href: '#/' }, W.back)), el('form', { class: 'form' }, field('wave', S.wave, wsel)));
  if (!waves.length) {
    status('');
    return;
  }
  const wave = waves.find((w) => w.code === wsel.value) || waves[0];
  questionnaire = await call('GET', `/api/v1/questionnaires/${encodeURIComponent(wave.questionnaire)}?${qs({ version: wave.questionnaire_version })}`);
  const p = await call('GET', `/api/v1/survey/progress?${qs({ wave: wave.code })}`);
  const pct = (r) => (r === null ? '–' : fmtPercent(r * 100, 1, LANG));
  view.append(el('section', { 'aria-labelledby': 'sp-h' }, el('h2', { id: 'sp-h' }, S.progress),
    table(`${S.progress}: ${wave.code}`, [S.cols[0], { label: S.cols[1], num: true }, { label: S.cols[2], num: true }, { label: S.cols[3], num: true }, { label: S.cols[4], num: true }, { label: S.cols[5], num: true }],
      [...p.units.map((u) => [`${u.name} (${u.unit})`, u.target ? String(u.target) : '–', String(u.responses), pct(u.rate), String(u.tokens_issued), String(u.tokens_used)]),
        [S.total, String(p.target), String(p.responses), pct(p.rate), '', '']], 'sample')));

  // The sample plan.
  const plan = el('textarea', { name: 'plan', rows: 4 });
  plan.value = p.units.filter((u) => u.target).map((u) => `${u.unit} ${u.target}`).join('\n');
  const pform = el('form', { class: 'form', id: 'plan-form', 'aria-labelledby': 'plan-h' }, el('h2', { id: 'plan-h' }, S.plan),
    field('plan', S.plan, plan, S.planHint), el('p', {}, el('button', { type: 'submit' }, S.planSave)));
  pform.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const targets = {};
    for (const line of plan.value.split('\n').map((l) => l.trim()).filter((l) => l)) {
      const m = /^(\S+)[\s,;:]+(\d+)$/.exec(line);
      if (!m) {
        status(S.badPlan(line), 'error');
        return;
      }
      targets[m[1]] = Number(m[2]);
    }
    try {
      await change(W.saved, () => call('PUT', `/api/v1/survey/plan?${qs({ wave: wave.code })}`, { targets }));
      await viewSurvey(view);
      status(W.saved, 'ok');
      ready();
    } catch (e) {
      // Shown in the status.
    }
  });
  view.append(pform);

  // Token slips.
  const tu = el('select', { name: 'unit' });
  for (const u of units) tu.append(el('option', { value: u.code }, `${u.name} (${u.code})`));
  const tc = el('input', { type: 'number', name: 'count', min: 1, max: 500, value: 10 });
  const te = el('input', { type: 'number', name: 'expires', min: 0, max: 3650, value: 30 });
  const sheet = el('section', { id: 'sheet', class: 'sheet', 'aria-labelledby': 'sheet-h', hidden: true });
  const tform = el('form', { class: 'form', id: 'tokens-form', 'aria-labelledby': 'tokens-h' }, el('h2', { id: 'tokens-h' }, S.tokens),
    field('tokens-unit', S.unit, tu), field('tokens-count', S.count, tc), field('tokens-expires', S.expires, te),
    el('p', {}, el('button', { type: 'submit', id: 'issue' }, S.issue)));
  tform.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      const r = await change(S.issued(tc.value), () => call('POST', `/api/v1/survey/tokens?${qs({ wave: wave.code })}`,
        { unit: tu.value, count: Number(tc.value), expires_days: Number(te.value) }));
      const unit = units.find((u) => u.code === r.unit);
      const printBtn = el('button', { type: 'button', class: 'secondary noprint' }, S.print);
      printBtn.addEventListener('click', () => window.print());
      sheet.replaceChildren(el('h2', { id: 'sheet-h' }, `${S.sheet}: ${unit ? unit.name : r.unit} (${r.tokens.length})`), printBtn,
        el('div', { class: 'slips' }, ...r.tokens.map((t) => el('div', { class: 'slip', 'data-token': t.token },
          el('img', { src: t.qr, alt: `QR ${t.token}`, width: 132, height: 132 }),
          el('div', {}, el('p', { class: 'slip-unit' }, unit ? unit.name : r.unit), el('p', {}, S.slipText),
            el('p', { class: 'code' }, t.token), el('p', { class: 'url' }, t.url))))));
      sheet.hidden = false;
      status(S.issued(r.tokens.length), 'ok');
    } catch (e) {
      // Shown in the status.
    }
  });
  view.append(tform, sheet);

  // Keying of paper forms.
  const kbox = el('section', { 'aria-labelledby': 'keying-h' }, el('h2', { id: 'keying-h' }, S.keying), el('p', {}, S.keyingHint));
  const fnum = el('input', { name: 'form', autocomplete: 'off' });
  const kform = el('form', { class: 'form', id: 'keying-form' }, field('keying-form-number', S.form, fnum), formFields(units, null, null, 'k'),
    el('p', {}, el('button', { type: 'submit', id: 'key' }, S.key)));
  const result = el('div', { id: 'keying-result', role: 'status', 'aria-live': 'polite' });
  kform.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    delete result.dataset.state;
    result.replaceChildren();
    const { unit, answers } = readForm(kform);
    try {
      const r = await change(W.saved, () => call('POST', `/api/v1/survey/keying?${qs({ wave: wave.code })}`, { form: fnum.value.trim(), unit, answers }));
      result.dataset.state = r.state;
      const msg = r.state === 'first' ? S.first : r.state === 'stored' ? S.stored : r.problem ? S.problem(r.problem) : S.differs;
      result.replaceChildren(el('p', { class: `status ${r.state === 'differs' ? 'error' : 'ok'}` }, msg));
      if (r.differences.length) {
        result.append(table(S.differs, [S.formCols[1], S.formCols[2], S.formCols[3]], r.differences.map((d) => [d.field, d.first, d.second]), 'differences'));
      }
      status(msg, r.state === 'differs' ? 'error' : 'ok');
      kform.reset();
      await formsList(kbox, wave, units);
    } catch (e) {
      // Shown in the status.
    }
  });
  kbox.append(kform, result);
  view.append(kbox);
  await formsList(kbox, wave, units);
  status('');
}

async function formsList(box, wave, units) {
  const { forms } = await call('GET', `/api/v1/survey/keying?${qs({ wave: wave.code })}`);
  const old = box.querySelector('.forms');
  const wrap = el('div', { class: 'forms' });
  wrap.append(table(S.forms, S.formCols, forms.map((f) => {
    let action = '';
    if (f.state === 'differs') {
      action = el('button', { type: 'button', class: 'secondary', 'data-resolve': f.form }, S.resolve);
      action.addEventListener('click', () => resolveForm(box, wave, units, f));
    }
    return [f.form, S.states[f.state] || f.state, f.first_by || '', f.second_by || '', String(f.differences.length), action];
  }), 'keyed'));
  if (old) old.replaceWith(wrap);
  else box.append(wrap);
}

function resolveForm(box, wave, units, f) {
  const old = $('resolve-form');
  if (old) old.remove();
  const form = el('form', { class: 'form', id: 'resolve-form', 'aria-labelledby': 'resolve-h' }, el('h3', { id: 'resolve-h' }, S.resolveTitle(f.form)),
    formFields(units, f.second, f.differences, `r-${f.form}`), el('p', {}, el('button', { type: 'submit', id: 'resolve-save' }, S.resolveSave)));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const { unit, answers } = readForm(form);
    try {
      await change(S.resolved, () => call('POST', `/api/v1/survey/keying/resolve?${qs({ wave: wave.code })}`, { form: f.form, unit, answers }));
      form.remove();
      await formsList(box, wave, units);
      status(S.resolved, 'ok');
    } catch (e) {
      // Shown in the status.
    }
  });
  box.append(form);
  form.querySelector('select, input').focus();
}
