import { Worker, type ResourceLimits } from 'node:worker_threads';

/**
 * Starts the worker thread `<name>.js` next to the module at `from` (its `import.meta.url`).
 * From `dist/` the worker is plain JavaScript. From `src/` (tests, `npm run dev`) it is
 * TypeScript, which a worker thread does not inherit the parent's loader for: a small
 * bootstrap loads it through tsx (a development dependency, present wherever `src/` runs).
 * A worker takes its work by message, not `workerData` (the bootstrap uses that).
 */
export function startWorker(from: string, name: string, resourceLimits?: ResourceLimits): Worker {
  if (!from.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, from), { resourceLimits });
  const entry = new URL(`./${name}.ts`, from).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `const { workerData: d } = require('node:worker_threads'); import(d.tsx).then((api) => api.tsImport(d.entry, d.entry));`;
  return new Worker(boot, { eval: true, workerData: { entry, tsx }, resourceLimits });
}
