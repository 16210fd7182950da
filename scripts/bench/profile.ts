/**
 * Where a scenario's time goes: a V8 CPU profile (as `node --cpu-prof` writes it) reduced to the self time of its
 * functions and of the code they belong to (a package of node_modules, a file of P2V, Node itself, the
 * garbage collector). Pure functions (scripts/bench/profile.spec.ts).
 */

export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  /** Milliseconds sampled while busy (idle excluded). */
  busyMs: number;
  /** The largest owners of self time, with their share of the busy time (%). */
  owners: { owner: string; share: number }[];
  functions: { name: string; share: number }[];
}

/** Who a frame's code belongs to: `pg`, `nunjucks`, `P2V src/visits/…`, `node:internal`, `(garbage collector)`. */
export function ownerOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return 'node (built-in modules)';
  const own = /\/dist\/(src\/[^/]+)\//.exec(url);
  return own ? `P2V ${own[1]}` : url.replace(/^file:\/\//, '');
}

/** The self time of each function and owner, the busiest `top` of each, idle time left out. */
export function summarizeProfile(profile: CpuProfile, top = 8): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const owners = new Map<string, number>();
  const functions = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id);
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    if (!frame || frame.functionName === '(idle)') return;
    busy += dt;
    const owner = ownerOf(frame.url, frame.functionName);
    owners.set(owner, (owners.get(owner) ?? 0) + dt);
    const name = `${frame.functionName || '(anonymous)'} (${owner}${frame.url ? `:${frame.lineNumber + 1}` : ''})`;
    functions.set(name, (functions.get(name) ?? 0) + dt);
  });
  const ranked = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, ms]) => ({ k, share: busy > 0 ? (100 * ms) / busy : 0 }));
  return {
    busyMs: busy,
    owners: ranked(owners).map(({ k, share }) => ({ owner: k, share })),
    functions: ranked(functions).map(({ k, share }) => ({ name: k, share })),
  };
}

/** The summaries as Markdown, one section per scenario. */
export function profilesMarkdown(summaries: { scenario: string; title: string; summary: ProfileSummary }[]): string {
  const pct = (v: number) => `${v.toFixed(1)} %`;
  return `# Where the time goes (CPU profiles)

Written by \`npm run bench -- --profile\`: each scenario run on a P2V instance of its own, after its
warm-up, under a CPU profile taken in the process (V8's sampling profiler, start-up left out), its
samples reduced to self time (scripts/bench/profile.ts). Shares are of the busy time (idle left out);
« owner » is the package or P2V folder whose code ran; « (program) » is V8's own work outside JavaScript.
${summaries
  .map(
    (s) => `
## ${s.scenario}: ${s.title}

Busy: ${(s.summary.busyMs / 1000).toFixed(1)} s of CPU.

| owner | self time |
|---|---|
${s.summary.owners.map((o) => `| ${o.owner} | ${pct(o.share)} |`).join('\n')}

| function | self time |
|---|---|
${s.summary.functions.map((f) => `| \`${f.name.replace(/\|/g, '\\|')}\` | ${pct(f.share)} |`).join('\n')}
`,
  )
  .join('')}`;
}
