import { definePreset } from '@primeuix/themes';
import Aura from '@primeuix/themes/aura';

/** PrimeVue's Aura theme with Atende's teal as the primary colour (contrast checked by axe in the browser tests). */
export const AtendePreset = definePreset(Aura, {
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
