// Runs dynalite in its own process (started by local/stack/dynamodb.ts with fork): the local DynamoDB then
// works on its own core instead of sharing the event loop with the state machine and the handlers.
const { useIndexWriteCapacity } = require('./dynalite-index-capacity.cjs');
const { useStringStore } = require('./dynalite-store.cjs');

const options = JSON.parse(process.argv[2] || '{}');
// In memory (no path): keys and items as strings rather than Buffers (see dynalite-store.cjs).
const assertStringStore = options.path ? undefined : useStringStore();
const dynalite = require('dynalite');
useIndexWriteCapacity();
const server = dynalite(options);
assertStringStore?.();
// No idle time-out on keep-alive connections: with Node's default (5 s) a client may reuse a socket at the
// moment the server closes it and get ECONNRESET ("socket hang up"). The clients close them at exit.
server.keepAliveTimeout = 0;

function shutdown() {
  server.close(() => process.exit(0));
  // Open keep-alive connections would hold close() forever.
  setTimeout(() => process.exit(0), 2000).unref();
}

server.listen(options.port || 0, '127.0.0.1', () => {
  process.send({ port: server.address().port });
});
process.on('message', (message) => {
  if (message?.stop) shutdown();
});
// The parent went away without stopping us: do not linger.
process.on('disconnect', shutdown);
