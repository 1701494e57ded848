import { parseArgs } from 'node:util';
import { startHost } from './server.js';

// Browser-mode entry: `tsx electron/core/host/cli.ts --data-dir DIR --port N --static dist/renderer`.
const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    port: { type: 'string', default: '4873' },
    static: { type: 'string', default: 'dist/renderer' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});
if (!values['data-dir']) {
  console.error('usage: cli --data-dir DIR [--port N] [--static DIR] [--host 127.0.0.1]');
  process.exit(2);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port: not a port number: ${values.port}`);
  process.exit(2);
}
const host = await startHost({ dataDir: values['data-dir'], port, staticDir: values.static!, host: values.host });
console.log(`Relay Desk running at ${host.url}`);
const stop = () => { void host.close().then(() => process.exit(0)); };
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
