import type { Static } from '@sinclair/typebox';
import { holidayCalendars } from '../db/schema/index.js';
import { invalidField } from '../kernel/index.js';
import type { ResourceDef } from '../resources/index.js';
import { throwProblem, timestamps } from './flows-context.js';
import type { HolidayCalendarBody, HolidayCalendarView } from './flows.schemas.js';
import { isKnownRegion, ownRuleProblem, type HolidayCalendarRules, type HolidayType } from './holidays.logic.js';
import { openHoursProblem } from './time-condition.logic.js';

export type HolidayCalendarInput = Static<typeof HolidayCalendarBody>;
type View = Static<typeof HolidayCalendarView>;
type Row = typeof holidayCalendars.$inferSelect;

export const DEFAULT_HOLIDAY_TYPES: HolidayType[] = ['public'];

export const calendarRules = (row: Row): HolidayCalendarRules => ({
  state: row.state,
  city: row.city,
  types: row.types,
  excluded: row.excluded,
  own: row.own,
});

/** Calendário de feriados: a region's days from the holiday library, less exclusions, plus the tenant's own. */
export const holidayCalendarDef: ResourceDef<typeof holidayCalendars, HolidayCalendarInput, View> = {
  label: 'holiday calendar',
  entity: 'holiday_calendar',
  table: holidayCalendars,
  unique: { name: holidayCalendars.name },
  search: [holidayCalendars.name],
  sortable: { name: holidayCalendars.name },
  toColumns(input) {
    const { name } = input;
    const state = input.state ?? null;
    const city = input.city ?? null;
    if (city && !state) throw invalidField('state', 'state: a city needs its state');
    if (state && !isKnownRegion({ state })) throw invalidField('state', `state: ${state} is not a Brazilian state`);
    if (!isKnownRegion({ state, city })) throw invalidField('city', `city: the holiday library knows no city ${city} in ${state}`);
    const own = input.own ?? [];
    own.forEach((o, i) => {
      const problem = ownRuleProblem(o.rule);
      if (problem) throw invalidField(`own.${i}.rule`, `own.${i}.rule: ${problem}`);
      throwProblem(openHoursProblem(o.openHours ?? [], `own.${i}`));
    });
    return {
      name,
      state,
      city,
      types: [...new Set(input.types ?? DEFAULT_HOLIDAY_TYPES)],
      excluded: [...new Set(input.excluded ?? [])],
      own: own.map((o) => ({ name: o.name, rule: o.rule, openHours: o.openHours ?? [] })),
    };
  },
  toInput: (row) => ({ name: row.name, state: row.state, city: row.city, types: row.types, excluded: row.excluded, own: row.own }),
  toView: (row) => ({
    id: row.id,
    tenantId: row.tenantId,
    name: row.name,
    state: row.state,
    city: row.city,
    types: row.types,
    excluded: row.excluded,
    own: row.own.map((o) => ({ name: o.name, rule: o.rule, openHours: o.openHours ?? [] })),
    ...timestamps(row),
  }),
};
