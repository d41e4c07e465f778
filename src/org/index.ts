export { OrgService, SYSTEM_ACTOR, toTenant, toUser } from './org.service.js';
export { normaliseCnpj, normaliseCpf, formatCnpj, validDdd, canManageLevel, pickLoginUser, BRAZILIAN_DDDS } from './org.logic.js';
export type * from './org.model.js';
export { orgRoutes } from './org.routes.js';
export { bootstrap, SYSTEM_TENANT_CNPJ, type BootstrapResult } from './seed.js';
