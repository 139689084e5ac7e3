// Preloaded with NODE_OPTIONS=--require: holds the built gateway just before it loads one of its modules
// (HOLD_GATEWAY_LOAD_AT, by default run-gateway.js: main.ts has started, the gateway's modules not yet), says so on
// stderr, and goes on once the test writes to the FIFO named by HOLD_GATEWAY_LOAD_FIFO. A test can then send a
// signal inside the window it means, with no timing guess.
const { registerHooks } = require('node:module');
const { closeSync, openSync, readSync, writeSync } = require('node:fs');

const fifo = process.env.HOLD_GATEWAY_LOAD_FIFO;
if (fifo === undefined) throw new Error('hold-gateway-load.cjs needs HOLD_GATEWAY_LOAD_FIFO');
const at = `/dist/src/${process.env.HOLD_GATEWAY_LOAD_AT ?? 'run-gateway.js'}`;

let held = false;
registerHooks({
  load(url, context, nextLoad) {
    if (!held && url.endsWith(at)) {
      held = true;
      // Opened before the line goes out, so the test's writer finds a reader; read and write, so the open itself
      // does not wait for that writer.
      const fd = openSync(fifo, 'r+');
      writeSync(2, 'holding the gateway before its modules load\n');
      // Blocks the main thread until the test writes; a signal that comes meanwhile waits for a listener, or ends
      // the process at once where there is none.
      readSync(fd, Buffer.alloc(1));
      closeSync(fd);
    }
    return nextLoad(url, context);
  },
});
