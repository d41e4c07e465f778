import { Type } from '@sinclair/typebox';
import { Id, IdParams, MultilineText, Nullable, PageOf, PageQuery, RequiredText, TenantQuery, Timestamps, closed, pageOf } from '../http/schemas.js';
import { EMPLOYEE_NUMBER_PATTERN, LOGIN_PATTERN, USER_SORT_KEYS } from './org.logic.js';

/** TypeBox schemas of the organisation API (the shared ones live in src/http/schemas.ts). */
export { IdParams, Nullable, PageOf, PageQuery, TenantQuery, pageOf };

const Level = Type.Union([Type.Literal('admin'), Type.Literal('supervisor'), Type.Literal('agent')]);

// Tenants
const tenantFields = {
  legalName: RequiredText({ maxLength: 200 }),
  cnpj: Type.String({ minLength: 14, maxLength: 18, description: 'masked (12.345.678/0001-95) or bare; check digits validated' }),
  contactName: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  contactEmail: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 200 }))),
  contactPhone: Type.Optional(Nullable(Type.String({ maxLength: 20, pattern: '^\\+?[0-9 ()-]{8,20}$' }))),
  ddi: Type.Optional(Type.String({ maxLength: 3, pattern: '^[0-9]{1,3}$', description: 'country code, 55 for Brazil' })),
  ddd: Type.Optional(Nullable(Type.String({ maxLength: 4, pattern: '^[0-9]{1,4}$', description: 'area code; a valid Brazilian DDD when ddi is 55' }))),
  cnl: Type.Optional(Nullable(Type.String({ maxLength: 5, pattern: '^[0-9]{5}$', description: 'Código Nacional de Localidade' }))),
  active: Type.Optional(Type.Boolean()),
};
export const TenantBody = Type.Object(tenantFields, closed);
export const TenantPatch = Type.Partial(Type.Object(tenantFields), closed);
export const TenantView = Type.Object({
  id: Type.Integer(),
  legalName: Type.String(),
  cnpj: Type.String(),
  contactName: Nullable(Type.String()),
  contactEmail: Nullable(Type.String()),
  contactPhone: Nullable(Type.String()),
  ddi: Type.String(),
  ddd: Nullable(Type.String()),
  cnl: Nullable(Type.String()),
  active: Type.Boolean(),
  ...Timestamps,
});

// Users
const Concurrency = Type.Object(
  {
    voice: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 })),
    chat: Type.Optional(Type.Integer({ minimum: 0, maximum: 50 })),
    email: Type.Optional(Type.Integer({ minimum: 0, maximum: 50 })),
  },
  closed,
);
const Flags = Type.Object(
  {
    callCenter: Type.Optional(Type.Boolean()),
    chat: Type.Optional(Type.Boolean()),
    autoConnectChat: Type.Optional(Type.Boolean()),
    email: Type.Optional(Type.Boolean()),
    internalChat: Type.Optional(Type.Boolean()),
    auditor: Type.Optional(Type.Boolean()),
  },
  closed,
);
export const Password = Type.String({ minLength: 6, maxLength: 256 });
const userFields = {
  name: RequiredText({ maxLength: 200 }),
  login: Type.String({ minLength: 5, maxLength: 64, pattern: LOGIN_PATTERN }),
  email: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 200 }))),
  employeeNumber: Type.Optional(
    Nullable(Type.String({ pattern: EMPLOYEE_NUMBER_PATTERN, maxLength: 30, description: 'matrícula; unique in the tenant; may be used to log in' })),
  ),
  cpf: Type.Optional(
    Nullable(Type.String({ minLength: 11, maxLength: 14, description: 'masked (123.456.789-09) or bare; check digits validated; unique in the tenant; may be used to log in' })),
  ),
  level: Level,
  profileId: Type.Optional(Nullable(Id)),
  teamId: Type.Optional(Nullable(Id)),
  extension: Type.Optional(Nullable(Type.String({ maxLength: 10, pattern: '^[0-9]{2,10}$' }))),
  concurrency: Type.Optional(Concurrency),
  flags: Type.Optional(Flags),
  active: Type.Optional(Type.Boolean()),
  superUser: Type.Optional(Type.Boolean({ description: 'only a super user may grant it' })),
};
export const UserBody = Type.Object(
  {
    ...userFields,
    password: Type.Optional(
      Type.String({
        minLength: 6,
        maxLength: 256,
        description: 'omit to let the user choose it through an access link (POST /users/{id}/access-link)',
      }),
    ),
    passwordChangeRequired: Type.Optional(Type.Boolean({ description: 'default true: change on first access' })),
  },
  closed,
);
export const UserPatch = Type.Partial(Type.Object(userFields), closed);
export const UserView = Type.Object({
  id: Type.Integer(),
  tenantId: Type.Integer(),
  name: Type.String(),
  login: Type.String(),
  email: Nullable(Type.String()),
  employeeNumber: Nullable(Type.String()),
  cpf: Nullable(Type.String({ description: '11 digits' })),
  level: Level,
  profileId: Nullable(Type.Integer()),
  teamId: Nullable(Type.Integer()),
  extension: Nullable(Type.String()),
  concurrency: Type.Object({ voice: Type.Integer(), chat: Type.Integer(), email: Type.Integer() }),
  flags: Type.Object({
    callCenter: Type.Boolean(),
    chat: Type.Boolean(),
    autoConnectChat: Type.Boolean(),
    email: Type.Boolean(),
    internalChat: Type.Boolean(),
    auditor: Type.Boolean(),
  }),
  active: Type.Boolean(),
  superUser: Type.Boolean(),
  passwordChangeRequired: Type.Boolean(),
  ...Timestamps,
});
export const UserListQuery = Type.Object(
  {
    ...PageQuery.properties,
    teamId: Type.Optional(Id),
    level: Type.Optional(Level),
    active: Type.Optional(Type.Boolean()),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'found in the name, login, e-mail or matrícula (any case)' })),
    sort: Type.Optional(
      Type.Union(USER_SORT_KEYS.flatMap((k) => [Type.Literal(k), Type.Literal(`-${k}`)]), {
        description: 'name, login, level or createdAt; a leading - sorts descending. Default: id (creation order).',
      }),
    ),
  },
  closed,
);

// Teams
const teamFields = {
  name: RequiredText({ maxLength: 100 }),
  description: Type.Optional(Nullable(MultilineText({ maxLength: 500 }))),
  takeoverMessage: Type.Optional(Nullable(MultilineText({ maxLength: 1000, description: 'sent when a human takes a chat over' }))),
  supervisorIds: Type.Optional(Type.Array(Id, { maxItems: 100 })),
};
export const TeamBody = Type.Object(teamFields, closed);
export const TeamPatch = Type.Partial(Type.Object(teamFields), closed);
export const TeamView = Type.Object({
  id: Type.Integer(),
  tenantId: Type.Integer(),
  name: Type.String(),
  description: Nullable(Type.String()),
  takeoverMessage: Nullable(Type.String()),
  supervisorIds: Type.Array(Type.Integer()),
  ...Timestamps,
});

// Profiles
const profileFields = {
  name: RequiredText({ maxLength: 100 }),
  description: Type.Optional(Nullable(MultilineText({ maxLength: 500 }))),
  permissions: Type.Array(Type.String({ maxLength: 64, pattern: '^[a-z]+:(read|write)$' }), {
    maxItems: 200,
    description: '"module:action" strings from GET /api/v1/permissions',
  }),
};
export const ProfileBody = Type.Object(profileFields, closed);
export const ProfilePatch = Type.Partial(Type.Object(profileFields), closed);
export const ProfileView = Type.Object({
  id: Type.Integer(),
  tenantId: Type.Integer(),
  name: Type.String(),
  description: Nullable(Type.String()),
  permissions: Type.Array(Type.String()),
  ...Timestamps,
});

// Pause types
const pauseFields = {
  reason: RequiredText({ maxLength: 100 }),
  description: Type.Optional(Nullable(MultilineText({ maxLength: 500 }))),
  maxDurationMinutes: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 1440 }))),
  maxAgents: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 100_000 }))),
  overrunAllowed: Type.Optional(Type.Boolean()),
  transferWhilePaused: Type.Optional(Type.Boolean()),
  wrapUp: Type.Optional(Type.Boolean({ description: 'the automatic pause after an interaction' })),
  hideOnPanels: Type.Optional(Type.Boolean()),
  teamIds: Type.Optional(Type.Array(Id, { maxItems: 500, description: 'empty: every team' })),
  active: Type.Optional(Type.Boolean()),
};
export const PauseTypeBody = Type.Object(pauseFields, closed);
export const PauseTypePatch = Type.Partial(Type.Object(pauseFields), closed);
export const PauseTypeView = Type.Object({
  id: Type.Integer(),
  tenantId: Type.Integer(),
  reason: Type.String(),
  description: Nullable(Type.String()),
  maxDurationMinutes: Nullable(Type.Integer()),
  maxAgents: Nullable(Type.Integer()),
  overrunAllowed: Type.Boolean(),
  transferWhilePaused: Type.Boolean(),
  wrapUp: Type.Boolean(),
  hideOnPanels: Type.Boolean(),
  teamIds: Type.Array(Type.Integer()),
  active: Type.Boolean(),
  ...Timestamps,
});
