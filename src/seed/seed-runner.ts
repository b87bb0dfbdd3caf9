import type { INestApplicationContext } from '@nestjs/common';
import { AppConfig } from '../config/app-config.service.js';
import { saveDemoCredentials } from './demo-credentials.js';
import { SeedService } from './seed.service.js';

/**
 * The seed steps shared by `npm start` and `npm run seed`: the articles' content
 * (when `content`), and the demo accounts on the embedded database or when
 * DEMO_PASSWORD is set. Credentials created or reset are written to the demo
 * credentials file (readable only by its owner), whose path is printed.
 */
export async function runSeed(app: INestApplicationContext, { content, embedded }: { content: boolean; embedded: boolean }): Promise<void> {
  const seed = app.get(SeedService);
  const { demo } = app.get(AppConfig);
  if (content) {
    const counts = await seed.seedContent();
    console.log(`Seed: ${counts.sources} sources, ${counts.claims} claims, ${counts.appearances} appearances, ${counts.evidence} evidence items, ${counts.assessments} assessment versions, ${counts.estimates} analysts' estimates, ${counts.originators} originators (${counts.attributed} items attributed).`);
  }
  if (!embedded && !demo.password) return;
  const file = await saveDemoCredentials(await seed.seedDemoAccounts(demo.password, demo.apiKey));
  if (file) console.log(`Demo accounts and API key written to ${file} (readable only by you).`);
}
