import type { Catalogue } from '../catalogue.js';

/** The contacts area's messages in Portuguese (Brazil). */
export const contacts: Catalogue = {
};
