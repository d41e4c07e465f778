/**
 * ARI over HTTP and WebSocket on loopback, in front of the emulator's model: the REST
 * resources and Swagger documents ari-client loads, basic / api_key authentication, and the
 * `/ari/events` WebSocket, and — as res_pjsip_transport_websocket adds to the same HTTP
 * server — SIP over WebSocket at `/ws` (subprotocol `sip`). Plain node:http rather than Fastify, so that every byte (status
 * codes, empty bodies with a JSON content type, 401 on the upgrade) behaves like Asterisk.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { hangupReasons } from './asterisk-text.js';
import { apiDeclaration, matchOperation, resourceListing, resourceNames, type OperationDef, type ResourceName } from './ari-resources.js';
import type { AsteriskModel } from './model.js';
import { AriError, type AriEvent } from './types.js';

export interface AriServerOptions {
  model: AsteriskModel;
  host?: string;
  port: number;
  user: string;
  password: string;
  logger: Logger;
  /** Takes a WebSocket upgraded at `/ws` with subprotocol `sip`. */
  sip?: { accept(ws: WebSocket, remote: { host: string; port: number }): void };
}

interface Session {
  ws: WebSocket;
  apps: Set<string>;
}

type Params = Record<string, string | string[] | undefined>;

interface Request {
  op: OperationDef;
  path: Record<string, string>;
  params: Params;
  variables?: Record<string, string>;
}

interface Reply {
  status: number;
  json?: unknown;
  bytes?: Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

const realm = 'Basic realm="Asterisk REST Interface"';
const maxBody = 1024 * 1024;

export class AriServer {
  private server?: Server;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sipWss = new WebSocketServer({ noServer: true, handleProtocols: (protocols) => (protocols.has('sip') ? 'sip' : false) });
  private readonly owners = new Map<string, Session>();
  private readonly sockets = new Set<Socket>();
  private boundPort: number;
  private readonly host: string;
  private readonly log: Logger;
  private readonly onEvent = (app: string, event: AriEvent) => this.deliver(app, event);

  constructor(private readonly o: AriServerOptions) {
    this.boundPort = o.port;
    this.host = o.host ?? '127.0.0.1';
    this.log = o.logger;
  }

  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    return `http://${this.host}:${this.boundPort}`;
  }

  get running(): boolean {
    return this.server !== undefined;
  }

  async start(): Promise<void> {
    if (this.server) return;
    const server = createServer((req, res) => void this.handle(req, res));
    server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => this.upgrade(req, socket, head));
    server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.boundPort, this.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const addr = server.address();
    if (addr && typeof addr === 'object') this.boundPort = addr.port;
    this.server = server;
    this.o.model.world.on('ari', this.onEvent);
    this.log.info({ url: this.url }, 'emulator: ARI listening');
  }

  /** Drops every connection and stops listening; the model (and its calls) carry on. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.o.model.world.off('ari', this.onEvent);
    for (const [app, session] of this.owners) {
      this.o.model.unregisterApp(app);
      session.ws.terminate();
    }
    this.owners.clear();
    for (const ws of this.wss.clients) ws.terminate();
    for (const ws of this.sipWss.clients) ws.terminate();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    await closed;
    this.log.info('emulator: ARI stopped');
  }

  // ---------------------------------------------------------------- auth

  private authorised(req: IncomingMessage, url: URL): boolean {
    const apiKey = url.searchParams.get('api_key');
    if (apiKey !== null) {
      const i = apiKey.indexOf(':');
      return i > 0 && apiKey.slice(0, i) === this.o.user && apiKey.slice(i + 1) === this.o.password;
    }
    const header = req.headers.authorization;
    if (!header?.startsWith('Basic ')) return false;
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    return i > 0 && decoded.slice(0, i) === this.o.user && decoded.slice(i + 1) === this.o.password;
  }

  // ---------------------------------------------------------------- WebSocket

  private upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const refuse = (status: number, text: string, message: string) => {
      const body = JSON.stringify({ message });
      const extra = status === 401 ? `WWW-Authenticate: ${realm}\r\n` : '';
      socket.end(
        `HTTP/1.1 ${status} ${text}\r\n${extra}Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    };
    const sip = this.o.sip;
    if (url.pathname === '/ws' && sip) {
      const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
      // res_http_websocket refuses an upgrade that offers none of the protocols it serves.
      if (!offered.includes('sip')) return refuse(400, 'Bad Request', 'No supported WebSocket protocol');
      const remote = { host: socket.remoteAddress ?? '127.0.0.1', port: socket.remotePort ?? 0 };
      this.sipWss.handleUpgrade(req, socket, head, (ws) => sip.accept(ws, remote));
      return;
    }
    if (url.pathname !== '/ari/events') return refuse(404, 'Not Found', 'Resource not found');
    if (!this.authorised(req, url)) return refuse(401, 'Unauthorized', 'Authentication required');
    const apps = url.searchParams
      .getAll('app')
      .flatMap((a) => a.split(','))
      .map((a) => a.trim())
      .filter((a) => a !== '');
    if (apps.length === 0) return refuse(400, 'Bad Request', "Missing param 'app'");
    const subscribeAll = ['true', 'yes', '1'].includes((url.searchParams.get('subscribeAll') ?? '').toLowerCase());
    this.wss.handleUpgrade(req, socket, head, (ws) => this.openSession(ws, apps, subscribeAll));
  }

  private openSession(ws: WebSocket, apps: string[], subscribeAll: boolean): void {
    const session: Session = { ws, apps: new Set(apps) };
    for (const app of apps) {
      const previous = this.owners.get(app);
      if (previous && previous !== session) {
        previous.apps.delete(app);
        this.send(previous, { type: 'ApplicationReplaced', timestamp: new Date().toISOString(), application: app, asterisk_id: this.o.model.asteriskId });
      }
      this.owners.set(app, session);
      this.o.model.registerApp(app, subscribeAll);
    }
    this.log.debug({ apps }, 'emulator: ARI events WebSocket opened');
    ws.on('error', (err) => this.log.debug({ err }, 'emulator: ARI WebSocket error'));
    ws.on('close', () => {
      for (const app of session.apps) {
        if (this.owners.get(app) === session) {
          this.owners.delete(app);
          this.o.model.unregisterApp(app);
        }
      }
      this.log.debug({ apps }, 'emulator: ARI events WebSocket closed');
    });
  }

  private deliver(app: string, event: AriEvent): void {
    const session = this.owners.get(app);
    if (session) this.send(session, event);
  }

  private send(session: Session, event: Record<string, unknown>): void {
    if (session.ws.readyState === session.ws.OPEN) session.ws.send(JSON.stringify(event));
  }

  // ---------------------------------------------------------------- HTTP

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let reply: Reply;
    try {
      reply = await this.route(req);
    } catch (err) {
      if (err instanceof AriError) reply = { status: err.status, json: { message: err.message } };
      else {
        this.log.error({ err }, 'emulator: ARI request failed');
        reply = { status: 500, json: { message: 'Internal Server Error' } };
      }
    }
    this.log.debug({ method: req.method, url: redactKey(req.url ?? ''), status: reply.status }, 'emulator: ARI request');
    const headers: Record<string, string> = { Server: 'Asterisk/22.10.1', 'Cache-Control': 'no-cache, no-store', ...reply.headers };
    if (reply.status === 401) headers['WWW-Authenticate'] = realm;
    if (reply.bytes) {
      res.writeHead(reply.status, { ...headers, 'Content-Type': reply.contentType ?? 'application/octet-stream', 'Content-Length': reply.bytes.length });
      res.end(reply.bytes);
    } else if (reply.json !== undefined) {
      const body = JSON.stringify(reply.json);
      res.writeHead(reply.status, { ...headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    } else {
      res.writeHead(reply.status, { ...headers, 'Content-Length': 0 });
      res.end();
    }
  }

  private async route(req: IncomingMessage): Promise<Reply> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith('/ari/') && url.pathname !== '/ari') return { status: 404, json: { message: 'Resource not found' } };
    if (!this.authorised(req, url)) {
      await drain(req);
      return { status: 401, json: { message: 'Authentication required' } };
    }
    const path = url.pathname.slice('/ari'.length);
    const method = (req.method ?? 'GET').toUpperCase();
    const base = `http://${req.headers.host ?? `${this.host}:${this.boundPort}`}/ari`;
    const docs = /^\/api-docs\/([A-Za-z]+)\.json$/.exec(path);
    if (docs && method === 'GET') {
      await drain(req);
      if (docs[1] === 'resources') return { status: 200, json: resourceListing(base) };
      if (resourceNames.includes(docs[1] as ResourceName)) return { status: 200, json: apiDeclaration(docs[1] as ResourceName, base) };
      return { status: 404, json: { message: 'Resource not found' } };
    }
    const match = matchOperation(method, path);
    if (!match.op) {
      await drain(req);
      return match.pathExists ? { status: 405, json: { message: 'Invalid method' } } : { status: 404, json: { message: 'Resource not found' } };
    }
    if (match.op.resource === 'events') return { status: 400, json: { message: 'WebSocket upgrade required' } };
    const r = await this.parse(req, url, match.op, match.params);
    return this.dispatch(r);
  }

  private async parse(req: IncomingMessage, url: URL, op: OperationDef, path: Record<string, string>): Promise<Request> {
    const raw = await readBody(req);
    const params: Params = {};
    let variables: Record<string, string> | undefined;
    const known = new Map(op.params.map((p) => [p.name, p]));
    for (const key of new Set(url.searchParams.keys())) {
      const def = known.get(key);
      if (!def || def.in !== 'query') continue;
      const values = url.searchParams.getAll(key);
      params[key] = def.multiple ? values.flatMap((v) => v.split(',')) : values[values.length - 1];
    }
    if (raw.length > 0 && (req.headers['content-type'] ?? '').includes('json')) {
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        throw new AriError(400, 'Error parsing request body');
      }
      if (body && typeof body === 'object' && !Array.isArray(body)) {
        // Asterisk reads the body's other keys as query parameters.
        for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
          if (k === 'variables' && v && typeof v === 'object') {
            variables = Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([a, b]) => [a, String(b)]));
          } else if (known.get(k)?.in === 'query' && params[k] === undefined) {
            const def = known.get(k);
            params[k] = Array.isArray(v) ? v.map(String) : def?.multiple ? String(v).split(',') : String(v);
          }
        }
      }
    }
    for (const def of op.params) {
      const v = params[def.name];
      if (v === undefined || Array.isArray(v)) continue;
      if ((def.type === 'int' || def.type === 'long') && !/^-?\d+$/.test(v.trim())) {
        throw new AriError(400, `${def.name} must be an integer`);
      }
      if (def.type === 'boolean' && !['true', 'false', 'yes', 'no', '1', '0'].includes(v.toLowerCase())) {
        throw new AriError(400, `${def.name} must be a boolean`);
      }
      if (def.values && !def.values.includes(v)) throw new AriError(400, `Invalid value for ${def.name}`);
    }
    return { op, path, params, variables };
  }

  private async dispatch(r: Request): Promise<Reply> {
    const m = this.o.model;
    const s = (name: string): string | undefined => {
      const v = r.params[name];
      return Array.isArray(v) ? v.join(',') : v;
    };
    const list = (name: string): string[] => {
      const v = r.params[name];
      return v === undefined ? [] : Array.isArray(v) ? v : v.split(',');
    };
    const int = (name: string): number | undefined => (s(name) === undefined ? undefined : Number.parseInt(s(name) as string, 10));
    const bool = (name: string): boolean | undefined => (s(name) === undefined ? undefined : ['true', 'yes', '1'].includes((s(name) as string).toLowerCase()));
    const id = (name: string): string => r.path[name] as string;
    const ok = (json: unknown): Reply => ({ status: 200, json });
    const none = (): Reply => ({ status: 204 });
    const key = `${r.op.resource}.${r.op.nickname}`;
    const originate = (channelId?: string) =>
      ok(
        m.channels.originate({
          endpoint: s('endpoint'),
          app: s('app'),
          appArgs: s('appArgs'),
          callerId: s('callerId'),
          timeout: int('timeout'),
          variables: r.variables,
          channelId,
          originator: s('originator'),
          extension: s('extension'),
          context: s('context'),
        }),
      );
    const created = (json: { id?: string; name?: string }, location: string): Reply => ({ status: 201, json, headers: { Location: location } });
    switch (key) {
      case 'asterisk.getInfo':
        return ok(m.asteriskInfo(list('only')));
      case 'asterisk.ping':
        return ok(m.ping());
      case 'endpoints.list':
        return ok(m.endpoints.list());
      case 'endpoints.listByTech':
        return ok(m.endpoints.list(id('tech')));
      case 'endpoints.get':
        return ok(m.endpoints.get(id('tech'), id('resource')));
      case 'channels.list':
        return ok(m.channels.list());
      case 'channels.originate':
        return originate(s('channelId'));
      case 'channels.originateWithId':
        return originate(id('channelId'));
      case 'channels.get':
        return ok(m.channels.get(id('channelId')));
      case 'channels.hangup': {
        let cause: number | undefined;
        const code = s('reason_code');
        const reason = s('reason');
        if (code !== undefined) {
          if (!/^\d+$/.test(code)) throw new AriError(400, 'Invalid reason for hangup provided');
          cause = Number(code);
        } else if (reason !== undefined) {
          cause = hangupReasons[reason];
          if (cause === undefined) throw new AriError(400, 'Invalid reason for hangup provided');
        }
        m.channels.hangupChannel(id('channelId'), cause);
        return none();
      }
      case 'channels.continueInDialplan':
        m.channels.continueInDialplan(id('channelId'), { context: s('context'), extension: s('extension'), priority: int('priority'), label: s('label') });
        return none();
      case 'channels.answer':
        m.channels.answer(id('channelId'));
        return none();
      case 'channels.ring':
        m.channels.ring(id('channelId'));
        return none();
      case 'channels.ringStop':
        m.channels.ringStop(id('channelId'));
        return none();
      case 'channels.sendDTMF':
        m.channels.sendDtmf(id('channelId'), s('dtmf'));
        return none();
      case 'channels.hold':
        m.channels.hold(id('channelId'), true);
        return none();
      case 'channels.unhold':
        m.channels.hold(id('channelId'), false);
        return none();
      case 'channels.mute':
      case 'channels.unmute':
        m.channels.mute(id('channelId'), s('direction') ?? 'both', key === 'channels.mute');
        return none();
      case 'channels.startMoh':
        m.channels.startMoh(id('channelId'), s('mohClass'));
        return none();
      case 'channels.stopMoh':
        m.channels.stopMoh(id('channelId'));
        return none();
      case 'channels.play':
      case 'channels.playWithId': {
        const pb = m.media.play({ channelId: id('channelId') }, list('media'), { lang: s('lang'), playbackId: r.path.playbackId ?? s('playbackId') });
        return created(pb, `/playbacks/${pb.id}`);
      }
      case 'channels.record':
      case 'bridges.record': {
        const target = key === 'channels.record' ? { channelId: id('channelId') } : { bridgeId: id('bridgeId') };
        const rec = await m.media.record(target, {
          name: s('name'),
          format: s('format'),
          maxDurationSeconds: int('maxDurationSeconds'),
          maxSilenceSeconds: int('maxSilenceSeconds'),
          ifExists: s('ifExists'),
          beep: bool('beep'),
          terminateOn: s('terminateOn'),
        });
        return created(rec, `/recordings/live/${encodeURIComponent(rec.name)}`);
      }
      case 'channels.getChannelVar':
        return ok(m.channels.getVariable(id('channelId'), s('variable')));
      case 'channels.setChannelVar':
        m.channels.setVariable(id('channelId'), s('variable'), s('value'));
        return none();
      case 'channels.snoopChannel':
      case 'channels.snoopChannelWithId':
        return ok(
          m.channels.snoop(id('channelId'), { spy: s('spy'), whisper: s('whisper'), app: s('app'), appArgs: s('appArgs'), snoopId: r.path.snoopId ?? s('snoopId') }),
        );
      case 'channels.rtpstatistics':
        return ok(m.channels.rtpStatistics(id('channelId')));
      case 'bridges.list':
        return ok(m.bridges.list());
      case 'bridges.create':
        return ok(m.bridges.create({ type: s('type'), bridgeId: s('bridgeId'), name: s('name') }));
      case 'bridges.createWithId':
        return ok(m.bridges.create({ type: s('type'), bridgeId: id('bridgeId'), name: s('name') }));
      case 'bridges.get':
        return ok(m.bridges.get(id('bridgeId')));
      case 'bridges.destroy':
        m.bridges.destroy(id('bridgeId'));
        return none();
      case 'bridges.addChannel':
        m.bridges.add(id('bridgeId'), list('channel'));
        return none();
      case 'bridges.removeChannel':
        m.bridges.remove(id('bridgeId'), list('channel'));
        return none();
      case 'bridges.startMoh':
        m.bridges.moh(id('bridgeId'), s('mohClass') ?? '');
        return none();
      case 'bridges.stopMoh':
        m.bridges.moh(id('bridgeId'), null);
        return none();
      case 'bridges.play':
      case 'bridges.playWithId': {
        const pb = m.media.play({ bridgeId: id('bridgeId') }, list('media'), { lang: s('lang'), playbackId: r.path.playbackId ?? s('playbackId') });
        return created(pb, `/playbacks/${pb.id}`);
      }
      case 'playbacks.get':
        return ok(m.media.getPlayback(id('playbackId')));
      case 'playbacks.stop':
        m.media.stopPlayback(id('playbackId'));
        return none();
      case 'playbacks.control':
        m.media.controlPlayback(id('playbackId'), s('operation'));
        return none();
      case 'recordings.listStored':
        return ok(await m.media.listStored());
      case 'recordings.getStored': {
        const st = await m.media.getStored(id('recordingName'));
        return ok({ name: st.name, format: st.format });
      }
      case 'recordings.deleteStored':
        await m.media.deleteStored(id('recordingName'));
        return none();
      case 'recordings.getStoredFile': {
        const f = await m.media.storedFile(id('recordingName'));
        return { status: 200, bytes: f.bytes, contentType: f.format === 'wav' ? 'audio/wav' : 'application/octet-stream' };
      }
      case 'recordings.getLive':
        return ok(m.media.getLiveRecording(id('recordingName')));
      case 'recordings.cancel':
        m.media.cancelRecording(id('recordingName'));
        return none();
      case 'recordings.stop':
        m.media.stopRecording(id('recordingName'));
        return none();
      case 'recordings.pause':
        m.media.pauseRecording(id('recordingName'), true);
        return none();
      case 'recordings.unpause':
        m.media.pauseRecording(id('recordingName'), false);
        return none();
      case 'applications.list':
        return ok(m.listApplications());
      case 'applications.get':
        return ok(m.getApplication(id('applicationName')));
      default:
        return { status: 501, json: { message: 'Not implemented' } };
    }
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > maxBody) throw new AriError(413, 'Request body too large');
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

async function drain(req: IncomingMessage): Promise<void> {
  try {
    await readBody(req);
  } catch {
    // the body does not matter for this answer
  }
}

function redactKey(url: string): string {
  return url.replace(/api_key=[^&]*/, 'api_key=[redacted]');
}
