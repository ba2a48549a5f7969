import 'reflect-metadata';
import { createAdmin } from './create-admin.js';

createAdmin(process.argv.slice(2))
  .then(({ code, output }) => {
    (code === 0 ? process.stdout : process.stderr).write(`${output}\n`);
    process.exit(code);
  })
  .catch((err: unknown) => {
    process.stderr.write(`create-admin failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
