import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { DemoCredentials } from './seed.service.js';

const API_KEY_LABEL = 'API key (read_confidence)';

/** Beside the embedded PostgreSQL's folder: `.data/demo-credentials.txt` unless EMBEDDED_PG_DIR moves it. */
export function demoCredentialsFile(): string {
  const embeddedDir = process.env.EMBEDDED_PG_DIR;
  return embeddedDir ? join(dirname(resolve(embeddedDir)), 'demo-credentials.txt') : resolve(import.meta.dirname, '../../.data/demo-credentials.txt');
}

/**
 * Records demo credentials that were just created or reset in the credentials file, readable
 * only by its owner, keeping the lines of accounts that did not change. They are shown
 * nowhere else: start-up logs scroll away and end up in log collectors.
 */
export async function saveDemoCredentials({ accounts, apiKey }: DemoCredentials): Promise<string | undefined> {
  if (accounts.length === 0 && !apiKey) return undefined;
  const file = demoCredentialsFile();
  const lines = new Map<string, string>();
  for (const line of ((await readFile(file, 'utf8').catch(() => '')) as string).split('\n')) {
    const label = line.startsWith(API_KEY_LABEL) ? API_KEY_LABEL : line.split(/\s+/)[1];
    if (label && !line.startsWith('#')) lines.set(label, line);
  }
  for (const { role, email, password } of accounts) lines.set(email, `${role.padEnd(8)} ${email.padEnd(28)} ${password}`);
  if (apiKey) lines.set(API_KEY_LABEL, `${API_KEY_LABEL}: ${apiKey}`);
  const text = [
    '# Claimtrack demo credentials. Reset a password: npm run users -- reset-password <email>',
    ...[...lines.values()].filter((line) => !line.startsWith(API_KEY_LABEL)),
    ...[...lines.values()].filter((line) => line.startsWith(API_KEY_LABEL)),
  ].join('\n');
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${text}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return file;
}
