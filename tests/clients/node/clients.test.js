// Real BBB client libraries (pinned by package-lock.json) against
// `bbbgate demo`: docs/clients.md section 7. Run by ctest with BBBGATE_BIN.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const http = require('node:http');
const crypto = require('node:crypto');
const bbbjs = require('bigbluebutton-js');
const bbbpromise = require('bbb-promise');

let demo;
let apiUrl; // e.g. http://127.0.0.1:PORT/demo/bigbluebutton/
let secret;

before(async () => {
  const bin = process.env.BBBGATE_BIN;
  assert.ok(bin, 'BBBGATE_BIN must point at the bbbgate binary');
  demo = spawn(bin, ['demo', '--port', '0', '--seconds', '300'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('demo did not start: ' + out)), 15000);
    demo.stdout.on('data', (chunk) => {
      out += chunk;
      const url = out.match(/BBB API URL: (\S+)/);
      const key = out.match(/Secret:\s+(\S+)/);
      if (url && key) {
        apiUrl = url[1];
        secret = key[1];
        clearTimeout(timer);
        resolve();
      }
    });
  });
});

after(() => {
  if (demo) demo.kill('SIGTERM');
});

// http.get never follows redirects: a join must be a 302 to a node.
function getNoRedirect(url) {
  return new Promise((resolve, reject) => {
    http.get(url, (res) => {
      res.resume();
      resolve({ status: res.statusCode, location: res.headers.location });
    }).on('error', reject);
  });
}

test('bigbluebutton-js: create, duplicate, info, join, end, wrong secret', async () => {
  const api = bbbjs.api(apiUrl, secret);
  const call = bbbjs.http;
  const id = 'conf-js-' + Date.now();
  const c = await call(api.administration.create('Room A', id, { attendeePW: 'ap', moderatorPW: 'mp' }));
  assert.equal(c.returncode, 'SUCCESS');
  assert.ok(c.createTime);
  assert.equal(String(c.meetingID), id);
  const again = await call(api.administration.create('Room A', id, { attendeePW: 'ap', moderatorPW: 'mp' }));
  assert.equal(again.messageKey, 'duplicateWarning');
  assert.equal(again.createTime, c.createTime);
  const info = await call(api.monitoring.getMeetingInfo(id));
  assert.equal(info.returncode, 'SUCCESS');
  assert.equal(info.createTime, c.createTime);
  const r = await getNoRedirect(api.administration.join('Jo Ann', id, 'mp', { createTime: c.createTime }));
  assert.equal(r.status, 302);
  assert.match(r.location, /^http:\/\/127\.0\.0\.1:\d+\/bigbluebutton\/api\/join\?.*checksum=[0-9a-f]{64}$/);
  const node = await getNoRedirect(r.location); // the node accepts the re-signed join
  assert.equal(node.status, 302);
  assert.match(node.location, /sessionToken=/);
  const running = await call(api.monitoring.isMeetingRunning(id));
  assert.equal(running.running, false);
  const list = await call(api.monitoring.getMeetings());
  assert.ok(JSON.stringify(list.meetings).includes(id));
  const end = await call(api.administration.end(id, 'mp'));
  assert.equal(end.returncode, 'SUCCESS');
  assert.equal(end.messageKey, 'sentEndMeetingRequest');
  const gone = await call(api.monitoring.getMeetingInfo(id));
  assert.equal(gone.messageKey, 'notFound');
  const wrong = bbbjs.api(apiUrl, 'not-the-secret');
  const denied = await call(wrong.monitoring.getMeetings());
  assert.equal(denied.returncode, 'FAILED');
  assert.equal(denied.messageKey, 'checksumError');
});

test("bigbluebutton-js: its own checksum bug on ' fails as on BBB", async () => {
  const api = bbbjs.api(apiUrl, secret);
  const res = await bbbjs.http(api.administration.create("It's mine", 'conf-quote-' + Date.now()));
  assert.equal(res.messageKey, 'checksumError');
});

test('bbb-promise: create, info, join, end, wrong secret', async () => {
  const host = apiUrl.replace(/\/$/, '');
  const server = bbbpromise.server(host, secret);
  const id = 'conf-promise-' + Date.now();
  const created = await server.administration.create('Room B', id, { attendeePW: 'ap', moderatorPW: 'mp' });
  assert.equal(created.response.returncode[0], 'SUCCESS');
  assert.equal(created.response.meetingID[0], id);
  const info = await server.monitoring.getMeetingInfo(id);
  assert.equal(info.response.createTime[0], created.response.createTime[0]);
  assert.equal(info.response.meetingName[0], 'Room B');
  const url = server.administration.join('Viewer', id, 'ap');
  const r = await getNoRedirect(url);
  assert.equal(r.status, 302);
  assert.match(r.location, /\/bigbluebutton\/api\/join\?/);
  const ended = await server.administration.end(id, 'mp');
  assert.equal(ended.response.returncode[0], 'SUCCESS');
  const gone = await server.monitoring.getMeetingInfo(id);
  assert.equal(gone.response.messageKey[0], 'notFound');
  const wrong = bbbpromise.server(host, 'wrong-secret');
  const denied = await wrong.monitoring.getMeetings();
  assert.equal(denied.response.returncode[0], 'FAILED');
  assert.equal(denied.response.messageKey[0], 'checksumError');
});

// Waits until `fn` returns something truthy (or fails after `ms`).
async function eventually(fn, ms) {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('bigbluebutton-js: a recorded meeting is listed, published, updated, deleted', async () => {
  const api = bbbjs.api(apiUrl, secret);
  const call = bbbjs.http;
  const id = 'rec-js-' + Date.now();
  const c = await call(api.administration.create('Lecture', id, { record: true, 'meta_bbb-context': 'Maths' }));
  assert.equal(c.returncode, 'SUCCESS');
  assert.equal((await call(api.administration.end(id, c.moderatorPW))).returncode, 'SUCCESS');
  // The demo's nodes publish a recording a second after its meeting ends
  // and call the gateway back; it is listed at once then.
  const listed = await eventually(async () => {
    const r = await call(api.recording.getRecordings({ meetingID: id }));
    return JSON.stringify(r).includes(c.internalMeetingID) ? r : null;
  }, 10000);
  assert.equal(listed.returncode, 'SUCCESS');
  const text = JSON.stringify(listed);
  assert.ok(text.includes('Maths'));
  assert.ok(!text.includes('_gw'), text);
  const recordID = c.internalMeetingID;
  const pub = await call(api.recording.publishRecordings(recordID, false));
  assert.equal(pub.returncode, 'SUCCESS');
  assert.equal(String(pub.published), 'false');
  const after = await call(api.recording.getRecordings({ recordID, state: 'any' }));
  assert.ok(JSON.stringify(after).includes('unpublished'));
  const upd = await call(api.recording.updateRecordings(recordID, { 'meta_bbb-context': 'Algebra' }));
  assert.equal(upd.returncode, 'SUCCESS');
  assert.ok(JSON.stringify(await call(api.recording.getRecordings({ recordID, state: 'any' }))).includes('Algebra'));
  const del = await call(api.recording.deleteRecordings(recordID));
  assert.equal(del.returncode, 'SUCCESS');
  const none = await call(api.recording.getRecordings({ recordID }));
  assert.equal(none.messageKey, 'noRecordings');
  const missing = await call(api.recording.deleteRecordings(recordID));
  assert.equal(missing.messageKey, 'notFound');
});

test('bbb-promise: recordings of one meeting and unknown ones', async () => {
  const host = apiUrl.replace(/\/$/, '');
  const server = bbbpromise.server(host, secret);
  const id = 'rec-promise-' + Date.now();
  const created = await server.administration.create('Seminar', id, { record: true, attendeePW: 'ap', moderatorPW: 'mp' });
  assert.equal(created.response.returncode[0], 'SUCCESS');
  await server.administration.end(id, 'mp');
  const got = await eventually(async () => {
    const r = await server.recording.getRecordings({ meetingID: id });
    return r.response.recordings && JSON.stringify(r).includes(id) ? r : null;
  }, 10000);
  assert.equal(got.response.returncode[0], 'SUCCESS');
  const none = await server.recording.getRecordings({ meetingID: 'no-such-meeting' });
  assert.equal(none.response.messageKey[0], 'noRecordings');
  const bad = await server.recording.publishRecordings('no-such-recording', true);
  assert.equal(bad.response.messageKey[0], 'notFound');
});

// bbb-webhooks through the gateway with the library's own hooks calls: the
// event reaches the client's receiver with its meetingID, signed as
// bbb-webhooks signs it, with the tenant's secret.
test('bigbluebutton-js: hooks/create, list, a signed event, destroy', async () => {
  const api = bbbjs.api(apiUrl, secret);
  const call = bbbjs.http;
  const got = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => { got.push({ url: req.url, body }); res.end('ok'); });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const cb = `http://127.0.0.1:${server.address().port}/hook`;
    const h = await call(api.hooks.create(cb));
    assert.equal(h.returncode, 'SUCCESS');
    assert.match(String(h.hookID), /^[0-9a-f-]{36}$/);
    const dup = await call(api.hooks.create(cb));
    assert.equal(dup.messageKey, 'duplicateWarning');
    assert.equal(String(dup.hookID), String(h.hookID));
    const list = await call(api.hooks.list());
    assert.equal(list.returncode, 'SUCCESS');
    assert.ok(JSON.stringify(list).includes(cb));
    const id = 'hook-js-' + Date.now();
    const c = await call(api.administration.create('Room H', id, { attendeePW: 'ap', moderatorPW: 'mp' }));
    assert.equal(c.returncode, 'SUCCESS');
    let created;
    for (let i = 0; i < 100 && !created; i++) {
      for (const r of got) {
        const form = new URLSearchParams(r.body);
        const events = JSON.parse(form.get('event') || '[]');
        const e = events.find((x) => x.data.id === 'meeting-created'
          && x.data.attributes.meeting['external-meeting-id'] === id);
        if (e) created = r;
      }
      if (!created) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(created, 'no meeting-created event for ' + id);
    const checksum = created.url.split('checksum=')[1];
    const expected = crypto.createHash('sha1').update(cb + created.body + secret).digest('hex');
    assert.equal(checksum, expected);
    const gone = await call(api.hooks.destroy(String(h.hookID)));
    assert.equal(gone.returncode, 'SUCCESS');
    assert.equal(String(gone.removed), 'true');
    await call(api.administration.end(id, 'mp'));
  } finally {
    server.close();
  }
});
