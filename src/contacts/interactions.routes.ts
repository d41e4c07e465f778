import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { actorOf, changeContextOf, principalOf, tenantScope } from '../auth/index.js';
import { INTERACTION_KINDS } from '../db/schema/index.js';
import { Id, IdParams, Nullable, PageOf, PageQuery, RequiredText, TenantQuery, closed, pageOf, DateTime } from '../http/schemas.js';
import { ContactBody, ContactView } from './contacts.resource.js';
import type { ContactsService } from './contacts.service.js';
import type { InteractionRow, TicketRow } from './interactions.service.js';
import { CustomValues, Literals, OptionalLongText, OptionalText, iso, isoOrNull } from './schemas.js';

const CHANNELS = ['voice', 'whatsapp', 'webchat', 'email', 'mercadolivre', 'in_person'] as const;
const TICKET_STATUSES = ['open', 'in_progress', 'resolved', 'closed'] as const;
const When = DateTime();

const InteractionView = Type.Object({
  id: Type.Integer(),
  tenantId: Type.Integer(),
  contactId: Nullable(Type.Integer()),
  address: Nullable(Type.String()),
  protocol: Type.String(),
  kind: Type.String(),
  channel: Type.String(),
  serviceId: Nullable(Type.Integer()),
  serviceName: Nullable(Type.String()),
  agentUserId: Nullable(Type.Integer()),
  agentName: Nullable(Type.String()),
  callId: Nullable(Type.String()),
  state: Type.String(),
  requiresTabulation: Type.Boolean(),
  startedAt: When,
  endedAt: Nullable(When),
  statusId: Nullable(Type.Integer()),
  statusName: Nullable(Type.String()),
  groupName: Nullable(Type.String()),
  note: Nullable(Type.String()),
  externalProtocol: Nullable(Type.String()),
  tagIds: Type.Array(Type.Integer()),
  formValues: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()])),
  details: Type.Record(Type.String(), Type.Unknown(), { description: 'what the channel adds: recording, IVR path, transcript, in-person description' }),
  tabulatedAt: Nullable(When),
});
/** The call leg of a voice interaction, as the calls log has it. */
const CallFacts = Type.Object({
  direction: Type.String(),
  from: Type.String(),
  to: Type.String(),
  answeredAt: Nullable(When),
  endedAt: Nullable(When),
  cause: Nullable(Type.String()),
  hangupBy: Nullable(Type.String()),
});
const HistoryItem = Type.Object({
  ...InteractionView.properties,
  call: Nullable(CallFacts),
  recordings: Type.Array(Type.Object({ id: Type.Integer(), startedAt: When, durationSeconds: Type.Integer(), audioUrl: Type.String({ description: "needs the recordings module's read right" }) }), {
    description: "the call's recordings, oldest first",
  }),
  ivrPath: Type.Array(Type.String(), { description: 'the IVR nodes the call went through, in order' }),
});
type CallRow = { direction: string | null; from: string | null; to: string | null; answeredAt: Date | null; endedAt: Date | null; cause: string | null; hangupBy: string | null } | null;
const callFacts = (c: CallRow) =>
  c?.direction == null
    ? null
    : { direction: c.direction, from: c.from ?? '', to: c.to ?? '', answeredAt: c.answeredAt?.toISOString() ?? null, endedAt: c.endedAt?.toISOString() ?? null, cause: c.cause, hangupBy: c.hangupBy };
const interactionView = (r: InteractionRow, agentName: string | null = null) => ({
  ...r,
  agentName,
  startedAt: iso(r.startedAt),
  endedAt: isoOrNull(r.endedAt),
  tabulatedAt: isoOrNull(r.tabulatedAt),
});

const Command = Type.Union([
  Type.Object({ type: Type.Literal('send_closing_message'), text: Type.String() }),
  Type.Object({ type: Type.Literal('transfer'), serviceId: Type.Integer() }),
  Type.Object({ type: Type.Literal('redial'), afterMinutes: Type.Integer() }),
]);

const TicketView = Type.Object({
  id: Type.Integer(),
  tenantId: Type.Integer(),
  contactId: Type.Integer(),
  interactionId: Nullable(Type.Integer()),
  subject: Type.String(),
  status: Type.String(),
  custom: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()])),
  createdBy: Nullable(Type.Integer()),
  createdAt: When,
  updatedAt: When,
});
const ticketView = (t: TicketRow) => ({ ...t, createdAt: iso(t.createdAt), updatedAt: iso(t.updatedAt) });

const CallbackView = Type.Object({
  id: Type.Integer(),
  contactId: Type.Integer(),
  interactionId: Nullable(Type.Integer()),
  phone: Nullable(Type.String()),
  serviceId: Nullable(Type.Integer()),
  agentUserId: Nullable(Type.Integer()),
  dueAt: When,
  note: Nullable(Type.String()),
  state: Type.String(),
});

/** After-call work: interactions (open, link, finish with tabulation), in-person, history, tickets, callbacks, CRM switches. */
export function interactionsRoutes(svc: ContactsService): FastifyPluginAsync {
  const ix = svc.interactions;
  return async (instance) => {
    const app = instance.withTypeProvider<TypeBoxTypeProvider>();
    const read = { access: { module: 'contacts', action: 'read' } } as const;
    const write = { access: { module: 'contacts', action: 'write' } } as const;
    const tags = ['interactions'];
    const visibleContact = (req: Parameters<typeof actorOf>[0], id: number) => svc.contacts.get(actorOf(req), id);

    app.get(
      '/crm/settings',
      {
        config: { access: { module: 'crm', action: 'read' } },
        schema: { tags: ['crm'], summary: 'Tenant-wide CRM switches', querystring: TenantQuery, response: { 200: Type.Object({ requireProtocol: Type.Boolean(), ticketMode: Type.String() }) } },
      },
      async (req) => ix.settings(tenantScope(req, req.query.tenantId)),
    );
    app.put(
      '/crm/settings',
      {
        config: { access: { module: 'crm', action: 'write' } },
        schema: {
          tags: ['crm'],
          summary: 'Change the CRM switches: external protocol required on every finish; a ticket per interaction or on demand',
          querystring: TenantQuery,
          body: Type.Object({ requireProtocol: Type.Optional(Type.Boolean()), ticketMode: Type.Optional(Literals(['every_interaction', 'on_demand'] as const)) }, closed),
          response: { 200: Type.Object({ requireProtocol: Type.Boolean(), ticketMode: Type.String() }) },
        },
      },
      async (req) => ix.saveSettings(tenantScope(req, req.query.tenantId), req.body),
    );

    app.post(
      '/interactions',
      {
        config: write,
        schema: {
          tags,
          summary: 'Open an interaction (a manual call or dispatch; the ACD and dialer open theirs through the service)',
          querystring: TenantQuery,
          body: Type.Object(
            {
              contactId: Type.Optional(Nullable(Id)),
              address: OptionalText(200),
              kind: Literals(INTERACTION_KINDS),
              channel: Literals(CHANNELS),
              serviceId: Type.Optional(Nullable(Id)),
              serviceName: OptionalText(100),
              callId: OptionalText(100),
              requiresTabulation: Type.Optional(Type.Boolean()),
            },
            closed,
          ),
          response: { 201: InteractionView },
        },
      },
      async (req, reply) => reply.status(201).send(interactionView(ix.open(tenantScope(req, req.query.tenantId), { ...req.body, agentUserId: principalOf(req).userId || null }))),
    );
    app.get(
      '/interactions',
      {
        config: read,
        schema: {
          tags,
          summary: "Interactions not finished: in conversation or wrap-up (open) and pending, oldest first; an agent sees only its own",
          querystring: Type.Object(
            {
              ...PageQuery.properties,
              mine: Type.Optional(Type.Boolean({ description: "only the caller's own (always so for an agent)" })),
              state: Type.Optional(Type.Array(Literals(['open', 'pending'] as const), { maxItems: 2, uniqueItems: true, description: 'repeat the parameter; default both' })),
              q: Type.Optional(Type.String({ maxLength: 100, description: "part of the contact's name, the service's name or the protocol" })),
            },
            closed,
          ),
          response: { 200: PageOf(Type.Object({ ...InteractionView.properties, contactName: Nullable(Type.String()) })) },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const page = pageOf(req.query);
        const own = req.query.mine === true || p.level === 'agent';
        const { rows, total } = ix.listOpen(tenantScope(req, req.query.tenantId), { agentUserId: own ? p.userId : undefined, states: req.query.state ?? ['open', 'pending'], q: req.query.q, ...page });
        return { items: rows.map((r) => ({ ...interactionView(r.i), contactName: r.contactName })), total, ...page };
      },
    );
    app.get(
      '/interactions/:id',
      { config: read, schema: { tags, summary: 'One interaction', params: IdParams, response: { 200: InteractionView } } },
      async (req) => interactionView(ix.visible(actorOf(req), req.params.id)),
    );
    app.post(
      '/interactions/:id/link',
      {
        config: write,
        schema: {
          tags,
          summary: "Link an unknown caller to an existing contact, adding the call's number (or the e-mail's address) to it unless addAddress is false",
          params: IdParams,
          body: Type.Object({ contactId: Id, addAddress: Type.Optional(Type.Boolean({ default: true })) }, closed),
          response: { 200: InteractionView },
        },
      },
      async (req) => interactionView(svc.link(changeContextOf(req), req.params.id, req.body.contactId, req.body.addAddress !== false)),
    );
    app.get(
      '/interactions/:id/tabulations',
      {
        config: read,
        schema: {
          tags,
          summary: "The status groups, statuses and tags this interaction may be finished with (the agent's team, the interaction's kind and service)",
          params: IdParams,
          response: {
            200: Type.Object({
              items: Type.Array(
                Type.Object({
                  id: Type.Integer(),
                  name: Type.String(),
                  statuses: Type.Array(
                    Type.Object({
                      id: Type.Integer(),
                      name: Type.String(),
                      category: Type.String(),
                      requiresProtocol: Type.Boolean(),
                      requiresTag: Type.Boolean(),
                      schedulesCallback: Type.Boolean(),
                      isDefault: Type.Boolean(),
                    }),
                  ),
                }),
              ),
              tags: Type.Array(Type.Object({ id: Type.Integer(), parentId: Nullable(Type.Integer()), title: Type.String(), colour: Type.String(), icon: Nullable(Type.String()) })),
              requireProtocol: Type.Boolean({ description: 'the tenant requires the external protocol on every finish' }),
            }),
          },
        },
      },
      async (req) => {
        const offered = ix.tabulationsFor(actorOf(req), req.params.id);
        return {
          requireProtocol: ix.settings(offered.tenantId).requireProtocol,
          tags: offered.tags.map((t) => ({ id: t.id, parentId: t.parentId, title: t.title, colour: t.colour, icon: t.icon })),
          items: offered.groups.map(({ group, statuses }) => ({
          id: group.id,
          name: group.name,
          statuses: statuses.map((st) => ({
            id: st.id,
            name: st.name,
            category: st.category,
            requiresProtocol: st.requiresProtocol,
            requiresTag: st.requiresTag,
            schedulesCallback: st.schedulesCallback,
            isDefault: st.isDefault,
          })),
        })),
        };
      },
    );
    app.get(
      '/interactions/:id/shortcuts',
      {
        config: read,
        schema: {
          tags,
          summary: "The shortcuts the agent may use in this interaction (its service's and every service's), variables filled in",
          params: IdParams,
          querystring: Type.Object({ prefix: Type.Optional(Type.String({ maxLength: 31, description: 'what the agent typed after /' })) }, closed),
          response: { 200: Type.Object({ items: Type.Array(Type.Object({ id: Type.Integer(), prefix: Type.String(), text: Type.String() })) }) },
        },
      },
      async (req) => ({ items: ix.shortcutsFor(actorOf(req), req.params.id, req.query.prefix) }),
    );
    app.post(
      '/interactions/:id/contact',
      {
        config: write,
        schema: {
          tags,
          summary: "Create a contact from an unknown caller (the call's number or the e-mail's address is added) and link the interaction to it",
          params: IdParams,
          body: ContactBody,
          response: { 201: Type.Object({ contact: ContactView, interaction: InteractionView }) },
        },
      },
      async (req, reply) => {
        const made = svc.createFromInteraction(changeContextOf(req), req.params.id, req.body);
        return reply.status(201).send({ contact: made.contact, interaction: interactionView(made.interaction) });
      },
    );
    app.post(
      '/interactions/:id/finish',
      {
        config: write,
        schema: {
          tags,
          summary: 'Finish with a tabulation (status, note, external protocol, tags, form values, next contact), or leave it pending',
          params: IdParams,
          body: Type.Object(
            {
              pending: Type.Optional(Type.Boolean()),
              formId: Type.Optional(Nullable(Id)),
              statusId: Type.Optional(Nullable(Id)),
              note: OptionalLongText(4000),
              externalProtocol: Type.Optional(Nullable(Type.String({ maxLength: 13, description: 'up to 13 characters' }))),
              tagIds: Type.Optional(Type.Array(Id, { maxItems: 20, uniqueItems: true })),
              formValues: Type.Optional(CustomValues),
              nextContactAt: Type.Optional(Nullable(When)),
              nextContactSameAgent: Type.Optional(Type.Boolean()),
            },
            closed,
          ),
          response: { 200: Type.Object({ interaction: InteractionView, commands: Type.Array(Command), callbackId: Nullable(Type.Integer()) }) },
        },
      },
      async (req) => {
        const { nextContactAt, ...rest } = req.body;
        const done = ix.finish(actorOf(req), req.params.id, { ...rest, nextContactAt: nextContactAt ? Date.parse(nextContactAt) : null });
        return { ...done, interaction: interactionView(done.interaction) };
      },
    );
    app.post(
      '/contacts/:id/in-person',
      {
        config: write,
        schema: {
          tags,
          summary: 'Register an in-person attendance (service, description)',
          params: IdParams,
          body: Type.Object({ serviceId: Type.Optional(Nullable(Id)), serviceName: OptionalText(100), description: RequiredText({ maxLength: 4000, multiline: true }) }, closed),
          response: { 201: InteractionView },
        },
      },
      async (req, reply) => {
        const contact = visibleContact(req, req.params.id);
        return reply.status(201).send(interactionView(ix.inPerson(actorOf(req), contact.tenantId, { contactId: contact.id, ...req.body })));
      },
    );
    app.get(
      '/contacts/:id/history',
      {
        config: read,
        schema: {
          tags,
          summary: "The contact's interactions on every channel, newest first",
          params: IdParams,
          querystring: Type.Object(
            { ...Type.Omit(PageQuery, ['tenantId']).properties, kind: Type.Optional(Literals(INTERACTION_KINDS)), channel: Type.Optional(Literals(CHANNELS)), from: Type.Optional(When), to: Type.Optional(When) },
            closed,
          ),
          response: { 200: PageOf(HistoryItem) },
        },
      },
      async (req) => {
        const contact = visibleContact(req, req.params.id);
        const page = pageOf(req.query);
        const { rows, total } = ix.history(contact.tenantId, contact.id, {
          kind: req.query.kind,
          channel: req.query.channel,
          from: req.query.from ? Date.parse(req.query.from) : undefined,
          to: req.query.to ? Date.parse(req.query.to) : undefined,
          ...page,
        });
        return {
          items: rows.map((r) => ({
            ...interactionView(r.i, r.agent),
            call: callFacts(r.call),
            recordings: r.media.recordings.map((x) => ({ id: x.id, startedAt: iso(x.startedAt), durationSeconds: x.durationSeconds, audioUrl: `/api/v1/recordings/${x.id}/audio` })),
            ivrPath: r.media.ivrPath,
          })),
          total,
          ...page,
        };
      },
    );

    app.get(
      '/tickets',
      {
        config: read,
        schema: {
          tags: ['tickets'],
          summary: "The tenant's tickets, most recently changed first",
          querystring: Type.Object(
            { ...PageQuery.properties, status: Type.Optional(Literals(TICKET_STATUSES)), contactId: Type.Optional(Id), q: Type.Optional(Type.String({ maxLength: 100, description: 'part of the subject' })) },
            closed,
          ),
          response: { 200: PageOf(Type.Object({ ...TicketView.properties, contactName: Type.String() })) },
        },
      },
      async (req) => {
        const page = pageOf(req.query);
        const { rows, total } = ix.tickets(tenantScope(req, req.query.tenantId), { status: req.query.status, contactId: req.query.contactId, q: req.query.q, ...page });
        return { items: rows.map((r) => ({ ...ticketView(r.t), contactName: r.contactName })), total, ...page };
      },
    );
    app.get(
      '/contacts/:id/tickets',
      { config: read, schema: { tags: ['tickets'], summary: "The contact's tickets, most recently changed first", params: IdParams, response: { 200: Type.Object({ items: Type.Array(TicketView) }) } } },
      async (req) => {
        const contact = visibleContact(req, req.params.id);
        return { items: ix.ticketsOf(contact.tenantId, contact.id).map(ticketView) };
      },
    );
    app.post(
      '/tickets',
      {
        config: write,
        schema: {
          tags: ['tickets'],
          summary: 'Open a ticket for a contact',
          querystring: TenantQuery,
          body: Type.Object(
            { contactId: Id, interactionId: Type.Optional(Nullable(Id)), subject: RequiredText({ maxLength: 200 }), status: Type.Optional(Literals(TICKET_STATUSES)), custom: Type.Optional(CustomValues) },
            closed,
          ),
          response: { 201: TicketView },
        },
      },
      async (req, reply) => reply.status(201).send(ticketView(ix.openTicket(actorOf(req), tenantScope(req, req.query.tenantId), req.body))),
    );
    app.patch(
      '/tickets/:id',
      {
        config: write,
        schema: {
          tags: ['tickets'],
          summary: 'Change a ticket (from an interaction or not); the change is kept in its history',
          params: IdParams,
          body: Type.Object(
            { subject: Type.Optional(RequiredText({ maxLength: 200 })), status: Type.Optional(Literals(TICKET_STATUSES)), custom: Type.Optional(CustomValues), interactionId: Type.Optional(Nullable(Id)) },
            closed,
          ),
          response: { 200: TicketView },
        },
      },
      async (req) => ticketView(ix.updateTicket(actorOf(req), req.params.id, req.body)),
    );
    app.get(
      '/tickets/:id/history',
      {
        config: read,
        schema: {
          tags: ['tickets'],
          summary: 'Every change of a ticket',
          params: IdParams,
          response: { 200: Type.Object({ items: Type.Array(Type.Object({ at: When, login: Nullable(Type.String()), interactionId: Nullable(Type.Integer()), changes: Type.Record(Type.String(), Type.Object({ from: Type.Unknown(), to: Type.Unknown() })) })) }) },
        },
      },
      async (req) => ({
        items: ix.ticketEvents(ix.visibleTicket(actorOf(req), req.params.id).id).map((r) => ({ at: iso(r.e.at), login: r.login, interactionId: r.e.interactionId, changes: r.e.changes })),
      }),
    );

    app.get(
      '/callbacks',
      {
        config: read,
        schema: {
          tags: ['interactions'],
          summary: 'Scheduled next contacts (callbacks); `mine=true` for the caller’s own',
          querystring: Type.Object({ ...PageQuery.properties, mine: Type.Optional(Type.Boolean()), state: Type.Optional(Literals(['pending', 'done', 'cancelled'] as const)), dueBefore: Type.Optional(When) }, closed),
          response: { 200: PageOf(Type.Object({ ...CallbackView.properties, contactName: Nullable(Type.String()) })) },
        },
      },
      async (req) => {
        const page = pageOf(req.query);
        const { rows, total } = ix.callbacks(tenantScope(req, req.query.tenantId), {
          agentUserId: req.query.mine ? principalOf(req).userId : undefined,
          state: req.query.state,
          dueBefore: req.query.dueBefore ? Date.parse(req.query.dueBefore) : undefined,
          ...page,
        });
        return { items: rows.map((c) => ({ ...c, dueAt: iso(c.dueAt) })), total, ...page };
      },
    );
    app.post(
      '/callbacks/:id/state',
      {
        config: write,
        schema: { tags: ['interactions'], summary: 'Mark a callback done or cancelled', params: IdParams, body: Type.Object({ state: Literals(['done', 'cancelled'] as const) }, closed), response: { 200: CallbackView } },
      },
      async (req) => {
        const c = ix.setCallbackState(actorOf(req), req.params.id, req.body.state);
        return { ...c, dueAt: iso(c.dueAt) };
      },
    );
  };
}
