import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'dist/', 'web/dist/', '.serverless/', '.esbuild/', 'src/db/migrations/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
      // `import { z }` makes esbuild keep all of zod (~450 KB, every locale) in a Lambda bundle;
      // the namespace import tree-shakes to what is used (~105 KB). ADR 0007.
      'no-restricted-syntax': [
        'error',
        { selector: "ImportDeclaration[source.value='zod'] > ImportSpecifier[imported.name='z']", message: "use `import * as z from 'zod'` (it tree-shakes; ADR 0007)" },
      ],
    },
  },
);
