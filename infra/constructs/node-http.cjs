// `node:http` as the bundles see it (./bundling.ts `alias`): required as CommonJS. An ESM import of
// node:http builds its namespace by reading every export, and its WebSocket, EventSource… getters
// load Node's fetch (undici) — some 30 ms of CPU at every cold start, for middy's STATUS_CODES.
// `require` reads only what is used.
// biome-ignore lint/style/useNodejsImportProtocol: `node:http` here would be aliased to this very file.
module.exports = require('http');
