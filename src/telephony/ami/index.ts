export { createAmiClient, type AmiClient, type AmiClientOptions } from './ami.client.js';
export {
  AmiError,
  type AmiContact,
  type AmiEndpoint,
  type AmiRegistration,
  type AmiEvent,
  type AmiEventOf,
  type AmiEventType,
  type AmiFields,
  type AmiListResult,
  type AmiMessage,
  type AmiResponse,
  type AmiSpanStatus,
  type BackoffPolicy,
  type ContactStatusKind,
  type RegistrationStatus,
  type SpanAlarmKind,
} from './ami.model.js';
