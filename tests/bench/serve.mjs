// The bench's stack: wrangler's own dev server (the engine of `wrangler dev`: the same
// workerd, local D1, R2 and queues, the same wrangler.toml), started without its DevTools
// inspector. Under `wrangler dev` the inspector proxy posts four debug-log entries through
// wrangler's Node process for every D1 call (Network.requestWillBeSent … loadingFinished),
// so the bench would measure the developer tool instead of the worker (seen 2026-12-02:
// /api/me at 0.26× /api/health under `wrangler dev`, 0.50× without the inspector).
//
//   node tests/bench/serve.mjs <port> <state dir> [NAME=value …]   (vars, as --var)
import { unstable_startWorker } from 'wrangler';

const [port, persist, ...vars] = process.argv.slice(2);
const bindings = Object.fromEntries(
  vars.map((v) => {
    const at = v.indexOf('=');
    return [v.slice(0, at), { type: 'plain_text', value: v.slice(at + 1) }];
  }),
);
const worker = await unstable_startWorker({
  config: 'wrangler.toml',
  bindings,
  dev: {
    inspector: false,
    testScheduled: true,
    watch: false,
    persist,
    server: { hostname: '127.0.0.1', port: Number(port) },
    logLevel: 'warn',
  },
});
await worker.ready;
console.log(`bench stack ready at ${await worker.url}`);
const stop = async () => {
  await worker.dispose();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
