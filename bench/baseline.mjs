// The baseline for scenario 1: a bare Node http server answering GET /claims/:id/confidence
// with one prepared pg query, the least any implementation has to do.
import { createServer } from 'node:http';
import pg from 'pg';
// The very query the service runs for this read.
import { CONFIDENCE_BY_ID } from '../dist/confidence/confidence.repository.js';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const route = /^\/claims\/([0-9a-f-]{36})\/confidence$/;

const server = createServer(async (req, res) => {
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
