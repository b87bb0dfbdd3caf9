import type { INestApplicationContext } from '@nestjs/common';
import { AppConfig } from '../config/app-config.service.js';
import { SeedService, type DemoCredentials } from './seed.service.js';

/**
 * The seed steps shared by `npm start` and `npm run seed`: the articles' content
 * (when `content`), and the demo accounts on the embedded database or when
 * DEMO_PASSWORD is set. Newly created credentials are printed, so only once.
 */
export async function runSeed(app: INestApplicationContext, { content, embedded }: { content: boolean; embedded: boolean }): Promise<void> {
  const seed = app.get(SeedService);
  const { demo } = app.get(AppConfig);
  if (content) {
    const counts = await seed.seedContent();
    console.log(`Seed: ${counts.sources} sources, ${counts.claims} claims, ${counts.appearances} appearances, ${counts.evidence} evidence items, ${counts.assessments} assessment versions.`);
  }
  if (embedded || demo.password) printCredentials(await seed.seedDemoAccounts(demo.password, demo.apiKey));
}

function printCredentials({ accounts, apiKey }: DemoCredentials): void {
  if (accounts.length === 0 && !apiKey) return;
  const lines = accounts.map((a) => `  ${a.role.padEnd(8)} ${a.email.padEnd(28)} ${a.password}`);
  if (apiKey) lines.push(`  API key (read_confidence scope): ${apiKey}`);
  console.log(`Demo accounts created (shown once; store them now):\n${lines.join('\n')}`);
}
