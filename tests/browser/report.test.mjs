// The yearly report (chiso report) in headless Chromium: the HTML file is
// opened from disk with every network request refused, and its headings and
// figures are checked against `chiso par compute --format json` and `chiso
// sipas compute --format json` of the same database, on the demo data and on
// the edge-case database of tests/data/report. Screenshots (desktop and
// phone) and an A4 PDF print are saved as artefacts.
//
// Usage: node report.test.mjs CHISO SRC ARTIFACTS
// Exit 0 on success, 1 on a failed check, 77 when Chromium or playwright-core
// is missing (CTest reports the test as skipped).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [chiso, src, artifacts] = process.argv.slice(2);
if (!chiso || !src || !artifacts) {
	console.error('usage: node report.test.mjs CHISO SRC ARTIFACTS');
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
let n = 0, failed = 0;
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

// ---- Numbers as the report writes them (report/fmt.h) ----
function group(intPart, sep) {
	return intPart.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
}
// Decimal text with d decimals, half away from zero; values from JSON that
// are already rounded to d decimals come out exactly.
function fixed(v, d) {
	const s = Math.sign(v) * (Math.round(Math.abs(v) * 10 ** d + 1e-7) / 10 ** d);
	return (Object.is(s, -0) ? 0 : s).toFixed(d);
}
function number(v, d, lang) {
	const [i, f] = fixed(v, d).split('.');
	const neg = i.startsWith('-');
	const body = group(neg ? i.slice(1) : i, lang === 'vi' ? '.' : ',');
	return (neg ? '-' : '') + body + (f ? (lang === 'vi' ? ',' : '.') + f : '');
}
const pct = (v, d, lang) => number(v, d, lang) + '%';
const count = (v, lang) => group(String(v), lang === 'vi' ? '.' : ',');
// A displayed number back to a value ("91,84%" -> 91.84).
function parse(text, lang) {
	const m = text.replace('−', '-').match(/[-+]?\d[\d.,]*/);
	if (!m) return NaN;
	let t = m[0];
	t = lang === 'vi' ? t.replace(/\./g, '').replace(',', '.') : t.replace(/,/g, '');
	return Number(t);
}

const HEADINGS = {
	vi: ['1. Tóm tắt', '2. Chỉ số cải cách hành chính', '3. Thay đổi so với năm trước',
	     '4. Sự hài lòng của người dân (SIPAS)', '5. Lĩnh vực yếu và mong đợi',
	     '6. Việc cần ưu tiên khắc phục theo đơn vị', '7. Phương pháp, tùy chọn và cỡ mẫu'],
	en: ['1. Summary', '2. Administrative reform index', '3. Change since last year',
	     '4. Citizen satisfaction (SIPAS)', '5. Weak areas and expectations',
	     '6. Fix first, by unit', '7. Methodology, options and sample sizes'],
};
const NO_RESPONSES = { vi: 'chưa có phản hồi', en: 'no responses' };

function run(db, ...args) {
	return execFileSync(chiso, ['--db', db, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
}

// ---- The checks of one report ----
async function checkReport(page, name, db, period, lang, file) {
	const url = pathToFileURL(file).href;
	const requests = [];
	await page.route('**/*', (route) => {
		const u = route.request().url();
		if (u.startsWith('file:') || u.startsWith('data:')) return route.continue();
		requests.push(u);
		return route.abort();
	});
	await page.goto(url);
	eq(requests.length, 0, `${name}: no network request (${requests.join(' ')})`);

	const h2 = await page.locator('h2').allTextContents();
	eq(JSON.stringify(h2), JSON.stringify(HEADINGS[lang]), `${name}: section headings`);
	const h1 = await page.locator('h1').textContent();
	ok(h1.includes(period), `${name}: the title names period ${period}`, h1);
	const focus = await page.locator('header .unit').getAttribute('data-unit');

	// The units of the force, from the stored tree: the average index is theirs.
	const units = JSON.parse(run(db, 'unit', 'list', '--format', 'json'));
	const parent = new Map(units.map((u) => [u.code, u.parent]));
	const below = (code) => {
		for (let p = parent.get(code), i = 0; p && i < 1000; p = parent.get(p), i++)
			if (p === focus) return true;
		return false;
	};

	// PAR: every framework the methodology names, against par compute.
	const frameworks = await page.locator('dl[data-framework]').evaluateAll(
		(els) => els.map((e) => e.getAttribute('data-framework')));
	const indices = [];
	let position = null;
	for (const fw of frameworks) {
		const par = JSON.parse(run(db, 'par', 'compute', '--period', period, '--framework', fw,
					   '--format', 'json'));
		const d = par.options.decimals;
		const section = page.locator('table.t-ranking').nth(frameworks.indexOf(fw));
		const rows = await section.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => ({
			code: tr.getAttribute('data-code'),
			cells: [...tr.children].map((td) => td.textContent.trim()),
		})));
		const byCode = new Map(par.units.map((u) => [u.code, u]));
		const bad = [];
		let checked = 0;
		for (const row of rows) {
			const u = byCode.get(row.code);
			if (!u) {
				bad.push(`${row.code} is not in par compute`);
			} else if (u.state === 'complete') {
				if (row.cells[3] !== pct(u.index, d, lang))
					bad.push(`${u.code} index ${row.cells[3]}, want ${pct(u.index, d, lang)}`);
				if (u.rank !== null && row.cells[0] !== `${u.rank}/${u.ranked_of}`)
					bad.push(`${u.code} position ${row.cells[0]}, want ${u.rank}/${u.ranked_of}`);
				checked++;
			} else if (/\d%/.test(row.cells[3])) {
				bad.push(`${u.code} has no result but shows ${row.cells[3]}`);
			}
		}
		ok(checked > 0 && bad.length === 0,
		   `${name}: ${fw}: index and position of ${checked} units agree with par compute`, bad.join('\n'));
		for (const u of par.units) {
			if (u.state === 'complete' && below(u.code)) indices.push(u.index);
			if (u.code === focus && u.rank !== null && !par.units.some((x) => below(x.code)))
				position = `${u.rank}/${u.ranked_of}`;
		}
		// Change since last year: the difference of the published figures.
		const change = page.locator('table.t-change').nth(frameworks.indexOf(fw));
		const crow = await change.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => ({
			code: tr.getAttribute('data-code'),
			cells: [...tr.children].map((td) => td.textContent.trim()),
		})));
		const cbad = [];
		let nchange = 0;
		for (const row of crow) {
			const u = byCode.get(row.code);
			let want = '—';
			if (u && u.state === 'complete' && u.change) {
				want = fixed(u.change.index, d) === fixed(0, d) ? number(0, d, lang)
					: (u.change.index > 0 ? '+' : '') + number(u.change.index, d, lang);
				nchange++;
			}
			if (row.cells[3] !== want) cbad.push(`${row.code} change ${row.cells[3]}, want ${want}`);
		}
		ok(crow.length > 0 && cbad.length === 0,
		   `${name}: ${fw}: change of ${crow.length} units (${nchange} with a previous year) agrees`,
		   cbad.join('\n'));
	}
	if (indices.length) {
		const mean = indices.reduce((a, b) => a + b, 0) / indices.length;
		const shown = await page.locator('[data-kpi=mean] .value').textContent();
		ok(Math.abs(parse(shown, lang) - mean) <= 0.005 + 1e-9,
		   `${name}: average index of units ${shown} (${indices.length} units)`, `mean ${mean}`);
		ok(/^\d{1,3}[,.]\d{2}%$/.test(shown), `${name}: average index written as ${lang} writes it`, shown);
		ok((await page.locator('[data-kpi=mean] .sub').textContent()).includes(count(indices.length, lang)),
		   `${name}: n of the average`);
	}
	if (position) {
		eq(await page.locator('[data-kpi=position] .value').textContent(), position,
		   `${name}: position of the force among its peers`);
	}

	// SIPAS: every wave the methodology names, against sipas compute.
	const waves = await page.locator('dl[data-wave]').evaluateAll(
		(els) => els.map((e) => e.getAttribute('data-wave')));
	for (const [wi, wave] of waves.entries()) {
		const res = JSON.parse(run(db, 'sipas', 'compute', '--wave', wave, '--format', 'json'));
		const dom = (code) => res.domains.find((x) => x.domain.by === 'unit' && x.domain.code === code);
		const fd = dom(focus);
		if (wi === 0 && fd) {
			const v = await page.locator('[data-kpi=satisfaction] .value').textContent();
			ok(Math.abs(parse(v, lang) - fd.overall.index) <= 0.005 + 1e-9,
			   `${name}: ${wave}: overall satisfaction ${v}`, `json ${fd.overall.index}`);
			const ci = await page.locator('[data-kpi=satisfaction] [data-ci]').textContent();
			const [lo, hi] = ci.split('–').map((x) => parse(x, lang));
			ok(Math.abs(lo - fd.overall.ci_lo) <= 0.005 + 1e-9 && Math.abs(hi - fd.overall.ci_hi) <= 0.005 + 1e-9,
			   `${name}: ${wave}: its 95% interval ${ci}`, `json ${fd.overall.ci_lo} ${fd.overall.ci_hi}`);
			const shownN = await page.locator('[data-kpi=satisfaction] [data-n]').textContent();
			const headline = fd.overall[fd.overall.headline];
			eq(shownN, count(headline.n, lang), `${name}: ${wave}: n of the overall index`);
		}
		if (fd) {
			const els = page.locator('table.t-elements').nth(wi);
			const ebad = [];
			for (const e of fd.elements) {
				const cell = await els.locator(`tr[data-element="${e.code}"] td:nth-child(4)`).textContent();
				const good = e.index === null ? cell.includes(NO_RESPONSES[lang])
					: Math.abs(parse(cell, lang) - e.index) <= 0.005 + 1e-9;
				if (!good) ebad.push(`${e.code} ${cell.trim()}, json ${e.index}`);
			}
			ok(ebad.length === 0, `${name}: ${wave}: ${fd.elements.length} element indices agree`,
			   ebad.join('\n'));
			const items = page.locator('table.t-items').nth(wi);
			let k = 0;
			for (const it of fd.items) {
				const cell = await items.locator(`tr[data-item="${it.code}"] td:nth-child(5)`).textContent();
				if (it.index !== null && Math.abs(parse(cell, lang) - it.index) <= 0.005 + 1e-9) k++;
				else ok(false, `${name}: ${wave}: item ${it.code} ${cell}`, `json ${it.index}`);
			}
			eq(k, fd.items.length, `${name}: ${wave}: every item index agrees`);
		}
		// Units: their headline index, or "no responses" when they have none.
		const urows = await page.locator('table.t-units').nth(wi).locator('tbody tr').evaluateAll(
			(trs) => trs.map((tr) => ({
				code: tr.getAttribute('data-code'),
				cells: [...tr.children].map((td) => td.textContent.trim()),
			})));
		let good = 0;
		for (const row of urows) {
			const d = dom(row.code);
			if (!d) {
				if (row.cells[2] === NO_RESPONSES[lang] && row.cells[1] === '0') good++;
				else ok(false, `${name}: ${wave}: ${row.code} without respondents`, row.cells.join(' | '));
				continue;
			}
			if (Math.abs(parse(row.cells[2], lang) - d.overall.index) <= 0.005 + 1e-9 &&
			    row.cells[1] === count(d.n, lang))
				good++;
			else
				ok(false, `${name}: ${wave}: unit ${row.code}`, `${row.cells.join(' | ')} vs ${d.overall.index} n ${d.n}`);
		}
		eq(good, urows.length, `${name}: ${wave}: every unit row agrees (${urows.length})`);
	}
	await page.unroute('**/*');
	return { focus, frameworks, waves };
}

async function main() {
	const t0 = Date.now();
	mkdirSync(artifacts, { recursive: true });
	const tmp = mkdtempSync(join(process.env.TMPDIR || tmpdir(), 'chiso-browser-report-'));
	const profile = join(tmp, 'profile');
	let browser;
	try {
		// The demo data (a force, its 42 units and the 63 forces) and the edge cases.
		const demoDb = join(tmp, 'demo.db');
		run(demoDb, 'demo', '--small', '--out', join(tmp, 'demo-out'), '--data', join(src, 'data'));
		const edgeDb = join(tmp, 'edge.db');
		execFileSync('sh', [join(src, 'tests/data/report/make-db.sh'), chiso, src, edgeDb]);

		const reports = [
			{ name: 'demo-vi', db: demoDb, period: '2020', lang: 'vi' },
			{ name: 'demo-en', db: demoDb, period: '2020', lang: 'en' },
			{ name: 'edge-2020', db: edgeDb, period: '2020', lang: 'vi' },
			{ name: 'edge-2019', db: edgeDb, period: '2019', lang: 'vi' },
		];
		for (const r of reports) {
			r.file = join(tmp, `report-${r.name}.html`);
			run(r.db, '--lang', r.lang, 'report', '--period', r.period, '-o', r.file);
		}

		browser = await chromium.launchPersistentContext(profile, {
			executablePath: CHROMIUM,
			headless: true,
			args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
			       '--disable-background-networking', '--disable-component-update', '--disable-sync'],
			viewport: { width: 1280, height: 900 },
		});
		const page = await browser.newPage();
		const seen = {};
		for (const r of reports) {
			seen[r.name] = await checkReport(page, r.name, r.db, r.period, r.lang, r.file);
			await page.screenshot({ path: join(artifacts, `report-${r.name}.png`), fullPage: true });
		}

		// The demo: the force, its league and a wave are all there.
		eq(seen['demo-vi'].focus, 'CA-BNI', 'demo: the report is of Công an tỉnh Bắc Ninh');
		ok(seen['demo-vi'].frameworks.length === 2, 'demo: the units and the league frameworks',
		   seen['demo-vi'].frameworks.join(' '));
		ok(seen['demo-vi'].waves.length >= 1, 'demo: a SIPAS wave');

		// Edge cases: a unit without responses, a year without a previous one.
		await page.goto(pathToFileURL(reports[2].file).href);
		const c22 = await page.locator('table.t-units tr[data-code="C22"]').textContent();
		ok(c22.includes('chưa có phản hồi') && !/\d%/.test(c22), 'edge: a unit without responses is "chưa có phản hồi", never 0%', c22);
		const unitHtml = await page.locator('header .unit').innerHTML();
		ok(unitHtml.includes('A&amp;B &lt;Thử&gt;') &&
		   (await page.locator('header .unit').textContent()).includes('A&B <Thử>'),
		   'edge: names with & and < are escaped and shown as they are', unitHtml);
		await page.goto(pathToFileURL(reports[3].file).href);
		const changes = await page.locator('table.t-change tbody tr td:nth-child(4)').allTextContents();
		ok(changes.length > 0 && changes.every((c) => c.trim() === '—'), 'edge: without a previous year the change columns show —',
		   changes.join(' '));

		// A phone: nothing wider than the screen but the scrolling tables.
		const phone = await browser.newPage();
		await phone.setViewportSize({ width: 390, height: 844 });
		await phone.goto(pathToFileURL(reports[0].file).href);
		const wide = await phone.evaluate(() => document.documentElement.scrollWidth);
		ok(wide <= 390, `phone: the page fits 390 px (${wide})`);
		await phone.screenshot({ path: join(artifacts, 'report-demo-vi-phone.png'), fullPage: true });

		// The A4 print: page breaks give several pages; the PDF is an artefact.
		await page.goto(pathToFileURL(reports[0].file).href);
		const pdf = await page.pdf({ format: 'A4', printBackground: true });
		writeFileSync(join(artifacts, 'report-demo-vi.pdf'), pdf);
		const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
		ok(pdf.subarray(0, 5).toString() === '%PDF-' && pages >= 7,
		   `print: an A4 PDF of ${pages} pages (a page per major section at least)`);
		const printCss = readFileSync(reports[0].file, 'utf8');
		ok(/@page\{size:A4/.test(printCss) && /@top-left\{content:"Công an tỉnh Bắc Ninh"/.test(printCss),
		   'print: A4 pages with running headers');
	} catch (e) {
		ok(false, 'the test ran to its end', e.stack || e);
	} finally {
		if (browser) await browser.close();
		rmSync(tmp, { recursive: true, force: true });
	}
	console.log(`1..${n}`);
	console.log(`# ${n - failed} passed, ${failed} failed in ${((Date.now() - t0) / 1000).toFixed(1)} s; artefacts in ${artifacts}`);
	process.exit(failed ? 1 : 0);
}

await main();
