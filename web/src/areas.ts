import { authArea } from '@/auth';
import { orgArea } from '@/org';

/**
 * Every screen area of the app, one per server module (`web/src/<area>/` beside `src/<area>/`).
 * A new area: create its folder with an `index.ts` that exports `defineArea({...})`, and add it
 * here. Routes, menu entries and messages follow from it (see web/README.md).
 */
export const areas = [authArea, orgArea] as const;
