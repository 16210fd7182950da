import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The folder holding package.json (views/, node_modules/ and .data/ are found from there). */
export function projectRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}
