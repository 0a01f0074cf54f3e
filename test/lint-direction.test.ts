/** The dependency direction is enforced by ESLint: a wrong arrow is a lint error (and fails `npm test`). */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

async function lint(file: string) {
  const eslint = new ESLint({ ignore: false });
  const [result] = await eslint.lintFiles([file]);
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports');
}

describe('layering lint rule', () => {
  it('fails a core file that imports from src/db', async () => {
    const errors = await lint('test/lint-fixtures/core/imports-db.ts');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.severity).toBe(2);
    expect(errors[0]!.message).toContain('must not import from src/db');
  });

  it('fails a core file that imports from src/app', async () => {
    const errors = await lint('test/lint-fixtures/core/imports-app.ts');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toContain('src/app');
  });

  it('fails an app file that imports from src/api or src/db', async () => {
    const errors = await lint('test/lint-fixtures/app/imports-api.ts');
    expect(errors.map((e) => e.message).join('\n')).toMatch(/src\/api[\s\S]*src\/db|src\/db[\s\S]*src\/api/);
    expect(errors).toHaveLength(2);
  });

  it('accepts core importing core', async () => {
    expect(await lint('test/lint-fixtures/core/clean.ts')).toHaveLength(0);
  });
});
