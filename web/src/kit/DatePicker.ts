import PrimeDatePicker from 'primevue/datepicker';
import { defineComponent, type ComponentOptions } from 'vue';

type PopulateTime = (this: unknown, value: Date, timeString: string, ampm: string | undefined) => void;
const populateTime = (PrimeDatePicker as unknown as { methods: { populateTime: PopulateTime } }).methods.populateTime;

/**
 * PrimeVue's DatePicker, with a date and time typed on a 24-hour clock read as typed. PrimeVue
 * 4.5 reads the am/pm mark of a typed time even on a 24-hour clock, where there is none: the
 * error it throws makes it drop what was typed (or read it as `new Date(text)` would), so a
 * filter or a callback typed as "03/12/2026 14:30" was silently lost. Every screen imports the
 * picker from here.
 */
const DatePicker = defineComponent({
  name: 'DatePicker',
  extends: PrimeDatePicker as unknown as ComponentOptions,
  methods: {
    populateTime(value: Date, timeString: string, ampm: string | undefined) {
      populateTime.call(this, value, timeString, ampm ?? '');
    },
  },
});

// Typed as PrimeVue's own, so that templates check its props and events.
export default DatePicker as unknown as typeof PrimeDatePicker;
