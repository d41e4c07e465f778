/**
 * Login in a real browser: the first super user's forced password change, TOTP enrolment and a
 * login that needs the code (a wrong one refused), wrong passwords (401), an ended session that
 * returns to where the user was, and the rate limit (429) with its wait.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { base32Decode, totp } from '../../src/auth/totp.js';
import { keepFailure, launchBrowser, logIn, newContext, openedDialog, screenshot, seriousA11yViolations, startAtende, watchProblems, type Atende } from './harness.js';

const NEW_PASSWORD = 'admin-nova-senha-1';

let atende: Atende;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let problems: string[];
let recoveryCodes: string[] = [];

beforeAll(async () => {
  atende = await startAtende({ ATENDE_LOGIN_MAX_FAILURES: '4' });
  browser = await launchBrowser();
  context = await newContext(browser, atende);
  page = await context.newPage();
  problems = watchProblems(page, [/WebSocket connection to .* failed/]);
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') await keepFailure(page, ctx.task.name);
});

afterAll(async () => {
  await browser?.close();
  await atende?.close();
});

const codeFor = (secret: string, at: number) => totp(base32Decode(secret.replace(/\s/g, '')), at);

describe('login', () => {
  it('the first login as admin forces a password change, then opens the app', async () => {
    await page.goto('/');
    await expect.poll(() => page.url()).toContain('/login');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'login');

    await logIn(page, 'admin', atende.adminPassword());
    await page.getByRole('heading', { name: 'Crie sua nova senha' }).waitFor();
    await page.getByLabel('Senha atual', { exact: true }).fill(atende.adminPassword());
    await page.getByLabel('Nova senha', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('Repita a nova senha', { exact: true }).fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Trocar senha' }).click();
    await page.getByRole('navigation', { name: 'Navegação' }).getByRole('link', { name: 'Usuários', exact: true }).waitFor();
    expect(await page.title()).toMatch(/Atende$/);
  });

  it('TOTP enrolment shows a QR code and a key, confirms with a code and shows the recovery codes once', async () => {
    await page.getByRole('link', { name: /Minha conta/ }).click();
    await page.getByRole('heading', { name: 'Minha conta', level: 1 }).waitFor();
    expect(await page.title()).toBe('Minha conta · Atende');
    await page.getByRole('button', { name: 'Ativar' }).click();
    // Turning it on asks for the password first: a wrong one is refused in the dialog.
    const dialog = await openedDialog(page, 'Ativar a verificação em duas etapas');
    await dialog.getByLabel('Senha atual', { exact: true }).fill('not-the-password');
    await dialog.getByRole('button', { name: 'Continuar' }).click();
    await dialog.getByRole('alert').waitFor();
    expect(await page.getByRole('img', { name: /QR code/ }).count()).toBe(0);
    await dialog.getByLabel('Senha atual', { exact: true }).fill(NEW_PASSWORD);
    await dialog.getByRole('button', { name: 'Continuar' }).click();
    await page.getByRole('img', { name: /QR code/ }).waitFor();
    const secret = (await page.getByTestId('totp-secret').textContent())!;
    await page.getByLabel('Código mostrado pelo aplicativo').fill(codeFor(secret, Date.now()));
    await page.getByRole('button', { name: 'Confirmar e ativar' }).click();
    const codes = page.getByRole('list', { name: 'Códigos de recuperação' }).getByRole('listitem');
    await expect.poll(() => codes.count()).toBe(10);
    recoveryCodes = await codes.allTextContents();
    await page.getByRole('button', { name: 'Já guardei os códigos' }).click();
    await page.getByText(/^Ativada\./).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);

    // The next login asks for the code; a wrong one is refused, the right one lets in.
    await page.getByRole('button', { name: 'Sair' }).click();
    await page.getByRole('heading', { name: 'Entrar no Atende' }).waitFor();
    await logIn(page, 'admin', NEW_PASSWORD);
    await page.getByRole('heading', { name: 'Verificação em duas etapas' }).waitFor();
    await page.getByLabel('Código', { exact: true }).fill('000000');
    await page.getByRole('button', { name: 'Verificar' }).click();
    await page.getByRole('alert').filter({ hasText: 'Código incorreto' }).waitFor();
    // A code of the next time step: the one used to enrol cannot be replayed.
    await page.getByLabel('Código', { exact: true }).fill(codeFor(secret, Date.now() + 30_000));
    await page.getByRole('button', { name: 'Verificar' }).click();
    await page.getByRole('navigation', { name: 'Navegação' }).waitFor();
  });

  it('an ended session sends the user to the login with a message, and back to where they were after it', async () => {
    await page.goto('/org/teams');
    await page.getByRole('heading', { name: 'Equipes', level: 1 }).waitFor();
    // The browser loses its session (as when it expires): the next request answers 401.
    await context.clearCookies();
    await page.getByRole('navigation', { name: 'Navegação' }).getByRole('link', { name: 'Usuários', exact: true }).click();
    await page.getByText('Sua sessão expirou').waitFor();
    expect(new URL(page.url()).searchParams.get('redirect')).toBe('/org/users');
    await logIn(page, 'admin', NEW_PASSWORD, { stay: true });
    await page.getByRole('heading', { name: 'Verificação em duas etapas' }).waitFor();
    // The TOTP step of this time window is spent: a recovery code stands in for the phone.
    await page.getByRole('button', { name: 'Usar um código de recuperação' }).click();
    await page.getByLabel('Código de recuperação').fill(recoveryCodes[0]!.trim());
    await page.getByRole('button', { name: 'Verificar' }).click();
    await page.getByRole('heading', { name: 'Usuários', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/org/users');
  });

  it('a wrong password says so; too many say how long to wait', async () => {
    await page.getByRole('button', { name: 'Sair' }).click();
    await page.getByRole('heading', { name: 'Entrar no Atende' }).waitFor();
    await logIn(page, 'ninguem', 'errada-1');
    await page.getByRole('alert').filter({ hasText: 'Login ou senha incorretos.' }).waitFor();
    // Each try waits for the server's answer before the next (the button is disabled meanwhile).
    for (let i = 0; i < 4; i++) {
      const [answer] = await Promise.all([
        page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/auth/login'),
        page.getByRole('button', { name: 'Entrar' }).click(),
      ]);
      if (answer.status() === 429) break;
      expect(answer.status()).toBe(401);
    }
    await page.getByRole('alert').filter({ hasText: /Muitas tentativas\. Tente novamente em \d+ s\./ }).waitFor();
    expect(await page.getByRole('button', { name: 'Entrar' }).isDisabled()).toBe(true);
    expect(problems).toEqual([]);
  });
});
