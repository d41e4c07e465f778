import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/**
 * The browser app. `npm run build:web` writes `web/dist`, which the daemon serves at `/`;
 * `npm run dev:web` serves it with hot reload and sends `/api` and `/readyz` to a daemon on
 * ATENDE_DEV_API (default http://127.0.0.1:8080).
 */
export default defineConfig({
  root: here('.'),
  base: '/',
  plugins: [vue()],
  resolve: {
    alias: {
      '@': here('./src'),
      // Pure server logic the browser shares (CNPJ check digits, permission rules): one copy.
      '@server': here('../src'),
    },
  },
  define: {
    // PrimeVue's components are written with the Options API.
    __VUE_OPTIONS_API__: 'true',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    __VUE_I18N_FULL_INSTALL__: 'false',
    __VUE_I18N_LEGACY_API__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
  },
  build: {
    outDir: here('./dist'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 800,
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  server: {
    proxy: {
      '/api': { target: process.env.ATENDE_DEV_API ?? 'http://127.0.0.1:8080', ws: true },
      '/readyz': process.env.ATENDE_DEV_API ?? 'http://127.0.0.1:8080',
    },
  },
});
