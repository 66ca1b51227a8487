// A Sinric Pro switch run by the real npm SDK (sinricpro 5.1.0, unmodified) against a local broker.
// The SDK always dials wss://<serverUrl>:443/; this shim redirects only the address its `ws` client dials, to
// BROKER_WS (ws://127.0.0.1:PORT/). Commands on stdin: "event on" / "event off" send a power-state event.
// Lines on stdout: READY, REQUEST <json>, EVENT <result>, ERROR <message>.
'use strict';
const path = require('path');
const readline = require('readline');

const modules = process.env.SWITCHBOARD_NODE_MODULES;
const target = process.env.BROKER_WS;
const sdkDir = path.join(modules, 'sinricpro');

// --- the shim: same ws module instance the SDK will require, with a constructor that swaps the URL ---
const wsPath = require.resolve('ws', { paths: [sdkDir] });
const RealWebSocket = require(wsPath);
class RedirectedWebSocket extends RealWebSocket {
  constructor(address, ...rest) {
    super(String(address).startsWith('wss://') ? target : address, ...rest);
  }
}
Object.getOwnPropertyNames(RealWebSocket).forEach((k) => {
  if (!(k in RedirectedWebSocket)) RedirectedWebSocket[k] = RealWebSocket[k];
});
require.cache[wsPath].exports = RedirectedWebSocket;

const SinricPro = require(sdkDir).default;
const { SinricProSwitch } = require(path.join(sdkDir, 'dist/devices'));

const deviceId = process.env.DEVICE_ID;
const sw = SinricProSwitch(deviceId);
sw.onPowerState(async (id, state) => {
  console.log('REQUEST ' + JSON.stringify({ id, state }));
  return true;
});
SinricPro.add(sw);
// Without an 'error' listener the SDK exits on any connection error.
SinricPro.on('error', (e) => console.log('ERROR ' + (e && e.message)));
SinricPro.onConnected(() => console.log('READY'));

readline.createInterface({ input: process.stdin }).on('line', async (line) => {
  const [cmd, arg] = line.trim().split(/\s+/);
  if (cmd === 'event') {
    const ok = await sw.sendPowerStateEvent(arg === 'on');
    console.log('EVENT ' + ok);
  } else if (cmd === 'exit') {
    process.exit(0);
  }
});
process.stdin.on('end', () => process.exit(0));

SinricPro.begin({ appKey: process.env.APP_KEY, appSecret: process.env.APP_SECRET, serverUrl: 'ws.sinric.pro' })
  .catch((e) => console.log('ERROR begin: ' + e.message));
