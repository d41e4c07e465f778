/**
 * The part of `ari-client` 2.2.0 (untyped, CommonJS) that the ARI adapter uses. Operations are
 * built at run time from the Swagger listing Asterisk serves, so they are looked up by name.
 */
declare module 'ari-client' {
  /** One ARI operation: named parameters in, a promise of the decoded response out. */
  export type AriOperation = (params?: Record<string, unknown>) => PromiseLike<unknown>;

  /** `client.channels`, `client.bridges`, …: the operations of one resource by nickname. */
  export type AriResource = Record<string, AriOperation | undefined>;

  export interface AriClient {
    [resource: string]: unknown;
  }

  const ari: {
    connect(url: string, user: string, password: string): PromiseLike<AriClient>;
  };
  export default ari;
}
