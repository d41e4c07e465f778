/** The events socket (`GET /api/v1/events`) and the hub services publish to. Read README.md here. */
export { EventHub, localBroker, CloseCode, shows, DEFAULT_HEARTBEAT_MS } from './events.hub.js';
export type { Broker, Envelope, HubConnection, HubOptions, Presence, ServerMessage, Transport, Viewer } from './events.hub.js';
export { eventsPlugin } from './events.routes.js';
export { MAX_CLIENT_MESSAGE_BYTES, originAllowed, parseClientMessage, topicsOfQuery } from './events.logic.js';
export { readinessEvent, watchReadiness, READINESS_SWEEP_MS } from './readiness-watch.js';
export { eventSchemas, readinessData, type TopicEventSchema } from './events.schemas.js';
