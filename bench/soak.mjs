// npm run soak [-- --minutes 3 --rate 200 --size 0.1]
// A few minutes of mixed reads and writes at a steady rate against one running
// instance: errors (must be 0), latency percentiles and memory per 30-second window.
import autocannon from 'autocannon';
import { parseArgs } from 'node:util';
import { prepareDatabase, rss } from './setup.mjs';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '3' },
    rate: { type: 'string', default: '200' },
    size: { type: 'string', default: '0.1' },
  },
});
const WINDOW_SECONDS = 30;
const windows = Math.max(1, Math.round((Number(values.minutes) * 60) / WINDOW_SECONDS));
const rate = Number(values.rate);
const VERSIONS = 5;

const setup = await prepareDatabase({ claims: Math.round(10_000 * Number(values.size)), evidencePerClaim: 10, versions: VERSIONS });
let failed = false;
try {
  const { base, pid, token } = await setup.startService();
  const ids = setup.ids;
  const randomId = () => ids[Math.floor(Math.random() * ids.length)];
  // Claims free for a write, with their current version: one write at a time per claim, so every base version is current.
  const available = new Map(ids.map((id) => [id, VERSIONS]));
  // 80 % single reads, 10 % pages, 10 % new assessment versions.
  const request = {
    setupRequest: (req, context) => {
      const roll = Math.random();
      context.claim = undefined;
      if (roll < 0.8 || available.size === 0)
        return { ...req, method: 'GET', path: `/claims/${randomId()}/confidence`, headers: { 'x-api-key': setup.apiKey } };
      if (roll < 0.9) return { ...req, method: 'GET', path: '/confidence?limit=50', headers: { 'x-api-key': setup.apiKey } };
      const [claim, version] = available.entries().next().value;
      available.delete(claim);
      Object.assign(context, { claim, version });
      return {
        ...req,
        method: 'POST',
        path: `/claims/${claim}/assessments`,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ probability: Math.random(), confidence: 'low', rationale: 'Soak revision.', baseVersion: version }),
      };
    },
    onResponse: (status, body, context) => {
      const kind = context.claim ? 'write' : 'read';
      if (context.claim) available.set(context.claim, status === 201 ? context.version + 1 : context.version);
      if (status >= 400) {
        failures.set(`${status} ${kind}`, (failures.get(`${status} ${kind}`) ?? 0) + 1);
        firstFailure ??= body;
      }
    },
  };

  const rows = [];
  const failures = new Map();
  let firstFailure;
  for (let window = 1; window <= windows; window++) {
    const result = await new Promise((resolve, reject) =>
      autocannon({ url: base, connections: 20, overallRate: rate, duration: WINDOW_SECONDS, requests: [request] }, (error, r) =>
        error ? reject(error) : resolve(r),
      ),
    );
    const row = {
      window,
      minute: ((window * WINDOW_SECONDS) / 60).toFixed(1),
      requests: result.requests.total,
      errors: result.errors + result.timeouts + result.non2xx,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      rssMb: Math.round((await rss(pid)) / 1e6),
    };
    rows.push(row);
    console.error(
      '[soak]',
      JSON.stringify(row),
      failures.size ? JSON.stringify(Object.fromEntries(failures)) : '',
      firstFailure ? String(firstFailure).slice(0, 300) : '',
    );
  }

  console.log(
    `\nClaimtrack soak — ${setup.counts.claims} claims, ${rate} req/s for ${windows * WINDOW_SECONDS} s (80 % reads, 10 % pages, 10 % writes)\n`,
  );
  console.log('minute  requests  errors  p50 ms  p99 ms  RSS MB');
  for (const r of rows)
    console.log(
      `${r.minute.padEnd(6)}  ${String(r.requests).padEnd(8)}  ${String(r.errors).padEnd(6)}  ${String(r.p50Ms).padEnd(6)}  ${String(r.p99Ms).padEnd(6)}  ${r.rssMb}`,
    );
  const errors = rows.reduce((sum, r) => sum + r.errors, 0);
  // Memory is flat when the second half of the run grows no more than 10 % over the first half's peak.
  const half = Math.ceil(rows.length / 2);
  const firstPeak = Math.max(...rows.slice(0, half).map((r) => r.rssMb));
  const lastPeak = Math.max(...rows.slice(half).map((r) => r.rssMb), firstPeak);
  const flat = lastPeak <= firstPeak * 1.1;
  console.log(
    `\nerrors: ${errors} (${errors === 0 ? 'ok' : 'FAILED'}); memory: ${firstPeak} MB -> ${lastPeak} MB (${flat ? 'flat' : 'GROWING'})`,
  );
  failed = errors > 0 || !flat;
} finally {
  await setup.cleanup();
}
process.exitCode = failed ? 1 : 0;
