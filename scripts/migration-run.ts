/** `npm run migration:run`: applies pending migrations (the app also does it at start-up). */
import 'reflect-metadata';
import { withDataSource } from './cli-data-source';

withDataSource(async (ds) => {
  const done = await ds.runMigrations({ transaction: 'each' });
  console.log(done.length ? `Applied: ${done.map((m) => m.name).join(', ')}` : 'No pending migration.');
});
