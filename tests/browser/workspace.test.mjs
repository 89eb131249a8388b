// The staff workspace in headless Chromium, the whole PAR path of
// METHODOLOGY M2.9 with three people in their own browsers: the
// administrator opens a round with a deadline; a unit officer signs in,
// scores the criteria, uploads evidence and submits; the appraisal council
// adjusts a score with a reason and asks for an explanation; the officer
// explains; the council gives the final appraisal and approves; the
// administrator publishes; the public dashboard shows the published
// ranking. Then the survey team sets a sample plan, prints token slips and
// keys a paper form twice, resolving a difference. Along the way: Vietnamese by default with an English switch,
// every form field labelled, nothing refused by the Content-Security-Policy,
// and the audit trail of the criterion shown in the page. Screenshots are
// saved as artefacts.
//
// Usage: node workspace.test.mjs CHISO SRC ARTIFACTS
// Exit 0 on success, 1 on a failed check, 77 when Chromium or playwright-core
// is missing (CTest reports the test as skipped).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const [chiso, src, artifacts] = process.argv.slice(2);
if (!chiso || !src || !artifacts) {
	console.error('usage: node workspace.test.mjs CHISO SRC ARTIFACTS');
	process.exit(2);
}
const CHROMIUM = process.env.CHISO_CHROMIUM || '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) {
	console.log(`# skip: ${CHROMIUM} not found (scripts/install-deps installs chromium)`);
	process.exit(77);
}
let chromium;
try {
	const require = createRequire(join(src, 'package.json'));
	({ chromium } = require('playwright-core'));
} catch (e) {
	console.log(`# skip: playwright-core not installed (run 'npm ci' in ${src}): ${e.message}`);
	process.exit(77);
}

// ---- TAP ----
let n = 0;
let failed = 0;
function ok(cond, what, detail) {
	n++;
	if (cond) {
		console.log(`ok ${n} - ${what}`);
	} else {
		failed++;
		console.log(`not ok ${n} - ${what}`);
		if (detail !== undefined) console.log(`# ${String(detail).replace(/\n/g, '\n# ')}`);
	}
}
function eq(got, want, what) {
	ok(got === want, what, `got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
}

// ---- The database and the server ----
const tmp = mkdtempSync(join(process.env.TMPDIR || tmpdir(), 'chiso-workspace-'));
const db = join(tmp, 'ws.db');

function run(args, input) {
	return execFileSync(chiso, ['--db', db, ...args], {
		encoding: 'utf8',
		input,
		stdio: ['pipe', 'pipe', 'pipe'],
		env: { ...process.env, CHISO_LANG: 'en' },
	});
}

const FRAMEWORK = {
	format: 'chiso-par-framework',
	format_version: 1,
	code: 'ws-demo',
	version: '1',
	title: 'Bộ tiêu chí thử',
	decision: 'Thử nghiệm',
	bands: [
		{ code: 'T', label_vi: 'Tốt', label_en: 'Good', from: 80, to: 100 },
		{ code: 'K', label_vi: 'Khá', label_en: 'Fair', from: 0, to: 80 },
	],
	nodes: [
		{ code: 'A', title: 'Chỉ đạo, điều hành', max_points: 60 },
		{ code: 'A.1', parent: 'A', title: 'Ban hành kế hoạch cải cách hành chính', max_points: 30, source: 'self', rule: 'manual', params: { step: 0.5 } },
		{ code: 'A.2', parent: 'A', title: 'Báo cáo định kỳ', max_points: 30, source: 'self', rule: 'manual', params: { step: 0.5 } },
		{ code: 'B', title: 'Cải cách thủ tục hành chính', max_points: 40, source: 'self', rule: 'manual', params: { step: 1 } },
	],
};

// A short questionnaire for the survey team's keying of paper forms.
const QUESTIONNAIRE = {
	format: 'chiso-questionnaire',
	format_version: 1,
	code: 'paper',
	title: 'Phiếu giấy',
	version: '1',
	elements: [{ code: 'E1', title: { vi: 'Tiếp cận', en: 'Access' } }],
	items: [
		{ code: 'q1', element: 'E1', type: 'likert5', role: 'satisfaction', required: true, text: { vi: 'Nơi chờ đủ chỗ', en: 'Enough seats' } },
		{ code: 'q2', element: 'E1', type: 'likert5', role: 'satisfaction', text: { vi: 'Thủ tục rõ ràng', en: 'Clear procedure' } },
		{ code: 'kind', type: 'single', role: 'respondent', field: 'kind', required: true, text: { vi: 'Ông/Bà là', en: 'You are' },
		  choices: [{ value: 'citizen', label: { vi: 'Người dân', en: 'Citizen' } }, { value: 'organisation', label: { vi: 'Tổ chức', en: 'Organisation' } }] },
	],
};

function setup() {
	writeFileSync(join(tmp, 'units.csv'), 'code,name,parent,level\nP,Công an tỉnh P,,province\nD1,Công an huyện D1,P,district\nD2,Công an huyện D2,P,district\n');
	writeFileSync(join(tmp, 'fw.json'), JSON.stringify(FRAMEWORK));
	// D2 goes through the workflow on the command line: both units must be
	// approved before the period is published.
	writeFileSync(join(tmp, 'd2.csv'), 'unit,node,self,appraised,reason\nD2,A.1,20,20,\nD2,A.2,20,20,\nD2,B,20,20,\n');
	run(['init']);
	run(['unit', 'import', join(tmp, 'units.csv')]);
	run(['period', 'add', '2026']);
	run(['framework', 'import', join(tmp, 'fw.json')]);
	run(['score', 'import', join(tmp, 'd2.csv'), '--period', '2026', '--framework', 'ws-demo']);
	for (const to of ['submitted', 'appraised', 'approved'])
		run(['par', 'state', '--period', '2026', '--unit', 'D2', '--to', to]);
	run(['user', 'add', 'admin', '--role', 'admin', '--name', 'Quản trị viên'], 'admin-password-1\n');
	run(['user', 'add', 'council', '--role', 'appraiser', '--name', 'Hội đồng'], 'council-password\n');
	run(['user', 'add', 'd1', '--role', 'unit_officer', '--unit', 'D1', '--name', 'Cán bộ D1'], 'officer-password\n');
	writeFileSync(join(tmp, 'paper.json'), JSON.stringify(QUESTIONNAIRE));
	run(['survey', 'import', join(tmp, 'paper.json')]);
	run(['survey', 'wave', 'add', 'W26', '--questionnaire', 'paper', '--period', '2026', '--title', 'Đợt giấy 2026', '--mode', 'paper']);
	run(['user', 'add', 's1', '--role', 'surveyor', '--name', 'Khảo sát 1'], 'surveyor-one-pw\n');
	run(['user', 'add', 's2', '--role', 'surveyor', '--name', 'Khảo sát 2'], 'surveyor-two-pw\n');
}

// Keys paper form form on the survey page: unit and answers by item code.
async function keyForm(page, form, unit, answers) {
	await page.fill('#keying-form-number', form);
	await page.selectOption('#k-unit', unit);
	for (const [code, v] of Object.entries(answers)) {
		if (code === 'kind') await page.selectOption(`#k-${code}`, v);
		else await page.fill(`#k-${code}`, v);
	}
	// The page clears the result when the form is sent, so this waits for the new one.
	await page.click('#key');
	await page.waitForSelector('#keying-result[data-state]');
	const state = await page.getAttribute('#keying-result', 'data-state');
	await page.waitForSelector('body[data-state="ready"]');
	return state;
}

// Starts `chiso serve` on port 0; resolves with its URL once it answers.
async function startServer() {
	const proc = spawn(chiso, ['--db', db, 'serve', '--listen', '127.0.0.1:0', '--threads', '2',
				   '--no-access-log'], { stdio: ['ignore', 'pipe', 'inherit'] });
	const lines = createInterface({ input: proc.stdout });
	const first = await new Promise((resolve, reject) => {
		lines.once('line', resolve);
		proc.once('exit', (code) => reject(new Error(`chiso serve exited with ${code}`)));
	});
	const m = /^chiso: serving (http:\/\/\S+)$/.exec(first);
	if (!m) throw new Error(`chiso serve said: ${first}`);
	for (let i = 0; i < 100; i++) {
		try {
			if ((await fetch(`${m[1]}/healthz`)).ok) return { proc, url: m[1] };
		} catch {
			// not yet
		}
	}
	throw new Error('chiso serve never answered /healthz');
}

async function stopServer(proc) {
	const done = new Promise((resolve) => proc.once('exit', (code, sig) => resolve(code ?? sig)));
	proc.kill('SIGTERM');
	return done;
}

// ---- People ----

const cspErrors = [];

// A person's own browser context (cookies apart), in Vietnamese.
async function person(browser, url, name) {
	const ctx = await browser.newContext({ locale: 'vi-VN', viewport: { width: 1100, height: 900 } });
	const page = await ctx.newPage();
	page.on('console', (m) => {
		if (/Content Security Policy|Refused to/i.test(m.text())) cspErrors.push(`${name}: ${m.text()}`);
	});
	page.on('pageerror', (e) => cspErrors.push(`${name}: ${e.message}`));
	await page.goto(`${url}/w/`);
	return page;
}

async function signIn(page, login, password) {
	await page.waitForSelector('#login:not([hidden])');
	await page.fill('#login-name', login);
	await page.fill('#login-password', password);
	await page.click('#login-submit');
	await page.waitForSelector('#who:not([hidden])');
}

// Waits until the assessment shows state, after a click that changes it.
async function waitState(page, state) {
	await page.waitForSelector(`#state[data-state="${state}"]`, { timeout: 20000 });
	await page.waitForSelector('body[data-state="ready"]');
}

async function crit(page, node) {
	return page.locator(`section.crit[data-node="${node}"]`);
}

// Every visible form field has a label the screen reader says.
async function unlabelled(page) {
	return page.evaluate(() => [...document.querySelectorAll('input, select, textarea')]
		.filter((e) => e.type !== 'hidden' && !e.closest('[hidden]'))
		.filter((e) => !(e.id && document.querySelector(`label[for="${CSS.escape(e.id)}"]`)) && !e.getAttribute('aria-label'))
		.map((e) => e.outerHTML.slice(0, 80)));
}

// ---- The test ----
async function main() {
	const t0 = Date.now();
	mkdirSync(artifacts, { recursive: true });
	let browser;
	let server;
	try {
		setup();
		server = await startServer();
		const { url } = server;
		ok(true, `server at ${url}`);
		browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });

		// ---- The administrator opens a round with a deadline ----
		const admin = await person(browser, url, 'admin');
		eq(await admin.getAttribute('html', 'lang'), 'vi', 'Vietnamese by default');
		eq((await admin.textContent('#login-h')).trim(), 'Đăng nhập', 'sign-in form in Vietnamese');
		await signIn(admin, 'admin', 'admin-password-1');
		await admin.click('#go-admin');
		await admin.waitForSelector('#round-form');
		await admin.selectOption('#round-period', '2026');
		await admin.selectOption('#round-framework', 'ws-demo');
		await admin.fill('#round-deadline', '2030-12-31');
		await admin.fill('#round-units', 'D1, D2');
		await admin.click('#round-save');
		await admin.waitForSelector('table.rounds td:has-text("ws-demo")');
		ok(true, 'admin: round opened');
		eq(JSON.stringify(await unlabelled(admin)), '[]', 'admin: every field labelled');
		await admin.screenshot({ path: join(artifacts, 'workspace-admin.png'), fullPage: true });

		// ---- The unit officer self-assesses, uploads evidence, submits ----
		const officer = await person(browser, url, 'officer');
		await signIn(officer, 'd1', 'officer-password');
		await officer.click('#open');
		await waitState(officer, 'draft');
		eq((await officer.textContent('#state')).trim(), 'Đang tự đánh giá', 'officer: state in Vietnamese');
		await (await crit(officer, 'A.1')).locator('input[name="self"]').fill('25');
		await (await crit(officer, 'A.1')).locator('textarea[name="note"]').fill('Kế hoạch số 12/KH ngày 10/01');
		await (await crit(officer, 'A.2')).locator('input[name="self"]').fill('28,5');
		await (await crit(officer, 'B')).locator('input[name="self"]').fill('35');
		await officer.click('#save');
		await officer.waitForSelector('#status.ok');
		eq(await (await crit(officer, 'A.2')).locator('input[name="self"]').inputValue(), '28,5', 'officer: 28,5 saved and shown the Vietnamese way');
		await (await crit(officer, 'A.1')).locator('input[type="file"]').setInputFiles({
			name: 'kế hoạch.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% Kế hoạch CCHC\n'),
		});
		await officer.waitForSelector('section.crit[data-node="A.1"] .files a:has-text("kế hoạch.pdf")');
		ok(true, 'officer: evidence uploaded and listed');
		eq(JSON.stringify(await unlabelled(officer)), '[]', 'officer: every field labelled');
		await officer.screenshot({ path: join(artifacts, 'workspace-officer-draft.png'), fullPage: true });
		await officer.click('button[data-to="submitted"]');
		await waitState(officer, 'submitted');
		ok(true, 'officer: submitted');
		eq(await officer.locator('#save').count(), 0, 'officer: nothing to edit once submitted');

		// ---- The council adjusts with a reason and asks for an explanation ----
		const council = await person(browser, url, 'council');
		await signIn(council, 'council', 'council-password');
		await council.waitForSelector('#queue a:has-text("D1")');
		ok(true, 'council: D1 in the queue');
		await council.click('#queue a:has-text("D1")');
		await waitState(council, 'submitted');
		eq((await (await crit(council, 'A.1')).locator('.self-value').textContent()).trim(), '25', 'council: self score beside the appraisal');
		ok(await council.locator('section.crit[data-node="A.1"] .files a').count() === 1, 'council: sees the evidence');
		await (await crit(council, 'A.1')).locator('input[name="appraised"]').fill('20');
		await council.click('button[data-to="appraised"]');
		await council.waitForSelector('#status.error');
		ok((await council.textContent('#status')).includes("an appraised score needs the council's reason"), 'council: a score without a reason is refused');
		await (await crit(council, 'A.1')).locator('textarea[name="reason"]').fill('Kế hoạch ban hành muộn hơn quy định');
		await council.click('button[data-to="appraised"]');
		await waitState(council, 'appraised');
		await (await crit(council, 'A.1')).locator('textarea[name="question"]').fill('Đề nghị giải trình vì sao kế hoạch ban hành muộn');
		await council.fill('#transition-reason', 'Cần giải trình tiêu chí A.1');
		await council.click('button[data-to="explanation_requested"]');
		await waitState(council, 'explanation_requested');
		ok(true, 'council: explanation requested');
		await council.screenshot({ path: join(artifacts, 'workspace-council.png'), fullPage: true });

		// ---- The officer explains ----
		await officer.reload();
		await waitState(officer, 'explanation_requested');
		const a1 = await crit(officer, 'A.1');
		ok((await a1.textContent()).includes('Kế hoạch ban hành muộn hơn quy định'), 'officer: sees the reason');
		await a1.locator('textarea[name="answer"]').fill('Kế hoạch chờ ý kiến của cấp trên, ban hành ngày 10/01');
		await officer.click('button[data-to="explained"]');
		await waitState(officer, 'explained');
		ok(true, 'officer: explained');

		// ---- Final appraisal and approval ----
		await council.reload();
		await waitState(council, 'explained');
		ok((await (await crit(council, 'A.1')).textContent()).includes('ban hành ngày 10/01'), 'council: sees the answer');
		await (await crit(council, 'A.1')).locator('input[name="appraised"]').fill('24,5');
		await (await crit(council, 'A.1')).locator('textarea[name="reason"]').fill('Đã giải trình hợp lý');
		await council.click('button[data-to="appraised"]');
		await waitState(council, 'appraised');
		await council.click('button[data-to="approved"]');
		await waitState(council, 'approved');
		ok(true, 'council: approved');
		const hist = await council.locator('section.crit[data-node="A.1"] details.hist');
		await hist.locator('summary').click();
		const histText = await hist.textContent();
		ok(histText.includes('council') && histText.includes('Đã giải trình hợp lý') && histText.includes('24.5') &&
		   histText.includes('d1') && histText.includes('giải trình'), 'council: the audit trail of A.1 is shown', histText);

		// ---- The administrator publishes ----
		await admin.goto(`${url}/w/#/admin`);
		await admin.waitForSelector('#publish-form');
		await admin.selectOption('#publish-period', '2026');
		await admin.click('#publish');
		await admin.waitForSelector('#status.ok');
		ok((await admin.textContent('#status')).includes('2 đơn vị'), 'admin: published', await admin.textContent('#status'));

		// ---- The dashboard shows the published ranking ----
		const pub = await browser.newContext({ locale: 'vi-VN' });
		const dash = await pub.newPage();
		await dash.goto(`${url}/d/2026`);
		await dash.waitForSelector('body[data-state="ready"], body[data-state="error"]');
		eq(await dash.getAttribute('body', 'data-state'), 'ready', 'dashboard: drawn');
		const rows = await dash.locator('table.ranking tbody tr').allTextContents();
		ok(rows.length === 2 && rows[0].includes('Công an huyện D1') && rows[0].includes('1/2') && rows[0].includes('88,00%') &&
		   rows[1].includes('Công an huyện D2') && rows[1].includes('60,00%'), 'dashboard: D1 first with 88,00%, D2 second', rows.join(' | '));
		await dash.screenshot({ path: join(artifacts, 'workspace-dashboard.png'), fullPage: true });
		const rk = await (await fetch(`${url}/api/v1/par/rankings?period=2026`)).json();
		eq(rk.units[0].code, 'D1', 'API: D1 ranks first');
		eq(rk.units[0].index, 88, 'API: D1 index 88 (24.5 + 28.5 + 35)');

		// ---- The survey team: plan, token slips, double keying of a paper form ----
		const s1 = await person(browser, url, 's1');
		await signIn(s1, 's1', 'surveyor-one-pw');
		await s1.click('#go-survey');
		await s1.waitForSelector('#keying-form');
		await s1.fill('#plan', 'D1 10\nD2 5');
		await s1.click('#plan-form button[type="submit"]');
		await s1.waitForSelector('table.sample td:has-text("10")');
		ok(true, 'survey: sample plan saved');
		await s1.selectOption('#tokens-unit', 'D1');
		await s1.fill('#tokens-count', '4');
		await s1.click('#issue');
		await s1.waitForSelector('#sheet:not([hidden]) .slip img');
		eq(await s1.locator('#sheet .slip').count(), 4, 'survey: four token slips with QR codes');
		const src0 = await s1.getAttribute('#sheet .slip img', 'src');
		ok(src0.startsWith('data:image/svg+xml;base64,'), 'survey: QR code as an SVG image');
		await s1.screenshot({ path: join(artifacts, 'workspace-survey-tokens.png'), fullPage: true });
		eq(await keyForm(s1, 'P-001', 'D1', { q1: '4', q2: '5', kind: 'citizen' }), 'first', 'survey: first keying recorded');
		eq(await keyForm(s1, 'P-002', 'D2', { q1: '2', q2: '2', kind: 'organisation' }), 'first', 'survey: another first keying');
		eq(JSON.stringify(await unlabelled(s1)), '[]', 'survey: every field labelled');

		const s2 = await person(browser, url, 's2');
		await signIn(s2, 's2', 'surveyor-two-pw');
		await s2.goto(`${url}/w/#/survey`);
		await s2.waitForSelector('#keying-form');
		eq(await keyForm(s2, 'P-002', 'D2', { q1: '2', q2: '2', kind: 'organisation' }), 'stored', 'survey: matching second keying stores the response');
		eq(await keyForm(s2, 'P-001', 'D1', { q1: '4', q2: '3', kind: 'citizen' }), 'differs', 'survey: a difference is found');
		const diffRows = await s2.locator('#keying-result table.differences tbody tr').allTextContents();
		ok(diffRows.length === 1 && diffRows[0].includes('q2') && diffRows[0].includes('5') && diffRows[0].includes('3'),
		   'survey: compared field by field (q2: 5 then 3)', diffRows.join(' | '));
		let count = (await (await fetch(`${url}/api/v1/waves/W26`)).json()).responses;
		eq(count, 1, 'survey: the differing form is not stored before it is resolved');
		await s2.click('button[data-resolve="P-001"]');
		await s2.waitForSelector('#resolve-form .diff');
		eq(await s2.locator('#resolve-form .diff').count(), 1, 'survey: the difference is highlighted for resolution');
		await s2.fill('#resolve-form input[name="q2"]', '5');
		await s2.click('#resolve-save');
		await s2.waitForSelector('table.keyed td:has-text("đã lưu")');
		count = (await (await fetch(`${url}/api/v1/waves/W26`)).json()).responses;
		eq(count, 2, 'survey: stored once resolved');
		await s2.goto(`${url}/w/?lang=vi#/survey?wave=W26`);
		await s2.waitForSelector('body[data-state="ready"] table.sample');
		const sample = await s2.locator('table.sample tbody tr').allTextContents();
		ok(sample.some((r) => r.includes('D1') && r.includes('10') && r.includes('10,0%')) &&
		   sample.some((r) => r.includes('D2') && r.includes('20,0%')), 'survey: response rates against the plan', sample.join(' | '));
		await s2.screenshot({ path: join(artifacts, 'workspace-survey.png'), fullPage: true });

		// ---- English, and signing out ----
		await officer.click('#lang-switch');
		await officer.waitForSelector('html[lang="en"] #state');
		eq((await officer.textContent('#state')).trim(), 'Published', 'English switch keeps the view');
		await officer.click('#logout');
		await officer.waitForSelector('#login:not([hidden])');
		ok(true, 'signed out');
		const me = await officer.evaluate(async () => (await fetch('/api/v1/session')).status);
		eq(me, 401, 'the session has ended');

		eq(JSON.stringify(cspErrors), '[]', 'nothing refused by the Content-Security-Policy, no script errors');
		eq(await stopServer(server.proc), 0, 'the server stops cleanly');
		server = null;
	} catch (e) {
		ok(false, 'the test ran to its end', e.stack || e);
	} finally {
		if (browser) await browser.close();
		if (server) server.proc.kill('SIGKILL');
		rmSync(tmp, { recursive: true, force: true });
	}
	console.log(`1..${n}`);
	console.log(`# ${n - failed} passed, ${failed} failed in ${((Date.now() - t0) / 1000).toFixed(1)} s; artefacts in ${artifacts}`);
	process.exit(failed ? 1 : 0);
}

main();
