import { resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/config';
import { dataSourceOptions } from '../src/database/data-source-options';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres';
import { projectRoot } from '../src/common/project-root';

/** Runs a CLI task on the same database the app would use: DATABASE_URL, or the embedded data folder. */
export function withDataSource(task: (ds: DataSource) => Promise<number | void>) {
  (async () => {
    const config = loadConfig({
      ...process.env,
      DEMO_IDP: process.env.DEMO_IDP ?? 'true',
      DEMO_MESSAGING: process.env.DEMO_MESSAGING ?? 'true',
    });
    const embedded = config.databaseUrl ? undefined : await startEmbeddedPostgres(resolve(projectRoot(), config.dataDir));
    const ds = new DataSource(dataSourceOptions(config.databaseUrl ?? embedded!.url));
    await ds.initialize();
    try {
      return (await task(ds)) ?? 0;
    } finally {
      await ds.destroy();
      await embedded?.stop();
    }
  })().then(
    (code) => process.exit(code),
    (e) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    },
  );
}
