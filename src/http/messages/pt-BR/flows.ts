import type { Catalogue } from '../catalogue.js';

/** The flows area's messages in Portuguese (Brazil). */
export const flows: Catalogue = {
};
