import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/common/project-root';
import { productionNodeFlags } from './node-flags';

const root = projectRoot();

describe('the app’s Node flags (Dockerfile, npm start, the benchmark)', () => {
  it('are read from the Dockerfile’s CMD, and npm start passes the same', () => {
    const flags = productionNodeFlags(readFileSync(join(root, 'Dockerfile'), 'utf8'));
    expect(flags).toEqual(['--max-semi-space-size=16', '--max-old-space-size=2000', '--no-allocation-site-pretenuring']);
    const start = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.start;
    expect(start).toContain(`node ${flags.join(' ')} dist/src/main.js`);
  });

  it('are accepted by this Node (a V8 flag a new version drops would stop the app at its start), and bound the heap at 2,000 MB', () => {
    const flags = productionNodeFlags(readFileSync(join(root, 'Dockerfile'), 'utf8'));
    const limit = execFileSync(
      process.execPath,
      [...flags, '-e', 'process.stdout.write(String(require("v8").getHeapStatistics().heap_size_limit))'],
      {
        encoding: 'utf8',
      },
    );
    // The old generation's 2,000 MB plus the young generation (3 × 16 MB): V8 reports them together.
    expect(Number(limit) / 2 ** 20).toBeGreaterThanOrEqual(2000);
    expect(Number(limit) / 2 ** 20).toBeLessThan(2100);
  });

  it('refuses a Dockerfile that does not start the app with node', () => {
    expect(() => productionNodeFlags('FROM node:20\nCMD ["npm", "start"]\n')).toThrow('does not start');
    expect(productionNodeFlags('CMD ["node", "dist/src/main.js"]')).toEqual([]);
  });
});
