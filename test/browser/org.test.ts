/**
 * The organisation's screens in a real browser: what an agent may not see, a user created with a
 * bad login (the server's error next to the field, nothing typed lost), tenants kept apart, the
 * audit log's before/after view, and axe on every main screen.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { validCnpj } from '../helpers/app.js';
import {
  chooseOption,
  keepFailure,
  launchBrowser,
  logIn,
  newContext,
  openedDialog,
  screenshot,
  seriousA11yViolations,
  startAtende,
  watchProblems,
  type Api,
  type Atende,
} from './harness.js';

const ADMIN_PASSWORD = 'super-senha-1';
const PASSWORD = 'senha-teste-1';

let atende: Atende;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let problems: string[];
let root: Api;
const tenant = { a: 0, b: 0 };

async function createUser(tenantId: number, login: string, level: 'admin' | 'supervisor' | 'agent', name: string): Promise<{ id: number }> {
  return root.must('POST', `/api/v1/users?tenantId=${tenantId}`, { name, login, level, password: PASSWORD, passwordChangeRequired: false });
}

beforeAll(async () => {
  atende = await startAtende({ ATENDE_ADMIN_PASSWORD: ADMIN_PASSWORD });
  root = await atende.api('admin', ADMIN_PASSWORD);
  tenant.a = (await root.must<{ id: number }>('POST', '/api/v1/tenants', { legalName: 'Loja Azul Ltda', cnpj: validCnpj(11) })).id;
  tenant.b = (await root.must<{ id: number }>('POST', '/api/v1/tenants', { legalName: 'Mercado Verde SA', cnpj: validCnpj(22) })).id;
  await createUser(tenant.a, 'gerente.azul', 'admin', 'Gerente Azul');
  await createUser(tenant.a, 'operador.azul', 'agent', 'Operador Azul');
  await createUser(tenant.b, 'vendedor.verde', 'agent', 'Vendedor Verde');
  await root.must('POST', `/api/v1/teams?tenantId=${tenant.a}`, { name: 'Vendas' });
  browser = await launchBrowser();
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail' && page) await keepFailure(page, ctx.task.name);
  await context?.close();
});

afterAll(async () => {
  await browser?.close();
  await atende?.close();
});

async function openAs(login: string, password = PASSWORD): Promise<void> {
  context = await newContext(browser, atende);
  page = await context.newPage();
  problems = watchProblems(page, [/WebSocket connection to .* failed/]);
  await logIn(page, login, password);
  await page.getByRole('navigation', { name: 'Navegação' }).first().waitFor();
}

const menu = () => page.getByRole('navigation', { name: 'Navegação' }).first();

describe('organisation screens', () => {
  it('an agent sees no admin menu, and a direct link to an admin screen says it is not allowed (the API answers 403)', async () => {
    await openAs('operador.azul');
    await expect.poll(() => menu().getByRole('link').allTextContents()).toEqual(['Minha mesa', 'Telefone', 'Ligações', 'Contatos', 'Tickets']);
    await page.goto('/org/users');
    await page.getByRole('heading', { name: 'Acesso não permitido', level: 1 }).waitFor();
    expect(await page.title()).toBe('Acesso não permitido · Atende');
    const status = await page.evaluate('fetch("/api/v1/users").then((r) => r.status)');
    expect(status).toBe(403);
    expect(problems).toEqual([]);
  });

  it('creating a user with a 3-character login shows the error next to the login field; fixed, the user is listed', async () => {
    await openAs('gerente.azul');
    await menu().getByRole('link', { name: 'Usuários', exact: true }).click();
    await page.getByRole('heading', { name: 'Usuários', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Novo usuário' }).click();
    const dialog = await openedDialog(page, 'Novo usuário');
    const save = dialog.getByRole('button', { name: 'Salvar' });
    expect(await save.isDisabled()).toBe(true);
    await dialog.getByLabel('Nome', { exact: true }).fill('Beatriz Souza');
    await dialog.getByLabel('Login', { exact: true }).fill('bea');
    await dialog.getByRole('textbox', { name: 'E-mail', exact: true }).fill('bea@example.com');
    await dialog.getByLabel('Senha inicial', { exact: true }).fill('primeira-1');
    await dialog.getByLabel('Ramal', { exact: true }).fill('1001');
    expect(await save.isDisabled()).toBe(false);
    await save.click();

    const loginField = dialog.locator('[data-field="login"]');
    await loginField.getByRole('alert').filter({ hasText: 'mínimo de 5 caracteres' }).waitFor();
    expect(await dialog.getByLabel('Login', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    // Nothing typed is lost.
    expect(await dialog.getByLabel('Nome', { exact: true }).inputValue()).toBe('Beatriz Souza');
    expect(await dialog.getByRole('textbox', { name: 'E-mail', exact: true }).inputValue()).toBe('bea@example.com');
    expect(await dialog.getByLabel('Ramal', { exact: true }).inputValue()).toBe('1001');
    expect(await seriousA11yViolations(page)).toEqual([]);

    await dialog.getByLabel('Login', { exact: true }).fill('beatriz.souza');
    await save.click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.getByRole('row').filter({ hasText: 'beatriz.souza' });
    await row.waitFor();
    expect(await row.textContent()).toContain('Beatriz Souza');
    await screenshot(page, 'users');
    expect(problems).toEqual([]);
  });

  it("tenant A's admin never sees tenant B's users", async () => {
    await openAs('gerente.azul');
    await page.goto('/org/users?rows=100');
    await page.getByRole('row').filter({ hasText: 'operador.azul' }).waitFor();
    const names = await page.getByRole('row').allTextContents();
    expect(names.join(' ')).not.toContain('vendedor.verde');
    const b = await root.must<{ items: { id: number; login: string }[] }>('GET', `/api/v1/users?tenantId=${tenant.b}`);
    const otherId = b.items.find((u) => u.login === 'vendedor.verde')!.id;
    await page.goto('/org/users');
    const status = await page.evaluate(`fetch("/api/v1/users/${otherId}").then((r) => r.status)`);
    expect(status).toBe(404);
  });

  it('the audit log filters by what and shows a change before and after', async () => {
    await openAs('gerente.azul');
    await page.goto('/org/teams');
    await page.getByRole('button', { name: 'Editar Vendas' }).click();
    const dialog = await openedDialog(page, 'Editar equipe');
    await dialog.getByLabel('Descrição', { exact: true }).fill('Equipe de vendas ativas');
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await dialog.waitFor({ state: 'hidden' });

    await menu().getByRole('link', { name: 'Auditoria' }).click();
    await page.getByRole('heading', { name: 'Auditoria', level: 1 }).waitFor();
    await chooseOption(page, page.getByRole('combobox', { name: 'O quê' }), 'Equipe');
    await page.getByRole('button', { name: 'Pesquisar' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('entity')).toBe('team');
    // A search changes the page's query, not the page: the focus stays on the button pressed.
    expect(await page.getByRole('button', { name: 'Pesquisar' }).evaluate((el: { ownerDocument: { activeElement: unknown } }) => el === el.ownerDocument.activeElement)).toBe(true);
    const row = page.getByRole('row').filter({ hasText: 'Alteração' });
    await row.waitFor();
    await row.getByRole('button', { name: /Ver alterações/ }).click();
    const diff = await openedDialog(page, /Equipe #\d+: Alteração/);
    const changed = diff.getByRole('row').filter({ hasText: 'description' });
    expect(await changed.getByRole('cell').allTextContents()).toEqual(['—', 'Equipe de vendas ativas']);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'audit');
    // The filter is in the URL: a reload shows the same list.
    await page.keyboard.press('Escape');
    await page.reload();
    await page.getByRole('row').filter({ hasText: 'Alteração' }).waitFor();
    expect(await page.getByRole('row').filter({ hasText: /Equipe #\d+/ }).count()).toBe(2);
    expect(await page.getByRole('row').filter({ hasText: /Usuário #\d+/ }).count()).toBe(0);
  });

  it('every organisation screen passes axe (no serious or critical violation)', async () => {
    await openAs('admin', ADMIN_PASSWORD);
    for (const [path, heading] of [
      ['/org/users', 'Usuários'],
      ['/org/teams', 'Equipes'],
      ['/org/profiles', 'Perfis'],
      ['/org/pause-types', 'Pausas'],
      ['/org/tenants', 'Empresas'],
      ['/audit', 'Auditoria'],
      ['/system', 'Sistema'],
      ['/account', 'Minha conta'],
    ] as const) {
      await page.goto(path);
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
      await page.locator('.p-datatable-mask').waitFor({ state: 'detached' }).catch(() => undefined);
      expect(await seriousA11yViolations(page), path).toEqual([]);
    }
    // The profile editor's permission matrix and the tenant form too.
    await page.goto('/org/profiles');
    await page.getByRole('button', { name: 'Novo perfil' }).click();
    await (await openedDialog(page, 'Novo perfil')).getByRole('table').waitFor();
    expect(await seriousA11yViolations(page), 'profile editor').toEqual([]);
    expect(problems).toEqual([]);
  }, 240_000);

  it('a server failure (500) shows a generic message and a retry, never its details', async () => {
    await openAs('gerente.azul');
    await page.route('**/api/v1/teams?*', (route) =>
      route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: { code: 'internal', message: 'SQLITE_CORRUPT at teams.repo.ts:42' } }) }),
    );
    await page.goto('/org/teams');
    const alert = page.getByRole('alert').filter({ hasText: 'Algo deu errado no servidor' });
    await alert.waitFor();
    expect(await page.getByText('SQLITE_CORRUPT').count()).toBe(0);
    await page.unroute('**/api/v1/teams?*');
    await alert.getByRole('button', { name: 'Tentar novamente' }).click();
    await page.getByRole('row').filter({ hasText: 'Vendas' }).waitFor();
  });

  it('works on a tablet and by keyboard: the menu opens from its button, links and dialogs follow the keys', async () => {
    context = await newContext(browser, atende, { width: 800, height: 1100 });
    page = await context.newPage();
    problems = watchProblems(page, [/WebSocket connection to .* failed/]);
    await logIn(page, 'gerente.azul', PASSWORD);
    const open = page.getByRole('button', { name: 'Abrir menu' });
    await open.waitFor();
    expect(await page.locator('nav.sidebar').isVisible()).toBe(false);
    await open.focus();
    await page.keyboard.press('Enter');
    const drawer = page.getByRole('dialog').getByRole('navigation', { name: 'Navegação' });
    // The drawer moves the focus to its close button as it slides in; a person tabs on from there.
    await drawer.waitFor();
    // Only once the drawer has taken the focus: a link focused before that loses it to the close
    // button, and Enter would close the drawer instead of following the link.
    const drawerDialog = page.getByRole('dialog').filter({ has: page.getByRole('navigation', { name: 'Navegação' }) });
    const focusInDrawer = () => drawerDialog.evaluate((el: { contains(n: unknown): boolean; ownerDocument: { activeElement: unknown } }) => el.contains(el.ownerDocument.activeElement));
    await expect.poll(focusInDrawer).toBe(true);
    await page.locator('.p-drawer-enter-active').waitFor({ state: 'detached' });
    // The desk finishing its loading behind the drawer does not take the focus away from it.
    await page.getByText('Meu dia', { exact: true }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(await focusInDrawer()).toBe(true);
    await drawer.getByRole('link', { name: 'Equipes' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Equipes', level: 1 }).waitFor();
    // New team by keyboard only: the button, the name, Enter to save.
    await page.getByRole('button', { name: 'Nova equipe' }).focus();
    await page.keyboard.press('Enter');
    const dialog = await openedDialog(page, 'Nova equipe');
    // The dialog puts the cursor in its first field; a person types once it is there.
    const name = dialog.getByLabel('Nome', { exact: true });
    await expect.poll(() => name.evaluate((el: { ownerDocument: { activeElement: unknown } }) => el === el.ownerDocument.activeElement)).toBe(true);
    await page.keyboard.type('Suporte');
    expect(await name.inputValue()).toBe('Suporte');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('row').filter({ hasText: 'Suporte' }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('a super user creates a tenant, the CNPJ checked as it is typed', async () => {
    await openAs('admin', ADMIN_PASSWORD);
    await page.goto('/org/tenants');
    await page.getByRole('button', { name: 'Nova empresa' }).click();
    const dialog = await openedDialog(page, 'Nova empresa');
    await dialog.getByLabel('Razão social', { exact: true }).fill('Padaria Central ME');
    const cnpj = validCnpj(33);
    const wrong = cnpj.slice(0, 13) + String((Number(cnpj[13]) + 1) % 10);
    await dialog.getByLabel('CNPJ', { exact: true }).fill(wrong);
    await dialog.getByText('CNPJ inválido').waitFor();
    expect(await dialog.getByRole('button', { name: 'Salvar' }).isDisabled()).toBe(true);
    await dialog.getByLabel('CNPJ', { exact: true }).fill(cnpj);
    await dialog.getByText('CNPJ válido.').waitFor();
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await page.getByRole('row').filter({ hasText: 'Padaria Central ME' }).waitFor();
  });

  it('a profile built in the permission matrix gives an agent the audit log, and the menu shows it', async () => {
    await openAs('gerente.azul');
    await menu().getByRole('link', { name: 'Perfis' }).click();
    await page.getByRole('button', { name: 'Novo perfil' }).click();
    const dialog = await openedDialog(page, 'Novo perfil');
    await dialog.getByLabel('Nome', { exact: true }).fill('Auditores');
    await dialog.getByRole('checkbox', { name: 'Auditoria: Ver' }).check();
    await dialog.getByRole('checkbox', { name: 'Ligações: Ver' }).check();
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('row').filter({ hasText: 'Auditores' }).waitFor();

    await menu().getByRole('link', { name: 'Usuários', exact: true }).click();
    await page.getByRole('button', { name: 'Editar Operador Azul' }).click();
    const user = await openedDialog(page, 'Editar usuário');
    await chooseOption(page, user.getByRole('combobox', { name: 'Perfil' }), 'Auditores');
    await user.getByRole('button', { name: 'Salvar' }).click();
    await user.waitFor({ state: 'hidden' });
    await context.close();

    await openAs('operador.azul');
    await menu().getByRole('link', { name: 'Auditoria' }).click();
    await page.getByRole('heading', { name: 'Auditoria', level: 1 }).waitFor();
    await page.getByRole('row').filter({ hasText: /Perfil #\d+/ }).first().waitFor();
    expect(await menu().getByRole('link', { name: 'Usuários', exact: true }).count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it('a super user switches tenant in the top bar and sees that tenant; the language switch turns the app to English, kept after a reload', async () => {
    await openAs('admin', ADMIN_PASSWORD);
    await menu().getByRole('link', { name: 'Usuários', exact: true }).click();
    await page.getByRole('heading', { name: 'Usuários', level: 1 }).waitFor();
    await page.getByRole('combobox', { name: 'Trocar de empresa' }).click();
    await page.getByRole('option', { name: 'Mercado Verde SA' }).click();
    await page.getByRole('row').filter({ hasText: 'vendedor.verde' }).waitFor();
    expect(await page.getByRole('row').filter({ hasText: 'gerente.azul' }).count()).toBe(0);
    expect(new URL(page.url()).pathname).toBe('/org/users');

    await page.getByRole('combobox', { name: 'Idioma' }).click();
    await page.getByRole('option', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    expect(await page.title()).toBe('Users · Atende');
    await page.reload();
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    await page.getByRole('row').filter({ hasText: 'vendedor.verde' }).waitFor();
    expect(await page.evaluate('document.documentElement.lang')).toBe('en');
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.getByRole('combobox', { name: 'Language' }).click();
    await page.getByRole('option', { name: 'Português (Brasil)' }).click();
    await page.getByRole('heading', { name: 'Usuários', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Sair' }).click();
    await page.getByRole('button', { name: 'Entrar' }).waitFor();
    await page.goto('/org/users');
    await expect.poll(() => new URL(page.url()).pathname).toBe('/login');
    expect(problems).toEqual([]);
  });

  it('an admin resets a password (a temporary one shown once, changed at the next login) and deactivates a user, who can no longer log in', async () => {
    await createUser(tenant.a, 'apoio.azul', 'agent', 'Apoio Azul');
    await openAs('gerente.azul');
    await page.goto('/org/users');
    await page.getByRole('button', { name: 'Redefinir senha: Apoio Azul' }).click();
    await (await openedDialog(page, 'Redefinir a senha de Apoio Azul')).getByRole('button', { name: 'Gerar senha temporária' }).click();
    const temporaryDialog = await openedDialog(page, 'Senha temporária de Apoio Azul');
    const shown = temporaryDialog.getByTestId('temporary-password');
    const temporary = (await shown.textContent())!.trim();
    expect(temporary.length).toBeGreaterThanOrEqual(8);
    await temporaryDialog.getByRole('button', { name: 'Fechar' }).last().click();

    const other = await (await newContext(browser, atende)).newPage();
    await logIn(other, 'apoio.azul', temporary);
    await other.getByRole('heading', { name: 'Crie sua nova senha' }).waitFor();
    await other.context().close();

    // Deactivating asks first; a deactivated user's login is refused.
    await page.getByRole('button', { name: 'Desativar: Apoio Azul' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Desativar' }).click();
    await page.getByRole('row').filter({ hasText: 'apoio.azul' }).getByText('Inativo').waitFor();
    const refused = await fetch(`${atende.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'apoio.azul', password: temporary }),
    });
    expect(refused.status).toBe(401);
    expect(problems).toEqual([]);
  });
});
