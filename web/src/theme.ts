import { definePreset } from '@primeuix/themes';
import Aura from '@primeuix/themes/aura';

/** PrimeVue's Aura theme with Atende's teal as the primary colour (contrast checked by axe in the browser tests). */
/** Severities darkened to 700 where Aura's 500 fails WCAG AA contrast on white. */
const solid = (c: string) => ({
  background: `{${c}.700}`,
  hoverBackground: `{${c}.800}`,
  activeBackground: `{${c}.900}`,
  borderColor: `{${c}.700}`,
  hoverBorderColor: `{${c}.800}`,
  activeBorderColor: `{${c}.900}`,
  color: '#ffffff',
  hoverColor: '#ffffff',
  activeColor: '#ffffff',
});
const line = (c: string) => ({ color: `{${c}.700}`, borderColor: `{${c}.700}` });
const plain = (c: string) => ({ color: `{${c}.700}` });
const SEVERITIES = { success: 'green', info: 'sky', warn: 'orange', help: 'purple', danger: 'red' } as const;
const each = <T>(f: (c: string) => T) => Object.fromEntries(Object.entries(SEVERITIES).map(([k, c]) => [k, f(c)]));

export const AtendePreset = definePreset(Aura, {
  components: {
    // Messages and toasts name their red severity `error`, buttons and tags `danger`.
    message: { colorScheme: { light: { ...each((c) => ({ color: `{${c}.800}` })), error: { color: '{red.800}' } } } },
    toast: { colorScheme: { light: { ...each((c) => ({ color: `{${c}.800}`, detailColor: `{${c}.900}` })), error: { color: '{red.800}', detailColor: '{red.900}' } } } },
    button: {
      colorScheme: {
        light: {
          root: each(solid),
          outlined: each(line),
          text: each(plain),
        },
      },
    },
  },
  semantic: {
    primary: {
      50: '{teal.50}',
      100: '{teal.100}',
      200: '{teal.200}',
      300: '{teal.300}',
      400: '{teal.400}',
      500: '{teal.500}',
      600: '{teal.600}',
      700: '{teal.700}',
      800: '{teal.800}',
      900: '{teal.900}',
      950: '{teal.950}',
    },
    colorScheme: {
      light: {
        primary: { color: '{teal.700}', contrastColor: '#ffffff', hoverColor: '{teal.800}', activeColor: '{teal.900}' },
      },
    },
  },
});

export const theme = {
  preset: AtendePreset,
  // One light scheme for now: a dark one is a later choice, not an accident of the OS setting.
  options: { darkModeSelector: '.atende-dark', cssLayer: false },
};
