import { Type } from '@sinclair/typebox';
import { Nullable } from '../http/schemas.js';
import { CONTACT_STATES, EXTENSION_STATES, SPAN_ALARMS, SPAN_STATES, TRUNK_STATES } from './status.logic.js';

const literals = <T extends string>(values: readonly T[]) => Type.Unsafe<T>(Type.Union(values.map((v) => Type.Literal(v))));

const Contact = Type.Object({
  uri: Type.String(),
  userAgent: Type.String(),
  status: literals(CONTACT_STATES),
  rttMs: Nullable(Type.Number({ description: 'round trip of the last OPTIONS' })),
});

/** GET /telephony/status and the `telephony.status` event's `status`. */
export const TelephonyStatusView = Type.Object({
  connected: Type.Boolean({ description: 'AMI is connected; without it every state is unknown' }),
  spans: Type.Array(
    Type.Object({
      id: Type.Integer(),
      span: Type.Integer(),
      description: Type.String(),
      group: Type.Integer(),
      state: literals(SPAN_STATES),
      alarms: Type.Array(literals(SPAN_ALARMS)),
      dchannelUp: Nullable(Type.Boolean()),
    }),
  ),
  trunks: Type.Array(
    Type.Object({
      id: Type.Integer(),
      name: Type.String(),
      host: Type.String(),
      register: Type.Boolean(),
      state: literals(TRUNK_STATES),
      rttMs: Nullable(Type.Number()),
    }),
  ),
  extensions: Type.Array(
    Type.Object({
      id: Type.Integer(),
      number: Type.String(),
      displayName: Type.String(),
      sipUser: Type.String(),
      state: literals(EXTENSION_STATES),
      contacts: Type.Array(Contact),
    }),
  ),
});
