// Browser harness for the tests: drives Debian's headless chromium through playwright-core.
//
// Reads one JSON command per line on stdin and prints one JSON line per command on stdout, in order:
//   {"id":1,"cmd":"open","page":"p1","url":"http://...","timeoutMs":15000}  -> {"id":1,"ok":true,"result":{"status":200,"title":"..."}}
//   {"id":2,"cmd":"eval","page":"p1","expr":"window.__received.length"}       -> result: the JSON value (promises awaited)
//   {"id":3,"cmd":"wait","page":"p1","expr":"window.__closed","timeoutMs":5000} -> result: the first truthy value
//   {"id":4,"cmd":"reload","page":"p1"} {"id":5,"cmd":"close","page":"p1"}
//   {"id":6,"cmd":"console","page":"p1"}  -> result: {"messages":[{type,text}],"pageErrors":[...],"failedRequests":[...]}
//   {"id":7,"cmd":"screenshot","page":"p1","path":"/abs/file.png"}
//   {"id":8,"cmd":"quit"}
// Failures answer {"id":N,"ok":false,"error":"..."}. The first line printed is {"ready":true,"version":...} once
// the browser runs, or {"ready":false,"error":...} (then the process exits 1). Each page gets its own browser
// context (own cookies and storage), like a separate user. Diagnostics go to stderr.
'use strict';
const readline = require('readline');

function out(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

const launchArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update'];

async function main() {
  let chromium;
  try {
    ({ chromium } = require('playwright-core'));
  } catch (e) {
    out({ ready: false, error: 'playwright-core not found (run scripts/install-test-deps): ' + e.message });
    process.exit(1);
  }
  const executablePath = process.env.SWITCHBOARD_CHROMIUM || '/usr/bin/chromium';
  let browser;
  try {
    browser = await chromium.launch({ executablePath: executablePath, args: launchArgs, headless: true,
      timeout: 60000 });
  } catch (e) {
    out({ ready: false, error: 'cannot launch ' + executablePath + ': ' + e.message });
    process.exit(1);
  }
  const pages = new Map(); // name -> {context, page, messages, pageErrors, failedRequests}

  function entry(name) {
    const e = pages.get(name);
    if (!e) throw new Error('no page named ' + JSON.stringify(name));
    return e;
  }

  async function openPage(name) {
    let e = pages.get(name);
    if (e) return e;
    const context = await browser.newContext();
    const page = await context.newPage();
    e = { context: context, page: page, messages: [], pageErrors: [], failedRequests: [] };
    page.on('console', (m) => e.messages.push({ type: m.type(), text: m.text() }));
    page.on('pageerror', (err) => e.pageErrors.push(String(err && err.message ? err.message : err)));
    page.on('requestfailed', (r) => e.failedRequests.push({ url: r.url(),
      error: r.failure() ? r.failure().errorText : '' }));
    pages.set(name, e);
    return e;
  }

  const handlers = {
    async open(c) {
      const e = await openPage(c.page);
      const res = await e.page.goto(c.url, { waitUntil: c.waitUntil || 'load', timeout: c.timeoutMs || 15000 });
      return { status: res ? res.status() : 0, title: await e.page.title(), url: e.page.url() };
    },
    async eval(c) {
      const v = await entry(c.page).page.evaluate(c.expr);
      return v === undefined ? null : v;
    },
    async wait(c) {
      // Polled from here with page.evaluate (DevTools evaluation, exempt from the page's CSP): waitForFunction
      // would re-evaluate the string inside the page with eval, which the demo pages' strict CSP forbids.
      const page = entry(c.page).page;
      const deadline = Date.now() + (c.timeoutMs || 10000);
      for (;;) {
        const v = await page.evaluate(c.expr);
        if (v) {
          return v;
        }
        if (Date.now() > deadline) {
          throw new Error('timed out waiting for: ' + c.expr);
        }
        await new Promise((r) => setTimeout(r, c.pollingMs || 50));
      }
    },
    async reload(c) {
      const e = entry(c.page);
      const res = await e.page.reload({ waitUntil: c.waitUntil || 'load', timeout: c.timeoutMs || 15000 });
      return { status: res ? res.status() : 0, title: await e.page.title(), url: e.page.url() };
    },
    async close(c) {
      const e = pages.get(c.page);
      if (e) {
        pages.delete(c.page);
        await e.context.close();
      }
      return true;
    },
    async console(c) {
      const e = entry(c.page);
      return { messages: e.messages, pageErrors: e.pageErrors, failedRequests: e.failedRequests };
    },
    async screenshot(c) {
      await entry(c.page).page.screenshot({ path: c.path, fullPage: true });
      return c.path;
    },
    async version() {
      return browser.version();
    },
  };

  let quitting = false;
  async function quit(code) {
    if (quitting) return;
    quitting = true;
    try {
      await browser.close();
    } catch (e) {
      process.stderr.write('page.js: browser.close failed: ' + e.message + '\n');
    }
    process.exit(code);
  }

  out({ ready: true, version: browser.version() });
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  let chain = Promise.resolve(); // commands run one at a time, answers come in order
  rl.on('line', (line) => {
    if (!line.trim()) return;
    chain = chain.then(async () => {
      let c;
      try {
        c = JSON.parse(line);
      } catch (e) {
        out({ id: null, ok: false, error: 'bad command line: ' + e.message });
        return;
      }
      if (c.cmd === 'quit') {
        out({ id: c.id, ok: true, result: true });
        await quit(0);
        return;
      }
      const h = handlers[c.cmd];
      if (!h) {
        out({ id: c.id, ok: false, error: 'unknown command ' + JSON.stringify(c.cmd) });
        return;
      }
      try {
        out({ id: c.id, ok: true, result: await h(c) });
      } catch (e) {
        out({ id: c.id, ok: false, error: String(e && e.message ? e.message : e) });
      }
    });
  });
  rl.on('close', () => {
    chain.then(() => quit(0));
  });
  process.on('SIGTERM', () => quit(0));
}

main().catch((e) => {
  out({ ready: false, error: String(e && e.stack ? e.stack : e) });
  process.exit(1);
});
