// The order of the test files for the workers: the longest first (the browser journeys, each
// followed by a long plain file so that two browsers rarely run at once, then the start-up tests),
// the others by size: no long file is left for the end on a machine without Jest timings (a fresh clone).
const Sequencer = require('@jest/test-sequencer').default;
const { statSync } = require('node:fs');

const rank = (path) => (path.includes('/test/browser/') ? 0 : /\/test\/startup/.test(path) ? 1 : /\/src\//.test(path) ? 3 : 2);

class LongestFirst extends Sequencer {
  sort(tests) {
    const sorted = [...tests].sort((a, b) => rank(a.path) - rank(b.path) || statSync(b.path).size - statSync(a.path).size);
    // Two browsers at once slow each other down: each browser journey is followed by a long plain file.
    const browser = sorted.filter((t) => rank(t.path) === 0);
    const others = sorted.filter((t) => rank(t.path) !== 0);
    return browser.flatMap((t) => [t, ...others.splice(0, 1)]).concat(others);
  }
}

module.exports = LongestFirst;
