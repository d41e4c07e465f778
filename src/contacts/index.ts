/**
 * The CRM: contacts (screen pop, blacklist, do-not-call), custom fields and forms, the CSV
 * importer with its targets, tabulations and tags. Other modules import contacts/ only from here.
 */
export { ContactsService, type ContactsDeps, type ScreenPop } from './contacts.service.js';
export type { PhoneMatch } from './contacts.repo.js';
export { contactFilters, type ContactView } from './contacts.resource.js';
export { contactsRoutes, crmResourceRoutes, ImportView as ImportProgressSchema } from './contacts.routes.js';
export { interactionsRoutes } from './interactions.routes.js';
export { InteractionsService, type AnsweredCall, type Finish, type Finished, type OpenInteraction, type Settings } from './interactions.service.js';
export type { FinishCommand } from './tabulation.logic.js';
export { checkPhone, formatPhone, type PhoneCheck, type PhoneKind } from './phone.logic.js';
export { checkDocument } from './document.logic.js';
export { bookInTenant } from './books.resource.js';
export type { ImportProgress, ImportPublisher, ImportSession, ImportTarget, PreparedRow, RowProblem, WriteContext as ImportWriteContext } from './import/importer.model.js';
export { ImportService } from './import/importer.service.js';
export { headerKey } from './import/csv.logic.js';
