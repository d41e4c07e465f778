import type { Catalogue } from '../catalogue.js';

/** The provisioning area's messages in Portuguese (Brazil). */
export const provisioning: Catalogue = {
};
