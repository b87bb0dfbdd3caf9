import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

const SRC = join(import.meta.dirname, '..');
const RAW_SQL = /\.pool\b|\$queryRaw|\$executeRaw/;

async function sources(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'generated') found.push(...(await sources(path)));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) found.push(path);
  }
  return found;
}

describe('data access', () => {
  it('keeps hand-written SQL and the raw pool in src/database and *.repository.ts files', async () => {
    const offenders: string[] = [];
    for (const path of await sources(SRC)) {
      const file = relative(SRC, path);
      if (file.startsWith('database/') || file.endsWith('.repository.ts')) continue;
      (await readFile(path, 'utf8')).split('\n').forEach((line, i) => RAW_SQL.test(line) && offenders.push(`src/${file}:${i + 1}: ${line.trim()}`));
    }
    expect(offenders).toEqual([]);
  });
});
