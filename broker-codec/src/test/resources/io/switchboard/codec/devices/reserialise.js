// What the Node.js SDK signs on receipt: JSON.stringify(JSON.parse(message).payload).
// Usage: node reserialise.js IN OUT (one message per line, UTF-8; one payload per line out).
const fs = require('fs');
const [input, output] = process.argv.slice(2);
const lines = fs.readFileSync(input, 'utf8').split('\n').filter((l) => l.length > 0);
fs.writeFileSync(output, lines.map((l) => JSON.stringify(JSON.parse(l).payload) + '\n').join(''), 'utf8');
