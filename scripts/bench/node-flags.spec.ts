import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/common/project-root';
import { productionNodeFlags } from './node-flags';

const root = projectRoot();

describe('the app’s Node flags (Dockerfile, npm start, the benchmark)', () => {
  it('are read from the Dockerfile’s CMD, and npm start passes the same', () => {
    const flags = productionNodeFlags(readFileSync(join(root, 'Dockerfile'), 'utf8'));
    expect(flags).toEqual(['--max-semi-space-size=4']);
    const start = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.start;
    expect(start).toContain(`node ${flags.join(' ')} dist/src/main.js`);
  });

  it('refuses a Dockerfile that does not start the app with node', () => {
    expect(() => productionNodeFlags('FROM node:20\nCMD ["npm", "start"]\n')).toThrow('does not start');
    expect(productionNodeFlags('CMD ["node", "dist/src/main.js"]')).toEqual([]);
  });
});
