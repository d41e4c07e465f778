/**
 * One tenant with its admin for a CRM browser test file: the daemon and the browser started
 * once, a fresh logged-in page per test (`open`), the failure kept, everything closed after.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { validCnpj } from '../helpers/app.js';
import { keepFailure, launchBrowser, logIn, newContext, openedDialog, startAtende, watchProblems, type Api, type Atende } from './harness.js';

const ADMIN_PASSWORD = 'super-senha-1';
const PASSWORD = 'senha-teste-1';

export interface CrmSession {
  /** The tenant admin's REST session, for arranging data and checking what the screens saved. */
  manager: Api;
  page: Page;
  /** Console errors and failed requests of the current page. */
  problems: string[];
  /** A new logged-in page at `path`. */
  open(path: string): Promise<void>;
  /**
   * The dialog of that name once its opening animation has ended: the dialog then moves the
   * focus to its first field, which would take the keys of a field being filled before that.
   */
  dialog(name: string): Promise<Locator>;
}

export function crmSession(tenant: { legalName: string; cnpjSeed: number; admin: string; login: string }): CrmSession {
  let atende: Atende;
  let browser: Browser;
  let context: BrowserContext | undefined;
  const session = {
    problems: [] as string[],
    async open(path: string) {
      context = await newContext(browser, atende);
      session.page = await context.newPage();
      session.problems = watchProblems(session.page, [/WebSocket connection to .* failed/]);
      await logIn(session.page, tenant.login, PASSWORD);
      await session.page.getByRole('navigation', { name: 'Navegação' }).first().waitFor();
      await session.page.goto(path);
    },
    dialog: (name: string) => openedDialog(session.page, name),
  } as CrmSession;

  beforeAll(async () => {
    atende = await startAtende({ ATENDE_ADMIN_PASSWORD: ADMIN_PASSWORD });
    const root = await atende.api('admin', ADMIN_PASSWORD);
    const id = (await root.must<{ id: number }>('POST', '/api/v1/tenants', { legalName: tenant.legalName, cnpj: validCnpj(tenant.cnpjSeed) })).id;
    await root.must('POST', `/api/v1/users?tenantId=${id}`, { name: tenant.admin, login: tenant.login, level: 'admin', password: PASSWORD, passwordChangeRequired: false });
    session.manager = await atende.api(tenant.login, PASSWORD);
    browser = await launchBrowser();
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && context) await keepFailure(session.page, ctx.task.name);
    await context?.close();
    context = undefined;
  });

  afterAll(async () => {
    await browser?.close();
    await atende?.close();
  });

  return session;
}
