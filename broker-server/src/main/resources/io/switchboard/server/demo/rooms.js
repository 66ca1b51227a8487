// Room chat demo for the Switchboard rooms dialect (Talkee compatible). Plain JavaScript, no build step.
//
// How a page joins a room, exactly as the Talkee web client does:
//   1. open a WebSocket to ws(s)://<broker>/ws?site_id=<site>&slug=<slug>
//   2. as soon as it opens, send {"type":"auth","token":"<HS256 site token>"}; nothing is sent back on success
//   3. every frame received afterwards is one bare message object: {category, data (Base64), created_at, user, ...}
//   4. post with POST /ws/messages?site_id&slug (Authorization: Bearer <token>); the sender's own sockets do not
//      receive the message back, the page adds the POST response to its list instead
//   5. history: GET /ws/messages?site_id&slug&filter=latest, a bare array, oldest first
//
// Query string: site_id, slug, token (optional: without one the socket stays an unauthenticated viewer until the
// broker's auth deadline), auth=none (open the socket but never send the auth frame).
//
// Test hooks (stable, used by the browser tests):
//   window.__received  every message shown or posted: {source: "ws"|"post"|"history", id, message_id, text, message}
//   window.__opened    true once the socket opened (and the auth frame, if any, was sent)
//   window.__closed    null while open; {code, reason, wasClean} once the socket closed
//   window.__errors    failed HTTP calls: {op, status, body}
//   window.__room      {connect(), disconnect(), post(text) -> {status, body}, history(params) -> {status, body, nextBefore}}
//   #messages > li.message (.from-ws | .from-post | .from-history) with data-source, data-id, data-message-id
//   #status (text and class idle|connecting|open|closed), #close-info ("<code> <reason>")
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  const state = { ws: null, siteId: '', slug: '', token: '', shown: new Set() };

  window.__received = [];
  window.__opened = false;
  window.__closed = null;
  window.__errors = [];

  // --- encoding: the broker stores opaque bytes as standard Base64 ---
  function encodeText(text) {
    const bytes = new TextEncoder().encode(text);
    let bin = '';
    for (const b of bytes) bin += String.fromCharCode(b);
    return btoa(bin);
  }

  function decodeData(data) {
    try {
      const bin = atob(data);
      const bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      return new TextDecoder('utf-8').decode(bytes); // not fatal: posted bytes need not be UTF-8
    } catch (e) {
      return '';
    }
  }

  function uuid() {
    if (window.crypto && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16)); // randomUUID needs a secure context, this does not
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }

  function roomQuery() {
    return 'site_id=' + encodeURIComponent(state.siteId) + '&slug=' + encodeURIComponent(state.slug);
  }

  // --- rendering ---
  function show(source, msg) {
    const text = decodeData(typeof msg.data === 'string' ? msg.data : '');
    window.__received.push({ source: source, id: msg.id, message_id: msg.message_id, text: text, message: msg });
    const key = msg.message_id || (msg.id !== undefined ? '#' + msg.id : null);
    if (key !== null && state.shown.has(key)) return; // already on screen (history overlapping live messages)
    if (key !== null) state.shown.add(key);
    const li = document.createElement('li');
    li.className = 'message from-' + source;
    li.dataset.source = source;
    if (msg.id !== undefined) li.dataset.id = String(msg.id);
    if (msg.message_id) li.dataset.messageId = msg.message_id;
    const time = document.createElement('span');
    time.className = 'time';
    time.textContent = msg.created_at || '';
    const who = document.createElement('span');
    who.className = 'who';
    who.textContent = ((msg.user && msg.user.full_name) || 'user ' + (msg.user ? msg.user.id : '?')) + ':';
    const body = document.createElement('span');
    body.className = 'text';
    body.textContent = text; // never innerHTML: messages are untrusted
    li.append(time, who, body);
    const list = $('messages');
    list.appendChild(li);
    list.scrollTop = list.scrollHeight;
  }

  function setStatus(cls, text) {
    const s = $('status');
    s.className = cls;
    s.textContent = text;
  }

  function setConnected(on) {
    $('connect').disabled = on;
    $('disconnect').disabled = !on;
    $('text').disabled = !on || !state.token;
    $('send').disabled = !on || !state.token;
    $('load-history').disabled = !on;
  }

  // --- the socket ---
  function connect() {
    if (state.ws) return;
    state.siteId = $('site-id').value.trim();
    state.slug = $('slug').value.trim();
    state.token = $('token').value.trim();
    window.__opened = false;
    window.__closed = null;
    $('close-info').textContent = '';
    const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
    const ws = new WebSocket(scheme + location.host + '/ws?' + roomQuery());
    state.ws = ws;
    setStatus('connecting', 'connecting');
    ws.onopen = () => {
      if (state.token && params.get('auth') !== 'none') {
        ws.send(JSON.stringify({ type: 'auth', token: state.token })); // no reply on success
      }
      window.__opened = true;
      setStatus('open', state.token ? 'open' : 'open (viewer)');
      setConnected(true);
      history().catch((err) => window.__errors.push({ op: 'history', status: 0, body: String(err) }));
    };
    ws.onmessage = (ev) => {
      let msg;
      try {
        msg = JSON.parse(ev.data);
      } catch (e) {
        console.warn('rooms demo: ignoring a frame that is not JSON');
        return;
      }
      if (msg && typeof msg === 'object') show('ws', msg);
    };
    ws.onclose = (ev) => {
      window.__closed = { code: ev.code, reason: ev.reason, wasClean: ev.wasClean };
      state.ws = null;
      setStatus('closed', 'closed');
      $('close-info').textContent = ev.code + ' ' + ev.reason;
      setConnected(false);
    };
  }

  function disconnect() {
    if (state.ws) state.ws.close(1000, 'bye');
  }

  // --- HTTP ---
  async function readBody(res) {
    const t = await res.text();
    try {
      return JSON.parse(t);
    } catch (e) {
      return t;
    }
  }

  async function post(text) {
    const body = { message_id: uuid(), category: 'text', data: encodeText(text) };
    const res = await fetch('/ws/messages?' + roomQuery(), {
      method: 'POST',
      mode: 'cors',
      headers: { 'Authorization': 'Bearer ' + state.token, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    const reply = await readBody(res);
    if (res.ok && reply && typeof reply === 'object') {
      show('post', reply); // the broker does not echo our own message over the socket
      $('post-error').textContent = '';
    } else {
      window.__errors.push({ op: 'post', status: res.status, body: reply });
      $('post-error').textContent = 'post failed: ' + res.status + ' ' + (reply && reply.msg ? reply.msg : '');
    }
    return { status: res.status, body: reply };
  }

  async function history(extra) {
    const q = new URLSearchParams(extra || {});
    if (!q.has('filter')) q.set('filter', 'latest');
    const headers = state.token ? { 'Authorization': 'Bearer ' + state.token } : {};
    const res = await fetch('/ws/messages?' + roomQuery() + '&' + q.toString(), { mode: 'cors', headers: headers });
    const reply = await readBody(res);
    if (res.ok && Array.isArray(reply)) {
      reply.forEach((m) => show('history', m));
    } else {
      window.__errors.push({ op: 'history', status: res.status, body: reply });
    }
    return { status: res.status, body: reply, nextBefore: res.headers.get('X-Next-Before') };
  }

  window.__room = { connect: connect, disconnect: disconnect, post: post, history: history };

  // --- wiring ---
  $('site-id').value = params.get('site_id') || '';
  $('slug').value = params.get('slug') || '';
  $('token').value = params.get('token') || '';
  $('room-form').addEventListener('submit', (e) => {
    e.preventDefault();
    connect();
  });
  $('disconnect').addEventListener('click', disconnect);
  $('compose').addEventListener('submit', (e) => {
    e.preventDefault();
    const t = $('text').value;
    if (!t) return;
    $('text').value = '';
    post(t).catch((err) => window.__errors.push({ op: 'post', status: 0, body: String(err) }));
  });
  $('load-history').addEventListener('click', () => {
    history().catch((err) => window.__errors.push({ op: 'history', status: 0, body: String(err) }));
  });
  if (params.get('site_id') && params.get('slug')) connect();
})();
