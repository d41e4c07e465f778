export { ChangeFeed, ResourceService, type BulkOps, type ResourceContext } from './resource.service.js';
export { ReferenceRegistry, type ReferrerFinder } from './references.js';
export { resourceRoutes, type ResourceRoutesOptions } from './resource.routes.js';
export { ScopedRepo } from './resource.repo.js';
export type * from './resource.model.js';
