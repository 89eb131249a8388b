// The citizen survey in headless Chromium on a phone-sized screen (360 x 740,
// touch): a token link from a receipt is opened, the form checks required
// answers and applies its relevance rule before sending, the answers are
// sent and the thanks page shown; the same link is then refused. The same
// form also works with the script turned off (the server checks and shows
// the problems). A kiosk clears itself when left alone and keeps nothing in
// the browser. Finally the public dashboard's response count and
// satisfaction index have changed as the answers say, in agreement with the
// JSON API. Screenshots are saved as artefacts.
//
// Usage: node survey.test.mjs CHISO SRC ARTIFACTS
// Exit 0 on success, 1 on a failed check, 77 when Chromium or playwright-core
// is missing (CTest reports the test as skipped).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const [chiso, src, artifacts] = process.argv.slice(2);
if (!chiso || !src || !artifacts) {
	console.error('usage: node survey.test.mjs CHISO SRC ARTIFACTS');
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
const tmp = mkdtempSync(join(process.env.TMPDIR || tmpdir(), 'chiso-survey-'));
const db = join(tmp, 'survey.db');

function run(...args) {
	return execFileSync(chiso, ['--db', db, ...args], {
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
		env: { ...process.env, CHISO_LANG: 'en' },
	});
}

// The questionnaire of tests/api/test_api_survey.sh: two satisfaction items,
// a yes/no question and a follow-up asked only after a yes.
const QUESTIONNAIRE = {
	format: 'chiso-questionnaire',
	format_version: 1,
	code: 'short',
	title: 'Phiếu khảo sát ngắn',
	version: '1',
	elements: [{ code: 'E1', title: { vi: 'Tiếp cận dịch vụ', en: 'Access to the service' } }],
	items: [
		{ code: 'q1', element: 'E1', type: 'likert5', role: 'satisfaction', required: true,
		  text: { vi: 'Nơi chờ có đủ chỗ ngồi', en: 'The waiting area has enough seats' } },
		{ code: 'q2', element: 'E1', type: 'likert5', role: 'satisfaction', required: true,
		  text: { vi: 'Thủ tục được niêm yết rõ ràng', en: 'The procedure is clearly posted' } },
		{ code: 'complained', type: 'yesno', role: 'other',
		  text: { vi: 'Ông/Bà có góp ý, phản ánh không?', en: 'Did you make a complaint?' } },
		{ code: 'handled', type: 'likert5', role: 'other', required: true,
		  relevant: "${complained} = '1'",
		  text: { vi: 'Góp ý được tiếp nhận, xử lý tốt', en: 'The complaint was handled well' } },
		{ code: 'age', type: 'number', role: 'other', text: { vi: 'Tuổi', en: 'Age' } },
		{ code: 'kind', type: 'single', role: 'respondent', field: 'kind', required: true,
		  text: { vi: 'Ông/Bà là', en: 'You are' },
		  choices: [
			{ value: 'citizen', label: { vi: 'Người dân', en: 'Citizen' } },
			{ value: 'organisation', label: { vi: 'Đại diện tổ chức', en: 'Representative of an organisation' } },
		  ] },
		{ code: 'comment', type: 'text', role: 'other', text: { vi: 'Ý kiến khác', en: 'Other comments' } },
	],
};

function setup() {
	writeFileSync(join(tmp, 'short.json'), JSON.stringify(QUESTIONNAIRE, null, 2));
	writeFileSync(join(tmp, 'units.csv'),
		'code,name,parent,level\nP,Công an tỉnh P,,province\nC11,Công an xã Hòa Bình,P,commune\n');
	// Six earlier answers: q1 3 of 6 satisfied, q2 2 of 6: an index of 41.67.
	writeFileSync(join(tmp, 'responses.csv'),
		'id,unit,q1,q2,complained,kind\n' +
		'R1,C11,2,3,0,citizen\nR2,C11,3,3,0,citizen\nR3,C11,4,4,0,citizen\n' +
		'R4,C11,5,5,0,citizen\nR5,C11,1,2,0,citizen\nR6,C11,4,2,0,organisation\n');
	run('init');
	run('unit', 'import', join(tmp, 'units.csv'));
	run('period', 'add', '2026');
	run('survey', 'import', join(tmp, 'short.json'));
	run('survey', 'wave', 'add', 'W26', '--questionnaire', 'short', '--period', '2026',
	    '--title', 'Đợt khảo sát 2026');
	run('response', 'import', join(tmp, 'responses.csv'), '--wave', 'W26');
	run('par', 'public', '--period', '2026');
	const csv = run('token', 'issue', '--wave', 'W26', '--unit', 'C11', '--count', '3',
			'--format', 'csv', '--base-url', 'http://survey.invalid');
	return csv.trim().split('\n').slice(1).map((l) => l.split(',')[0]);
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
	// The URL is printed once the socket listens; a bounded number of tries.
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

// The dashboard of 2026: its response count and satisfaction index.
async function dashboard(page, url, shot) {
	await page.goto(`${url}/d/2026`);
	await page.waitForSelector('body[data-state="ready"], body[data-state="error"]');
	const state = await page.getAttribute('body', 'data-state');
	const nValue = await page.getAttribute('#sipas-n', 'data-value');
	const index = await page.getAttribute('#sipas-overall', 'data-value');
	await page.screenshot({ path: join(artifacts, shot), fullPage: true });
	return { state, n: Number(nValue), index: Number(index) };
}

async function apiIndex(url) {
	const r = await fetch(`${url}/api/v1/sipas/results?wave=W26`);
	const j = await r.json();
	const all = j.domains.find((d) => d.domain.by === 'all');
	return { n: all.n, index: all.overall.index };
}

// ---- The test ----
async function main() {
	const t0 = Date.now();
	mkdirSync(artifacts, { recursive: true });
	let browser;
	let server;
	try {
		const tokens = setup();
		eq(tokens.length, 3, 'three tokens issued');
		server = await startServer();
		const { url } = server;
		ok(true, `server at ${url}`);

		// A fresh profile each run: launch() gives every run its own
		// temporary user data directory, and each context is a clean slate.
		browser = await chromium.launch({
			executablePath: CHROMIUM,
			headless: true,
			args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
			       '--disable-background-networking', '--disable-component-update', '--disable-sync'],
		});
		const deskCtx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
		const desk = await deskCtx.newPage();
		const before = await dashboard(desk, url, 'survey-dashboard-before.png');
		eq(before.state, 'ready', 'dashboard: drawn');
		eq(before.n, 6, 'dashboard: 6 responses before');
		ok(Math.abs(before.index - 41.6667) < 0.01, `dashboard: index ${before.index} before`);

		// A phone: 360 x 740, touch, through the token on the receipt.
		const phoneCtx = await browser.newContext({
			viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true,
		});
		const phone = await phoneCtx.newPage();
		const tap = (loc) => loc.tap();
		const q = (code) => phone.locator(`[id="q-${code}"]`);
		const option = (code, label) => q(code).locator('label.opt').filter({
			has: phone.getByText(label, { exact: true }) });

		const first = await phone.goto(`${url}/s/${tokens[0]}`);
		eq(first.status(), 200, 'phone: the token link opens the survey');
		eq(await phone.getAttribute('html', 'lang'), 'vi', 'phone: in Vietnamese');
		ok((await phone.locator('.top .unit').textContent()).includes('Công an xã Hòa Bình'),
		   'phone: the unit is named');
		const width = await phone.evaluate(() => document.documentElement.scrollWidth);
		ok(width <= 360, `phone: nothing wider than the screen (${width} px)`);
		const heights = await phone.locator('label.opt').evaluateAll((ls) => ls
			.filter((l) => l.offsetParent !== null)
			.map((l) => l.getBoundingClientRect().height));
		ok(heights.length > 10 && heights.every((h) => h >= 48),
		   `phone: every option is a touch target of 48 px or more (${Math.min(...heights)})`);
		const unlabelled = await phone.evaluate(() => [...document.querySelectorAll(
			'form input, form textarea')].filter((i) => i.labels.length === 0).map((i) => i.name));
		eq(unlabelled.length, 0, `phone: every input has a label ${unlabelled.join(' ')}`);
		const noLegend = await phone.evaluate(() => [...document.querySelectorAll('fieldset')]
			.filter((f) => !f.querySelector(':scope > legend')).length);
		eq(noLegend, 0, 'phone: every fieldset has a legend');
		ok(await q('handled').isHidden(), 'phone: the follow-up question is hidden at first');

		// The page's evaluator against the cases the server's passes
		// (tests/golden/relevance, tests/unit/test_relevance.c).
		const golden = JSON.parse(readFileSync(join(src, 'tests/golden/relevance/cases.json'), 'utf8'));
		const disagree = await phone.evaluate(async (g) => {
			const script = document.querySelector('script[type="module"]').src;
			const { evaluate } = await import(script);
			const bad = [];
			for (const c of g.cases) {
				const un = new Set(c.unanswered || []);
				const answerOf = (code) => (code in g.answers ? (un.has(code) ? '' : g.answers[code]) : undefined);
				let got;
				try {
					got = evaluate(c.expr, answerOf);
				} catch (e) {
					got = 'error';
				}
				if (got !== c.want) bad.push(`${c.expr}: ${got}, expected ${c.want}`);
			}
			return bad;
		}, golden);
		ok(golden.cases.length >= 60 && disagree.length === 0,
		   `page: the relevance evaluator agrees with the server on ${golden.cases.length} cases`,
		   disagree.join('\n'));
		await phone.screenshot({ path: join(artifacts, 'survey-phone-form.png'), fullPage: true });

		// Sending with nothing answered: friendly messages, nothing sent.
		await tap(phone.locator('button[type=submit]'));
		await phone.locator('#summary').waitFor({ state: 'visible' });
		const summary = await phone.locator('#summary').textContent();
		ok(summary.includes('Vui lòng xem lại các câu sau:') && summary.includes('Câu 1: Vui lòng trả lời câu này.'),
		   'phone: required answers are asked for', summary);
		ok(phone.url().endsWith(`/s/${tokens[0]}`), 'phone: nothing was sent');
		eq(await q('q1').locator('.err').textContent(), 'Vui lòng trả lời câu này.',
		   'phone: the message is at the question');
		eq(await q('kind').getAttribute('class'), 'q invalid', 'phone: the question is marked');
		ok(await q('age').locator('.err').isHidden(), 'phone: optional questions have no message');
		await phone.screenshot({ path: join(artifacts, 'survey-phone-required.png'), fullPage: true });

		// The relevance rule: the follow-up comes with a yes and goes with a no.
		await tap(option('complained', 'Có'));
		ok(await q('handled').isVisible(), 'phone: a yes shows the follow-up');
		await tap(option('complained', 'Không'));
		ok(await q('handled').isHidden(), 'phone: a no hides it again');
		await tap(option('complained', 'Có'));
		await tap(option('handled', 'Hài lòng'));
		// The keyboard moves within a scale as in any radio group.
		await phone.locator('input[name="q2"][value="3"]').focus();
		await phone.keyboard.press('ArrowDown');
		ok(await phone.locator('input[name="q2"][value="4"]').isChecked(), 'phone: arrow keys choose');
		await tap(option('q1', 'Rất hài lòng'));
		await tap(option('q2', 'Rất hài lòng'));
		await tap(option('kind', 'Người dân'));
		await phone.locator('#i-age').fill('41');
		await phone.locator('#i-comment').fill('Cán bộ tận tình, hướng dẫn rõ ràng.');
		ok(await q('q1').locator('.err').isHidden(), 'phone: an answered question loses its message');
		await phone.screenshot({ path: join(artifacts, 'survey-phone-filled.png'), fullPage: true });
		await Promise.all([phone.waitForURL(/\/survey\/thanks/), tap(phone.locator('button[type=submit]'))]);
		eq(await phone.locator('h1').textContent(), 'Cảm ơn Ông/Bà!', 'phone: the thanks page');
		await phone.screenshot({ path: join(artifacts, 'survey-phone-thanks.png'), fullPage: true });

		// The same receipt again: refused, kindly.
		const again = await phone.goto(`${url}/s/${tokens[0]}`);
		eq(again.status(), 409, 'phone: a used token answers 409');
		eq(await phone.locator('h1').textContent(), 'Phiếu này đã được trả lời',
		   'phone: the page says it was answered');
		eq(await phone.locator('form').count(), 0, 'phone: and shows no form');
		await phone.screenshot({ path: join(artifacts, 'survey-phone-used.png'), fullPage: true });
		const posted = await fetch(`${url}/api/v1/responses`, {
			method: 'POST', headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ token: tokens[0], answers: { q1: 1, q2: 1, kind: 'citizen' } }),
		});
		eq(posted.status, 409, 'api: the used token is refused with 409');

		// English on request.
		await phone.goto(`${url}/s/${tokens[1]}`);
		await Promise.all([phone.waitForURL(/lang=en/), tap(phone.getByRole('link', { name: 'English' }))]);
		eq(await phone.locator('fieldset.element > legend').first().textContent(), 'Access to the service',
		   'phone: the English switch');

		// No script at all: the server checks, the page shows the problems.
		const plainCtx = await browser.newContext({
			viewport: { width: 360, height: 740 }, javaScriptEnabled: false,
		});
		{
			const plain = await plainCtx.newPage();
			await plain.goto(`${url}/s/${tokens[1]}`);
			await plain.locator('[id="q-q1"] input[value="4"]').check();
			await plain.locator('[id="q-q2"] input[value="4"]').check();
			await plain.locator('[id="q-complained"] input[value="1"]').check();
			await plain.locator('[id="q-kind"] input[value="organisation"]').check();
			await plain.locator('#i-age').fill('bốn mươi');
			const refused = await Promise.all([
				plain.waitForResponse((r) => r.request().method() === 'POST'),
				plain.locator('button[type=submit]').click(),
			]);
			eq(refused[0].status(), 422, 'no script: refused answers come back with 422');
			const text = await plain.locator('#summary').textContent();
			ok(text.includes('Câu 4: Vui lòng trả lời câu này.') &&
			   text.includes('Câu 5: Vui lòng nhập một số, ví dụ 12 hoặc 3,5.'),
			   'no script: the server names the follow-up and the number', text);
			ok(await plain.locator('[id="q-q1"] input[value="4"]').isChecked(),
			   'no script: the answers given are kept');
			await plain.screenshot({ path: join(artifacts, 'survey-noscript-refused.png'), fullPage: true });
			await plain.locator('[id="q-handled"] input[value="5"]').check();
			await plain.locator('#i-age').fill('40');
			await Promise.all([plain.waitForURL(/\/survey\/thanks/), plain.locator('button[type=submit]').click()]);
			eq(await plain.locator('h1').textContent(), 'Cảm ơn Ông/Bà!', 'no script: the thanks page');
			await plainCtx.close();
		}

		// A kiosk: cleared after a while alone, nothing kept in the browser.
		const kioskCtx = await browser.newContext({ viewport: { width: 1024, height: 768 }, hasTouch: true });
		const kiosk = await kioskCtx.newPage();
		await kiosk.clock.install();
		await kiosk.goto(`${url}/k/C11?idle=60`);
		// From here the page's time moves only when the test says so.
		await kiosk.clock.pauseAt(Date.now() + 120000);
		ok(await kiosk.locator('body.kiosk').count() === 1, 'kiosk: the kiosk layout');
		eq(await kiosk.getAttribute('form', 'autocomplete'), 'off', 'kiosk: no autocomplete');
		await kiosk.locator('[id="q-q1"] label.opt').first().click();
		await kiosk.locator('#i-comment').fill('ý kiến riêng');
		await kiosk.clock.runFor(59000);
		ok(await kiosk.locator('[id="q-q1"] input[value="1"]').isChecked(), 'kiosk: answers stay while in use');
		await kiosk.clock.runFor(2000);
		ok(!(await kiosk.locator('[id="q-q1"] input[value="1"]').isChecked()) &&
		   (await kiosk.locator('#i-comment').inputValue()) === '',
		   'kiosk: cleared after 60 s alone');
		const stored = await kiosk.evaluate(() => localStorage.length + sessionStorage.length);
		eq(stored, 0, 'kiosk: nothing in localStorage or sessionStorage');
		await kiosk.screenshot({ path: join(artifacts, 'survey-kiosk.png') });
		await kioskCtx.close();

		// The dashboard has the two new answers: count and index.
		const after = await dashboard(desk, url, 'survey-dashboard-after.png');
		eq(after.n, 8, 'dashboard: 8 responses after two were sent');
		// q1 5 of 8 satisfied, q2 4 of 8: (62.5 + 50) / 2 = 56.25.
		ok(Math.abs(after.index - 56.25) < 1e-6, `dashboard: index ${after.index} after (56.25)`);
		ok(after.index > before.index, 'dashboard: the index rose with two satisfied answers');
		const api = await apiIndex(url);
		eq(api.n, after.n, 'dashboard and API agree on the count');
		ok(Math.abs(api.index - after.index) < 1e-9, 'dashboard and API agree on the index');
		const wave = await (await fetch(`${url}/api/v1/waves/W26`)).json();
		eq(JSON.stringify(wave.tokens), '{"issued":3,"used":2}', 'wave: two of three tokens used');

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
