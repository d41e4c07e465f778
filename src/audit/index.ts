export { AuditService, toAuditRecord } from './audit.service.js';
export { withoutSecrets } from './audit.logic.js';
export type { AuditActor, AuditEntry, AuditFilter, AuditRecord } from './audit.model.js';
export { auditRoutes } from './audit.routes.js';
