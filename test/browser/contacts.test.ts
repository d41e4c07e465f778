/**
 * The CRM's screens in a real browser: a CSV with good and bad rows imported with its progress
 * and per-row problems (and their CSV), the contact found by phone, its history and a ticket
 * opened from it; a blacklist number refused next to its field, then listed; a status with the
 * do-not-call action.
 */
import { describe, expect, it } from 'vitest';
import { crmSession } from './crm-session.js';
import { browserClock, chooseOption, screenshot, seriousA11yViolations } from './harness.js';

const crm = crmSession({ legalName: 'Loja Azul Ltda', cnpjSeed: 31, admin: 'Gerente Azul', login: 'gerente.azul' });
const open = (path: string) => crm.open(path);

const CSV = ['nome;telefone1;telefone2;email', 'Maria Silva;(48) 99999-9999;;maria@example.com', 'João Souza;11 98765-4321;;', 'Sem Telefone;(20) 98765-4321;;', ';11987650000;;'].join('\r\n');

describe('CRM screens', () => {
  it('imports a CSV with good and bad rows: the progress, the counts, each bad row with its reason and their CSV, the history', async () => {
    await open('/contacts/imports');
    await crm.page.getByRole('heading', { name: 'Importação de contatos', level: 1 }).waitFor();
    await crm.page.getByLabel('Arquivo CSV').setInputFiles({ name: 'clientes.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV, 'utf8') });
    await crm.page.getByRole('button', { name: 'Importar', exact: true }).click();

    const progress = crm.page.getByRole('region', { name: 'Progresso da importação' });
    await expect.poll(() => progress.getByRole('status').textContent()).toContain('Concluída');
    expect(await progress.getByRole('status').textContent()).toContain('4 linhas lidas, 2 importadas, 2 recusadas');
    expect(await progress.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    await progress.getByRole('button', { name: 'Ver problemas por linha' }).click();

    const list = crm.page.getByRole('region', { name: 'Problemas de clientes.csv' });
    const line4 = list.getByRole('row').filter({ hasText: '(20) 98765-4321' });
    await line4.first().waitFor();
    expect(await line4.first().textContent()).toContain('o DDD 20 não existe no Brasil');
    expect(await list.getByRole('row').filter({ hasText: 'Linha recusada' }).count()).toBeGreaterThanOrEqual(2);
    const missingName = list.getByRole('row').filter({ hasText: 'nome' });
    expect(await missingName.first().textContent()).toMatch(/^5/);
    const csvHref = await list.getByRole('link', { name: 'Baixar problemas (CSV)' }).getAttribute('href');
    const csv = await crm.page.request.get(csvHref!);
    expect(await csv.text()).toContain('4;telefone1;(20) 98765-4321;phone_ddd;o DDD 20 não existe no Brasil;');
    // The book's contacts go out in the model's columns, ready to be imported again.
    const exportHref = await crm.page.getByRole('link', { name: 'Exportar os contatos da agenda (CSV)' }).getAttribute('href');
    const exported = (await (await crm.page.request.get(exportHref!)).text()).split('\r\n');
    expect(exported[0]).toMatch(/^\ufeffnome;telefone1;telefone2;email;documento;/);
    expect(exported.filter((l) => l.startsWith('Maria Silva;5548999999999;;maria@example.com;'))).toHaveLength(1);
    // The history lists the import for whoever opens the screen later.
    const history = crm.page.getByRole('row').filter({ hasText: 'clientes.csv' });
    await expect.poll(() => history.first().textContent()).toContain('Concluída');
    expect(await seriousA11yViolations(crm.page)).toEqual([]);
    await screenshot(crm.page, 'contacts-import');
    expect(crm.problems).toEqual([]);
  });

  it('a contact found by any way of writing its phone shows its history on every channel, filtered by kind and period; an in-person attendance joins it; a ticket is opened and changed from it', async () => {
    const paula = await crm.manager.must<{ id: number }>('POST', '/api/v1/contacts', { name: 'Paula Reis', phones: [{ number: '31988881111' }] });
    const call = await crm.manager.must<{ id: number; protocol: string }>('POST', '/api/v1/interactions', { contactId: paula.id, kind: 'inbound', channel: 'voice', serviceName: 'SAC' });
    await crm.manager.must('POST', `/api/v1/interactions/${call.id}/finish`, { note: 'segunda via do boleto' });
    await open('/contacts');
    await crm.page.getByLabel('Telefone', { exact: true }).fill('(31) 9 8888-1111');
    await crm.page.getByRole('button', { name: 'Pesquisar' }).click();
    await expect.poll(() => crm.page.getByRole('row').count()).toBe(2);
    await crm.page.getByRole('link', { name: 'Paula Reis' }).click();
    await crm.page.getByRole('heading', { name: 'Paula Reis', level: 1 }).waitFor();
    const timeline = crm.page.getByRole('region', { name: 'Histórico' });
    const voice = timeline.getByRole('row').filter({ hasText: call.protocol });
    await voice.waitFor();
    expect(await voice.textContent()).toContain('segunda via do boleto');
    expect(await voice.textContent()).toContain('SAC');

    await crm.page.getByRole('button', { name: 'Atendimento presencial' }).click();
    const visit = await crm.dialog('Atendimento presencial');
    await visit.getByLabel('Serviço').fill('Loja Centro');
    await visit.getByLabel('Descrição').fill('Trocou o aparelho');
    await visit.getByRole('button', { name: 'Salvar' }).click();
    const inPerson = timeline.getByRole('row').filter({ hasText: 'Trocou o aparelho' });
    await inPerson.waitFor();
    expect(await inPerson.textContent()).toContain('Presencial');
    await expect.poll(() => timeline.getByRole('row').count()).toBe(3);
    // Filtered by kind (the in-person attendance is a "contact") and by period, on the server.
    await timeline.getByRole('combobox', { name: 'Tipo de atendimento' }).click();
    await crm.page.getByRole('option', { name: 'Contato', exact: true }).click();
    await expect.poll(() => timeline.getByRole('row').count()).toBe(2);
    expect(await timeline.getByRole('row').nth(1).textContent()).toContain('Trocou o aparelho');
    const today = Date.now();
    await timeline.getByLabel('De', { exact: true }).fill(browserClock(today + 86_400_000).date);
    await timeline.getByText('Nenhum atendimento.').waitFor();
    expect(new URL(crm.page.url()).searchParams.get('kind')).toBe('contact');
    // From today to today: the period's last day is included.
    await timeline.getByLabel('De', { exact: true }).fill(browserClock(today).date);
    await timeline.getByLabel('Até', { exact: true }).fill(browserClock(today).date);
    await timeline.getByLabel('Até', { exact: true }).press('Escape');
    await timeline.getByRole('row').filter({ hasText: 'Trocou o aparelho' }).waitFor();
    expect(new URL(crm.page.url()).searchParams.get('to')).not.toBeNull();
    await crm.page.goto(`/contacts/${paula.id}`);
    await expect.poll(() => timeline.getByRole('row').count()).toBe(3);

    // A ticket is opened from the contact (the only way when the tenant opens them on demand), then changed.
    await crm.manager.must('PUT', '/api/v1/crm/settings', { ticketMode: 'on_demand' });
    const tickets = crm.page.getByRole('region', { name: 'Tickets' });
    await crm.page.getByRole('button', { name: 'Novo ticket' }).click();
    const opening = await crm.dialog('Novo ticket');
    expect(await opening.getByRole('button', { name: 'Salvar' }).isDisabled()).toBe(true);
    await opening.getByLabel('Assunto').fill('Troca do aparelho em garantia');
    await opening.getByRole('button', { name: 'Salvar' }).click();
    await opening.waitFor({ state: 'hidden' });
    const ticket = tickets.getByRole('row').filter({ hasText: 'Troca do aparelho em garantia' });
    await ticket.waitFor();
    expect(await ticket.textContent()).toContain('Aberto');
    await ticket.getByRole('button', { name: 'Editar Troca do aparelho em garantia' }).click();
    const editing = await crm.dialog('Editar ticket');
    expect(await editing.getByLabel('Assunto').inputValue()).toBe('Troca do aparelho em garantia');
    await editing.getByRole('combobox', { name: 'Situação' }).click();
    await crm.page.getByRole('option', { name: 'Em andamento', exact: true }).click();
    await editing.getByRole('button', { name: 'Salvar' }).click();
    await editing.waitFor({ state: 'hidden' });
    await expect.poll(() => ticket.textContent()).toContain('Em andamento');
    const stored = await crm.manager.must<{ items: { subject: string; status: string; interactionId: number | null }[] }>('GET', `/api/v1/contacts/${paula.id}/tickets`);
    expect(stored.items.find((x) => x.subject === 'Troca do aparelho em garantia')).toMatchObject({ status: 'in_progress', interactionId: null });
    await crm.manager.must('PUT', '/api/v1/crm/settings', { ticketMode: 'every_interaction' });
    expect(await seriousA11yViolations(crm.page)).toEqual([]);
    await screenshot(crm.page, 'contact');
    expect(crm.problems).toEqual([]);
  });

  it('a running import cancelled from its progress is undone, and says why in the app’s language', async () => {
    await open('/contacts/imports');
    const rows = Array.from({ length: 150_000 }, (_, i) => `Cliente ${i};(11) 9${String(10_000_000 + i)}`);
    const big = ['nome;telefone', ...rows].join('\r\n');
    await crm.page.getByLabel('Arquivo CSV').setInputFiles({ name: 'grande.csv', mimeType: 'text/csv', buffer: Buffer.from(big, 'utf8') });
    await crm.page.getByRole('button', { name: 'Importar', exact: true }).click();
    const progress = crm.page.getByRole('region', { name: 'Progresso da importação' });
    await progress.getByRole('heading', { name: 'grande.csv' }).waitFor();
    await progress.getByRole('button', { name: 'Cancelar importação' }).click();
    await expect.poll(() => progress.getByRole('status').textContent(), { timeout: 30_000 }).toContain('Cancelada');
    // The reason comes from the event in English; the screen reads it again in its own language.
    await expect.poll(() => progress.locator('.field-error').textContent()).toBe('cancelada; nada deste arquivo foi mantido');
    const kept = await crm.manager.must<{ total: number }>('GET', '/api/v1/contacts?q=Cliente&limit=1');
    expect(kept.total).toBe(0);
    expect(crm.problems).toEqual([]);
  });

  it('a blacklist number that cannot be Brazilian is refused next to its field; fixed, it is listed; the list is searched and filtered, and links to the CSV import', async () => {
    await open('/contacts/blacklist');
    await crm.page.getByRole('button', { name: 'Novo número' }).click();
    const dialog = await crm.dialog('Novo número');
    await dialog.getByLabel('Número', { exact: true }).fill('123');
    await dialog.getByLabel('Motivo').fill('pediu para sair');
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await dialog.locator('[data-field="number"]').getByRole('alert').waitFor();
    expect(await dialog.getByLabel('Motivo').inputValue()).toBe('pediu para sair');
    await dialog.getByLabel('Número', { exact: true }).fill('(11) 98765-4321');
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = crm.page.getByRole('row').filter({ hasText: '5511987654321' });
    await row.waitFor();
    expect(await row.textContent()).toContain('Ativo (nunca discar)');
    const check = await crm.manager.must<{ blacklisted: boolean }>('GET', '/api/v1/blacklist/check?number=11987654321&direction=outbound');
    expect(check.blacklisted).toBe(true);

    // The list is searched by number or reason and filtered by direction; numbers come in from a CSV through the import screen.
    await crm.manager.must('POST', '/api/v1/blacklist', { direction: 'inbound', number: '(21) 3456-7890', reason: 'trote' });
    await crm.page.reload();
    await crm.page.getByRole('row').filter({ hasText: '552134567890' }).waitFor();
    await crm.page.getByLabel('Número ou motivo').fill('trote');
    await crm.page.getByRole('button', { name: 'Pesquisar' }).click();
    await expect.poll(() => crm.page.getByRole('row').filter({ hasText: '5511987654321' }).count()).toBe(0);
    expect(await crm.page.getByRole('row').filter({ hasText: '552134567890' }).count()).toBe(1);
    await crm.page.getByRole('button', { name: 'Limpar filtros' }).click();
    await crm.page.getByRole('row').filter({ hasText: '5511987654321' }).waitFor();
    await crm.page.getByRole('combobox', { name: 'Sentido' }).click();
    await crm.page.getByRole('option', { name: 'Ativo (nunca discar)' }).click();
    await crm.page.getByRole('button', { name: 'Pesquisar' }).click();
    await expect.poll(() => crm.page.getByRole('row').filter({ hasText: '552134567890' }).count()).toBe(0);
    expect(new URL(crm.page.url()).searchParams.get('direction')).toBe('outbound');
    expect(await seriousA11yViolations(crm.page)).toEqual([]);
    await crm.page.getByRole('link', { name: 'Importar números de um arquivo CSV' }).click();
    await crm.page.getByRole('heading', { name: 'Importação de contatos', level: 1 }).waitFor();
    expect(await crm.page.getByRole('combobox', { name: 'Importar para' }).textContent()).toContain('Blacklist');
    expect(await seriousA11yViolations(crm.page)).toEqual([]);
    expect(crm.problems).toEqual([]);
  });

  it('a status that marks the contact do-not-call is created in its group and listed with its action; the protocol switch is saved', async () => {
    await crm.manager.must('POST', '/api/v1/tabulations/groups', { name: 'Cobrança' });
    await open('/contacts/statuses');
    await crm.page.getByRole('button', { name: 'Novo status' }).click();
    const dialog = await crm.dialog('Novo status');
    await dialog.getByRole('combobox', { name: 'Grupo' }).click();
    await crm.page.getByRole('option', { name: 'Cobrança' }).click();
    await dialog.getByLabel('Nome', { exact: true }).fill('Não ligar mais');
    await dialog.getByLabel('Marcar contato como não ligar').check();
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = crm.page.getByRole('row').filter({ hasText: 'Não ligar mais' });
    await row.waitFor();
    expect(await row.textContent()).toContain('Marcar contato como não ligar');
    expect(await row.textContent()).toContain('Cobrança');
    // The tenant-wide switch: the external protocol on every finish.
    await crm.page.getByLabel('Exigir protocolo externo em toda finalização').check();
    await expect.poll(async () => (await crm.manager.must<{ requireProtocol: boolean }>('GET', '/api/v1/crm/settings')).requireProtocol).toBe(true);
    expect(await seriousA11yViolations(crm.page)).toEqual([]);
    expect(crm.problems).toEqual([]);
  });

  it('a custom field defined on its screen appears in the contact form; a value that breaks its mask is refused next to it', async () => {
    await open('/contacts/fields');
    await crm.page.getByRole('button', { name: 'Novo campo' }).click();
    const def = await crm.dialog('Novo campo');
    await def.getByLabel('Rótulo').fill('CEP de cobrança');
    await def.getByLabel('Chave').fill('cep_cobranca');
    await def.getByLabel('Máscara').fill('99999-999');
    await def.getByRole('button', { name: 'Salvar' }).click();
    await def.waitFor({ state: 'hidden' });
    await crm.page.getByRole('row').filter({ hasText: 'cep_cobranca' }).waitFor();

    await crm.page.goto('/contacts');
    await crm.page.getByRole('button', { name: 'Novo contato' }).click();
    const dialog = await crm.dialog('Novo contato');
    await dialog.getByLabel('Nome', { exact: true }).fill('Carla Dias');
    await dialog.getByLabel('Telefone 1', { exact: true }).fill('(21) 99876-5432');
    await dialog.getByLabel('CEP de cobrança').fill('abc');
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    const refused = dialog.locator('[data-field="custom.cep_cobranca"]').getByRole('alert');
    await refused.waitFor();
    // The server's reason in Portuguese, the field's label as the admin wrote it.
    expect(await refused.textContent()).toContain('"CEP de cobrança" não segue a máscara 99999-999');
    expect(await dialog.getByLabel('Telefone 1', { exact: true }).inputValue()).toBe('(21) 99876-5432');
    await dialog.getByLabel('CEP de cobrança').fill('20040020');
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await crm.page.getByRole('link', { name: 'Carla Dias' }).click();
    await crm.page.getByRole('heading', { name: 'Carla Dias', level: 1 }).waitFor();
    const data = crm.page.getByRole('region', { name: 'Dados' });
    await expect.poll(() => data.textContent()).toContain('20040-020');
    expect(await crm.page.getByRole('region', { name: 'Telefones' }).textContent()).toContain('+55 (21) 99876-5432');
    expect(await seriousA11yViolations(crm.page)).toEqual([]);
    expect(crm.problems).toEqual([]);
  });

  it('a contact is created in the book chosen for it, and the list filtered by book shows only that book\'s', async () => {
    await crm.manager.must('POST', '/api/v1/crm/books', { name: 'Carteira Sul' });
    await crm.manager.must('POST', '/api/v1/contacts', { name: 'Fora da Carteira', phones: [{ number: '51 99911-0001' }] });
    await open('/contacts');
    await crm.page.getByRole('button', { name: 'Novo contato' }).click();
    const dialog = await crm.dialog('Novo contato');
    await dialog.getByRole('combobox', { name: 'Agenda', exact: true }).click();
    await crm.page.getByRole('option', { name: 'Carteira Sul', exact: true }).click();
    await dialog.getByLabel('Nome', { exact: true }).fill('Cliente do Sul');
    await dialog.getByLabel('Telefone 1', { exact: true }).fill('(51) 99911-0002');
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await dialog.waitFor({ state: 'hidden' });

    await crm.page.getByRole('combobox', { name: 'Agenda', exact: true }).click();
    await crm.page.getByRole('option', { name: 'Carteira Sul', exact: true }).click();
    await crm.page.getByRole('search').getByRole('button', { name: 'Pesquisar' }).click();
    const rows = crm.page.getByRole('row').filter({ has: crm.page.getByRole('link') });
    await expect.poll(() => rows.allTextContents()).toEqual([expect.stringContaining('Cliente do Sul')]);
    expect(await rows.first().textContent()).toContain('Carteira Sul');
    expect(await seriousA11yViolations(crm.page)).toEqual([]);
    expect(crm.problems).toEqual([]);
  });

  it('the contact list is filtered by tag, owner agent, do-not-call and active', async () => {
    const gold = await crm.manager.must<{ id: number }>('POST', '/api/v1/tabulations/tags', { title: 'Ouro', colour: '#c9a400', kinds: ['inbound'] });
    const owner = await crm.manager.must<{ id: number }>('POST', '/api/v1/users', { name: 'Otávio Carteira', login: 'otavio.carteira', level: 'agent', password: 'senha-do-agente-1', passwordChangeRequired: false });
    const make = (name: string, extra: Record<string, unknown>) => crm.manager.must('POST', '/api/v1/contacts', { name: `Filtro ${name}`, phones: [{ number: '61 99911-0000' }], ...extra });
    await make('Ouro', { tagIds: [gold.id] });
    await make('Carteira', { ownerUserId: owner.id });
    await make('Não Ligar', { doNotCall: true });
    await make('Inativo', { active: false });
    await open('/contacts');
    const rows = crm.page.getByRole('row').filter({ has: crm.page.getByRole('link') });
    const search = async () => {
      await crm.page.getByLabel('Nome', { exact: true }).fill('Filtro');
      await crm.page.getByRole('search').getByRole('button', { name: 'Pesquisar' }).click();
    };
    const pick = async (filter: string, option: string) => {
      await crm.page.getByRole('search').getByRole('button', { name: 'Limpar filtros' }).click();
      // The list picked from before may still be closing, with its own 'Sim' and 'Não'.
      await chooseOption(crm.page, crm.page.getByRole('combobox', { name: filter, exact: true }), option);
      await search();
    };
    const names = () => rows.evaluateAll((rs) => rs.map((r) => r.querySelector('a')?.textContent?.trim()).sort());
    await search();
    await expect.poll(names).toEqual(['Filtro Carteira', 'Filtro Inativo', 'Filtro Não Ligar', 'Filtro Ouro']);
    await pick('Tag', 'Ouro');
    await expect.poll(names).toEqual(['Filtro Ouro']);
    await pick('Agente responsável (carteira)', 'Otávio Carteira');
    await expect.poll(names).toEqual(['Filtro Carteira']);
    await pick('Não ligar', 'Sim');
    await expect.poll(names).toEqual(['Filtro Não Ligar']);
    await pick('Ativo', 'Não');
    await expect.poll(names).toEqual(['Filtro Inativo']);
    await pick('Ativo', 'Sim');
    await expect.poll(names).toEqual(['Filtro Carteira', 'Filtro Não Ligar', 'Filtro Ouro']);
    expect(await seriousA11yViolations(crm.page)).toEqual([]);
    expect(crm.problems).toEqual([]);
  });

  it("a contact's address, owner agent, tags, do-not-call flag and a phone's type and do-not-call mark are edited on its page; a CEP that is not one is refused next to it", async () => {
    const vip = await crm.manager.must<{ id: number }>('POST', '/api/v1/tabulations/tags', { title: 'VIP', colour: '#aa0000', kinds: ['inbound'] });
    const made = await crm.manager.must<{ id: number }>('POST', '/api/v1/contacts', { name: 'Rosa Lima', phones: [{ number: '48 99911-2233' }] });
    await open(`/contacts/${made.id}`);
    await crm.page.getByRole('heading', { name: 'Rosa Lima', level: 1 }).waitFor();
    await crm.page.getByRole('button', { name: 'Editar' }).click();
    const dialog = await crm.dialog('Editar contato');
    await dialog.getByLabel('Logradouro').fill('Rua das Flores');
    await dialog.getByLabel('Número', { exact: true }).fill('100');
    await dialog.getByLabel('Bairro').fill('Centro');
    await dialog.getByLabel('Cidade').fill('Florianópolis');
    await dialog.getByLabel('UF').fill('SC');
    await dialog.getByLabel('CEP', { exact: true }).fill('8801');
    await dialog.getByRole('combobox', { name: 'Agente responsável (carteira)', exact: true }).click();
    await crm.page.getByRole('option', { name: 'Gerente Azul', exact: true }).click();
    const tagSelect = dialog.locator('[data-field="tagIds"] [data-pc-name="multiselect"]');
    await tagSelect.click();
    await crm.page.getByRole('option', { name: 'VIP' }).click();
    // Closed by its own trigger: an Escape that reaches the dialog first would close the dialog.
    await tagSelect.click();
    await crm.page.getByRole('listbox').waitFor({ state: 'hidden' });
    await dialog.getByLabel('Não ligar para este contato').check();
    await dialog.getByRole('combobox', { name: 'Tipo do telefone 1' }).click();
    await crm.page.getByRole('option', { name: 'Comercial' }).click();
    await dialog.getByLabel('Não ligar para o telefone 1').check();
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await dialog.locator('[data-field="postalCode"]').getByRole('alert').waitFor();
    expect(await dialog.getByLabel('Logradouro').inputValue()).toBe('Rua das Flores');
    await dialog.getByLabel('CEP', { exact: true }).fill('88010000');
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const data = crm.page.getByRole('region', { name: 'Dados' });
    await expect.poll(() => data.textContent()).toContain('Rua das Flores, 100 — Centro — Florianópolis / SC — 88010-000');
    const text = await data.textContent();
    expect(text).toContain('Gerente Azul');
    expect(text).toContain('VIP');
    expect(text).toContain('Não ligar');
    const phones = crm.page.getByRole('region', { name: 'Telefones' }).getByRole('row').filter({ hasText: '+55 (48) 99911-2233' });
    expect(await phones.textContent()).toMatch(/Celular · Comercial.*Não ligar/);
    const saved = await crm.manager.must<{ doNotCall: boolean; ownerName: string; tagIds: number[]; postalCode: string; active: boolean; phones: object[] }>('GET', `/api/v1/contacts/${made.id}`);
    expect(saved).toMatchObject({ doNotCall: true, ownerName: 'Gerente Azul', postalCode: '88010-000', active: true, phones: [{ number: '5548999112233', label: 'work', doNotCall: true, valid: true }] });
    expect(saved.tagIds).toEqual([vip.id]);
    expect(await seriousA11yViolations(crm.page)).toEqual([]);
    expect(crm.problems).toEqual([]);
    // The tenant's tags are counted by the next test.
    await crm.manager.must('DELETE', `/api/v1/contacts/${made.id}`);
    await crm.manager.must('DELETE', `/api/v1/tabulations/tags/${vip.id}`);
  });

  it("a duplicate found by its phone is merged into the contact on the contact's page: its phone joins, it is gone", async () => {
    const keep = await crm.manager.must<{ id: number }>('POST', '/api/v1/contacts', { name: 'Helena Prado', phones: [{ number: '31 98888-1001' }] });
    const dup = await crm.manager.must<{ id: number }>('POST', '/api/v1/contacts', { name: 'Helena P.', phones: [{ number: '31 3222-1002' }] });
    await open(`/contacts/${keep.id}`);
    await crm.page.getByRole('heading', { name: 'Helena Prado', level: 1 }).waitFor();
    await crm.page.getByRole('button', { name: 'Juntar duplicado' }).click();
    const picker = await crm.dialog('Juntar um duplicado a este contato');
    await picker.getByLabel('Nome ou telefone do duplicado').fill('(31) 3222-1002');
    await picker.getByRole('button', { name: 'Pesquisar' }).click();
    await picker.getByRole('button', { name: 'Juntar Helena P.' }).click();
    await crm.page.getByRole('alertdialog').getByRole('button', { name: 'Juntar duplicado' }).click();
    await picker.getByText('Pesquise o duplicado pelo nome ou telefone.').waitFor();
    await crm.page.keyboard.press('Escape');
    await expect.poll(() => crm.page.getByRole('region', { name: 'Telefones' }).textContent()).toContain('+55 (31) 3222-1002');
    expect((await crm.manager.call('GET', `/api/v1/contacts/${dup.id}`)).status).toBe(404);
    expect(crm.problems).toEqual([]);
  });

  it("on the desk, an unknown caller becomes a contact in the book its service names, and another is linked to a contact found by name, its number added to the contact's phones unless unticked", async () => {
    const book = await crm.manager.must<{ id: number }>('POST', '/api/v1/crm/books', { name: 'Clientes SAC' });
    const queue = await crm.manager.must<{ id: number }>('POST', '/api/v1/queues', { number: '730', name: 'SAC', contactBookId: book.id });
    const paulo = await crm.manager.must<{ id: number }>('POST', '/api/v1/contacts', { name: 'Paulo Vínculo', phones: [{ number: '11 97777-0001' }] });
    const unknown = (address: string) => crm.manager.must<{ id: number }>('POST', '/api/v1/interactions', { address, kind: 'inbound', channel: 'voice', serviceId: queue.id });
    const first = await unknown('11 3333-4444');
    const second = await unknown('11 3333-5555');
    const third = await unknown('11 3333-6666');
    await open('/desk');
    const work = crm.page.getByTestId('open-interactions');
    const pop = crm.page.getByTestId('interaction-pop');

    await work.getByRole('listitem').filter({ hasText: '551133334444' }).getByRole('button').click();
    await pop.getByText('Nenhum contato vinculado a este atendimento.').waitFor();
    await pop.getByRole('button', { name: 'Criar contato' }).click();
    const dialog = await crm.dialog('Criar contato');
    expect(await dialog.getByLabel('Telefone 1', { exact: true }).inputValue()).toBe('551133334444');
    await dialog.getByLabel('Nome', { exact: true }).fill('Cliente do SAC');
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await pop.getByRole('heading', { name: 'Cliente do SAC', level: 3 }).waitFor();
    const made = await crm.manager.must<{ contactId: number }>('GET', `/api/v1/interactions/${first.id}`);
    expect(await crm.manager.must<{ bookId: number }>('GET', `/api/v1/contacts/${made.contactId}`)).toMatchObject({ bookId: book.id });

    await work.getByRole('listitem').filter({ hasText: '551133335555' }).getByRole('button').click();
    await pop.getByRole('button', { name: 'Vincular a um contato' }).click();
    const picker = await crm.dialog('Vincular a um contato');
    // The caller's number joins the contact's phones (ticked by default), so that its next call pops it.
    expect(await picker.getByLabel('Adicionar 551133335555 ao contato').isChecked()).toBe(true);
    await picker.getByLabel('Nome ou telefone do contato').fill('paulo vinculo');
    await picker.getByRole('button', { name: 'Pesquisar' }).click();
    await picker.getByRole('button', { name: 'Vincular Paulo Vínculo' }).click();
    await picker.waitFor({ state: 'hidden' });
    await pop.getByRole('heading', { name: 'Paulo Vínculo', level: 3 }).waitFor();
    expect(await crm.manager.must<{ contactId: number }>('GET', `/api/v1/interactions/${second.id}`)).toMatchObject({ contactId: paulo.id });
    const phonesOf = async (id: number) => (await crm.manager.must<{ phones: { number: string }[] }>('GET', `/api/v1/contacts/${id}`)).phones.map((p) => p.number);
    expect(await phonesOf(paulo.id)).toEqual(['5511977770001', '551133335555']);

    // Unticked, the contact is linked and its phones stay as they were.
    await work.getByRole('listitem').filter({ hasText: '551133336666' }).getByRole('button').click();
    await pop.getByRole('button', { name: 'Vincular a um contato' }).click();
    const again = await crm.dialog('Vincular a um contato');
    await again.getByLabel('Adicionar 551133336666 ao contato').uncheck();
    await again.getByLabel('Nome ou telefone do contato').fill('(11) 97777-0001');
    await again.getByRole('button', { name: 'Pesquisar' }).click();
    await again.getByRole('button', { name: 'Vincular Paulo Vínculo' }).click();
    await again.waitFor({ state: 'hidden' });
    expect(await crm.manager.must<{ contactId: number }>('GET', `/api/v1/interactions/${third.id}`)).toMatchObject({ contactId: paulo.id });
    expect(await phonesOf(paulo.id)).toEqual(['5511977770001', '551133335555']);
    expect(await seriousA11yViolations(crm.page)).toEqual([]);
    expect(crm.problems).toEqual([]);
  });

  it("on the desk, finishing an interaction shows the CRM form: the contact's fields as it has them, the interaction's to fill, required ones before finishing", async () => {
    await crm.manager.must('POST', '/api/v1/crm/fields', { scope: 'interaction', key: 'motivo', label: 'Motivo do contato', type: 'select', options: ['Dúvida', 'Reclamação'] });
    await crm.manager.must('POST', '/api/v1/crm/forms', {
      name: 'Atendimento padrão',
      isDefault: true,
      items: [{ source: 'contact', key: 'document' }, { source: 'interaction', key: 'motivo', required: true }],
    });
    const lia = await crm.manager.must<{ id: number }>('POST', '/api/v1/contacts', { name: 'Lia Formulário', document: '529.982.247-25', phones: [{ number: '11 97777-0002' }] });
    const ix = await crm.manager.must<{ id: number }>('POST', '/api/v1/interactions', { contactId: lia.id, address: '11977770002', kind: 'manual', channel: 'voice' });
    await open('/desk');
    await crm.page.getByTestId('open-interactions').getByRole('listitem').filter({ hasText: 'Lia Formulário' }).getByRole('button').click();
    await crm.page.getByTestId('interaction-pop').getByRole('button', { name: 'Finalizar' }).click();
    const dialog = await crm.dialog(`Finalizar atendimento ${(await crm.manager.must<{ protocol: string }>('GET', `/api/v1/interactions/${ix.id}`)).protocol}`);
    await dialog.getByRole('heading', { name: 'Atendimento padrão' }).waitFor();
    expect(await dialog.locator('[data-field="contact.document"]').textContent()).toContain('52998224725');
    const finish = dialog.getByRole('button', { name: 'Finalizar' });
    // An earlier test made the external protocol required on every finish of this tenant.
    await dialog.getByLabel('Protocolo externo').fill('EXT-1');
    expect(await finish.isDisabled(), 'the required form field is empty').toBe(true);
    await dialog.getByRole('combobox', { name: 'Motivo do contato' }).click();
    await crm.page.getByRole('option', { name: 'Dúvida' }).click();
    await finish.click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await crm.manager.must('GET', `/api/v1/interactions/${ix.id}`)).toMatchObject({ state: 'finished', formValues: { motivo: 'Dúvida' } });
    expect(await seriousA11yViolations(crm.page)).toEqual([]);
    expect(crm.problems).toEqual([]);
  });

  it('deleting a macro tag asks again to take its child tags along; both are gone after', async () => {
    const macro = await crm.manager.must<{ id: number }>('POST', '/api/v1/tabulations/tags', { title: 'Vendas', colour: '#00aa00', kinds: ['inbound'] });
    await crm.manager.must('POST', '/api/v1/tabulations/tags', { title: 'Upgrade', colour: '#00aa00', kinds: ['inbound'], parentId: macro.id });
    await open('/contacts/tags');
    await crm.page.getByRole('row').filter({ hasText: 'Vendas › Upgrade' }).waitFor();
    await crm.page.getByRole('button', { name: 'Excluir Vendas', exact: true }).click();
    await crm.page.getByRole('alertdialog').getByRole('button', { name: 'Excluir' }).click();
    const again = crm.page.getByRole('alertdialog');
    await expect.poll(() => again.textContent()).toContain('Upgrade');
    await again.getByRole('button', { name: 'Excluir' }).click();
    await expect.poll(() => crm.page.getByRole('row').filter({ hasText: 'Vendas' }).count()).toBe(0);
    const left = await crm.manager.must<{ items: { title: string }[] }>('GET', '/api/v1/tabulations/tags');
    expect(left.items.map((g) => g.title).filter((title) => title === 'Vendas' || title === 'Upgrade')).toEqual([]);
    expect(crm.problems).toEqual([]);
  });
});
