import { applyMigrations, createMigration, pendingSchemaChange } from './migrator.js';
import { resolveDatabase } from './database-url.js';

const USAGE = 'Usage: npm run db:migrate | npm run db:migration -- <name> | npm run db:check';

/** The database commands behind `npm run db:*`; each runs against DATABASE_URL or the embedded PostgreSQL. */
async function run(command: string | undefined, name: string | undefined, url: string): Promise<number> {
  switch (command) {
    case 'migrate': {
      const applied = await applyMigrations(url);
      console.log(applied.length ? `Applied ${applied.join(', ')}` : 'No pending migrations.');
      return 0;
    }
    case 'migration': {
      if (!name) break;
      const dir = await createMigration(url, name);
      console.log(dir ? `Wrote ${dir}` : 'schema.prisma has no change to migrate.');
      return 0;
    }
    case 'check': {
      const sql = await pendingSchemaChange(url);
      if (!sql) return 0;
      console.error(`schema.prisma has changes without a migration:\n${sql}`);
      return 1;
    }
  }
  console.error(USAGE);
  return 2;
}

const [command, name] = process.argv.slice(2);
const database = await resolveDatabase();
try {
  process.exitCode = await run(command, name, database.url);
} finally {
  await database.stop();
}
