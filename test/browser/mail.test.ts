/**
 * E-mail in a real browser, against an SMTP server the test starts (never a real one): a super
 * user sets the platform's mail server and sends a test message; "forgot password" mails a link
 * that sets a new password once; an admin creating a user without a password has the
 * first-access link mailed, and the new user creates a password through it and logs in.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { validCnpj } from '../helpers/app.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { keepFailure, launchBrowser, logIn, newContext, openedDialog, seriousA11yViolations, startAtende, watchProblems, type Api, type Atende } from './harness.js';

const ADMIN_PASSWORD = 'super-senha-1';
const PASSWORD = 'senha-teste-1';

let smtp: TestSmtp;
let atende: Atende;
let browser: Browser;
let context: BrowserContext | undefined;
let page: Page;
let problems: string[];
let root: Api;
let tenantId = 0;

beforeAll(async () => {
  smtp = await startSmtp();
  atende = await startAtende((url) => ({ ATENDE_ADMIN_PASSWORD: ADMIN_PASSWORD, ATENDE_PUBLIC_URL: url }));
  root = await atende.api('admin', ADMIN_PASSWORD);
  tenantId = (await root.must<{ id: number }>('POST', '/api/v1/tenants', { legalName: 'Loja Azul Ltda', cnpj: validCnpj(31) })).id;
  await root.must('POST', `/api/v1/users?tenantId=${tenantId}`, {
    name: 'Gerente Azul',
    login: 'gerente.azul',
    level: 'admin',
    email: 'gerente@lojaazul.example',
    password: PASSWORD,
    passwordChangeRequired: false,
  });
  browser = await launchBrowser();
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail' && page) await keepFailure(page, ctx.task.name);
  await context?.close();
  context = undefined;
});

afterAll(async () => {
  await browser?.close();
  await atende?.close();
  await smtp?.close();
});

async function openPage(): Promise<Page> {
  context = await newContext(browser, atende);
  page = await context.newPage();
  problems = watchProblems(page, [/WebSocket connection to .* failed/]);
  return page;
}

const navigation = () => page.getByRole('navigation', { name: 'Navegação' }).first();
const toast = (text: string | RegExp) => page.getByRole('alert').filter({ hasText: text });
const linkIn = (text: string, path: string) => {
  const m = new RegExp(`${atende.url.replace(/\./g, '\\.')}/${path}#token=[A-Za-z0-9_%-]+`).exec(text);
  if (!m) throw new Error(`no ${path} link in:\n${text}`);
  return m[0];
};

async function setPasswordThroughLink(link: string, heading: string, password: string): Promise<void> {
  await page.goto(link);
  await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
  await page.getByLabel('Nova senha', { exact: true }).fill(password);
  await page.getByLabel('Repita a nova senha', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Salvar a senha' }).click();
  await page.getByText('Senha criada. Entre com ela.').waitFor();
}

describe('e-mail', () => {
  it('a super user sets the mail server (SMTP) and a test message arrives', async () => {
    await openPage();
    await logIn(page, 'admin', ADMIN_PASSWORD);
    await navigation().getByRole('link', { name: 'E-mail (SMTP)' }).click();
    await page.getByRole('heading', { name: 'E-mail (SMTP)', level: 1 }).waitFor();
    await page.getByText('Nenhum servidor configurado').waitFor();
    const save = page.getByRole('button', { name: 'Salvar' });
    expect(await save.isDisabled()).toBe(true);

    await page.getByLabel('Servidor', { exact: true }).fill('127.0.0.1');
    await page.getByLabel('Porta', { exact: true }).fill(String(smtp.port));
    await page.getByRole('combobox', { name: 'Segurança' }).click();
    await page.getByRole('option', { name: 'nenhuma (texto puro)' }).click();
    await page.getByLabel('Remetente (e-mail)', { exact: true }).fill('atende@lojaazul.example');
    await page.getByLabel('Remetente (nome)', { exact: true }).fill('Central Atende');
    await save.click();
    await toast('Configuração salva.').waitFor();
    expect(await page.getByText('Nenhum servidor configurado').count()).toBe(0);

    await page.getByLabel('Para', { exact: true }).fill('suporte@lojaazul.example');
    await page.getByRole('button', { name: 'Enviar teste' }).click();
    const mail = await smtp.next(20_000);
    expect(mail.to).toEqual(['suporte@lojaazul.example']);
    expect(mail.from).toBe('atende@lojaazul.example');
    expect(mail.headers.from).toContain('Central Atende');
    await toast(/E-mail de teste enviado/).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('"forgot password" mails a link that sets a new password once; the user logs in with it', async () => {
    await openPage();
    await page.goto('/login');
    await page.getByRole('link', { name: 'Esqueci minha senha' }).click();
    await page.getByRole('heading', { name: 'Recuperar a senha', level: 1 }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByLabel(/Login, e-mail/).fill('gerente@lojaazul.example');
    await page.getByRole('button', { name: 'Enviar link' }).click();
    await page.getByText(/o link está a caminho/).waitFor();

    const mail = await smtp.next(20_000);
    expect(mail.to).toEqual(['gerente@lojaazul.example']);
    const link = linkIn(mail.text, 'reset-password');
    await setPasswordThroughLink(link, 'Criar uma nova senha', 'senha-nova-azul-1');
    // The login is filled in for the user; only the new password is typed.
    expect(await page.getByLabel(/Login, e-mail/).inputValue()).toBe('gerente.azul');
    await page.getByLabel('Senha', { exact: true }).fill('senha-nova-azul-1');
    await page.getByRole('button', { name: 'Entrar' }).click();
    await navigation().getByRole('link', { name: 'Usuários', exact: true }).waitFor();

    // The old password no longer works, and the link works only once.
    const old = await fetch(`${atende.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'gerente.azul', password: PASSWORD }),
    });
    expect(old.status).toBe(401);
    await page.goto(link);
    await page.getByRole('alert').filter({ hasText: 'Este link não vale mais' }).waitFor();
    expect(problems).toEqual([]);
  });

  it('an admin creates a user without a password: the first-access link is mailed, and the user creates a password with it', async () => {
    await openPage();
    await logIn(page, 'gerente.azul', 'senha-nova-azul-1');
    await navigation().getByRole('link', { name: 'Usuários', exact: true }).click();
    await page.getByRole('heading', { name: 'Usuários', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Novo usuário' }).click();
    const dialog = await openedDialog(page, 'Novo usuário');
    await dialog.getByLabel('Nome', { exact: true }).fill('Carla Dias');
    await dialog.getByLabel('Login', { exact: true }).fill('carla.dias');
    await dialog.getByRole('textbox', { name: 'E-mail', exact: true }).fill('carla@lojaazul.example');
    expect(await dialog.getByLabel('Enviar o link de primeiro acesso por e-mail').isChecked()).toBe(true);
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await toast('Link de primeiro acesso enviado para carla@lojaazul.example.').waitFor();

    const mail = await smtp.next(20_000);
    expect(mail.to).toEqual(['carla@lojaazul.example']);
    expect(mail.text).toContain('carla.dias');
    const link = linkIn(mail.text, 'first-access');
    await context!.clearCookies();
    await setPasswordThroughLink(link, 'Bem-vindo ao Atende', 'senha-da-carla-1');
    await page.getByLabel('Senha', { exact: true }).fill('senha-da-carla-1');
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.getByRole('link', { name: /Carla Dias/ }).waitFor();
    expect(problems).toEqual([]);
  });
});
