import { ownerOf, profilesMarkdown, summarizeProfile, type CpuProfile } from './profile';

describe('CPU profile summary', () => {
  it('names who owns the code: a package, a P2V folder, Node, the collector', () => {
    expect(ownerOf('file:///work/p2v/node_modules/nunjucks/src/environment.js', 'render')).toBe('nunjucks');
    expect(ownerOf('file:///work/p2v/node_modules/@nestjs/core/router/router-proxy.js', 'x')).toBe('@nestjs/core');
    expect(ownerOf('file:///work/p2v/dist/src/visits/visit.rules.js', 'slotsOf')).toBe('P2V src/visits');
    expect(ownerOf('node:internal/streams/readable', 'read')).toBe('node (built-in modules)');
    expect(ownerOf('', '(garbage collector)')).toBe('(garbage collector)');
    expect(ownerOf('', 'JSONStringify')).toBe('(native)');
  });

  it('adds self time per function and owner, idle left out, largest first', () => {
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: { functionName: '(idle)', url: '', lineNumber: -1 } },
        { id: 2, callFrame: { functionName: 'render', url: 'file:///a/node_modules/nunjucks/src/env.js', lineNumber: 9 } },
        { id: 3, callFrame: { functionName: 'slotsOf', url: 'file:///a/dist/src/visits/visit.rules.js', lineNumber: 41 } },
        { id: 4, callFrame: { functionName: '(garbage collector)', url: '', lineNumber: -1 } },
      ],
      samples: [1, 2, 2, 3, 2, 4, 1],
      timeDeltas: [5000, 1000, 1000, 1000, 1000, 1000, 9000],
    };
    const s = summarizeProfile(profile);
    expect(s.busyMs).toBe(5);
    expect(s.owners).toEqual([
      { owner: 'nunjucks', share: 60 },
      { owner: 'P2V src/visits', share: 20 },
      { owner: '(garbage collector)', share: 20 },
    ]);
    expect(s.functions[0]).toEqual({ name: 'render (nunjucks:10)', share: 60 });
    expect(profilesMarkdown([{ scenario: 'day-list', title: 'Liste', summary: s }])).toContain('| nunjucks | 60.0 % |');
  });
});
