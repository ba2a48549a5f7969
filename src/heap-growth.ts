import { setFlagsFromString } from 'node:v8';

/**
 * V8 sizes the heap from its heap limit, which it takes from the machine's memory (~4 GB here),
 * not from what the service needs (~60 MB live): started without flags, the service peaked at
 * ~360 MB under load. Two settings bring it near 200 MB however it is started (`npm start`,
 * `node dist/main.js`, the image, a process manager), without a hard limit to crash into.
 * Imported first by main.ts. A user's own NODE_OPTIONS or command-line flag wins.
 *
 * - How far the old generation may grow past what the last full collection left alive: 50 %
 *   (V8 scales this up to 4× with the limit). V8 reads the flag at each collection, so it is set
 *   at run time, on every Node version.
 * - The young generation: Node 22+ scales its semi-spaces with the limit too (up to 3 × 32 MB on
 *   such a machine; measured on Node 24: ~300 MB peak with the 50 % above, ~240 MB with 16 MB
 *   semi-spaces, and 262 against 223 MB with 16 against 8 MB after 80,000 orders, at the same CPU
 *   per order: README, "Memory however it is started"). Only a start-up flag sets it, so where
 *   Node can replace its own process (`process.execve`, Node 22.15+/23.11+) the process
 *   re-executes itself in place — same PID, stdio and environment, before anything else has run —
 *   with `--max-semi-space-size=8` (where there is no execve, Node 20, its default of 16 MB stays).
 */
const HEAP_GROWING_PERCENT = 50;
const SEMI_SPACE_MB = 8;

const userFlags = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
const chosen = (flag: string) => userFlags.some((arg) => arg.replace(/_/g, '-').startsWith(flag));

const execve = (process as { execve?: (file: string, args: string[], env: NodeJS.ProcessEnv) => never }).execve;
if (execve && !chosen('--max-semi-space-size') && process.platform !== 'win32') {
  execve(process.execPath, [process.execPath, `--max-semi-space-size=${SEMI_SPACE_MB}`, ...process.execArgv, ...process.argv.slice(1)], process.env);
}
if (!chosen('--heap-growing-percent')) setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
