/** Password links: forgot password, set a password through a mailed link, first-access links. */
export { accountRoutes } from './account.routes.js';
export { AccountService } from './account.service.js';
export { linkFor, resetMail, accessMail } from './account.logic.js';
export type { LinkInfo, LinkPurpose } from './account.model.js';
