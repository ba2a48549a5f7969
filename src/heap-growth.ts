import { setFlagsFromString } from 'node:v8';

/**
 * How much V8 lets the old generation grow past what the last full collection left alive: 50 %.
 * By default V8 scales that factor with the heap limit, and a machine's memory gives a limit of
 * ~4 GB, hence a factor of up to 4: the service (~60 MB live) then peaked at ~360 MB under load.
 * The Docker image's old `--max-old-space-size=512` brought it to ~200 MB by lowering the limit;
 * this does the same from the service's own start-up, however it is started (`npm start`,
 * `node dist/main.js`, the image, a process manager), without a hard limit to crash into and on
 * every Node version (V8 reads the flag at each collection, so setting it at run time works).
 * Set NODE_OPTIONS=--heap-growing-percent=N to choose another factor. Imported first by main.ts.
 */
const HEAP_GROWING_PERCENT = 50;

const chosenByUser = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some((arg) => /^--heap[-_]growing[-_]percent\b/.test(arg));
if (!chosenByUser) setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
