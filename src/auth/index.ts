export { authPlugin, checkRouteDeclaration, clientIp } from './auth.plugin.js';
export { authRoutes } from './auth.routes.js';
export { AuthService, passwordChangeRequired, type Authenticated } from './auth.service.js';
export { SESSION_COOKIE, type Me, type LoginOutcome } from './auth.model.js';
export { actorOf, assertVisible, canSeeTenant, changeContextOf, principalOf, tenantScope } from './tenant-scope.js';
export {
  ALL_PERMISSIONS,
  DEFAULT_PERMISSIONS,
  MODULES,
  allows,
  isModule,
  isPermission,
  notCovered,
  type Module,
  type Permission,
} from './permissions.js';
export { hashPassword, verifyPassword } from './password.js';
export { FailureCounter } from './rate-limit.js';
export { totp, hotp, verifyTotp, base32Decode, base32Encode, otpauthUri } from './totp.js';
