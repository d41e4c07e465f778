import type { Catalogue } from '../catalogue.js';

/** The dialer area's messages in Portuguese (Brazil). */
export const dialer: Catalogue = {
};
