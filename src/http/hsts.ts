import type { FastifyInstance } from 'fastify';

/** One year, sub-domains included: helmet's default policy. */
export const HSTS_VALUE = 'max-age=31536000; includeSubDomains';

/**
 * Strict-Transport-Security only on requests that arrived over HTTPS (directly, or through a
 * proxy's X-Forwarded-Proto when `ATENDE_TRUST_PROXY` is on). Over plain HTTP a browser ignores
 * it anyway (RFC 6797 §8.1), and a server answering on a LAN address over HTTP should not claim
 * an HTTPS policy it does not serve.
 */
export function installStrictTransportSecurity(app: FastifyInstance): void {
  app.addHook('onRequest', async (req, reply) => {
    if (req.protocol === 'https') void reply.header('strict-transport-security', HSTS_VALUE);
  });
}
