// The order of the test files for the 2 workers: the longest first (the browser journeys, then the
// start-up tests that start several apps), the others by size, so that no long file is left for the
// end of the run on a machine without Jest's timing cache (a fresh CI clone).
const Sequencer = require('@jest/test-sequencer').default;
const { statSync } = require('node:fs');

const rank = (path) => (path.includes('/test/browser/') ? 0 : /\/test\/startup/.test(path) ? 1 : /\/src\//.test(path) ? 3 : 2);

class LongestFirst extends Sequencer {
  sort(tests) {
    return [...tests].sort((a, b) => rank(a.path) - rank(b.path) || statSync(b.path).size - statSync(a.path).size);
  }
}

module.exports = LongestFirst;
