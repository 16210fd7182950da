// ESLint: typescript-eslint's type-checked rules, Prettier for layout, and the module graph of
// docs/architecture.md as import restrictions.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

/**
 * Which feature modules each module of src/ may import (docs/architecture.md). Every module may also
 * import common/, config/ and the auth kernel (access decorators, roles, principal).
 * `database/` and `demo/` are composition roots, like app.module.ts and main.ts.
 */
const MODULE_GRAPH = {
  common: [],
  config: [],
  establishments: [],
  'demo-idp': [],
  health: [],
  home: [],
  notifications: ['establishments'],
  families: ['notifications'],
  agents: ['establishments'],
  auth: ['families', 'agents'],
  detainees: ['establishments'],
  appointments: ['notifications', 'establishments'],
  permits: ['notifications', 'families', 'establishments', 'detainees'],
  visits: ['appointments', 'notifications', 'families', 'establishments'],
  'family-visits': ['appointments', 'notifications', 'families', 'establishments', 'detainees'],
  'video-calls': ['appointments', 'notifications', 'establishments'],
  // Composition only: the family's overview pages read the exported services of the modules that own the data.
  'family-space': ['establishments', 'families', 'appointments', 'permits', 'visits', 'family-visits'],
  // The DAP's national view: its own figures table, computed from the others' tables by one SQL statement.
  oversight: ['agents', 'establishments'],
  // « Mes données »: reads the family's data across the tables that hold it, writes through families and appointments.
  'my-data': ['families', 'appointments'],
};
const FEATURES = Object.keys(MODULE_GRAPH).filter((m) => !['common', 'config'].includes(m));
const AUTH_KERNEL = ['access.decorator', 'roles', 'principal'];
/** Pure rule files of one module that another may import (no service, no SQL): a permit's validity and conditions. */
const PURE_RULES = {
  visits: { permits: ['permit-validity'] },
  // Family visits reuse the permits' pure pieces: validity, the letters' PDF and recourse text, the signatory, uploads checks,
  // the 2-month decision deadline (permit.rules: written once).
  'family-visits': {
    permits: ['permit-validity', 'letters', 'signatory', 'uploads', 'pdf-text', 'pdf-lib', 'permit-files', 'person-match', 'permit.rules'],
  },
  // Video calls: the access decision's letter (PDF, recourse text, signatory), the charter's upload checks and encrypted store.
  'video-calls': {
    permits: ['letters', 'signatory', 'uploads', 'pdf-text', 'pdf-lib', 'permit-files', 'document-response'],
  },
  // « Mes données »: the PDF's Unicode text, the labels and conditions of requests and permits; auth's sign-out (its module and
  // service), which closing the account ends with.
  'my-data': {
    permits: ['pdf-text', 'pdf-lib', 'permit.rules', 'permit-validity'],
    auth: ['auth.module', 'sign-out.service'],
  },
};

function boundaryRules(module) {
  const allowed = new Set(MODULE_GRAPH[module]);
  const patterns = [];
  for (const other of FEATURES) {
    if (other === module || allowed.has(other)) continue;
    if (other === 'auth') {
      // The auth kernel, and what PURE_RULES grants the module of auth beyond it.
      const kernel = [...AUTH_KERNEL, ...(PURE_RULES[module]?.auth ?? [])];
      patterns.push({
        regex: `^\\.\\./auth/(?!(${kernel.join('|')})$)`,
        message: `${module}/ may use only auth's ${kernel.join(', ')} (docs/architecture.md).`,
      });
      continue;
    }
    const pure = PURE_RULES[module]?.[other];
    if (pure) {
      patterns.push({
        regex: `^\\.\\./${other}/(?!(${pure.join('|')})$)`,
        message: `${module}/ may use only ${other}'s pure rules (${pure.join(', ')}) (docs/architecture.md).`,
      });
      continue;
    }
    patterns.push({ regex: `^\\.\\./${other}/`, message: `${module}/ must not import ${other}/ (module graph in docs/architecture.md).` });
  }
  if (module === 'common') patterns.push({ regex: '^\\.\\./(?!common/)', message: 'common/ is cross-cutting: it imports no feature.' });
  if (module === 'config') patterns.push({ regex: '^\\.\\./(?!(common|config)/)', message: 'config/ imports only common/.' });
  return { files: [`src/${module}/**/*.ts`], rules: { 'no-restricted-imports': ['error', { patterns }] } };
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', 'coverage/**', 'public/**', 'views/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { project: ['./tsconfig.eslint.json'], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unsafe-assignment': 'error',
      '@typescript-eslint/no-unsafe-member-access': 'error',
      '@typescript-eslint/no-unsafe-call': 'error',
      '@typescript-eslint/no-unsafe-return': 'error',
      '@typescript-eslint/no-unsafe-argument': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Nest handlers and interface implementations are async without always awaiting.
      '@typescript-eslint/require-await': 'off',
    },
  },
  ...Object.keys(MODULE_GRAPH).map(boundaryRules),
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { module: 'writable', require: 'readonly', process: 'readonly', __dirname: 'readonly' },
    },
    // CommonJS configuration files (Jest's) load their modules with require.
    rules: { ...tseslint.configs.disableTypeChecked.rules, '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
