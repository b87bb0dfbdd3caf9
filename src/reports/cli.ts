import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { withAppContext } from '../app-context.js';
import { flattenValidationErrors } from '../common/problem.js';
import type { Principal } from '../auth/principal.js';
import { ReportQueryDto } from './dto/report-query.dto.js';
import { ReportsService } from './reports.service.js';

/**
 * `npm run report -- --format md --out report.md [--asOf 2023-01-01] [--topic arms] ...`:
 * the same report as GET /reports/claims, written to a file (or standard output).
 */
const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    format: { type: 'string' },
    asOf: { type: 'string' },
    topic: { type: 'string' },
    status: { type: 'string' },
    entity: { type: 'string' },
    source: { type: 'string' },
    q: { type: 'string' },
    updatedSince: { type: 'string' },
  },
});
const { out, ...filters } = values;
/** Whoever runs this reads the database directly, so the report hides nothing from them (blind first included). */
const OPERATOR: Principal = { kind: 'user', id: '00000000-0000-0000-0000-000000000000', email: 'operator@localhost', name: 'command line', role: 'admin' };
const query = plainToInstance(ReportQueryDto, filters, { exposeDefaultValues: true });
const errors = flattenValidationErrors(await validate(query, { whitelist: true, forbidNonWhitelisted: true }));
if (errors.length > 0) {
  for (const error of errors) console.error(`--${error.field}: ${error.messages.join('; ')}`);
  process.exit(2);
}

await withAppContext(async (app) => {
  const { chunks, filename } = app.get(ReportsService).report(query, OPERATOR);
  await pipeline(Readable.from(chunks), out ? createWriteStream(out) : process.stdout);
  if (out) console.error(`Wrote ${out} (${filename}).`);
});
