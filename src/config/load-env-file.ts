// Imported first by every entry point (main.ts, cli/*.main.ts), before anything reads process.env.
import { loadEnvFile } from './env-file.js';

try {
  loadEnvFile();
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
}
