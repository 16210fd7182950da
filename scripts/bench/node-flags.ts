/**
 * Node's flags for the app as production starts it: those of the Dockerfile's CMD (« node <flags>
 * dist/src/main.js »), which `npm start` repeats and the benchmark reads, so that it measures the
 * memory production would use.
 */
export function productionNodeFlags(dockerfile: string): string[] {
  const cmd = /^CMD (\[.*\])\s*$/m.exec(dockerfile);
  const argv = cmd ? (JSON.parse(cmd[1]) as string[]) : [];
  if (argv[0] !== 'node' || argv.at(-1) !== 'dist/src/main.js')
    throw new Error('The Dockerfile does not start « node … dist/src/main.js »');
  return argv.slice(1, -1);
}
