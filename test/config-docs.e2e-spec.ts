import { readFileSync } from 'node:fs';
import { getMetadataStorage } from 'class-validator';
import { EnvironmentVariables } from '../src/config/environment.js';

/** Every variable the service reads is listed, once, in .env.example (with its default) and in the README's table. */
describe('configuration documentation', () => {
  const schema = [
    ...new Set(
      getMetadataStorage()
        .getTargetValidationMetadatas(EnvironmentVariables, '', true, false)
        .map((m) => m.propertyName),
    ),
  ].sort();
  const defaults = new EnvironmentVariables() as unknown as Record<string, string | number | boolean | undefined>;

  it('reads the schema (sanity)', () => {
    expect(schema).toEqual(expect.arrayContaining(['NODE_ENV', 'DATABASE_URL', 'JWT_SECRET', 'ENV_FILE']));
    expect(schema.length).toBeGreaterThan(30);
  });

  describe('.env.example', () => {
    const lines = readFileSync('.env.example', 'utf8').split('\n');
    const serviceSection = lines.slice(lines.findIndex((l) => l.startsWith('# ---- the service')));
    /** `NAME=value` or `# NAME=value   # meaning`. */
    const entries = lines.flatMap((line) => {
      const m = /^(?:# )?([A-Z][A-Z0-9_]*)=(\S*)\s*(?:# (.+))?$/.exec(line);
      return m ? [{ name: m[1], value: m[2], meaning: m[3], line }] : [];
    });

    it('lists every variable of the schema exactly once, with its default', () => {
      for (const name of schema) {
        const found = entries.filter((e) => e.name === name);
        expect({ name, count: found.length }).toEqual({ name, count: 1 });
        const expected = defaults[name] === undefined ? '' : String(defaults[name]);
        expect({ name, value: found[0].value }).toEqual({ name, value: expected });
      }
    });

    it('says in one line what each variable of the service section means, and lists nothing the service does not read', () => {
      const service = entries.filter((e) => serviceSection.includes(e.line));
      expect(service.map((e) => e.name).sort()).toEqual(schema.filter((n) => n !== 'JWT_SECRET')); // JWT_SECRET: in the compose section, required there
      for (const e of service) expect({ name: e.name, meaning: e.meaning }).toEqual({ name: e.name, meaning: expect.stringMatching(/\w/) });
    });
  });

  it("README's configuration table names exactly the schema's variables", () => {
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('\n## Configuration\n'), readme.indexOf('\n## npm scripts'));
    const rows = section.split('\n').filter((l) => l.startsWith('| `'));
    const named = rows.flatMap((row) => [...row.split('|')[1].matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]));
    expect([...named].sort()).toEqual(schema);
  });
});
