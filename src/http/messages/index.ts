import type { FastifyRequest } from 'fastify';
import { API_LOCALES, requestedLocale, translator, type ApiLocale, type Catalogue } from './catalogue.js';
import { common, nouns, validator } from './pt-BR/common.js';
import { contacts } from './pt-BR/contacts.js';
import { dialer } from './pt-BR/dialer.js';
import { flows } from './pt-BR/flows.js';
import { org } from './pt-BR/org.js';
import { provisioning } from './pt-BR/provisioning.js';
import { routing } from './pt-BR/routing.js';

/** The Portuguese sentences, one catalogue per area of the code (a sentence two areas raise may be in both, translated alike). */
export const ptBRParts: Readonly<Record<string, Catalogue>> = { validator, nouns, common, org, provisioning, flows, contacts, routing, dialer };
export const ptBR: Catalogue = Object.assign({}, ...Object.values(ptBRParts)) as Catalogue;

const toPortuguese = translator(ptBR);

/** A message of the API in the language asked for. */
export const localize = (message: string, locale: ApiLocale): string => (locale === 'pt-BR' ? toPortuguese(message) : message);

/** The language a request asks its answers in (`Accept-Language`). */
export const localeOf = (req: FastifyRequest): ApiLocale => requestedLocale(req.headers['accept-language']);

export { API_LOCALES, type ApiLocale };
