import { Type } from '@sinclair/typebox';
import { Nullable, closed } from '../http/schemas.js';

export const ApplyBody = Type.Object({ dryRun: Type.Optional(Type.Boolean({ description: 'only show what would change' })) }, closed);

export const ApplyResultView = Type.Object({
  dryRun: Type.Boolean(),
  pending: Type.Boolean(),
  ok: Type.Boolean(),
  files: Type.Array(
    Type.Object({
      path: Type.String(),
      module: Type.String(),
      change: Type.Union([Type.Literal('created'), Type.Literal('changed'), Type.Literal('unchanged')]),
      diff: Type.String(),
    }),
  ),
  modules: Type.Array(
    Type.Object({
      module: Type.String(),
      reload: Nullable(Type.String()),
      accepted: Type.Boolean(),
      problems: Type.Array(Type.String()),
    }),
  ),
  rolledBack: Type.Boolean(),
  error: Nullable(Type.String()),
  notes: Type.Array(Type.String()),
});
