/** Entry point of the `q2c` command (and of `npm start`, which runs `q2c serve`). */
import { buildProgram } from '../cli/program.js';
import { buildServer } from '../api/server.js';
import { runScheduledJobs } from '../app/jobs/run-jobs.js';
import { loadConfig } from './config.js';
import { loadMailConfig } from './mail-config.js';
import { startOutboxWorker, type OutboxWorker } from './worker.js';
import { wire } from './wire.js';

const config = loadConfig();
const mailConfig = loadMailConfig(config.dataDir);
const JOB_INTERVAL_MS = 60 * 60 * 1000;

const program = buildProgram({
  wire: () => wire(config),
  request: async (req) => {
    if (req.baseUrl) {
      const res = await fetch(new URL(req.path, req.baseUrl), {
        method: req.method,
        headers: { ...req.headers, ...(req.body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(req.body === undefined ? {} : { body: JSON.stringify(req.body) }),
      });
      return { status: res.status, contentType: res.headers.get('content-type') ?? '', body: Buffer.from(await res.arrayBuffer()) };
    }
    const w = await wire(config);
    try {
      const server = await buildServer({ app: w.deps, logger: false });
      const res = await server.inject({
        method: req.method as 'GET' | 'POST' | 'PATCH',
        url: req.path,
        headers: req.headers,
        ...(req.body === undefined ? {} : { payload: req.body as Record<string, unknown> }),
      });
      await server.close();
      return { status: res.statusCode, contentType: String(res.headers['content-type'] ?? ''), body: res.rawPayload };
    } finally {
      await w.close();
    }
  },
  serve: async (w) => {
    const server = await buildServer({ app: w.deps, logger: config.logLevel !== 'silent' });
    let worker: OutboxWorker | undefined = undefined;
    const close = async () => {
      await worker?.stop();
      await server.close();
      await w.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void close());
    process.once('SIGTERM', () => void close());
    await server.listen({ port: config.port, host: config.host });
    // the outbox worker: e-mail (SMTP_URL, or .eml files under Q2C_DATA_DIR/outbox-mail/)
    worker = startOutboxWorker({ kysely: w.kysely, app: w.deps, transmitter: w.transmitter }, mailConfig, server.log);
    // scheduled jobs: at start, then hourly; a failed run is logged and retried at the next tick
    const runJobs = () =>
      runScheduledJobs(w.deps).catch((error: unknown) => server.log.error({ err: error }, 'scheduled jobs failed'));
    void runJobs();
    setInterval(() => void runJobs(), JOB_INTERVAL_MS).unref();
    const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    return { url: `http://${shownHost}:${config.port}` };
  },
});

program.parseAsync(process.argv).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`q2c: ${message}\n`);
  process.exitCode = 1;
});
