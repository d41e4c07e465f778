import type { Static } from '@sinclair/typebox';
import { and, eq } from 'drizzle-orm';
import { holidayCalendars, timeConditions } from '../db/schema/index.js';
import { invalidField } from '../kernel/index.js';
import type { ResourceDef } from '../resources/index.js';
import { parseDestination, type Destination } from '../calls/index.js';
import { iso, throwProblem, timestamps, type FlowsContext } from './flows-context.js';
import type { TimeConditionBody, TimeConditionView } from './flows.schemas.js';
import { DEFAULT_TIME_ZONE, isCalendarDate, isTimeZone, openHoursProblem, periodsProblem } from './time-condition.logic.js';

export type TimeConditionInput = Static<typeof TimeConditionBody>;
type View = Static<typeof TimeConditionView>;
export type TimeConditionRow = typeof timeConditions.$inferSelect;

/** Every destination a row can send a call to, with the field that holds it. */
export function timeConditionTargets(row: Pick<TimeConditionRow, 'openDestination' | 'closedDestination' | 'holidayDestination' | 'exceptions'>) {
  const out: { field: string; destination: Destination }[] = [
    { field: 'openDestination', destination: row.openDestination },
    { field: 'closedDestination', destination: row.closedDestination },
  ];
  if (row.holidayDestination) out.push({ field: 'holidayDestination', destination: row.holidayDestination });
  row.exceptions.forEach((e, i) => e.destination && out.push({ field: `exceptions.${i}.destination`, destination: e.destination }));
  return out;
}

const fieldsOf = (row: TimeConditionRow) => ({
  name: row.name,
  timeZone: row.timeZone,
  periods: row.periods,
  exceptions: row.exceptions,
  calendarId: row.calendarId,
  openDestination: row.openDestination,
  closedDestination: row.closedDestination,
  holidayDestination: row.holidayDestination,
  override: row.overrideState ? { state: row.overrideState, until: row.overrideUntil === null ? null : iso(row.overrideUntil) } : null,
});

/** Condição de horário. The manual override is part of the row, so setting it is audited like any change. */
export function timeConditionDef(ctx: FlowsContext): ResourceDef<typeof timeConditions, TimeConditionInput, View> {
  return {
    label: 'time condition',
    entity: 'time_condition',
    table: timeConditions,
    unique: { name: timeConditions.name },
    search: [timeConditions.name],
    sortable: { name: timeConditions.name },
    toColumns(input, w) {
      const { name } = input;
      const timeZone = input.timeZone ?? DEFAULT_TIME_ZONE;
      if (!isTimeZone(timeZone)) throw invalidField('timeZone', `timeZone: ${timeZone} is not an IANA time zone`);
      throwProblem(periodsProblem(input.periods));
      const seen = new Map<string, number>();
      const exceptions = (input.exceptions ?? []).map((e, i) => {
        if (!isCalendarDate(e.date)) throw invalidField(`exceptions.${i}.date`, `exceptions.${i}.date: ${e.date} is not a calendar date`);
        const first = seen.get(e.date);
        if (first !== undefined) throw invalidField(`exceptions.${i}.date`, `exceptions.${i}.date: ${e.date} is already exception ${first}`);
        seen.set(e.date, i);
        throwProblem(openHoursProblem(e.openHours ?? [], `exceptions.${i}`));
        return { date: e.date, name: e.name, openHours: e.openHours ?? [], destination: e.destination ? parseDestination(e.destination, `exceptions.${i}.destination`) : null };
      });
      const calendarId = input.calendarId ?? null;
      if (calendarId !== null) {
        const found = w.db
          .select({ id: holidayCalendars.id })
          .from(holidayCalendars)
          .where(and(eq(holidayCalendars.id, calendarId), eq(holidayCalendars.tenantId, w.tenantId)))
          .get();
        if (!found) throw invalidField('calendarId', `calendarId: there is no holiday calendar ${calendarId}`);
      }
      const override = input.override ?? null;
      const overrideUntil = override?.until ? Date.parse(override.until) : null;
      const unchanged = w.before && w.before.overrideState === (override?.state ?? null) && w.before.overrideUntil === overrideUntil;
      if (overrideUntil !== null && overrideUntil <= w.now && !unchanged) {
        throw invalidField('override.until', 'override.until: must be in the future');
      }
      const columns = {
        name,
        timeZone,
        periods: input.periods,
        exceptions,
        calendarId,
        openDestination: parseDestination(input.openDestination, 'openDestination'),
        closedDestination: parseDestination(input.closedDestination, 'closedDestination'),
        holidayDestination: input.holidayDestination ? parseDestination(input.holidayDestination, 'holidayDestination') : null,
        overrideState: override?.state ?? null,
        overrideUntil,
      };
      const targets = timeConditionTargets(columns);
      for (const t of targets) ctx.destinations.check(w.tenantId, t.destination, t.field);
      if (w.before) {
        const self: Destination = { kind: 'time_condition', id: w.before.id };
        ctx.destinations.checkNoSilentLoop(w.tenantId, self, targets.map((t) => t.destination), 'openDestination');
      }
      return columns;
    },
    toInput: fieldsOf,
    toView: (row) => ({ id: row.id, tenantId: row.tenantId, ...fieldsOf(row), ...timestamps(row) }),
  };
}
