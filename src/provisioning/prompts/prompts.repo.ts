import type { Db } from '../../db/client.js';
import { prompts } from '../../db/schema/index.js';
import type { PromptKey } from '../../telephony/media/index.js';

/** Every prompt of every tenant, by key only: what the files at start must match. */
export const allPromptKeys = (db: Db): PromptKey[] =>
  db.select({ tenantId: prompts.tenantId, promptId: prompts.id }).from(prompts).all();
