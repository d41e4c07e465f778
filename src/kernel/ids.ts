import { randomUUID } from 'node:crypto';

/** Branded ids: a `CallId` cannot be passed where a `TenantId` is expected. */
export type Brand<T, B extends string> = T & { readonly __brand: B };

export type TenantId = Brand<number, 'TenantId'>;
export type UserId = Brand<number, 'UserId'>;
export type CallId = Brand<string, 'CallId'>;

export const newCallId = (): CallId => randomUUID() as CallId;
export const newId = (): string => randomUUID();
