/**
 * The telecom admin's screens in a real browser against the daemon's emulated Asterisk: a trunk,
 * an extension (its generated secret shown once) and an inbound route created through the
 * forms; apply shows the diff of the files first, then what Asterisk accepted; the status page
 * shows the extension registered as soon as an emulated phone registers with that secret — and
 * a refusal of the server lands next to its field.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { validCnpj } from '../helpers/app.js';
import { browserTestFile, chooseOption, openedDialog, seriousA11yViolations, type Api, type Atende } from './harness.js';

const ADMIN_PASSWORD = 'super-senha-1';
const PASSWORD = 'senha-teste-1';

const file = browserTestFile();
let atende: Atende;
let page: Page;
let problems: string[];
let admin: Api;
let root: Api;
let tenantId = 0;

beforeAll(async () => {
  ({ atende, root } = await file.start(ADMIN_PASSWORD));
  tenantId = (await root.must<{ id: number }>('POST', '/api/v1/tenants', { legalName: 'Central Azul Ltda', cnpj: validCnpj(31) })).id;
  await root.must('POST', `/api/v1/users?tenantId=${tenantId}`, { name: 'Telecom Azul', login: 'telecom.azul', level: 'admin', password: PASSWORD, passwordChangeRequired: false });
  admin = await atende.api('telecom.azul', PASSWORD);
  ({ page, problems } = await file.open('telecom.azul', PASSWORD, { allow: [/WebSocket connection to .* failed/] }));
  await page.getByRole('navigation', { name: 'Navegação' }).first().waitFor();
});

const choose = (select: Locator, option: string) => chooseOption(page, select, option);

const menu = () => page.getByRole('navigation', { name: 'Navegação' }).first();
let secret = '';

describe('telephony screens', () => {
  it('creates a SIP trunk from the register string the provider gave', async () => {
    await menu().getByRole('link', { name: 'Troncos SIP' }).click();
    await page.getByRole('heading', { name: 'Troncos SIP', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Novo tronco' }).click();
    const dialog = await openedDialog(page, 'Novo tronco');
    await dialog.getByLabel('Nome', { exact: true }).fill('operadora');
    await dialog.getByLabel('String de registro').fill('1133334444:Segredo-Forte-1@sip.provider.example.net/1133334444');
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.getByRole('row').filter({ hasText: 'sip.provider.example.net' });
    await expect.poll(() => row.textContent()).toContain('registra como 1133334444@sip.provider.example.net/1133334444');
    expect(await row.textContent()).not.toContain('Segredo-Forte-1');
  });

  it('an extension number already taken is refused next to the field; a new one shows its generated secret once', async () => {
    await admin.must('POST', '/api/v1/telephony/extensions', { number: '1002', displayName: 'Bruno' });
    await menu().getByRole('link', { name: 'Ramais' }).click();
    await page.getByRole('button', { name: 'Novo ramal' }).click();
    const dialog = await openedDialog(page, 'Novo ramal');
    await dialog.getByLabel('Número', { exact: true }).fill('1002');
    await dialog.getByLabel('Nome exibido').fill('Ana');
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    // In the app's language, as the server words it.
    await expect.poll(() => dialog.locator('[data-field="number"] [role=alert]').textContent()).toMatch(/^o usuário SIP 1002 já está em uso neste servidor/);
    await dialog.getByLabel('Número', { exact: true }).fill('1001');
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    const shown = await openedDialog(page, 'Senha do ramal 1001');
    secret = (await shown.locator('code').textContent())!.trim();
    expect(secret.length).toBeGreaterThanOrEqual(16);
    await shown.getByRole('button', { name: 'Concluído' }).click();
    await shown.waitFor({ state: 'hidden' });
    await page.getByRole('row').filter({ hasText: 'Ana' }).waitFor();
    expect(await page.content()).not.toContain(secret);
  });

  it('routes a DID to the extension, and says what a carrier hears for a DID no route knows', async () => {
    await menu().getByRole('link', { name: 'Rotas de entrada' }).click();
    await page.getByText(/a operadora recebe 404 Not Found/).waitFor();
    await page.getByRole('button', { name: 'Nova rota de entrada' }).click();
    const dialog = await openedDialog(page, 'Nova rota de entrada');
    await dialog.getByLabel('Nome', { exact: true }).fill('Principal');
    await dialog.getByLabel('DID (número chamado)').fill('(11) 3333-4444');
    await choose(dialog.getByRole('combobox', { name: 'Destino: qual' }), '1001 Ana');
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.getByRole('row').filter({ hasText: 'Principal' });
    await expect.poll(() => row.textContent()).toContain('1133334444');
    expect(await row.textContent()).toContain('1001');
  });

  it('apply shows the files that will change with their diff, then what Asterisk accepted', async () => {
    await menu().getByRole('link', { name: 'Aplicar configuração' }).click();
    const pjsip = page.getByRole('region', { name: `atende/pjsip-t${tenantId}.conf` });
    await pjsip.waitFor();
    expect(await pjsip.locator('.diff-add').allTextContents()).toEqual(expect.arrayContaining(['+[1001](atende-phone)', '+[operadora](atende-trunk)']));
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Aplicar' }).click();
    const result = page.getByRole('region', { name: 'Resultado da aplicação' });
    await result.getByText('Aplicado: o Asterisk carregou a nova configuração.').waitFor();
    expect(await result.textContent()).toContain('SIP (PJSIP)');
    await page.getByText('O Asterisk já tem esta configuração: nada a aplicar.').waitFor();
    expect(await page.getByRole('button', { name: 'Aplicar' }).isDisabled()).toBe(true);
  });

  it('the status page shows the extension registered as soon as an emulated phone registers with its secret', async () => {
    await menu().getByRole('link', { name: 'Estado da telefonia' }).click();
    const phones = page.getByRole('region', { name: 'Telefones' });
    const ana = phones.getByRole('row').filter({ hasText: 'Ana' });
    await expect.poll(() => ana.textContent()).toContain('não registrado');
    const trunks = page.getByRole('region', { name: 'Troncos SIP' });
    const registered = async (row: ReturnType<Page['getByRole']>) => {
      const text = (await row.textContent()) ?? '';
      return text.includes('registrado') && !text.includes('não registrado');
    };
    await expect.poll(() => registered(trunks.getByRole('row').filter({ hasText: 'sip.provider.example.net' }))).toBe(true);
    // The emulated PBX is shared by every tenant: only the super user drives its phones.
    await root.must('PUT', '/api/v1/emulator/phones/1001', { registered: true, password: secret, userAgent: 'Yealink SIP-T46U' });
    await expect.poll(() => registered(ana)).toBe(true);
    expect(await ana.textContent()).toContain('Yealink SIP-T46U');
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('E1 spans are listed with their B-channels; an outbound route through the form, a bad dial pattern refused next to its field', async () => {
    await menu().getByRole('link', { name: 'Spans E1' }).click();
    const newSpan = page.getByRole('button', { name: 'Novo span E1' });
    await newSpan.click();
    const spanDialog = await openedDialog(page, 'Novo span E1');
    // A number field takes what was typed when it is left, as a person leaves it.
    await spanDialog.getByLabel('Span', { exact: true }).fill('1');
    await spanDialog.getByLabel('Span', { exact: true }).press('Tab');
    await spanDialog.getByLabel('Descrição', { exact: true }).fill('Embratel');
    await spanDialog.getByLabel('Grupo de canais', { exact: true }).fill('1');
    await spanDialog.getByLabel('Grupo de canais', { exact: true }).press('Tab');
    await spanDialog.getByRole('button', { name: 'Salvar' }).click();
    await spanDialog.waitFor({ state: 'hidden' });
    // Closing puts focus back on the button that opened the dialog, not into its unmounted fields.
    await expect.poll(() => newSpan.and(page.locator(':focus')).count()).toBe(1);
    expect(problems).toEqual([]);
    await expect.poll(() => page.getByRole('row').filter({ hasText: 'Embratel' }).textContent()).toContain('1-15,17-31');

    const hangup = { kind: 'hangup', cause: 16 };
    await admin.must('POST', '/api/v1/flows/time-conditions', {
      name: 'Expediente',
      periods: [{ weekdays: [1, 2, 3, 4, 5], start: '08:00', end: '18:00' }],
      openDestination: hangup,
      closedDestination: hangup,
    });
    await menu().getByRole('link', { name: 'Rotas de saída' }).click();
    await page.getByRole('button', { name: 'Nova rota de saída' }).click();
    const dialog = await openedDialog(page, 'Nova rota de saída');
    await dialog.getByLabel('Nome', { exact: true }).fill('Brasil');
    await choose(dialog.getByRole('combobox', { name: 'Condição de tempo' }), 'Expediente');
    await dialog.getByLabel('Exige tabulação nas chamadas manuais').check();
    const rule = dialog.getByRole('group', { name: 'Regra 1' });
    await rule.getByLabel('Padrão de discagem').fill('_0[XX.');
    await rule.getByLabel('Dígitos a remover').fill('1');
    await rule.getByLabel('Dígitos a remover').press('Tab');
    await choose(dialog.getByRole('combobox', { name: 'Tronco 1' }), 'Tronco SIP operadora');
    await dialog.getByRole('button', { name: 'Adicionar tronco' }).click();
    await choose(dialog.getByRole('combobox', { name: 'Tronco 2' }), 'Grupo E1 1');
    expect(problems).toEqual([]);
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await expect.poll(() => rule.locator('[role=alert]').textContent()).toBe("'[' não é fechado por ']' (na posição 3)");
    await rule.getByLabel('Padrão de discagem').fill('_0XX.');
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.getByRole('row').filter({ hasText: 'Brasil' });
    await expect.poll(() => row.textContent()).toContain('_0XX.');
    expect(await row.textContent()).toContain('Tronco SIP operadora → Grupo E1 1');
    expect(await row.textContent()).toContain('Expediente');
    // Agents' manual calls through it must be tabulated: kept, and shown again when edited.
    const saved = await admin.must<{ items: { name: string; requireTabulation: boolean }[] }>('GET', '/api/v1/telephony/outbound-routes');
    expect(saved.items.find((r) => r.name === 'Brasil')?.requireTabulation).toBe(true);
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });
});
