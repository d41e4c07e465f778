/**
 * Prompts in a real browser: an admin uploads an MP3 (the progress bar shows while it goes),
 * the list shows it with its duration, and the audio player plays it; a file that is not audio
 * is refused next to the file field; a prompt made from typed text (pt-BR speech) is listed and
 * plays; deleting asks first, and a prompt still in use says who uses it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { MP3, makeTone } from '../helpers/audio.js';
import { keepFailure, launchBrowser, logIn, newContext, openedDialog, seriousA11yViolations, startAtende, watchProblems, type Atende } from './harness.js';

/** The part of an `<audio>` element the test drives (the test itself runs without the DOM types). */
type Audio = { play(): Promise<void>; pause(): void; currentTime: number; duration: number };

const PASSWORD = 'admin-browser-prompts-1';
let atende: Atende;
let browser: Browser;
let page: Page;
let problems: string[];
let fixtures: string;

beforeAll(async () => {
  fixtures = mkdtempSync(join(tmpdir(), 'atende-browser-prompts-'));
  await makeTone(join(fixtures, 'saudacao.mp3'), { durationS: 3, codec: MP3 });
  atende = await startAtende({ ATENDE_ADMIN_PASSWORD: PASSWORD });
  browser = await launchBrowser();
  page = await (await newContext(browser, atende)).newPage();
  problems = watchProblems(page, [/WebSocket connection to .* failed/]);
  await logIn(page, 'admin', PASSWORD);
  await page.getByRole('navigation', { name: 'Navegação' }).waitFor();
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') await keepFailure(page, ctx.task.name);
});

afterAll(async () => {
  await browser?.close();
  await atende?.close();
  rmSync(fixtures, { recursive: true, force: true });
});

describe('prompts', () => {
  it('an admin uploads an MP3 and plays it in the list', async () => {
    await page.getByRole('navigation', { name: 'Navegação' }).getByRole('link', { name: 'Áudios' }).click();
    await page.getByRole('heading', { name: 'Áudios', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Novo áudio' }).click();
    const dialog = await openedDialog(page, 'Novo áudio');
    await dialog.getByLabel('Nome').fill('Saudação');
    await dialog.getByLabel('Arquivo de áudio').setInputFiles(join(fixtures, 'saudacao.mp3'));
    expect(await seriousA11yViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const row = page.getByRole('row').filter({ hasText: 'Saudação' });
    await row.getByText('0:03').waitFor();
    await expect.poll(() => row.textContent()).toContain('Arquivo MP3');

    const player = row.getByLabel('Ouvir Saudação');
    await player.evaluate((a: Audio) => a.play());
    await expect.poll(() => player.evaluate((a: Audio) => a.currentTime), { timeout: 10_000 }).toBeGreaterThan(0.2);
    const seconds = await player.evaluate((a: Audio) => a.duration);
    expect(Math.abs(seconds - 3)).toBeLessThan(0.05);
    await player.evaluate((a: Audio) => a.pause());
    expect(problems).toEqual([]);
  });

  it('a text file named .mp3 is refused with the reason next to the file field', async () => {
    const fake = join(fixtures, 'ramais.mp3');
    writeFileSync(fake, 'Lista de ramais\n2001 Recepção\n');
    await page.getByRole('button', { name: 'Novo áudio' }).click();
    const dialog = await openedDialog(page, 'Novo áudio');
    await dialog.getByLabel('Nome').fill('Ramais');
    await dialog.getByLabel('Arquivo de áudio').setInputFiles(fake);
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await dialog.getByRole('alert').filter({ hasText: /não é um áudio WAV, MP3 ou OGG/ }).waitFor();
    await dialog.getByRole('button', { name: 'Cancelar' }).click();
  });

  it('a prompt made from typed text is spoken, listed and plays', async () => {
    await page.getByRole('button', { name: 'Novo áudio' }).click();
    const dialog = await openedDialog(page, 'Novo áudio');
    await dialog.getByLabel('Nome').fill('Fora do horário');
    await dialog.getByLabel('Texto para fala').check();
    const save = dialog.getByRole('button', { name: 'Salvar' });
    expect(await save.isDisabled()).toBe(true);
    await dialog.getByLabel('Texto', { exact: true }).fill('Nosso horário de atendimento é de segunda a sexta, das oito às dezoito horas.');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await save.click();
    await dialog.waitFor({ state: 'hidden', timeout: 60_000 });

    const row = page.getByRole('row').filter({ hasText: 'Fora do horário' });
    await row.waitFor();
    expect(await row.textContent()).toContain('Texto para fala');
    const player = row.getByLabel('Ouvir Fora do horário');
    await player.evaluate((a: Audio) => a.play());
    await expect.poll(() => player.evaluate((a: Audio) => a.currentTime), { timeout: 10_000 }).toBeGreaterThan(0.2);
    // About five seconds of speech, as the list says.
    expect(await player.evaluate((a: Audio) => a.duration)).toBeGreaterThan(3);
    await player.evaluate((a: Audio) => a.pause());
    expect(problems).toEqual([]);
  });

  it('deleting asks first; a prompt still in use is kept and the dialog names who uses it', async () => {
    const row = page.getByRole('row').filter({ hasText: 'Fora do horário' });
    // Nothing can point at a prompt yet (IVRs and announcements come later): the server's
    // refusal for a prompt in use is answered here in the shape the resource service gives it.
    await page.route('**/api/v1/telephony/prompts/*', (route) =>
      route.request().method() === 'DELETE'
        ? route.fulfill({
            status: 409,
            contentType: 'application/json',
            body: JSON.stringify({
              error: { code: 'conflict', message: 'the prompt is in use by ivr URA principal; change those first', details: { field: 'id', referrers: [{ entity: 'ivr', id: 7, name: 'URA principal' }] } },
            }),
          })
        : route.fallback(),
    );
    await row.getByRole('button', { name: 'Excluir Fora do horário' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Excluir' }).click();
    const inUse = await openedDialog(page, 'Áudio em uso');
    await inUse.getByText('URA: URA principal').waitFor();
    await inUse.getByRole('button', { name: 'Fechar' }).last().click();
    await inUse.waitFor({ state: 'hidden' });
    await page.unroute('**/api/v1/telephony/prompts/*');
    expect(await row.count()).toBe(1);

    // Cancelled, nothing goes; confirmed, the row goes.
    await row.getByRole('button', { name: 'Excluir Fora do horário' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Cancelar' }).click();
    expect(await row.count()).toBe(1);
    await row.getByRole('button', { name: 'Excluir Fora do horário' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Excluir' }).click();
    await row.waitFor({ state: 'detached' });
    await page.reload();
    await page.getByRole('row').filter({ hasText: 'Saudação' }).waitFor();
    expect(await page.getByRole('row').filter({ hasText: 'Fora do horário' }).count()).toBe(0);
  });
});
