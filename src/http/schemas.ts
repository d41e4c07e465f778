import { Type, type IntegerOptions, type StringOptions } from '@sinclair/typebox';
import { MULTILINE } from './validation.js';

/**
 * Building blocks for request schemas, so that every route keeps the API's rules: integers
 * carry both bounds, strings a maxLength (see test/integration/api-schema-rules.test.ts).
 */

/**
 * The largest integer a request may carry: beyond 2^53 − 1 a JSON number is no longer exact in
 * JavaScript, and SQLite refuses what does not fit its 64-bit integers ("datatype mismatch").
 */
export const MAX_INTEGER = Number.MAX_SAFE_INTEGER;

/** A row id (path parameter, reference in a body, filter). */
export const Id = (opts: IntegerOptions = {}) => Type.Integer({ minimum: 1, maximum: MAX_INTEGER, ...opts });

/** How many rows a list skips. */
export const Offset = (opts: IntegerOptions = {}) => Type.Integer({ minimum: 0, maximum: MAX_INTEGER, default: 0, ...opts });

/** Text that may span lines (tab, line feed and carriage return allowed); other strings are one line. */
export const MultilineText = (opts: StringOptions & { maxLength: number }) => Type.String({ ...opts, [MULTILINE]: true });
