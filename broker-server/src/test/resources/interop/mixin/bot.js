// A Mixin bot run by the real npm SDK (@mixin.dev/mixin-node-sdk 7.5.5, unmodified) against a local broker.
//
// The SDK's Blaze loop (BlazeKeystoreClient) always dials wss://blaze.mixin.one; this shim redirects only that
// address, in the `ws` module the SDK requires, to BROKER_WS (ws://127.0.0.1:PORT). The subprotocol
// (Mixin-Blaze-1), the Authorization header and every other option pass through untouched. The same wrapper
// observes (never alters) the frames: it reads the broker's replies, which the SDK ignores, so ACKED means the
// broker answered the SDK's own ACKNOWLEDGE_MESSAGE_RECEIPT. REST goes through MixinApi with
// requestConfig.baseURL = BROKER_HTTP, which the SDK supports as is.
//
// Env: SWITCHBOARD_NODE_MODULES, BROKER_HTTP, BROKER_WS, KEYSTORE (the SDK's keystore JSON), MODE, ACK.
//   Any MODE: stdin "text <recipient uid> <text...>" -> message.sendText (POST /messages) -> "SENT <message_id>".
//   MODE=sender   REST only.
//   MODE=receiver the Blaze loop as well. Prints "MESSAGE <json>" for every message handed to onMessage, then
//                 acknowledges it: ACK=blaze (default) with the SDK's syncAck (ACKNOWLEDGE_MESSAGE_RECEIPT on the
//                 socket), "ACKED <message_id>" when the broker replies to it; ACK=rest with
//                 message.sendAcknowledges (POST /acknowledgements), "ACKED <message_id>" when it resolves.
//                 stdin "list" sends LIST_PENDING_MESSAGES again with the SDK's sendRaw.
// Other lines: READY, OPEN <subprotocol>, LISTED (the broker replied to LIST_PENDING_MESSAGES),
//   RECEIPT <json> (a status update, onAckReceipt), REPLY_ERROR <json>, CLOSED <code> <reason>, ERROR <what>.
// stdin "exit" (or end of stdin) ends the process.
'use strict';
const path = require('path');
const readline = require('readline');

const out = (line) => process.stdout.write(line + '\n');
process.on('unhandledRejection', (e) => out('ERROR unhandledRejection ' + (e && (e.stack || e.message) || e)));
process.on('uncaughtException', (e) => out('ERROR uncaughtException ' + (e && (e.stack || e.message) || e)));

const modules = process.env.SWITCHBOARD_NODE_MODULES;
const brokerWs = process.env.BROKER_WS;
const brokerHttp = process.env.BROKER_HTTP;
const mode = process.env.MODE;
const ackMode = process.env.ACK || 'blaze';
const keystore = JSON.parse(process.env.KEYSTORE);
const SDK = '@mixin.dev/mixin-node-sdk';
const sdkDir = path.join(modules, SDK);
const BLAZE_HOST = 'wss://blaze.mixin.one';

// --- the shim: the very `ws` module instance the SDK's blaze entry will require, with a subclass swapped in ---
const wsPath = require.resolve('ws', { paths: [sdkDir] });
const pako = require(require.resolve('pako', { paths: [sdkDir] }));
const RealWebSocket = require(wsPath);
const pendingAcks = new Map(); // request id of an ACKNOWLEDGE_MESSAGE_RECEIPT the SDK sent -> message_id
const peek = (buf) => {
  try {
    return JSON.parse(pako.ungzip(buf, { to: 'string' }));
  } catch (e) {
    return null;
  }
};
class RedirectedWebSocket extends RealWebSocket {
  constructor(address, ...rest) {
    const a = String(address);
    super(a === BLAZE_HOST || a.startsWith(BLAZE_HOST + '/') ? brokerWs + a.slice(BLAZE_HOST.length) : address, ...rest);
    this.on('open', () => out('OPEN ' + this.protocol));
    this.on('close', (code, reason) => out('CLOSED ' + code + ' ' + reason));
    this.on('error', (e) => out('ERROR ws ' + (e && e.message)));
    this.on('message', (data, isBinary) => {
      if (!isBinary) {
        out('ERROR text frame from the broker: ' + String(data));
        return;
      }
      const frame = peek(data);
      if (!frame) {
        out('ERROR a binary frame that is not gzip JSON');
        return;
      }
      if (frame.data) return; // a push: the SDK hands it to the handler
      if (frame.error) {
        out('REPLY_ERROR ' + JSON.stringify(frame));
      } else if (frame.action === 'LIST_PENDING_MESSAGES') {
        out('LISTED');
      } else if (frame.action === 'ACKNOWLEDGE_MESSAGE_RECEIPT' && pendingAcks.has(frame.id)) {
        out('ACKED ' + pendingAcks.get(frame.id));
      }
      pendingAcks.delete(frame.id);
    });
  }

  send(data, ...rest) {
    const frame = peek(data);
    if (frame && frame.action === 'ACKNOWLEDGE_MESSAGE_RECEIPT' && frame.params) {
      pendingAcks.set(frame.id, frame.params.message_id);
    }
    return super.send(data, ...rest);
  }
}
Object.getOwnPropertyNames(RealWebSocket).forEach((k) => {
  if (!(k in RedirectedWebSocket)) RedirectedWebSocket[k] = RealWebSocket[k];
});
require.cache[wsPath].exports = RedirectedWebSocket;

// Only now load the SDK, so its require('ws') gets the shim.
const { MixinApi } = require(require.resolve(SDK, { paths: [modules] }));
const { BlazeKeystoreClient, sendRaw } = require(require.resolve(SDK + '/blaze', { paths: [modules] }));

const api = MixinApi({ keystore, requestConfig: { baseURL: brokerHttp, timeout: 5000 } });

const view = (m) => ({
  message_id: m.message_id,
  category: m.category,
  conversation_id: m.conversation_id,
  user_id: m.user_id,
  session_id: m.session_id,
  status: m.status,
  source: m.source,
  // `data` (standard Base64) is what the SDK decodes; `data_base64` (URL-safe) is what the Go SDK reads.
  text: typeof m.data === 'string' ? Buffer.from(m.data, 'base64').toString('utf8') : null,
  text_base64: typeof m.data_base64 === 'string' ? Buffer.from(m.data_base64, 'base64url').toString('utf8') : null,
});

let client;
const commands = {
  text: async (args) => {
    const [recipient, ...words] = args;
    const sent = await api.message.sendText(recipient, words.join(' '));
    out('SENT ' + sent.message_id);
  },
  list: async () => {
    const ws = client && client.getWebSocket();
    if (!ws) throw new Error('not connected');
    const ok = await sendRaw(ws, { id: require('crypto').randomUUID(), action: 'LIST_PENDING_MESSAGES' });
    if (!ok) throw new Error('LIST_PENDING_MESSAGES not written');
  },
  exit: async () => process.exit(0),
};

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const [cmd, ...args] = line.trim().split(/\s+/);
  if (!cmd) return;
  const run = commands[cmd];
  if (!run) {
    out('ERROR unknown command ' + cmd);
    return;
  }
  run(args).catch((e) => out('ERROR ' + cmd + ': ' + (e && (e.description || e.message))));
});
process.stdin.on('end', () => process.exit(0));

if (mode === 'receiver') {
  client = BlazeKeystoreClient(keystore, { parse: false, syncAck: ackMode === 'blaze' });
  client.loop({
    onMessage: async (m) => {
      out('MESSAGE ' + JSON.stringify(view(m)));
      if (ackMode === 'rest') {
        try {
          await api.message.sendAcknowledges([{ message_id: m.message_id, status: 'READ' }]);
          out('ACKED ' + m.message_id);
        } catch (e) {
          out('ERROR ack ' + m.message_id + ': ' + (e && (e.description || e.message)));
        }
      }
    },
    onAckReceipt: async (m) => out('RECEIPT ' + JSON.stringify(view(m))),
  });
} else if (mode !== 'sender') {
  out('ERROR unknown MODE ' + mode);
  process.exit(2);
}
out('READY');
