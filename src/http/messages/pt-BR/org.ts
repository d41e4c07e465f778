import type { Catalogue } from '../catalogue.js';

/** The org area's messages in Portuguese (Brazil). */
export const org: Catalogue = {
};
