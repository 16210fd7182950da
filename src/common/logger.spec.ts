import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPinoLogger, LOG_FLUSH_MS } from './logger';

describe('the app’s logger', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'p2v-log-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const linesOf = (file: string) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { msg: string; service: string; level: number });

  it('writes its lines together: on flush, within LOG_FLUSH_MS otherwise, and what is left when it closes', async () => {
    const file = join(dir, 'app.log');
    const fd = openSync(file, 'a');
    const log = createPinoLogger('info', fd);
    try {
      log.logger.info('one');
      log.logger.info({ name: 'Łukasz Nguyễn' }, 'two');
      log.logger.debug('below the level');
      await new Promise((r) => setTimeout(r, 50));
      expect(linesOf(file)).toEqual([]);
      await log.flush();
      expect(linesOf(file).map((l) => l.msg)).toEqual(['one', 'two']);
      expect(readFileSync(file, 'utf8')).toContain('Łukasz Nguyễn');
      log.logger.warn('three');
      await new Promise((r) => setTimeout(r, LOG_FLUSH_MS + 500));
      expect(linesOf(file).map((l) => l.msg)).toEqual(['one', 'two', 'three']);
      log.logger.info('four');
      await log.close();
      expect(linesOf(file).map((l) => [l.msg, l.service])).toEqual([
        ['one', 'p2v'],
        ['two', 'p2v'],
        ['three', 'p2v'],
        ['four', 'p2v'],
      ]);
    } finally {
      closeSync(fd);
    }
  });

  it('loses no line when the process exits at once, an uncaught error included', () => {
    const logger = require.resolve('./logger');
    const script = (end: string) =>
      `require('ts-node/register/transpile-only');` +
      `const { createPinoLogger } = require(${JSON.stringify(logger)});` +
      `const log = createPinoLogger('info');` +
      `for (let i = 0; i < 3; i++) log.logger.info({ i }, 'line');` +
      `log.logger.error('last words');` +
      end;
    const run = (end: string) => {
      try {
        return execFileSync(process.execPath, ['-e', script(end)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      } catch (e) {
        return (e as { stdout: string }).stdout;
      }
    };
    for (const end of ['process.exit(0);', 'throw new Error("crash");']) {
      const out = run(end)
        .split('\n')
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { msg: string }).msg);
      expect(out).toEqual(['line', 'line', 'line', 'last words']);
    }
  });
});
