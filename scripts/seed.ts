/** `npm run seed`: creates or completes the demo data on DATABASE_URL (or on the embedded database). */
import 'reflect-metadata';
import { withDataSource } from './cli-data-source';
import { seedDemoData } from '../src/demo/seed';

withDataSource(async (ds) => {
  await ds.runMigrations({ transaction: 'each' });
  await seedDemoData(ds, { onlyIfEmpty: false });
  console.log('Demo data ready.');
});
