/**
 * The telecom admin's music-on-hold classes, announcements and conference rooms, and the
 * server's SIP settings, in a real browser: each created and edited through its form, a bad
 * value refused next to its field, each screen free of serious accessibility violations.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { validCnpj } from '../helpers/app.js';
import { browserTestFile, chooseOption, logIn, newContext, openedDialog, openOptions, seriousA11yViolations, watchProblems, type Api, type Atende } from './harness.js';

const ADMIN_PASSWORD = 'super-senha-2';
const PASSWORD = 'senha-teste-2';

const file = browserTestFile();
let atende: Atende;
let browser: Browser;
let page: Page;
let problems: string[];
let admin: Api;

beforeAll(async () => {
  let root: Api;
  ({ atende, root } = await file.start(ADMIN_PASSWORD));
  const tenantId = (await root.must<{ id: number }>('POST', '/api/v1/tenants', { legalName: 'Central Verde Ltda', cnpj: validCnpj(32) })).id;
  await root.must('POST', `/api/v1/users?tenantId=${tenantId}`, { name: 'Telecom Verde', login: 'telecom.verde', level: 'admin', password: PASSWORD, passwordChangeRequired: false });
  admin = await atende.api('telecom.verde', PASSWORD);
  ({ browser, page, problems } = await file.open('telecom.verde', PASSWORD, { allow: [/WebSocket connection to .* failed/] }));
  await page.getByRole('navigation', { name: 'Navegação' }).first().waitFor();
});

const open = async (p: Page, menuItem: string) => {
  await p.getByRole('navigation', { name: 'Navegação' }).first().getByRole('link', { name: menuItem, exact: true }).click();
  await p.getByRole('heading', { name: menuItem, level: 1 }).waitFor();
};
const errorOf = (scope: ReturnType<Page['locator']>, field: string) => scope.locator(`[data-field="${field}"] [role=alert]`);

describe('music on hold, announcements, conferences, SIP settings', () => {
  it('a conference room: a number that is not digits is refused next to it; created with a PIN, then opened to everyone', async () => {
    await open(page, 'Conferências');
    await page.getByRole('button', { name: 'Nova sala de conferência' }).click();
    const dialog = await openedDialog(page, 'Nova sala de conferência');
    await dialog.getByLabel('Nome', { exact: true }).fill('Sala Verde');
    await dialog.getByLabel('Número', { exact: true }).fill('70a');
    await dialog.getByLabel('PIN', { exact: true }).fill('2468');
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await expect.poll(() => errorOf(dialog, 'number').textContent()).toBe('formato inválido');
    await dialog.getByLabel('Número', { exact: true }).fill('7000');
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.getByRole('row').filter({ hasText: 'Sala Verde' });
    await expect.poll(() => row.textContent()).toContain('com PIN');
    expect(await row.textContent()).toContain('7000');
    expect(await page.content()).not.toContain('2468');

    await row.getByRole('button', { name: 'Editar sala 7000' }).click();
    const edit = await openedDialog(page, 'Editar sala de conferência');
    await edit.getByLabel('Abrir a sala (sem PIN)').check();
    await edit.getByLabel('Participantes no máximo').fill('10');
    await edit.getByLabel('Participantes no máximo').press('Tab');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await edit.getByRole('button', { name: 'Salvar' }).click();
    await edit.waitFor({ state: 'hidden' });
    await expect.poll(() => row.textContent()).toContain('aberta');
    expect(await row.textContent()).toContain('10');
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('a music-on-hold class: a name already taken is refused next to it; created with a prompt, then set to random order', async () => {
    await admin.must('POST', '/api/v1/telephony/moh-classes', { name: 'Espera VIP', promptIds: [] });
    await admin.must('POST', '/api/v1/telephony/prompts', { name: 'Violão', speech: { text: 'Aguarde, por favor.' } });
    await open(page, 'Música de espera');
    await page.getByRole('button', { name: 'Nova classe de música' }).click();
    const dialog = await openedDialog(page, 'Nova classe de música');
    await dialog.getByLabel('Nome', { exact: true }).fill('Espera VIP');
    await chooseOption(page, dialog.getByRole('combobox', { name: 'Áudio 1' }), 'Violão');
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await expect.poll(() => errorOf(dialog, 'name').textContent()).toMatch(/Espera VIP/);
    await dialog.getByLabel('Nome', { exact: true }).fill('Espera padrão');
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.getByRole('row').filter({ hasText: 'Espera padrão' });
    await expect.poll(() => row.textContent()).toContain('Violão');
    expect(await row.textContent()).toContain('na ordem da lista');

    await row.getByRole('button', { name: 'Editar Espera padrão' }).click();
    const edit = await openedDialog(page, 'Editar classe de música');
    await edit.getByLabel('Tocar em ordem aleatória').check();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await edit.getByRole('button', { name: 'Salvar' }).click();
    await edit.waitFor({ state: 'hidden' });
    await expect.poll(() => row.textContent()).toContain('aleatória');
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('an announcement: without audio it is refused under the list; created to lead into the room, then to hang up; it is not offered as its own destination', async () => {
    const notice = await admin.must<{ id: number }>('POST', '/api/v1/telephony/prompts', { name: 'Um momento', speech: { text: 'Um momento, por favor.' } });
    await admin.must('POST', '/api/v1/telephony/announcements', { name: 'Aviso de espera', promptIds: [notice.id], destination: { kind: 'hangup' } });
    await open(page, 'Anúncios');
    await page.getByRole('button', { name: 'Novo anúncio' }).click();
    const dialog = await openedDialog(page, 'Novo anúncio');
    await dialog.getByLabel('Nome', { exact: true }).fill('Boas-vindas');
    await dialog.getByRole('button', { name: 'Remover o áudio 1' }).click();
    await chooseOption(page, dialog.getByRole('combobox', { name: 'Destino: tipo' }), 'Conferência');
    await chooseOption(page, dialog.getByRole('combobox', { name: 'Destino: qual' }), '7000 Sala Verde');
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await expect.poll(() => errorOf(dialog, 'promptIds').textContent()).toBe('escolha pelo menos 1');
    await dialog.getByRole('button', { name: 'Adicionar áudio' }).click();
    await chooseOption(page, dialog.getByRole('combobox', { name: 'Áudio 1' }), 'Violão');
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.getByRole('row').filter({ hasText: 'Boas-vindas' });
    await expect.poll(() => row.textContent()).toContain('conference 7000 (Sala Verde)');
    expect(await row.textContent()).toContain('Violão');

    await row.getByRole('button', { name: 'Editar Boas-vindas' }).click();
    const edit = await openedDialog(page, 'Editar anúncio');
    await chooseOption(page, edit.getByRole('combobox', { name: 'Destino: tipo' }), 'Anúncio');
    const offered = await openOptions(page, edit.getByRole('combobox', { name: 'Destino: qual' }));
    await expect.poll(() => offered.allTextContents()).toEqual(['Aviso de espera']);
    await page.keyboard.press('Escape');
    await chooseOption(page, edit.getByRole('combobox', { name: 'Destino: tipo' }), 'Desligar, causa');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await edit.getByRole('button', { name: 'Salvar' }).click();
    await edit.waitFor({ state: 'hidden' });
    await expect.poll(() => row.textContent()).toContain('hang up');
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('SIP settings: a tenant admin reads them; the super user sets the NAT address, a bad one refused next to it', async () => {
    await open(page, 'Configurações SIP');
    await page.getByText('Só um superusuário altera estas configurações').waitFor();
    expect(await page.getByLabel('Endereço externo (NAT)').isDisabled()).toBe(true);
    expect(await seriousA11yViolations(page)).toEqual([]);

    const superContext = await newContext(browser, atende);
    try {
      const su = await superContext.newPage();
      const suProblems = watchProblems(su, [/WebSocket connection to .* failed/]);
      await logIn(su, 'admin', ADMIN_PASSWORD);
      await open(su, 'Configurações SIP');
      await su.getByLabel('Endereço externo (NAT)').fill('300.1.1.1');
      await su.getByLabel('Redes locais').fill('192.168.0.0/16\n10.0.0.0/8');
      await su.getByRole('button', { name: 'Salvar' }).click();
      await expect.poll(() => errorOf(su.locator('form'), 'externalAddress').textContent()).toBe('formato inválido');
      await su.getByLabel('Endereço externo (NAT)').fill('203.0.113.10');
      await chooseOption(su, su.getByRole('combobox', { name: 'Temporizadores de sessão (RFC 4028)' }), 'Aceitar');
      await su.getByRole('button', { name: 'Salvar' }).click();
      await su.getByText('Configurações SIP salvas').waitFor();
      await su.reload();
      await expect.poll(() => su.getByLabel('Endereço externo (NAT)').inputValue()).toBe('203.0.113.10');
      expect(await su.getByLabel('Redes locais').inputValue()).toBe('192.168.0.0/16\n10.0.0.0/8');
      expect(await su.getByRole('combobox', { name: 'Temporizadores de sessão (RFC 4028)' }).textContent()).toContain('Aceitar');
      expect(await seriousA11yViolations(su)).toEqual([]);
      expect(suProblems).toEqual([]);
    } finally {
      await superContext.close();
    }
    expect(problems).toEqual([]);
  });
});
