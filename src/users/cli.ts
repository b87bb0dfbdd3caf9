import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { withAppContext } from '../app-context.js';
import { randomToken } from '../auth/secrets.js';
import { saveDemoCredentials } from '../seed/demo-credentials.js';
import { DEMO_ACCOUNTS } from '../seed/seed.service.js';
import { UsersService } from './users.service.js';

const USAGE = 'Usage: npm run users -- reset-password <email> [--password <new password, 12+ characters>]';

/**
 * `npm run users -- reset-password <email>`: the operator's way back into an account
 * (a lost demo password included). Prints the new password, ends the user's sessions,
 * and updates the demo credentials file for a demo account.
 */
const { positionals, values } = parseArgs({ allowPositionals: true, options: { password: { type: 'string' } } });
const [command, email] = positionals;
if (command !== 'reset-password' || !email || (values.password !== undefined && values.password.length < 12)) {
  console.error(USAGE);
  process.exit(2);
}

await withAppContext(async (app) => {
  const password = values.password ?? randomToken(12);
  await app.get(UsersService).resetPassword(email, password);
  const demo = DEMO_ACCOUNTS.find((account) => account.email === email.toLowerCase());
  const file = demo ? await saveDemoCredentials({ accounts: [{ email: demo.email, role: demo.role, password }] }) : undefined;
  console.log(`New password for ${email}: ${password}${file ? ` (also in ${file})` : ''}\nTheir sessions have ended.`);
});
