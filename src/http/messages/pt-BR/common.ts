import type { Catalogue } from '../catalogue.js';

/** The common area's messages in Portuguese (Brazil). */
export const common: Catalogue = {
};
