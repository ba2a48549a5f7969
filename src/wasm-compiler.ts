import { setFlagsFromString } from 'node:v8';

/**
 * Prisma's query compiler is a WebAssembly module. V8 compiles it with its baseline compiler
 * (Liftoff) and then recompiles busy functions with its optimising compiler (TurboFan), which
 * left the service ~50 MB larger for its whole life (measured: 225 → 175 MB idle). Prisma
 * caches the plan of each query shape, so the optimised code bought no measurable speed on the
 * Prisma routes: baseline code only. Must run before the Prisma client compiles its module,
 * hence the first import of main.ts.
 */
setFlagsFromString('--liftoff-only');
