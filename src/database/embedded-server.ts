/**
 * Stand-alone embedded database for tests and tools: `node dist/src/database/embedded-server.js DIR PORT`
 * prints "ready postgres://..." once it accepts connections, and stops on SIGTERM.
 */
import { startEmbeddedPostgres } from './embedded-postgres';

async function main() {
  const [dir = '.data/pglite', port = '0'] = process.argv.slice(2);
  const pg = await startEmbeddedPostgres(dir, Number(port));
  process.stdout.write(`ready ${pg.url}\n`);
  const stop = () => void pg.stop().finally(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
