import { Readable } from 'node:stream';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { assertVisible, changeContextOf, principalOf, tenantScope } from '../auth/index.js';
import { API_LOCALES, localeOf, localize } from '../http/messages/index.js';
import { Id, IdParams, Nullable, PageOf, PageQuery, closed, pageOf, DateTime } from '../http/schemas.js';
import { AppError, notFound } from '../kernel/index.js';
import { resourceRoutes } from '../resources/index.js';
import { BLACKLIST_DIRECTIONS, BlacklistBody, BlacklistView } from './blacklist.resource.js';
import { BookBody, BookView } from './books.resource.js';
import { CampaignTypeBody, CampaignTypeView } from './campaign-types.resource.js';
import type { ContactsService } from './contacts.service.js';
import { ContactBody, ContactView, contactFilters } from './contacts.resource.js';
import { FIELD_SCOPES, FieldBody, FieldView } from './fields.resource.js';
import { FormBody, FormView } from './forms.resource.js';
import { formatPhone } from './phone.logic.js';
import { Literals } from './schemas.js';
import { FaqBody, FaqView, ShortcutBody, ShortcutView } from './shortcuts.resource.js';
import { GroupBody, GroupView, StatusBody, StatusView, TagBody, TagView } from './tabulations.resource.js';

const Active = { active: Type.Optional(Type.Boolean()) };

/** The admin resources of the CRM, each from the generic mechanism. */
export function crmResourceRoutes(svc: ContactsService): FastifyPluginAsync[] {
  return [
    resourceRoutes(svc.books, { path: '/crm/books', module: 'crm', tag: 'crm', body: BookBody, view: BookView }),
    resourceRoutes(svc.fields, { path: '/crm/fields', module: 'crm', tag: 'crm', body: FieldBody, view: FieldView, filters: { scope: Type.Optional(Literals(FIELD_SCOPES)) } }),
    resourceRoutes(svc.forms, { path: '/crm/forms', module: 'crm', tag: 'crm', body: FormBody, view: FormView, filters: Active }),
    resourceRoutes(svc.campaignTypes, { path: '/crm/campaign-types', module: 'crm', tag: 'crm', body: CampaignTypeBody, view: CampaignTypeView, filters: Active }),
    resourceRoutes(svc.shortcuts, {
      path: '/crm/shortcuts',
      module: 'crm',
      tag: 'crm',
      body: ShortcutBody,
      view: ShortcutView,
      filters: { serviceId: Type.Optional(Id), ...Active },
      bulk: { maxItems: 500 },
    }),
    resourceRoutes(svc.faq, { path: '/crm/faq', module: 'crm', tag: 'crm', body: FaqBody, view: FaqView, filters: Active, bulk: { maxItems: 500 } }),
    resourceRoutes(svc.contacts, { path: '/contacts', module: 'contacts', tag: 'contacts', body: ContactBody, view: ContactView, filters: contactFilters }),
    resourceRoutes(svc.blacklist, {
      path: '/blacklist',
      module: 'blacklist',
      tag: 'blacklist',
      body: BlacklistBody,
      view: BlacklistView,
      filters: { direction: Type.Optional(Literals(BLACKLIST_DIRECTIONS)) },
    }),
    resourceRoutes(svc.statusGroups, { path: '/tabulations/groups', module: 'tabulations', tag: 'tabulations', body: GroupBody, view: GroupView, filters: Active }),
    resourceRoutes(svc.statuses, {
      path: '/tabulations/statuses',
      module: 'tabulations',
      tag: 'tabulations',
      body: StatusBody,
      view: StatusView,
      filters: { groupId: Type.Optional(Id), ...Active },
    }),
    resourceRoutes(svc.tags, {
      path: '/tabulations/tags',
      module: 'tabulations',
      tag: 'tabulations',
      body: TagBody,
      view: TagView,
      filters: { parentId: Type.Optional(Id), root: Type.Optional(Type.Boolean()), ...Active },
      deleteQuery: { withChildren: Type.Optional(Type.Boolean({ description: 'confirm that the child tags go too' })) },
    }),
  ];
}

/** An import's progress, as GET /imports/:id answers and the `imports` topic pushes it. */
export const ImportView = Type.Object({
  id: Type.Integer(),
  tenantId: Type.Integer(),
  target: Type.String(),
  state: Type.String(),
  fileName: Type.String(),
  sizeBytes: Type.Integer(),
  bytesRead: Type.Integer(),
  percent: Type.Integer(),
  rows: Type.Integer(),
  imported: Type.Integer(),
  rejected: Type.Integer(),
  problems: Type.Integer(),
  error: Nullable(Type.String()),
});
const ImportHistoryItem = Type.Object({
  ...ImportView.properties,
  encoding: Nullable(Type.String()),
  delimiter: Nullable(Type.String()),
  createdBy: Nullable(Type.String()),
  startedAt: DateTime(),
  finishedAt: Nullable(DateTime()),
});
const ProblemView = Type.Object({
  line: Type.Integer(),
  field: Type.String(),
  value: Nullable(Type.String()),
  code: Type.String(),
  message: Type.String(),
  rejected: Type.Boolean(),
});
const TargetOptions = {
  target: Literals(['contacts', 'blacklist', 'dialer_list'] as const),
  bookId: Type.Optional(Id),
  listId: Type.Optional({ ...Id, description: 'the contact group a dialer_list import fills' }),
  direction: Type.Optional(Literals(BLACKLIST_DIRECTIONS)),
};
/** CSV bodies are streamed as they are read (the schema documents them; nothing is serialised). */
const Csv = Type.String({ description: 'text/csv; charset=utf-8' });
const PhoneMatchView = Type.Object({
  contactId: Type.Integer(),
  bookId: Type.Integer(),
  name: Type.String(),
  phoneId: Type.Integer(),
  doNotCall: Type.Boolean(),
  phoneDoNotCall: Type.Boolean(),
  phoneValid: Type.Boolean(),
  ownerUserId: Nullable(Type.Integer()),
  ownerUntil: Nullable(Type.Integer()),
});

const targetOptions = (q: { bookId?: number | undefined; listId?: number | undefined; direction?: string | undefined }): Record<string, unknown> => ({
  ...(q.bookId === undefined ? {} : { bookId: q.bookId }),
  ...(q.listId === undefined ? {} : { listId: q.listId }),
  ...(q.direction === undefined ? {} : { direction: q.direction }),
});

/** Screen pop, merge, CSV import with progress and history, export, blacklist check. */
export function contactsRoutes(svc: ContactsService): FastifyPluginAsync {
  return async (instance) => {
    const app = instance.withTypeProvider<TypeBoxTypeProvider>();
    // Uploads are streamed to the importer, never parsed or buffered whole.
    app.addContentTypeParser(['text/csv', 'application/octet-stream'], (_req, payload, done) => done(null, payload));
    const contactsRead = { access: { module: 'contacts', action: 'read' } } as const;
    const contactsWrite = { access: { module: 'contacts', action: 'write' } } as const;
    const importsRead = { access: { module: 'imports', action: 'read' } } as const;
    const importsWrite = { access: { module: 'imports', action: 'write' } } as const;
    /** An import's progress, why it failed (if it did) in the language the request asks for. */
    const progressFor = (req: FastifyRequest, row: Parameters<typeof svc.importer.progressOf>[0]) => {
      const p = svc.importer.progressOf(row);
      return { ...p, error: p.error === null ? null : localize(p.error, localeOf(req)) };
    };

    app.get(
      '/contacts/lookup',
      {
        config: contactsRead,
        schema: {
          tags: ['contacts'],
          summary: "Screen pop: the contacts with this phone number (any usual format), in one book, in a service's (queue's) book, or in the whole tenant",
          querystring: Type.Object({ phone: Type.String({ minLength: 1, maxLength: 30 }), bookId: Type.Optional(Id), serviceId: Type.Optional(Id), tenantId: Type.Optional(Id) }, closed),
          response: { 200: Type.Object({ number: Nullable(Type.String()), display: Nullable(Type.String()), matches: Type.Array(PhoneMatchView) }) },
        },
      },
      async (req) => {
        const pop = svc.lookup(tenantScope(req, req.query.tenantId), req.query.phone, req.query);
        return { ...pop, display: pop.number === null ? null : formatPhone(pop.number) };
      },
    );

    app.get(
      '/crm/forms/applicable',
      {
        config: { access: { module: 'crm', action: 'read' } },
        schema: {
          tags: ['crm'],
          summary: "The form the agent desktop shows: the campaign type's, else the book's (or its campaign type's), else the tenant's default",
          querystring: Type.Object({ bookId: Type.Optional(Id), campaignTypeId: Type.Optional(Id), tenantId: Type.Optional(Id) }, closed),
          response: { 200: Type.Object({ form: Nullable(FormView) }) },
        },
      },
      async (req) => ({ form: svc.formFor(tenantScope(req, req.query.tenantId), req.query) }),
    );

    app.post(
      '/contacts/:id/merge',
      {
        config: contactsWrite,
        schema: {
          tags: ['contacts'],
          summary: 'Merge duplicates into this contact (their phones, e-mails, tags, history, tickets move here; they are deleted)',
          params: IdParams,
          body: Type.Object({ ids: Type.Array(Id, { minItems: 1, maxItems: 20, uniqueItems: true }) }, closed),
          response: { 200: ContactView },
        },
      },
      async (req) => svc.merge(changeContextOf(req), req.params.id, req.body.ids),
    );

    app.get(
      '/blacklist/check',
      {
        config: { access: { module: 'blacklist', action: 'read' } },
        schema: {
          tags: ['blacklist'],
          summary: 'Is this number blacklisted now in this direction?',
          querystring: Type.Object({ number: Type.String({ minLength: 1, maxLength: 30 }), direction: Literals(BLACKLIST_DIRECTIONS), tenantId: Type.Optional(Id) }, closed),
          response: { 200: Type.Object({ blacklisted: Type.Boolean(), entryId: Nullable(Type.Integer()), reason: Nullable(Type.String()) }) },
        },
      },
      async (req) => {
        const hit = svc.blacklisted(tenantScope(req, req.query.tenantId), req.query.direction, req.query.number, instance.deps.clock.now());
        return { blacklisted: hit !== null, entryId: hit?.id ?? null, reason: hit?.reason ?? null };
      },
    );

    app.get(
      '/imports/model',
      {
        config: importsRead,
        schema: {
          tags: ['imports'],
          summary: 'The model CSV of a target (header and one example row)',
          querystring: Type.Object({ ...TargetOptions, tenantId: Type.Optional(Id) }, closed),
          produces: ['text/csv'],
          response: { 200: Csv },
        },
      },
      async (req, reply) => {
        const csv = svc.importer.model(tenantScope(req, req.query.tenantId), req.query.target, targetOptions(req.query));
        return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="modelo-${req.query.target}.csv"`).send(csv);
      },
    );

    app.post(
      '/imports',
      {
        config: importsWrite,
        schema: {
          tags: ['imports'],
          summary: 'Upload a CSV (body text/csv): its header is checked at once, then rows are imported in the background',
          description:
            '`;`-separated (`,` when the header uses commas), UTF-8 with or without BOM or Latin-1. Progress: GET /imports/:id or the events socket. 202 with the import; 400 naming the problem for a bad header; 413 over the size limit; 415 for a file that is not text.',
          consumes: ['text/csv', 'application/octet-stream'],
          querystring: Type.Object({ ...TargetOptions, fileName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), tenantId: Type.Optional(Id) }, closed),
          response: { 202: ImportView },
        },
      },
      async (req, reply) => {
        const body = req.body as unknown;
        if (!(body instanceof Readable)) {
          throw new AppError('unsupported_media_type', 'file: send the CSV as the body with Content-Type text/csv', 415, { field: 'file' });
        }
        const length = req.headers['content-length'];
        const progress = await svc.importer.start({
          tenantId: tenantScope(req, req.query.tenantId),
          userId: principalOf(req).userId || null,
          target: req.query.target,
          options: targetOptions(req.query),
          fileName: req.query.fileName ?? `${req.query.target}.csv`,
          contentLength: length === undefined ? undefined : Number(length),
          body,
        });
        return reply.status(202).send(progress);
      },
    );

    app.get(
      '/imports',
      {
        config: importsRead,
        schema: {
          tags: ['imports'],
          summary: 'The import history, newest first',
          querystring: Type.Object({ ...PageQuery.properties, target: Type.Optional(Type.String({ maxLength: 40 })) }, closed),
          response: { 200: PageOf(ImportHistoryItem) },
        },
      },
      async (req) => {
        const page = pageOf(req.query);
        const { rows, total } = svc.importer.repo.list(tenantScope(req, req.query.tenantId), req.query.target, page.limit, page.offset);
        return {
          items: rows.map((r) => ({
            ...progressFor(req, r),
            encoding: r.encoding,
            delimiter: r.delimiter,
            createdBy: r.createdByLogin,
            startedAt: new Date(r.startedAt).toISOString(),
            finishedAt: r.finishedAt === null ? null : new Date(r.finishedAt).toISOString(),
          })),
          total,
          ...page,
        };
      },
    );

    const visibleImport = (req: Parameters<typeof assertVisible>[0], id: number) => assertVisible(req, svc.importer.repo.get(id), 'import');

    app.get(
      '/imports/:id',
      { config: importsRead, schema: { tags: ['imports'], summary: 'One import and its progress', params: IdParams, response: { 200: ImportView } } },
      async (req) => progressFor(req, visibleImport(req, req.params.id)),
    );

    app.post(
      '/imports/:id/cancel',
      {
        config: importsWrite,
        schema: { tags: ['imports'], summary: 'Stop a running import; what it stored is removed', params: IdParams, response: { 202: ImportView } },
      },
      async (req, reply) => {
        const row = visibleImport(req, req.params.id);
        if (!svc.importer.cancel(row.id)) throw notFound('running import');
        return reply.status(202).send(progressFor(req, row));
      },
    );

    app.get(
      '/imports/:id/problems',
      {
        config: importsRead,
        schema: {
          tags: ['imports'],
          summary: 'The per-row problems of an import, by line',
          params: IdParams,
          querystring: Type.Omit(PageQuery, ['tenantId']),
          response: { 200: PageOf(ProblemView) },
        },
      },
      async (req) => {
        const row = visibleImport(req, req.params.id);
        const page = pageOf(req.query);
        const { rows, total } = svc.importer.repo.problems(row.id, page.limit, page.offset);
        const locale = localeOf(req);
        const items = rows.map((p) => ({ line: p.line, field: p.field, value: p.value, code: p.code, message: localize(p.message, locale), rejected: p.rejected }));
        return { items, total, ...page };
      },
    );

    app.get(
      '/imports/:id/problems.csv',
      {
        config: importsRead,
        schema: {
          tags: ['imports'],
          summary: 'The per-row problems as CSV',
          params: IdParams,
          querystring: Type.Object(
            {
              lang: Type.Optional(Literals(API_LOCALES, { description: "the messages' language, for a download link that cannot send Accept-Language (which it takes over)" })),
            },
            closed,
          ),
          produces: ['text/csv'],
          response: { 200: Csv },
        },
      },
      async (req, reply) => {
        const row = visibleImport(req, req.params.id);
        const locale = req.query.lang ?? localeOf(req);
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="erros-importacao-${row.id}.csv"`)
          .send(Readable.from(svc.importer.problemsCsv(row.id, (m) => localize(m, locale))) as unknown as string);
      },
    );

    app.get(
      '/contacts/export',
      {
        config: importsRead,
        schema: {
          tags: ['imports'],
          summary: "The contacts of a book as CSV, in the import model's columns",
          querystring: Type.Object({ bookId: Type.Optional(Id), tenantId: Type.Optional(Id) }, closed),
          produces: ['text/csv'],
          response: { 200: Csv },
        },
      },
      async (req, reply) => {
        const tenantId = tenantScope(req, req.query.tenantId);
        const bookId = req.query.bookId ?? svc.defaultBook(tenantId);
        if (!svc.books.row(tenantId, bookId)) throw notFound('contact book');
        const rows = svc.exportCsv(tenantId, bookId);
        return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="contatos-${bookId}.csv"`).send(Readable.from(rows) as unknown as string);
      },
    );
  };
}
