import { loadConfig } from '../config.js';
import { openDb } from './client.js';
import { migrateDb } from './migrate.js';

/** `npm run db:migrate`: CI runs it against a stage's database before deploying. */
const config = loadConfig(process.env, 'worker');
const db = openDb({ url: config.databaseUrl, authToken: config.databaseAuthToken });
await migrateDb(db);
console.log(`migrations applied to ${config.databaseUrl.startsWith('file:') ? config.databaseUrl : 'the remote database'}`);
db.$client.close();
