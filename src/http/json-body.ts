import { errorCodes, type FastifyInstance } from 'fastify';
import { invalidField } from '../kernel/index.js';

/**
 * Keys that would reach an object's prototype if a body were ever merged into another object
 * (`Object.assign`, a deep merge). JSON.parse itself stores them as plain own properties, so
 * they are found after parsing and refused by name.
 */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** The dotted path of the first prototype key in `value`, or undefined when there is none. */
export function prototypeKeyPath(value: unknown, path: string[] = []): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const here = [...path, key];
    if (!Array.isArray(value) && PROTOTYPE_KEYS.has(key)) return here.join('.');
    const found = prototypeKeyPath(child, here);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * The JSON body parser: Fastify's own would refuse `__proto__` and `constructor` keys as
 * "not valid JSON", which sends a client looking for a syntax error that is not there.
 */
export function installJsonBodyParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = body as string;
    if (text.length === 0) {
      done(new errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY(), undefined);
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      done(new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY(), undefined);
      return;
    }
    const key = prototypeKeyPath(parsed);
    if (key !== undefined) {
      const name = key.split('.').pop()!;
      done(invalidField(key, `body.${key}: "${name}" is not allowed as a key (it names an object prototype)`), undefined);
      return;
    }
    done(null, parsed);
  });
}
