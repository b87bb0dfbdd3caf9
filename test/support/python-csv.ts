import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Reads CSV bytes with Python's own `csv` module (what analysts' scripts and most import
 * tools use), not with the library that wrote them: its records as dicts, the header
 * row giving the keys. `utf-8-sig` drops a byte-order mark, as spreadsheet programs do.
 */
export async function readCsvWithPython(bytes: Buffer): Promise<Record<string, string>[]> {
  const script = 'import csv, io, json, sys\nprint(json.dumps(list(csv.DictReader(io.StringIO(sys.stdin.buffer.read().decode("utf-8-sig"), newline="")))))';
  const child = run('python3', ['-c', script], { maxBuffer: 256 * 1024 * 1024 });
  child.child.stdin!.end(bytes);
  return JSON.parse((await child).stdout) as Record<string, string>[];
}
