// Monster UI with SmartPBX and Callflows against the gateway, in headless Chromium.
// Started by e2e/run.py, which passes MONSTER_URL, API_URL, CHROMIUM, SCREENSHOTS and LOGINS.
//
// The scenario is a few phases; a failed step skips the rest of its phase, and the next phase
// starts again from a fresh login, so one broken screen does not hide what the others do.
// Every /v2/ call that fails, every page error and every error dialog is listed at the end.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const { MONSTER_URL, API_URL, CHROMIUM, SCREENSHOTS } = process.env;
const { customer, reseller } = JSON.parse(process.env.LOGINS);
const suffix = Date.now().toString(36).slice(-5);
const newUser = { first: 'Erin', last: `E2e${suffix}`, email: `erin.${suffix}@example.com` };
const newDevice = `${newUser.last} desk phone`;

const steps = [];
const failedCalls = [];
const pageErrors = [];
const dialogs = [];
const consoleErrors = [];
const otherFailures = [];
let current = 'start';
let phaseFailed = false;

class Skip extends Error {}

async function scenario(page) {
	await phase(page, null, [
		['open Monster UI', () => openMonster(page)],
		[`log in as ${customer.username} (${customer.account})`, () => logIn(page, customer)]
	]);
	if (!passed(`log in as ${customer.username} (${customer.account})`)) {
		return;
	}
	// The dashboard is a phase of its own: the other tabs work without it.
	await phase(page, customer, [['open SmartPBX and its dashboard', () => openApp(page, 'voip', '#myoffice_container')]]);
	await phase(page, customer, [
		[`add user ${newUser.first} ${newUser.last}`, () => addUser(page)],
		['add a SIP phone for that user', () => addDevice(page)]
	]);
	await phase(page, customer, [
		['open Callflows', () => openApp(page, 'callflows', '#callflow_container .callflow-element')],
		["change the main number's flow", () => changeMainNumber(page)]
	]);
	await phase(page, customer, [['log out', () => logOut(page)]]);
	await phase(page, null, [
		[`log in as ${reseller.username} (${reseller.account})`, () => logIn(page, reseller)],
		[`switch to sub-account ${customer.account}`, () => switchAccount(page, customer.account)],
		[`find the new user in ${customer.account}'s SmartPBX`, () => findNewUser(page)],
		[`switch back to ${reseller.account}`, () => switchHome(page)],
		['log out', () => logOut(page)]
	]);
}

// --- steps ---

async function openMonster(page) {
	await page.goto(MONSTER_URL);
	await page.waitForSelector('#form_login');
}

async function logIn(page, login) {
	await page.fill('#login', login.username);
	await page.fill('#password', login.password);
	await page.fill('#account_name', login.account);
	await page.click('#form_login button.login');
	await page.waitForSelector('#main_topbar_myaccount', { state: 'visible' });
	// Wait for the default app: closing the app loader before it is there opens My Account.
	await page.waitForFunction(() => {
		const active = window.monster.apps.getActiveApp();
		return active && !window.monster.apps.core.getPlugins().includes(active);
	}, null, { timeout: 10000 }).catch(() => {});
	await settle(page);
}

async function openApp(page, name, ready) {
	await page.click('#main_topbar_apploader_link');
	// The app loader hides the content once it is shown: a click before that leaves it hidden.
	await page.waitForSelector('#monster_content', { state: 'hidden' });
	await page.click(`#apploader .app-list .app-element[data-name="${name}"]`);
	await page.waitForSelector(ready, { state: 'visible' });
	await settle(page);
}

async function openTab(page, tab, ready) {
	await page.click(`#voip_container .left-menu .category#${tab}`);
	await page.waitForSelector(ready, { state: 'visible' });
	await settle(page);
}

async function fillChecked(field, value) {
	for (let attempt = 0; attempt < 3; attempt += 1) {
		await field.fill(value);
		if ((await field.inputValue()) === value) {
			return;
		}
	}
	throw new Error(`could not fill ${await field.getAttribute('id')}`);
}

async function addUser(page) {
	if (!(await page.isVisible('#voip_container .left-menu'))) {
		await openApp(page, 'voip', '#voip_container .left-menu');
	}
	await openTab(page, 'users', '#users_container .add-user');
	await page.click('#users_container .add-user');
	const form = page.locator('#form_user_creation');
	await form.waitFor();
	// The dialog moves focus to its first field once its opening animation ends; typing
	// before that lands in the wrong field.
	await page.waitForTimeout(1000);
	await fillChecked(form.locator('#first_name'), newUser.first);
	await fillChecked(form.locator('#last_name'), newUser.last);
	await fillChecked(form.locator('#username'), newUser.email);
	await fillChecked(form.locator('#password'), `Pw-${suffix}-e2e!`);
	await page.click('#creation_user_dialog .create_user:not([data-action])');
	await page.waitForSelector('#form_user_creation', { state: 'detached' });
	await page.waitForSelector(`#users_container .grid-row:has-text("${newUser.last}")`);
	await settle(page);
}

async function addDevice(page) {
	await openTab(page, 'devices', '#devices_container .add-device');
	await page.click('#devices_container .add-device');
	await page.click('#devices_container .create-device[data-type="sip_device"]');
	const form = page.locator('#form_device');
	await form.locator('#name').fill(newDevice);
	const owner = form.locator('select[name="owner_id"]');
	const label = await owner.locator('option', { hasText: newUser.last }).first().textContent();
	await owner.selectOption({ label: label.trim() });
	await page.click('.edit-device .actions button.save');
	await page.waitForSelector('#form_device', { state: 'detached' });
	await page.waitForSelector(`#devices_container .grid-row:has-text("${newDevice}")`);
	await settle(page);
	await shot(page, 'smartpbx');
}

// Point the main number's "all other times" branch at another voicemail box, save, and check
// the saved callflow the gateway answers with.
async function changeMainNumber(page) {
	await page.click('#callflow_container .callflow-element');
	await page.click('.callflow-edition .list-element:has-text("Main number")');
	await page.click('#ws_callflow .node[name^="voicemail"] .module');
	const select = page.locator('.ui-dialog #vmbox_selector');
	const other = await select.locator('option:not([selected])').first();
	const [boxId, boxName] = [await other.getAttribute('value'), (await other.textContent()).trim()];
	await select.selectOption(boxId);
	await page.click('.ui-dialog .dialog_popup #add');
	await page.waitForSelector(`#ws_callflow .node[name^="voicemail"] .details:has-text("${boxName}")`);
	const saved = page.waitForResponse((r) => r.request().method() === 'POST'
		&& r.url().startsWith(`${API_URL}accounts/${customer.accountId}/callflows/`));
	await page.click('.callflow-edition .save:has-text("Save")');
	const response = await saved;
	const flow = JSON.stringify((await response.json()).data?.flow ?? {});
	if (response.status() >= 400 || !flow.includes(boxId)) {
		throw new Error(`saving the callflow answered ${response.status()}: ${flow.slice(0, 300)}`);
	}
	await settle(page);
}

async function switchAccount(page, accountName) {
	await page.click('#main_topbar_account_toggle_link');
	await page.click(`#main_topbar_account_toggle_container .account-list-element[data-name="${accountName}"]`);
	await page.waitForSelector(`.core-topbar:has-text("Masquerading"):has-text("${accountName}")`);
	await settle(page);
}

async function findNewUser(page) {
	if (!passed(`add user ${newUser.first} ${newUser.last}`)) {
		throw new Skip('the user was not added');
	}
	await openApp(page, 'voip', '#voip_container .left-menu');
	await openTab(page, 'users', `#users_container .grid-row:has-text("${newUser.last}")`);
}

async function switchHome(page) {
	await page.click('#main_topbar_account_toggle_link');
	await page.click('#main_topbar_account_toggle_container .home-account-link');
	await page.waitForSelector('.core-topbar:has-text("Masquerading")', { state: 'detached' });
	await settle(page);
}

async function logOut(page) {
	await page.click('#main_topbar_signout_link');
	await page.click('.monster-confirm #confirm_button');
	await page.waitForSelector('#form_login', { state: 'visible' });
}

// --- harness ---

async function phase(page, login, list) {
	if (phaseFailed) {
		await recover(page, login);
	}
	phaseFailed = false;
	for (const [name, action] of list) {
		if (phaseFailed) {
			steps.push({ name, status: 'skipped' });
			continue;
		}
		current = name;
		console.log(`step: ${name}`);
		try {
			await action();
			steps.push({ name, status: 'ok' });
		} catch (error) {
			if (error instanceof Skip) {
				steps.push({ name, status: 'skipped', error: error.message });
				continue;
			}
			phaseFailed = true;
			steps.push({ name, status: 'FAILED', error: error.message.split('\n').slice(0, 4).join(' | ') });
			await shot(page, `failed-${steps.length}-${name.replace(/\W+/g, '-')}`);
		}
		await closeAlerts(page);
	}
}

function passed(name) {
	return steps.some((s) => s.name === name && s.status === 'ok');
}

// Start over from the login form (logging in when a login is given).
async function recover(page, login) {
	current = `recover${login ? ` (log in as ${login.username})` : ''}`;
	try {
		await page.context().clearCookies();
		await openMonster(page);
		if (login) {
			await logIn(page, login);
		}
	} catch (error) {
		steps.push({ name: current, status: 'FAILED', error: error.message.split('\n')[0] });
	}
}

// Let the requests a click started finish (Monster counts the API calls it has in flight), then
// close the alerts they opened (recorded by watch()): a modal alert blocks every later click.
async function settle(page) {
	await page.waitForFunction(() => !window.monster?.apps?.core?.request?.counter, null,
		{ polling: 100, timeout: 10000 }).catch(() => {});
	await page.waitForLoadState('networkidle').catch(() => {});
	await page.waitForTimeout(300);
	await closeAlerts(page);
}

// Close Monster's alert dialogs (they may sit in hidden content, so through jQuery UI).
async function closeAlerts(page) {
	await page.evaluate(() => window.$?.('.ui-dialog.monster-alert .ui-dialog-content').dialog('close'))
		.catch(() => {});
}

async function shot(page, name) {
	await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true }).catch(() => {});
}

async function watch(page) {
	page.on('pageerror', (error) => pageErrors.push({ step: current, text: error.message }));
	page.on('console', (message) => {
		// Failed loads are listed from the network events, with their address.
		if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
			consoleErrors.push({ step: current, text: message.text().replace(/127\.0\.0\.1:\d+/g, 'HOST').slice(0, 200) });
		}
	});
	page.on('response', async (response) => {
		if (response.status() >= 400) {
			const call = record(response.request(), response.status());
			call.body = brief(await response.text().catch(() => ''));
		}
	});
	// A call the browser refused (CORS preflight) never shows its status: ask the gateway.
	page.on('requestfailed', async (request) => {
		const call = record(request, request.failure()?.errorText);
		if (request.url().startsWith(API_URL)) {
			call.body = await probe(request);
		}
	});
	// Report every alert dialog and toast Monster opens, even one that closes again.
	await page.exposeFunction('e2eReport', (kind, text) => dialogs.push({ step: current, kind, text }));
	await page.addInitScript(() => {
		const seen = new WeakSet();
		new MutationObserver(() => {
			for (const element of document.querySelectorAll('.ui-dialog.monster-alert, #toast-container .toast')) {
				if (seen.has(element)) {
					continue;
				}
				seen.add(element);
				const error = element.querySelector('.fa-times-circle') || element.matches('.api-error-dialog, .toast-error');
				const kind = `${error ? 'error' : 'notice'} ${element.matches('.toast') ? 'toast' : 'dialog'}`;
				// API error dialogs end with the raw reply, listed already with the failed calls
				const text = element.textContent.split('\u2295')[0].replace(/\s+/g, ' ').trim();
				window.e2eReport(kind, text.slice(0, 300));
			}
		}).observe(document, { childList: true, subtree: true });
	});
}

function record(request, status) {
	const url = request.url().replace(/[?&]_=\d+$/, '');
	const call = { step: current, verb: request.method(), status };
	call.path = url.startsWith(API_URL) ? '/v2/' + url.slice(API_URL.length) : url;
	(url.startsWith(API_URL) ? failedCalls : otherFailures).push(call);
	return call;
}

async function probe(request) {
	const headers = { Origin: new URL(MONSTER_URL).origin, 'Access-Control-Request-Method': request.method() };
	const preflight = await fetch(request.url(), { method: 'OPTIONS', headers }).catch((e) => e);
	let text = `(preflight OPTIONS -> ${preflight.status ?? preflight.message}`;
	if (request.method() === 'GET') {
		const token = (await request.allHeaders())['x-auth-token'];
		const reply = await fetch(request.url(), { headers: token ? { 'X-Auth-Token': token } : {} }).catch((e) => e);
		text += `; GET -> ${reply.status ?? reply.message}) ${brief(await reply.text?.().catch(() => '') ?? '')}`;
	}
	return text;
}

// The useful part of a crossbar error reply.
function brief(text) {
	try {
		const { error, message, data } = JSON.parse(text);
		return JSON.stringify({ error, message, data }).slice(0, 300);
	} catch {
		return text.replace(/\s+/g, ' ').slice(0, 120);
	}
}

// Same rows once, with how often and in which steps they came.
function grouped(rows, key) {
	const groups = new Map();
	for (const row of rows) {
		const group = groups.get(key(row)) ?? { ...row, count: 0, steps: new Set() };
		group.count += 1;
		group.steps.add(row.step);
		groups.set(key(row), group);
	}
	return [...groups.values()];
}

function report() {
	const section = (title, rows, format) => {
		console.log(`\n=== ${title} (${rows.length}) ===`);
		rows.forEach((row) => console.log(`  ${format(row)}`));
	};
	const seen = (g) => `  x${g.count} in: ${[...g.steps].join('; ')}`;
	section('steps', steps, (s) => `${s.status.padEnd(7)} ${s.name}${s.error ? `\n            ${s.error}` : ''}`);
	section('failed /v2/ calls', grouped(failedCalls, (c) => `${c.verb} ${c.path} ${c.status}`),
		(c) => `${c.verb} ${c.path} -> ${c.status} ${c.body ?? ''}\n    ${seen(c)}`);
	section('page errors', pageErrors, (e) => `[${e.step}] ${e.text}`);
	section('dialogs and toasts', dialogs, (d) => `[${d.step}] ${d.kind}: ${d.text}`);
	section('other failed requests', grouped(otherFailures, (c) => `${c.verb} ${c.path} ${c.status}`),
		(c) => `${c.verb} ${c.path} -> ${c.status}${seen(c)}`);
	section('console errors', grouped(consoleErrors, (e) => e.text), (e) => `${e.text}${seen(e)}`);
	writeFileSync(join(SCREENSHOTS, '..', 'report.json'),
		JSON.stringify({ steps, failedCalls, pageErrors, dialogs, otherFailures, consoleErrors }, null, 1));
}

async function main() {
	const profile = mkdtempSync(join(tmpdir(), 'monster-e2e-'));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: CHROMIUM,
		headless: true,
		viewport: { width: 1440, height: 900 },
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
			'--disable-background-networking', '--disable-component-update', '--disable-sync']
	});
	try {
		const page = context.pages()[0] ?? await context.newPage();
		page.setDefaultTimeout(30000);
		await watch(page);
		await scenario(page);
	} finally {
		await context.close();
		rmSync(profile, { recursive: true, force: true });
	}
	report();
	const failed = steps.some((s) => s.status !== 'ok') || pageErrors.length
		|| dialogs.some((d) => d.kind.startsWith('error'));
	return failed ? 1 : 0;
}

process.exitCode = await main();
