// The baselines: a bare Node http server answering GET /claims/:id/confidence (scenario 1) and a
// page of TAXII objects, GET /taxii/objects?after=… (scenario 13), each with the service's own
// prepared pg query, the least any implementation has to do.
import { createServer } from 'node:http';
import pg from 'pg';
// The very query the service runs for this read.
import { CONFIDENCE_BY_ID } from '../dist/confidence/confidence.repository.js';
import { OBJECTS_PAGE } from '../dist/taxii/taxii.repository.js';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const route = /^\/claims\/([0-9a-f-]{36})\/confidence$/;

/** A page of 1,000 objects after a `date_added`, as the TAXII envelope's text. */
async function taxiiPage(req, res) {
  const after = new URL(req.url, 'http://localhost').searchParams.get('after');
  const { rows } = await pool.query({ ...OBJECTS_PAGE, values: [null, after, [], [], false, true, false, [], 1000] });
  const more = rows.length > 1000;
  const page = more ? rows.slice(0, 1000) : rows;
  res.writeHead(200, { 'content-type': 'application/taxii+json;version=2.1' });
  res.end(`{"more":${more}${more ? `,"next":"${Buffer.from(page.at(-1).dateAdded).toString('base64url')}"` : ''},"objects":[${page.map((row) => row.body).join(',')}]}`);
}

const server = createServer(async (req, res) => {
  if (req.url?.startsWith('/taxii/objects')) {
    await taxiiPage(req, res).catch(() => res.writeHead(500).end());
    return;
  }
  const match = route.exec(req.url ?? '');
  if (!match) {
    res.writeHead(404).end();
    return;
  }
  try {
    const { rows } = await pool.query({ ...CONFIDENCE_BY_ID, values: [match[1]] });
    if (rows.length === 0) res.writeHead(404).end();
    else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(rows[0]));
  } catch {
    res.writeHead(500).end();
  }
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('ready'));
process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))));
