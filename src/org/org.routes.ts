import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppDeps } from '../http/deps.js';
import { actorOf, changeContextOf as ctxOf, tenantScope } from '../auth/tenant-scope.js';
import {
  IdParams,
  PageOf,
  PageQuery,
  PauseTypeBody,
  PauseTypePatch,
  PauseTypeView,
  ProfileBody,
  ProfilePatch,
  ProfileView,
  TeamBody,
  TeamPatch,
  TeamView,
  TenantBody,
  TenantPatch,
  TenantQuery,
  TenantView,
  UserBody,
  UserListQuery,
  UserPatch,
  UserView,
  pageOf,
} from './org.schemas.js';

const NoContent = { 204: Type.Null() };

/** Tenants, users, teams, profiles and pause types. Handlers are one call into `app.org`. */
export const orgRoutes: FastifyPluginAsync<AppDeps> = async (instance) => {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const org = instance.org;

  // Tenants
  const tenants = { tags: ['tenants'] };
  const readTenants = { access: { module: 'tenants', action: 'read' } } as const;
  const writeTenants = { access: { module: 'tenants', action: 'write' } } as const;
  app.get(
    '/tenants',
    {
      config: readTenants,
      schema: {
        ...tenants,
        summary: 'Tenants the caller may see (all for a super user, else its own)',
        querystring: Type.Omit(PageQuery, ['tenantId']),
        response: { 200: PageOf(TenantView) },
      },
    },
    async (req) => org.listTenants(actorOf(req), pageOf(req.query)),
  );
  app.get(
    '/tenants/:id',
    { config: readTenants, schema: { ...tenants, params: IdParams, response: { 200: TenantView } } },
    async (req) => org.getTenant(actorOf(req), req.params.id),
  );
  app.post(
    '/tenants',
    {
      config: writeTenants,
      schema: { ...tenants, summary: 'Create a tenant (super user only)', body: TenantBody, response: { 201: TenantView } },
    },
    async (req, reply) => reply.status(201).send(org.createTenant(ctxOf(req), req.body)),
  );
  app.patch(
    '/tenants/:id',
    { config: writeTenants, schema: { ...tenants, params: IdParams, body: TenantPatch, response: { 200: TenantView } } },
    async (req) => org.updateTenant(ctxOf(req), req.params.id, req.body),
  );

  // Users
  const users = { tags: ['users'] };
  const readUsers = { access: { module: 'users', action: 'read' } } as const;
  const writeUsers = { access: { module: 'users', action: 'write' } } as const;
  app.get(
    '/users',
    { config: readUsers, schema: { ...users, querystring: UserListQuery, response: { 200: PageOf(UserView) } } },
    async (req) => {
      const { teamId, level, active, q, sort } = req.query;
      return org.listUsers(actorOf(req), tenantScope(req, req.query.tenantId), { teamId, level, active, q, sort }, pageOf(req.query));
    },
  );
  app.get(
    '/users/:id',
    { config: readUsers, schema: { ...users, params: IdParams, response: { 200: UserView } } },
    async (req) => org.getUser(actorOf(req), req.params.id),
  );
  app.post(
    '/users',
    {
      config: writeUsers,
      schema: {
        ...users,
        summary: 'Create a user (in the caller’s tenant; a super user may name another with ?tenantId=)',
        querystring: TenantQuery,
        body: UserBody,
        response: { 201: UserView },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await org.createUser(ctxOf(req), tenantScope(req, req.query.tenantId), req.body)),
  );
  app.patch(
    '/users/:id',
    {
      config: writeUsers,
      schema: { ...users, summary: 'Change a user (deactivate with active: false)', params: IdParams, body: UserPatch, response: { 200: UserView } },
    },
    async (req) => org.updateUser(ctxOf(req), req.params.id, req.body),
  );

  // Teams
  const teams = { tags: ['teams'] };
  const readTeams = { access: { module: 'teams', action: 'read' } } as const;
  const writeTeams = { access: { module: 'teams', action: 'write' } } as const;
  app.get(
    '/teams',
    { config: readTeams, schema: { ...teams, querystring: PageQuery, response: { 200: PageOf(TeamView) } } },
    async (req) => org.listTeams(actorOf(req), tenantScope(req, req.query.tenantId), pageOf(req.query)),
  );
  app.get(
    '/teams/:id',
    { config: readTeams, schema: { ...teams, params: IdParams, response: { 200: TeamView } } },
    async (req) => org.getTeam(actorOf(req), req.params.id),
  );
  app.post(
    '/teams',
    { config: writeTeams, schema: { ...teams, querystring: TenantQuery, body: TeamBody, response: { 201: TeamView } } },
    async (req, reply) => reply.status(201).send(org.createTeam(ctxOf(req), tenantScope(req, req.query.tenantId), req.body)),
  );
  app.patch(
    '/teams/:id',
    { config: writeTeams, schema: { ...teams, params: IdParams, body: TeamPatch, response: { 200: TeamView } } },
    async (req) => org.updateTeam(ctxOf(req), req.params.id, req.body),
  );
  app.delete(
    '/teams/:id',
    { config: writeTeams, schema: { ...teams, summary: 'Delete a team with no users', params: IdParams, response: NoContent } },
    async (req, reply) => {
      org.deleteTeam(ctxOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );

  // Profiles
  const profiles = { tags: ['profiles'] };
  const readProfiles = { access: { module: 'profiles', action: 'read' } } as const;
  const writeProfiles = { access: { module: 'profiles', action: 'write' } } as const;
  app.get(
    '/profiles',
    { config: readProfiles, schema: { ...profiles, querystring: PageQuery, response: { 200: PageOf(ProfileView) } } },
    async (req) => org.listProfiles(actorOf(req), tenantScope(req, req.query.tenantId), pageOf(req.query)),
  );
  app.get(
    '/profiles/:id',
    { config: readProfiles, schema: { ...profiles, params: IdParams, response: { 200: ProfileView } } },
    async (req) => org.getProfile(actorOf(req), req.params.id),
  );
  app.post(
    '/profiles',
    {
      config: writeProfiles,
      schema: { ...profiles, querystring: TenantQuery, body: ProfileBody, response: { 201: ProfileView } },
    },
    async (req, reply) =>
      reply.status(201).send(org.createProfile(ctxOf(req), tenantScope(req, req.query.tenantId), req.body)),
  );
  app.patch(
    '/profiles/:id',
    { config: writeProfiles, schema: { ...profiles, params: IdParams, body: ProfilePatch, response: { 200: ProfileView } } },
    async (req) => org.updateProfile(ctxOf(req), req.params.id, req.body),
  );
  app.delete(
    '/profiles/:id',
    { config: writeProfiles, schema: { ...profiles, summary: 'Delete a profile no user has', params: IdParams, response: NoContent } },
    async (req, reply) => {
      org.deleteProfile(ctxOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );

  // Pause types
  const pauses = { tags: ['pauses'] };
  const readPauses = { access: { module: 'pauses', action: 'read' } } as const;
  const writePauses = { access: { module: 'pauses', action: 'write' } } as const;
  app.get(
    '/pause-types',
    { config: readPauses, schema: { ...pauses, querystring: PageQuery, response: { 200: PageOf(PauseTypeView) } } },
    async (req) => org.listPauseTypes(actorOf(req), tenantScope(req, req.query.tenantId), pageOf(req.query)),
  );
  app.get(
    '/pause-types/:id',
    { config: readPauses, schema: { ...pauses, params: IdParams, response: { 200: PauseTypeView } } },
    async (req) => org.getPauseType(actorOf(req), req.params.id),
  );
  app.post(
    '/pause-types',
    {
      config: writePauses,
      schema: { ...pauses, querystring: TenantQuery, body: PauseTypeBody, response: { 201: PauseTypeView } },
    },
    async (req, reply) =>
      reply.status(201).send(org.createPauseType(ctxOf(req), tenantScope(req, req.query.tenantId), req.body)),
  );
  app.patch(
    '/pause-types/:id',
    { config: writePauses, schema: { ...pauses, params: IdParams, body: PauseTypePatch, response: { 200: PauseTypeView } } },
    async (req) => org.updatePauseType(ctxOf(req), req.params.id, req.body),
  );
  app.delete(
    '/pause-types/:id',
    {
      config: writePauses,
      schema: { ...pauses, summary: 'Delete a pause type no agent has used', params: IdParams, response: NoContent },
    },
    async (req, reply) => {
      org.deletePauseType(ctxOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
};
