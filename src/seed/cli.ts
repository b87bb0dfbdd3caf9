import 'reflect-metadata';
import { withAppContext } from '../app-context.js';
import { runSeed } from './seed-runner.js';

/** `npm run seed`: migrates, then loads seed/ into DATABASE_URL (or the embedded database). Safe to repeat. */
await withAppContext((app, { embedded }) => runSeed(app, { content: true, embedded }), { migrate: true });
