import { dropRunDatabases } from './db';
import { stopSharedApps } from './shared-apps';

export default async function globalTeardown() {
  stopSharedApps();
  await globalThis.__P2V_EMBEDDED__?.stop();
  await dropRunDatabases();
}
