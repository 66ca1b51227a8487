// Live chat and viewer counter for the Switchboard widgets dialect (inLive Real-Time Widget API compatible).
// Plain JavaScript, no build step.
//
// How a widget page works, exactly as the inLive SDK and tutorials do:
//   1. new EventSource('/subscribe/<streamId>') and read every event through onmessage (events have no name;
//      the envelope's "type" tells them apart)
//   2. the first event is "init": message.user_id is this viewer, message.token the publish token,
//      message.viewer_count the viewers including this one
//   3. "system" events carry {status: "join"|"leave"|"end", viewer_count}; "broadcast" and "private" carry the
//      widgets' messages; "request" the stored broadcasts asked for; "webhook" a webhook's outcome
//   4. publish with POST /publish/<streamId>?token=<token> and a JSON envelope
//      {message, timestamp (video time, seconds), type, widget_key[, to_user_id]}; the answer is only
//      {"code":200,"message":"ok"}, every result arrives over the subscription (a broadcast reaches the sender too)
//
// Resume (Switchboard, beyond the original): the page keeps the last event id and its token in sessionStorage and
// a reload subscribes with ?last_event_id=<id>&token=<token>, so it keeps its user_id and misses no broadcast
// published meanwhile. EventSource's own reconnects send Last-Event-ID by themselves.
//
// Query string: stream (or stream_id), widget_key, transport=ws (the WebSocket variant of subscribe instead of
// EventSource), resume=0 (start afresh on load).
//
// Test hooks (stable, used by the browser tests):
//   window.__received / window.__events  every event: {id (SSE id or ""), type, envelope}
//   window.__init         the init envelope of the current subscription
//   window.__userId, window.__token, window.__viewerCount
//   window.__closed       null while subscribed; {code, reason} when the WebSocket closed, or
//                         {code: 0, reason: "eventsource closed"} when EventSource gave up
//   window.__errors       failed publishes and subscription errors: {op, status, body}
//   window.__widget       {subscribe(), unsubscribe(), publish(envelope) -> {status, body}, send(text, toUserId),
//                          request(after, limit), webhook(url)}
//   #viewer-count, #user-id, #status; #chat > li.event (.broadcast | .private | .system | .from-request) with
//   data-type, data-seq, data-author; #webhooks > li.webhook with data-status
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  const state = { es: null, ws: null, stream: '', widgetKey: '', shownSeq: new Set(), authors: new Set() };

  window.__events = [];
  window.__received = window.__events;
  window.__init = null;
  window.__userId = null;
  window.__token = null;
  window.__viewerCount = null;
  window.__closed = null;
  window.__errors = [];

  const storageKey = () => 'switchboard.widgets.' + state.stream;
  function saved() {
    try {
      return JSON.parse(sessionStorage.getItem(storageKey()) || 'null');
    } catch (e) {
      return null;
    }
  }
  function save(patch) {
    try {
      sessionStorage.setItem(storageKey(), JSON.stringify(Object.assign(saved() || {}, patch)));
    } catch (e) {
      // storage unavailable: resume on reload is simply lost
    }
  }

  // Video time in seconds: a real page would read its player's currentTime.
  const videoTime = () => Math.round(performance.now()) / 1000;

  function setStatus(cls, text) {
    const s = $('status');
    s.className = cls;
    s.textContent = text;
  }

  function setSubscribed(on) {
    $('subscribe').disabled = on;
    $('unsubscribe').disabled = !on;
    for (const id of ['text', 'send', 'request', 'to-user']) $(id).disabled = !on;
  }

  function line(list, cls, parts, data) {
    const li = document.createElement('li');
    li.className = cls;
    for (const [k, v] of Object.entries(data || {})) li.dataset[k] = String(v);
    for (const [c, t] of parts) {
      const span = document.createElement('span');
      span.className = c;
      span.textContent = t; // never innerHTML: messages are untrusted
      li.appendChild(span);
    }
    list.appendChild(li);
    list.scrollTop = list.scrollHeight;
    return li;
  }

  function textOf(message) {
    if (message && typeof message === 'object' && typeof message.text === 'string') return message.text;
    return JSON.stringify(message);
  }

  function noteAuthor(id) {
    if (!id || id === '0' || id === window.__userId || state.authors.has(id)) return;
    state.authors.add(id);
    const o = document.createElement('option');
    o.value = id;
    o.textContent = id.slice(0, 8);
    $('to-user').appendChild(o);
  }

  function showChat(env, cls) {
    if (typeof env.seq === 'number') {
      if (state.shownSeq.has(env.seq)) return;
      state.shownSeq.add(env.seq);
    }
    noteAuthor(env.author_id);
    const mine = env.author_id === window.__userId ? ' mine' : '';
    line($('chat'), 'event ' + cls + mine, [['time', typeof env.timestamp === 'number' ? env.timestamp.toFixed(1) + 's' : ''],
      ['who', (env.author_id || '?').slice(0, 8) + (env.type === 'private' ? ' (private):' : ':')],
      ['text', textOf(env.message)]], { type: env.type, seq: env.seq === undefined ? '' : env.seq,
      author: env.author_id || '' });
  }

  function setViewers(n) {
    if (typeof n !== 'number') return;
    window.__viewerCount = n;
    $('viewer-count').textContent = String(n);
  }

  function handle(env, id) {
    window.__events.push({ id: id, type: env.type, envelope: env });
    if (id) save({ lastEventId: id });
    const m = env.message || {};
    switch (env.type) {
      case 'init':
        window.__init = env;
        window.__userId = m.user_id;
        window.__token = m.token;
        save({ token: m.token, userId: m.user_id });
        $('user-id').textContent = String(m.user_id).slice(0, 8);
        setViewers(m.viewer_count);
        setStatus('open', 'subscribed');
        break;
      case 'system':
        setViewers(m.viewer_count);
        line($('chat'), 'event system', [['text', 'viewer ' + m.status + ' (' + m.viewer_count + ' watching)']],
          { type: 'system', status: m.status });
        if (m.status === 'end') {
          unsubscribe();
          setStatus('closed', 'stream ended');
        }
        break;
      case 'broadcast':
        showChat(env, 'broadcast');
        break;
      case 'private':
        showChat(env, 'private');
        break;
      case 'request':
        if (Array.isArray(env.message)) env.message.forEach((b) => showChat(b, 'broadcast from-request'));
        break;
      case 'webhook':
        line($('webhooks'), 'webhook', [['text', m.url + ' → ' + (m.ok ? m.status : (m.error || m.status))
          + ' after ' + m.attempts + ' attempt(s) ' + (m.body || '')]], { status: m.status, ok: m.ok });
        break;
      default:
        break;
    }
  }

  function subscribeUrl(useResume) {
    const q = new URLSearchParams();
    const s = useResume ? saved() : null;
    if (s && s.lastEventId) q.set('last_event_id', s.lastEventId);
    if (s && s.token) q.set('token', s.token);
    const qs = q.toString();
    return '/subscribe/' + encodeURIComponent(state.stream) + (qs ? '?' + qs : '');
  }

  function subscribe() {
    if (state.es || state.ws) return;
    state.stream = $('stream').value.trim();
    state.widgetKey = $('widget-key').value.trim();
    window.__closed = null;
    $('close-info').textContent = '';
    const useResume = params.get('resume') !== '0' || state.subscribedOnce;
    state.subscribedOnce = true;
    const url = subscribeUrl(useResume);
    setStatus('connecting', 'connecting');
    setSubscribed(true);
    if (params.get('transport') === 'ws') {
      const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
      const ws = new WebSocket(scheme + location.host + url);
      state.ws = ws;
      ws.onmessage = (ev) => {
        let env;
        try {
          env = JSON.parse(ev.data);
        } catch (e) {
          return;
        }
        handle(env, typeof env.seq === 'number' ? String(env.seq) : '');
      };
      ws.onclose = (ev) => {
        window.__closed = { code: ev.code, reason: ev.reason };
        state.ws = null;
        setStatus('closed', 'closed');
        $('close-info').textContent = ev.code + ' ' + ev.reason;
        setSubscribed(false);
      };
      return;
    }
    const es = new EventSource(url);
    state.es = es;
    es.onmessage = (ev) => {
      let env;
      try {
        env = JSON.parse(ev.data);
      } catch (e) {
        return;
      }
      handle(env, ev.lastEventId);
    };
    es.onerror = () => {
      if (es.readyState === EventSource.CLOSED) {
        // a non-200 answer or a wrong content type: EventSource gives up for good
        window.__closed = { code: 0, reason: 'eventsource closed' };
        window.__errors.push({ op: 'subscribe', status: 0, body: 'eventsource closed' });
        state.es = null;
        setStatus('closed', 'closed');
        setSubscribed(false);
      } else {
        setStatus('connecting', 'reconnecting'); // EventSource retries by itself, sending Last-Event-ID
      }
    };
  }

  function unsubscribe() {
    if (state.es) {
      state.es.close();
      state.es = null;
      window.__closed = { code: 0, reason: 'unsubscribed' };
      setStatus('closed', 'not subscribed');
      setSubscribed(false);
    }
    if (state.ws) state.ws.close(1000, 'bye');
  }

  async function publish(envelope) {
    const body = Object.assign({ widget_key: state.widgetKey, timestamp: videoTime() }, envelope);
    const res = await fetch('/publish/' + encodeURIComponent(state.stream) + '?token='
      + encodeURIComponent(window.__token || ''), {
      method: 'POST',
      mode: 'cors',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    const t = await res.text();
    let reply;
    try {
      reply = JSON.parse(t);
    } catch (e) {
      reply = t;
    }
    if (!reply || reply.code !== 200) { // the tutorials' check
      window.__errors.push({ op: 'publish', status: res.status, body: reply });
      $('publish-error').textContent = 'publish failed: ' + (reply && reply.message ? reply.message : res.status);
    } else {
      $('publish-error').textContent = '';
    }
    return { status: res.status, body: reply };
  }

  function send(text, toUserId) {
    if (toUserId) return publish({ type: 'private', to_user_id: toUserId, message: { text: text } });
    return publish({ type: 'broadcast', message: { text: text } });
  }

  function request(after, limit) {
    const m = {};
    if (after !== undefined && after !== null) m.after = after;
    if (limit !== undefined && limit !== null) m.limit = limit;
    return publish({ type: 'request', message: m });
  }

  function webhook(url) {
    return publish({ type: 'webhook', message: { url: url } });
  }

  window.__widget = { subscribe: subscribe, unsubscribe: unsubscribe, publish: publish, send: send,
    request: request, webhook: webhook };

  $('stream').value = params.get('stream') || params.get('stream_id') || '';
  $('widget-key').value = params.get('widget_key') || '';
  $('stream-form').addEventListener('submit', (e) => {
    e.preventDefault();
    subscribe();
  });
  $('unsubscribe').addEventListener('click', unsubscribe);
  $('compose').addEventListener('submit', (e) => {
    e.preventDefault();
    const t = $('text').value;
    if (!t) return;
    $('text').value = '';
    send(t, $('to-user').value).catch((err) => window.__errors.push({ op: 'publish', status: 0, body: String(err) }));
  });
  $('request').addEventListener('click', () => {
    request().catch((err) => window.__errors.push({ op: 'publish', status: 0, body: String(err) }));
  });
  if ($('stream').value) subscribe();
})();
