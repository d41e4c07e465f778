/**
 * The CRM's settings screens in a real browser, each as its admin uses it: status groups,
 * the form builder, campaign types, contact books, shortcuts, FAQ and tickets. Every screen
 * creates or edits a record, sees a bad input refused next to its field with what was typed
 * kept, sees the result listed, and passes the accessibility check.
 */
import { describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { crmSession } from './crm-session.js';
import { seriousA11yViolations } from './harness.js';

const crm = crmSession({ legalName: 'Loja Verde Ltda', cnpjSeed: 41, admin: 'Gerente Verde', login: 'gerente.verde' });

async function open(path: string, heading: string): Promise<void> {
  await crm.open(path);
  await crm.page.getByRole('heading', { name: heading, level: 1 }).waitFor();
}

/** The server's refusal shown inside the field it names. */
async function refusedAt(dialog: Locator, field: string): Promise<string> {
  const alert = dialog.locator(`[data-field="${field}"]`).getByRole('alert');
  await alert.waitFor();
  return (await alert.textContent()) ?? '';
}

async function pick(dialog: Locator, label: string, option: string): Promise<void> {
  await dialog.getByRole('combobox', { name: label, exact: true }).click();
  await crm.page.getByRole('option', { name: option, exact: true }).click();
}

/** Adds a choice to a multiple select and closes its list (Escape closes the list, not the dialog). */
async function pickMore(dialog: Locator, field: string, option: string): Promise<void> {
  await dialog.locator(`[data-field="${field}"] [data-pc-name="multiselect"]`).click();
  await crm.page.getByRole('option', { name: option }).click();
  await crm.page.keyboard.press('Escape');
  await crm.page.getByRole('listbox').waitFor({ state: 'hidden' });
}

const rowWith = (text: string) => crm.page.getByRole('row').filter({ hasText: text });

describe('CRM settings screens', () => {
  it('status groups: one offered to no team is refused at its teams; offered to all, it is listed and renamed', async () => {
    await open('/contacts/status-groups', 'Grupos de status');
    await crm.page.getByRole('button', { name: 'Novo grupo' }).click();
    const dialog = await crm.dialog('Novo grupo');
    await dialog.getByLabel('Nome', { exact: true }).fill('Retenção');
    await dialog.getByLabel('Todas as equipes').uncheck();
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    expect(await refusedAt(dialog, 'teamIds')).not.toBe('');
    expect(await dialog.getByLabel('Nome', { exact: true }).inputValue()).toBe('Retenção');
    await dialog.getByLabel('Todas as equipes').check();
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await rowWith('Retenção').waitFor();
    expect(await rowWith('Retenção').textContent()).toContain('Todas as equipes');

    await crm.page.getByRole('button', { name: 'Editar Retenção', exact: true }).click();
    const edit = await crm.dialog('Editar grupo');
    await edit.getByLabel('Nome', { exact: true }).fill('Retenção ativa');
    await edit.getByRole('button', { name: 'Salvar' }).click();
    await edit.waitFor({ state: 'hidden' });
    await rowWith('Retenção ativa').waitFor();
    const groups = await crm.manager.must<{ items: { name: string; allTeams: boolean }[] }>('GET', '/api/v1/tabulations/groups');
    expect(groups.items).toEqual([expect.objectContaining({ name: 'Retenção ativa', allTeams: true })]);
    expect(await seriousA11yViolations(crm.page)).toEqual([]);
    expect(crm.problems).toEqual([]);
  });

  it('form builder: a name already used is refused at the name; the form with a custom interaction field required is listed and offered', async () => {
    await crm.manager.must('POST', '/api/v1/crm/fields', { scope: 'interaction', key: 'motivo', label: 'Motivo', type: 'text' });
    await crm.manager.must('POST', '/api/v1/crm/forms', { name: 'Padrão', items: [{ source: 'contact', key: 'name', required: true }] });
    await open('/contacts/forms', 'Formulários CRM');
    await crm.page.getByRole('button', { name: 'Novo formulário' }).click();
    const dialog = await crm.dialog('Novo formulário');
    await dialog.getByRole('textbox', { name: 'Nome', exact: true }).fill('Padrão');
    await pickMore(dialog, 'items', 'Motivo (Atendimento)');
    await pickMore(dialog, 'required', 'Motivo (Atendimento)');
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    expect(await refusedAt(dialog, 'name')).toContain('Padrão');
    await dialog.getByRole('textbox', { name: 'Nome', exact: true }).fill('Venda');
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = rowWith('Venda');
    await row.waitFor();
    expect(await row.textContent()).toContain('Nome *, Motivo *');

    // The server checks the form too: finishing with it and without the required field is refused.
    const paula = await crm.manager.must<{ id: number }>('POST', '/api/v1/contacts', { name: 'Paula Reis', phones: [{ number: '31988881111' }] });
    const call = await crm.manager.must<{ id: number }>('POST', '/api/v1/interactions', { contactId: paula.id, kind: 'inbound', channel: 'voice' });
    const forms = await crm.manager.must<{ items: { id: number; name: string }[] }>('GET', '/api/v1/crm/forms');
    const venda = forms.items.find((f) => f.name === 'Venda')!;
    const refused = await crm.manager.call<{ error: { details: { field: string } } }>('POST', `/api/v1/interactions/${call.id}/finish`, { formId: venda.id });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.field).toBe('formValues.motivo');
    expect(await seriousA11yViolations(crm.page)).toEqual([]);
    expect(crm.problems).toEqual([]);
  });

  it('campaign types: a name already used is refused at the name; a new type with its form is listed', async () => {
    const form = await crm.manager.must<{ id: number }>('POST', '/api/v1/crm/forms', { name: 'Cobrança', items: [{ source: 'contact', key: 'name', required: true }] });
    await crm.manager.must('POST', '/api/v1/crm/campaign-types', { name: 'Receptivo', formId: form.id });
    await open('/contacts/campaign-types', 'Tipos de campanha');
    await crm.page.getByRole('button', { name: 'Novo tipo de campanha' }).click();
    const dialog = await crm.dialog('Novo tipo de campanha');
    await dialog.getByLabel('Nome', { exact: true }).fill('Receptivo');
    await pick(dialog, 'Formulário', 'Cobrança');
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    expect(await refusedAt(dialog, 'name')).toContain('Receptivo');
    await dialog.getByLabel('Nome', { exact: true }).fill('Recuperação de crédito');
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = rowWith('Recuperação de crédito');
    await row.waitFor();
    expect(await row.textContent()).toContain('Cobrança');
    expect(await seriousA11yViolations(crm.page)).toEqual([]);
    expect(crm.problems).toEqual([]);
  });

  it('contact books: the default book cannot stop being the default; a new book of a campaign type is listed', async () => {
    const form = await crm.manager.must<{ id: number }>('POST', '/api/v1/crm/forms', { name: 'Ativo', items: [{ source: 'contact', key: 'name', required: true }] });
    await crm.manager.must('POST', '/api/v1/crm/campaign-types', { name: 'Ativo', formId: form.id });
    // The tenant's first contact goes to the default book, made then.
    await crm.manager.must('POST', '/api/v1/contacts', { name: 'Rui Alves', phones: [{ number: '41988887777' }] });
    await open('/contacts/books', 'Agendas de contatos');
    const books = await crm.manager.must<{ items: { name: string; isDefault: boolean }[] }>('GET', '/api/v1/crm/books');
    const standard = books.items.find((b) => b.isDefault)!;
    const editStandard = crm.page.getByRole('button', { name: `Editar ${standard.name}`, exact: true });
    await editStandard.click();
    const edit = await crm.dialog('Editar agenda');
    await edit.getByLabel('Agenda padrão').uncheck();
    await edit.getByRole('button', { name: 'Salvar' }).click();
    expect(await refusedAt(edit, 'isDefault')).not.toBe('');
    await edit.getByRole('button', { name: 'Cancelar' }).click();

    await crm.page.getByRole('button', { name: 'Nova agenda' }).click();
    const dialog = await crm.dialog('Nova agenda');
    await dialog.getByLabel('Nome', { exact: true }).fill('Clientes VIP');
    await pick(dialog, 'Tipo de campanha', 'Ativo');
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = rowWith('Clientes VIP');
    await row.waitFor();
    expect(await row.textContent()).toContain('Ativo');
    expect(await crm.page.getByRole('row').filter({ has: editStandard }).textContent()).toContain('Sim');
    expect(await seriousA11yViolations(crm.page)).toEqual([]);
    expect(crm.problems).toEqual([]);
  });

  it('shortcuts: a prefix with spaces and an unknown variable are refused at their fields; the shortcut fills in the first name', async () => {
    await open('/contacts/shortcuts', 'Atalhos');
    await crm.page.getByRole('button', { name: 'Novo atalho' }).click();
    const dialog = await crm.dialog('Novo atalho');
    await dialog.getByLabel('Atalho', { exact: true }).fill('bom dia');
    await dialog.getByLabel('Texto', { exact: true }).fill('Bom dia, {{primeiro_nome}}! Aqui é {{agente}}.');
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    expect(await refusedAt(dialog, 'prefix')).toContain('bom dia');
    await dialog.getByLabel('Atalho', { exact: true }).fill('bomdia');
    await dialog.getByLabel('Texto', { exact: true }).fill('Bom dia, {{primeiro_nome}}! Aqui é {{atendente}}.');
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    expect(await refusedAt(dialog, 'text')).toContain('atendente');
    expect(await dialog.getByLabel('Atalho', { exact: true }).inputValue()).toBe('bomdia');
    await dialog.getByLabel('Texto', { exact: true }).fill('Bom dia, {{primeiro_nome}}! Aqui é {{agente}}.');
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = rowWith('/bomdia');
    await row.waitFor();
    expect(await row.textContent()).toContain('Todos');

    const carla = await crm.manager.must<{ id: number }>('POST', '/api/v1/contacts', { name: 'Carla Dias Souza', phones: [{ number: '21998765432' }] });
    const chat = await crm.manager.must<{ id: number }>('POST', '/api/v1/interactions', { contactId: carla.id, kind: 'inbound', channel: 'webchat' });
    const offered = await crm.manager.must<{ items: { prefix: string; text: string }[] }>('GET', `/api/v1/interactions/${chat.id}/shortcuts?prefix=/bo`);
    expect(offered.items).toEqual([{ id: expect.any(Number), prefix: 'bomdia', text: 'Bom dia, Carla! Aqui é Gerente Verde.' }]);
    expect(await seriousA11yViolations(crm.page)).toEqual([]);
    expect(crm.problems).toEqual([]);
  });

  it('FAQ: a question asked twice is refused at the question; an answer edited and the entry made inactive show in the list', async () => {
    await crm.manager.must('POST', '/api/v1/crm/faq', { question: 'Qual o horário?', answer: 'Das 8h às 18h.' });
    await open('/contacts/faq', 'Perguntas frequentes');
    await crm.page.getByRole('button', { name: 'Nova pergunta' }).click();
    const dialog = await crm.dialog('Nova pergunta');
    await dialog.getByLabel('Pergunta').fill('Qual o horário?');
    await dialog.getByLabel('Resposta').fill('Outra resposta');
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    expect(await refusedAt(dialog, 'question')).toContain('Qual o horário?');
    await dialog.getByLabel('Pergunta').fill('Como pedir a segunda via?');
    await dialog.getByLabel('Resposta').fill('Pelo site, em Minha conta.');
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await rowWith('Como pedir a segunda via?').waitFor();

    await crm.page.getByRole('button', { name: 'Editar Qual o horário?', exact: true }).click();
    const edit = await crm.dialog('Editar pergunta');
    await edit.getByLabel('Resposta').fill('Das 8h às 20h, de segunda a sábado.');
    await edit.getByLabel('Ativo').uncheck();
    await edit.getByRole('button', { name: 'Salvar' }).click();
    await edit.waitFor({ state: 'hidden' });
    const row = rowWith('Qual o horário?');
    await expect.poll(() => row.textContent()).toContain('Das 8h às 20h, de segunda a sábado.');
    expect(await row.textContent()).toContain('Não');
    expect(await seriousA11yViolations(crm.page)).toEqual([]);
    expect(crm.problems).toEqual([]);
  });

  it("tickets: the ticket a call opened is listed; a custom field value that breaks its mask is refused at it; the changes show in the ticket's history", async () => {
    await crm.manager.must('POST', '/api/v1/crm/fields', { scope: 'ticket', key: 'nota_fiscal', label: 'Nota fiscal', type: 'text', mask: '999.999' });
    const ana = await crm.manager.must<{ id: number }>('POST', '/api/v1/contacts', { name: 'Ana Lima', phones: [{ number: '11987650001' }] });
    const call = await crm.manager.must<{ protocol: string }>('POST', '/api/v1/interactions', { contactId: ana.id, kind: 'inbound', channel: 'voice', serviceName: 'SAC' });
    await open('/contacts/tickets', 'Tickets');
    const row = rowWith(`SAC ${call.protocol}`);
    await row.waitFor();
    expect(await row.textContent()).toContain('Ana Lima');
    expect(await row.textContent()).toContain('Aberto');

    await crm.page.getByRole('button', { name: `Editar SAC ${call.protocol}`, exact: true }).click();
    const dialog = await crm.dialog('Editar ticket');
    await dialog.getByLabel('Assunto').fill('Segunda via do boleto');
    await pick(dialog, 'Situação', 'Resolvido');
    await dialog.getByLabel('Nota fiscal').fill('12a');
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    expect(await refusedAt(dialog, 'custom.nota_fiscal')).not.toBe('');
    expect(await dialog.getByLabel('Assunto').inputValue()).toBe('Segunda via do boleto');
    await dialog.getByLabel('Nota fiscal').fill('123456');
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const changed = rowWith('Segunda via do boleto');
    await changed.waitFor();
    expect(await changed.textContent()).toContain('Resolvido');

    await crm.page.getByRole('button', { name: 'Histórico do ticket Segunda via do boleto', exact: true }).click();
    const history = await crm.dialog('Histórico: Segunda via do boleto');
    await expect.poll(() => history.textContent()).toContain('Situação: Aberto → Resolvido');
    expect(await history.textContent()).toContain(`Assunto: SAC ${call.protocol} → Segunda via do boleto`);
    expect(await history.textContent()).toContain('Nota fiscal: — → 123.456');
    expect(await seriousA11yViolations(crm.page)).toEqual([]);
    expect(crm.problems).toEqual([]);
  });
});
