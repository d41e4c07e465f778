/**
 * The emulator's control surface, mounted under /api/v1 in emulator mode only: what the far
 * end does (call in, press digits, hang up), what agent phones do, what the E1 line does.
 *
 * The emulated PBX is one machine shared by every tenant, as a real Asterisk is: its channels
 * carry every tenant's callers, and a span alarm stops every tenant's calls. So the whole
 * surface belongs to the super user; a tenant's users get 403 whatever they ask.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { AppError, badRequest, conflict, forbidden, invalidField, notFound } from '../../kernel/errors.js';
import type { Emulator } from './index.js';
import { AriError } from './types.js';

export interface EmulatorRoutesOptions {
  emulator: Emulator;
  /**
   * False only for the standalone `npm run emulator -- serve`, a separate process on loopback
   * with no users at all. Inside the daemon the surface is the super user's.
   */
  superUserOnly?: boolean;
}

const write = { access: { module: 'emulator', action: 'write' as const } };
const read = { access: { module: 'emulator', action: 'read' as const } };
const tags = ['emulator'];
/** DAHDI numbers spans from 1; no server holds more than a few hundred. */
const MAX_SPAN = 1024;

const Via = Type.Union([
  Type.Object({ span: Type.Integer({ minimum: 1, maximum: MAX_SPAN }) }, { additionalProperties: false }),
  Type.Object({ trunk: Type.String({ minLength: 1, maxLength: 80 }) }, { additionalProperties: false }),
]);
const PlaceCall = Type.Object(
  {
    did: Type.String({ minLength: 1, maxLength: 40, pattern: '^[0-9*#+]+$' }),
    from: Type.String({ maxLength: 40 }),
    via: Type.Optional(Via),
    app: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
  },
  { additionalProperties: false },
);
const ChannelParams = Type.Object({ channelId: Type.String({ minLength: 1, maxLength: 120 }) }, { additionalProperties: false });
const Dtmf = Type.Object({ digits: Type.String({ minLength: 1, maxLength: 64, pattern: '^[0-9A-Da-d*#]+$' }) }, { additionalProperties: false });
const HangupQuery = Type.Object({ cause: Type.Optional(Type.Integer({ minimum: 1, maximum: 127 })) }, { additionalProperties: false });
const ExtParams = Type.Object({ ext: Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9_.-]+$' }) }, { additionalProperties: false });
const PhoneBody = Type.Object(
  {
    registered: Type.Optional(Type.Boolean()),
    password: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'checked against the extension’s secret when registering' })),
    reachable: Type.Optional(Type.Boolean({ description: 'false: the phone stops answering qualify requests (unreachable)' })),
    userAgent: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
    answerAfterMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 600_000 })),
    behaviour: Type.Optional(Type.Union([Type.Literal('answer'), Type.Literal('reject'), Type.Literal('no-answer')])),
  },
  { additionalProperties: false },
);
const PhoneView = Type.Object({
  ext: Type.String(),
  registered: Type.Boolean(),
  reachable: Type.Boolean(),
  userAgent: Type.String(),
  behaviour: Type.String(),
});
const DialBody = Type.Object({ dialled: Type.String({ minLength: 1, maxLength: 40, pattern: '^[0-9*#+]+$' }) }, { additionalProperties: false });
const ReloadBody = Type.Object(
  { module: Type.Union(['res_pjsip', 'pbx_config', 'res_musiconhold', 'chan_dahdi'].map((m) => Type.Literal(m))) },
  { additionalProperties: false },
);
const ReloadView = Type.Object({ module: Type.String(), at: Type.Number(), problems: Type.Array(Type.String()) });
const TrunkParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9_-]+$' }) }, { additionalProperties: false });
const TrunkBody = Type.Object({ congested: Type.Boolean({ description: 'the provider answers every call with congestion (503)' }) }, { additionalProperties: false });
const EndedView = Type.Object({ id: Type.String(), name: Type.String(), exten: Type.String(), caller: Type.String(), cause: Type.Integer(), at: Type.Number() });
const SpanParams = Type.Object({ span: Type.Integer({ minimum: 1, maximum: MAX_SPAN }) }, { additionalProperties: false });
const LinesView = Type.Object({
  spans: Type.Array(Type.Object({ span: Type.Integer(), group: Type.Integer() })),
  trunks: Type.Array(Type.String()),
});
const AlarmBody = Type.Object(
  { alarm: Type.Union([Type.Literal('red'), Type.Literal('yellow'), Type.Literal('blue'), Type.Literal('clear')]) },
  { additionalProperties: false },
);
const ChannelView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  state: Type.String(),
  caller: Type.Object({ number: Type.String(), name: Type.String() }),
  connected: Type.Object({ number: Type.String(), name: Type.String() }),
  dialplan: Type.Object({ context: Type.String(), exten: Type.String(), priority: Type.Number(), appName: Type.String(), appData: Type.String() }),
  createdAt: Type.Number(),
});
const NoContent = { 204: Type.Null() };
const CallPhone = Type.Object(
  {
    from: Type.String({ minLength: 1, maxLength: 40, pattern: '^[0-9*#+]+$', description: 'the colleague’s number' }),
    name: Type.Optional(Type.String({ maxLength: 80, pattern: '^[^"<>\\\\\\r\\n]*$' })),
  },
  { additionalProperties: false },
);
const WebphonesView = Type.Object({
  registrations: Type.Array(Type.Object({ aor: Type.String(), uri: Type.String(), userAgent: Type.String(), expiresInS: Type.Integer() })),
  calls: Type.Array(
    Type.Object({
      channelId: Type.String(),
      aor: Type.String(),
      held: Type.Boolean(),
      connection: Type.String({ description: 'the WebRTC peer connection state' }),
      packetsSent: Type.Integer(),
      packetsReceived: Type.Integer(),
      peakLevel: Type.Integer({ description: 'loudest 20 ms the browser sent, RMS of 16-bit PCM; 0 is silence' }),
      digits: Type.String({ description: 'DTMF received from the browser' }),
    }),
  ),
});

/** Turns the emulator's Asterisk-style errors into the daemon's error family. */
function mapError(err: unknown, field?: string): never {
  if (err instanceof AriError) {
    if (err.status === 404) throw new AppError('not_found', err.message, 404);
    if (err.status === 403 && field) throw invalidField(field, err.message);
    if (err.status === 409) throw conflict(err.message);
    if (err.status === 400 && field) throw invalidField(field, err.message);
    if (err.status < 500) throw badRequest(err.message);
  }
  throw err;
}

export const emulatorRoutes: FastifyPluginAsync<EmulatorRoutesOptions> = async (instance, opts) => {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const emu = opts.emulator;
  if (opts.superUserOnly !== false) {
    // Runs after the app's authentication hook, which has put the principal on the request.
    instance.addHook('onRequest', async (req) => {
      if (req.principal?.superUser !== true) {
        throw forbidden('the emulated Asterisk is shared by every tenant: only a super user may see or drive it');
      }
    });
  }
  const known = (channelId: string) => {
    if (!emu.channels().some((c) => c.id === channelId)) throw notFound('channel');
  };

  app.post(
    '/emulator/calls',
    {
      config: write,
      schema: { tags, summary: 'The far end places a call to a DID', body: PlaceCall, response: { 201: Type.Object({ channelId: Type.String() }) } },
    },
    async (req, reply) => {
      const result = await emu.placeInboundCall(req.body).catch((e: unknown) => mapError(e, 'via'));
      return reply.status(201).send(result);
    },
  );

  app.post(
    '/emulator/calls/:channelId/dtmf',
    { config: write, schema: { tags, summary: 'The far end presses digits', params: ChannelParams, body: Dtmf, response: NoContent } },
    async (req, reply) => {
      known(req.params.channelId);
      await emu.sendDtmf(req.params.channelId, req.body.digits).catch((e: unknown) => mapError(e, 'digits'));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/emulator/calls/:channelId/hold',
    {
      config: write,
      schema: { tags, summary: "The phone on the channel holds (a re-INVITE with sendonly) or resumes: Asterisk's ChannelHold / ChannelUnhold", params: ChannelParams, body: Type.Object({ held: Type.Boolean() }, { additionalProperties: false }), response: NoContent },
    },
    async (req, reply) => {
      known(req.params.channelId);
      emu.holdFromPhone(req.params.channelId, req.body.held);
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/emulator/calls/:channelId',
    { config: write, schema: { tags, summary: 'The far end hangs up', params: ChannelParams, querystring: HangupQuery, response: NoContent } },
    async (req, reply) => {
      known(req.params.channelId);
      await emu.hangup(req.params.channelId, req.query.cause).catch((e: unknown) => mapError(e, 'cause'));
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/emulator/channels',
    { config: read, schema: { tags, summary: 'Every channel the emulated Asterisk has', response: { 200: Type.Array(ChannelView) } } },
    async () => emu.channels(),
  );

  app.post(
    '/emulator/phones/:ext/answer',
    { config: write, schema: { tags, summary: 'A ringing agent phone answers', params: ExtParams, response: NoContent } },
    async (req, reply) => {
      await emu.answerPhone(req.params.ext).catch((e: unknown) => mapError(e));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/emulator/phones/:ext/incoming',
    {
      config: write,
      schema: { tags, summary: 'An emulated colleague dials a phone directly', params: ExtParams, body: CallPhone, response: { 201: Type.Object({ channelId: Type.String() }) } },
    },
    async (req, reply) => {
      if (!emu.phones().some((p) => p.ext === req.params.ext)) throw notFound('phone');
      try {
        return await reply.status(201).send(emu.callPhone(req.params.ext, { name: req.body.name ?? '', number: req.body.from }));
      } catch (e) {
        // chan_pjsip cannot dial an AOR without contacts.
        if (e instanceof AriError && e.status === 500) throw conflict(`phone ${req.params.ext} is not registered`);
        return mapError(e);
      }
    },
  );

  app.get(
    '/emulator/webphones',
    { config: read, schema: { tags, summary: 'Browsers registered over SIP WebSocket and their calls (media counters, digits)', response: { 200: WebphonesView } } },
    async () => ({ registrations: emu.webphoneRegistrations(), calls: emu.webphoneCalls() }),
  );

  app.post(
    '/emulator/webphones/drop',
    {
      config: write,
      schema: {
        tags,
        summary: 'The network to the browsers blips: every SIP WebSocket is cut (contacts removed, calls ended), as a TCP reset would',
        response: { 200: Type.Object({ dropped: Type.Integer({ minimum: 0 }) }) },
      },
    },
    async () => ({ dropped: emu.dropWebphones() }),
  );

  app.put(
    '/emulator/phones/:ext',
    {
      config: write,
      schema: { tags, summary: 'Register / unregister an agent phone and choose how it answers', params: ExtParams, body: PhoneBody, response: NoContent },
    },
    async (req, reply) => {
      if (Object.keys(req.body).length === 0) throw invalidField('registered', 'at least one of registered, reachable, answerAfterMs, behaviour is required');
      try {
        emu.setPhone(req.params.ext, req.body);
      } catch (e) {
        mapError(e, 'password');
      }
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/emulator/phones',
    { config: read, schema: { tags, summary: 'The phones the emulated Asterisk knows, with their registration', response: { 200: Type.Array(PhoneView) } } },
    async () => emu.phones(),
  );

  app.post(
    '/emulator/phones/:ext/calls',
    {
      config: write,
      schema: {
        tags,
        summary: 'A registered phone dials (the call enters Atende as internal,<dialled>)',
        params: ExtParams,
        body: DialBody,
        response: { 201: Type.Object({ channelId: Type.String() }) },
      },
    },
    async (req, reply) => {
      const result = await emu.placePhoneCall(req.params.ext, req.body.dialled).catch((e: unknown) => mapError(e, 'dialled'));
      return reply.status(201).send(result);
    },
  );

  app.put(
    '/emulator/trunks/:name',
    { config: write, schema: { tags, summary: 'Make the provider behind a trunk congested, or not', params: TrunkParams, body: TrunkBody, response: NoContent } },
    async (req, reply) => {
      try {
        emu.setTrunk(req.params.name, req.body);
      } catch (e) {
        mapError(e);
      }
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/emulator/lines',
    { config: read, schema: { tags, summary: 'Where calls from the network can arrive: E1 spans with channels, SIP trunks (as configured and reloaded)', response: { 200: LinesView } } },
    async () => emu.lines(),
  );

  app.get(
    '/emulator/channels/ended',
    { config: read, schema: { tags, summary: 'The last channels that ended, with their Q.850 cause', response: { 200: Type.Array(EndedView) } } },
    async () => emu.endedChannels(),
  );

  app.get(
    '/emulator/reloads',
    { config: read, schema: { tags, summary: 'Every module reload asked of the emulated Asterisk', response: { 200: Type.Array(ReloadView) } } },
    async () => emu.reloads(),
  );

  app.post(
    '/emulator/reloads',
    {
      config: write,
      schema: {
        tags,
        summary: 'Reload a module as an admin would (e.g. chan_dahdi after dahdi_cfg)',
        body: ReloadBody,
        response: { 204: Type.Null() },
      },
    },
    async (req, reply) => {
      await emu.reload(req.body.module);
      return reply.status(204).send(null);
    },
  );

  app.put(
    '/emulator/spans/:span/alarm',
    { config: write, schema: { tags, summary: 'Raise or clear an alarm on an E1 span', params: SpanParams, body: AlarmBody, response: NoContent } },
    async (req, reply) => {
      try {
        emu.setSpanAlarm(req.params.span, req.body.alarm);
      } catch (e) {
        mapError(e, 'span');
      }
      return reply.status(204).send(null);
    },
  );
};
