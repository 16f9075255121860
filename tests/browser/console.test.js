// The customer console in a real browser (Debian's chromium, driven by
// puppeteer-core): sign in, switch the API off and on, rotate the secret,
// change the defaults, ask what a create would do; each change checked
// through the BBB API at the next call. Screenshots of every page go to
// SCREENSHOT_DIR (docs/console.md shows them). Then the same console with
// JavaScript switched off, and on a phone-sized screen.
const { test, before, after } = require('node:test');
const assert = require('node:assert');
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const puppeteer = require('puppeteer-core');

const BIN = process.env.BBBGATE_BIN;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const SHOTS = process.env.SCREENSHOT_DIR ||
  fs.mkdtempSync(path.join(os.tmpdir(), 'bbbgate-console-'));

let demo;
let browser;
const site = {};

function startDemo() {
  return new Promise((resolve, reject) => {
    demo = spawn(BIN, ['demo', '--port', '0', '--seconds', '600'],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error('demo did not start: ' + out)), 20000);
    demo.stdout.on('data', (chunk) => {
      out += chunk;
      const api = out.match(/BBB API URL: (\S+)/);
      const secret = out.match(/Secret:\s+(\S+)/);
      const konsole = out.match(/Customer console: (\S+)\s+\(account '(\S+)', password (\S+)\)/);
      const token = out.match(/Admin API token:\s+(\S+)/);
      if (api && secret && konsole && token) {
        clearTimeout(timer);
        Object.assign(site, {
          api: api[1], secret: secret[1], console: konsole[1],
          tenant: konsole[2], password: konsole[3], token: token[1],
        });
        resolve();
      }
    });
    demo.on('exit', (code) => reject(new Error('demo exited ' + code + ': ' + out)));
  });
}

async function bbb(call, query, secret) {
  const sum = crypto.createHash('sha1').update(call + query + secret).digest('hex');
  const res = await fetch(`${site.api}api/${call}?${query}${query ? '&' : ''}checksum=${sum}`);
  const xml = await res.text();
  const tag = (name) => (xml.match(new RegExp(`<${name}>([^<]*)</${name}>`)) || [])[1];
  return { xml, returncode: tag('returncode'), messageKey: tag('messageKey'), tag };
}

async function shot(page, name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, name), fullPage: true });
}

async function submit(page, selector) {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

async function signIn(page) {
  await page.goto(site.console);
  await page.type('#tenant', site.tenant);
  await page.type('#password', site.password);
  await submit(page, 'form[action="/console/login"] button');
}

async function unlabelledInputs(page) {
  return page.$$eval('input:not([type=hidden])', (inputs) =>
    inputs.filter((i) => i.labels.length === 0 && !i.getAttribute('aria-label'))
      .map((i) => i.outerHTML));
}

before(async () => {
  assert.ok(BIN, 'BBBGATE_BIN must name the bbbgate binary');
  await startDemo();
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
});

after(async () => {
  if (browser) await browser.close();
  if (demo) demo.kill('SIGTERM');
});

test('a customer runs its Integration API from the console', async () => {
  const page = await browser.newPage();
  await page.setViewport({ width: 1100, height: 900 });
  await page.goto(site.console);
  await shot(page, '01-sign-in.png');
  assert.deepStrictEqual(await unlabelledInputs(page), []);
  // A wrong password is refused on the page itself.
  await page.type('#tenant', site.tenant);
  await page.type('#password', 'not the password');
  await submit(page, 'form[action="/console/login"] button');
  assert.match(await page.content(), /Wrong customer account or password/);

  await signIn(page);
  assert.strictEqual(await page.$eval('#api-state', (e) => e.textContent), 'on');
  assert.strictEqual(await page.$eval('#secret-1', (e) => e.value), site.secret);
  assert.strictEqual(await page.$eval('#api-url', (e) => e.value),
    site.api);
  // With JavaScript the copy buttons show.
  assert.strictEqual(await page.$eval('.copy-btn', (b) => b.hidden), false);
  assert.deepStrictEqual(await unlabelledInputs(page), []);
  await shot(page, '02-integration-api.png');

  // Off: every call is refused, and the credentials are hidden.
  await submit(page, 'form[action="/console/api"] button');
  assert.strictEqual(await page.$eval('#api-state', (e) => e.textContent), 'off');
  assert.strictEqual(await page.$('#secret-1'), null);
  assert.strictEqual((await bbb('getMeetings', '', site.secret)).messageKey,
    'integrationApiDisabled');
  await shot(page, '03-api-off.png');
  await submit(page, 'form[action="/console/api"] button');
  assert.strictEqual((await bbb('getMeetings', '', site.secret)).returncode, 'SUCCESS');

  // Rotation: a new secret, both work, then the old one goes.
  await submit(page, 'form[action="/console/rotate"] button');
  const fresh = await page.$eval('#secret-2', (e) => e.value);
  assert.match(fresh, /^[0-9a-f]{64}$/);
  assert.strictEqual((await bbb('getMeetings', '', fresh)).returncode, 'SUCCESS');
  assert.strictEqual((await bbb('getMeetings', '', site.secret)).returncode, 'SUCCESS');
  await shot(page, '04-rotated.png');
  await submit(page, 'button[aria-label="Remove secret 1"]');
  assert.strictEqual((await bbb('getMeetings', '', site.secret)).messageKey, 'checksumError');
  assert.strictEqual((await bbb('getMeetings', '', fresh)).returncode, 'SUCCESS');

  // Defaults: a create that leaves maxParticipants out gets the new one.
  await page.$eval('#max_participants', (e) => { e.value = ''; });
  await page.type('#max_participants', '7');
  await page.$eval('#duration_minutes', (e) => { e.value = ''; });
  await page.type('#duration_minutes', '30');
  if (await page.$eval('#chat_texts', (e) => e.checked)) await page.click('#chat_texts');
  await submit(page, 'form[action="/console/defaults"] button');
  assert.match(await page.content(), /Defaults saved/);
  await shot(page, '05-defaults.png');
  const created = await bbb('create', 'meetingID=browser-room&name=Browser+room', fresh);
  assert.strictEqual(created.returncode, 'SUCCESS', created.xml);
  const info = await bbb('getMeetingInfo', 'meetingID=browser-room', fresh);
  assert.strictEqual(info.tag('maxUsers'), '7', info.xml);

  // Usage now, and what a create would do.
  await page.goto(site.console);
  assert.strictEqual(await page.$eval('#reserved', (e) => e.textContent), '7');
  assert.match(await page.content(), /browser-room/);
  await page.type('#probe', '60');
  await submit(page, 'form.probe button');
  assert.match(await page.$eval('#probe-result', (e) => e.textContent),
    /maxParticipantsExceedsSubscription/);
  await page.$eval('#probe', (e) => { e.value = ''; });
  await page.type('#probe', '40');
  await submit(page, 'form.probe button');
  assert.match(await page.$eval('#probe-result', (e) => e.textContent), /fits now/);
  await shot(page, '06-usage-and-history.png');
  await page.close();
});

test('the console works with JavaScript switched off, on a phone', async () => {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setJavaScriptEnabled(false);
  await page.setViewport({ width: 390, height: 844, isMobile: true });
  await signIn(page);
  assert.strictEqual(await page.$eval('#api-state', (e) => e.textContent), 'on');
  // No script: the copy buttons stay hidden, the values are still there.
  assert.strictEqual(await page.$eval('.copy-btn', (b) => b.hidden), true);
  await shot(page, '07-phone-without-javascript.png');
  await submit(page, 'form[action="/console/api"] button');
  assert.strictEqual(await page.$eval('#api-state', (e) => e.textContent), 'off');
  await submit(page, 'form[action="/console/api"] button');
  assert.strictEqual(await page.$eval('#api-state', (e) => e.textContent), 'on');
  // The page fits the phone's width.
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 400, `page is ${width}px wide`);
  await submit(page, 'form.signout button');
  assert.match(await page.content(), /Sign in/);
  await context.close();
});

test('the operator sees tenants and nodes and drains a node', async () => {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport({ width: 1100, height: 800 });
  await page.goto(site.console + 'operator');
  await page.type('#password', site.token);
  await submit(page, 'form[action="/console/operator/login"] button');
  const html = await page.content();
  assert.match(html, /<td>demo<\/td>/);
  assert.match(html, /<td>sim1<\/td>/);
  assert.deepStrictEqual(await unlabelledInputs(page), []);
  await page.select('#state-sim1', 'draining');
  await submit(page, 'form.inline button');
  assert.match(await page.content(), /The node's state was changed/);
  const nodes = await (await fetch(site.console.replace('/console/', '/admin/nodes/sim1'),
    { headers: { Authorization: 'Bearer ' + site.token } })).json();
  assert.strictEqual(nodes.state, 'draining');
  await shot(page, '08-operator.png');
  await context.close();
});
