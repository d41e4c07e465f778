import { auditArea } from '@/audit';
import { authArea } from '@/auth';
import { callsArea } from '@/calls';
import { contactsArea } from '@/contacts';
import { dialerArea } from '@/dialer';
import { flowsArea } from '@/flows';
import { mailArea } from '@/mail';
import { orgArea } from '@/org';
import { routingArea } from '@/routing';
import { systemArea } from '@/system';
import { telephonyArea } from '@/telephony';
import { webphoneArea } from '@/webphone';

/**
 * Every screen area of the app, one per server module (`web/src/<area>/` beside `src/<area>/`).
 * A new area: create its folder with an `index.ts` that exports `defineArea({...})`, and add it
 * here. Routes, menu entries and messages follow from it (see web/README.md).
 */
export const areas = [authArea, orgArea, callsArea, contactsArea, dialerArea, auditArea, telephonyArea, routingArea, flowsArea, systemArea, mailArea, webphoneArea] as const;
