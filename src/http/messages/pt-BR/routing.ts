import type { Catalogue } from '../catalogue.js';

/** The routing area's messages in Portuguese (Brazil). */
export const routing: Catalogue = {
};
