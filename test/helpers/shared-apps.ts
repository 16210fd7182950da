import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SHARED_APPS_DIR } from './app';
import { runPrefix } from './db';

/**
 * Stops the Jest workers' shared apps of this run (test/helpers/app.ts) and forgets them: at the end
 * of the run, and at its start for those a killed run left behind (only a process that is still a
 * P2V app is stopped: a recorded pid may have been reused since).
 */
export function stopSharedApps(): void {
  if (!existsSync(SHARED_APPS_DIR)) return;
  for (const name of readdirSync(SHARED_APPS_DIR)) {
    if (!name.startsWith(`${runPrefix()}-w`)) continue;
    const file = join(SHARED_APPS_DIR, name);
    try {
      const { pid, log, docsDir } = JSON.parse(readFileSync(file, 'utf8')) as { pid: number; log?: string; docsDir?: string };
      const cmdline = existsSync(`/proc/${pid}/cmdline`) ? readFileSync(`/proc/${pid}/cmdline`, 'utf8') : '';
      if (cmdline.includes('dist/src/main.js')) process.kill(pid, 'SIGTERM');
      if (log && !process.env.P2V_TEST_LOGS) rmSync(log, { force: true });
      if (docsDir) rmSync(docsDir, { recursive: true, force: true });
    } catch {
      /* gone already */
    }
    rmSync(file, { force: true });
  }
}
