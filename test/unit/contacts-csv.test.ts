import { describe, expect, it } from 'vitest';
import { CsvRecords, MAX_RECORD_CHARS } from '../../src/contacts/import/csv.logic.js';

type Out = [line: number, values: string[]] | [line: number, error: string];

/** Feeds `text` in pieces cut at `cuts` and returns records and errors in the order they came. */
function read(text: string, cuts: number[] = [], delimiter = ';'): Out[] {
  const out: Out[] = [];
  const records = new CsvRecords(
    delimiter,
    (values, line) => out.push([line, values]),
    (line, message) => out.push([line, `error: ${message}`]),
  );
  let at = 0;
  for (const cut of [...cuts, text.length]) {
    records.push(text.slice(at, cut));
    at = cut;
  }
  records.end();
  return out;
}

const FILE = [
  '\ufeffnome;telefone;cidade',
  'Ana;11987654321;São Paulo',
  '',
  '"Souza; Beto";"(21) 97777-0000";"Rio de',
  'Janeiro"',
  'Carla;1198765"4321;x',
  'Davi;"11 ""3456"" 7890";',
  '"Eva" ;11987654322;',
  'Fábio;11987654323;Natal',
  '',
].join('\n');

const EXPECTED: Out[] = [
  [2, ['Ana', '11987654321', 'São Paulo']],
  [4, ['Souza; Beto', '(21) 97777-0000', 'Rio de\nJaneiro']],
  [6, 'error: a quote inside value 2, which does not start with one (inside a quoted value, a quote is written "")'],
  [7, ['Davi', '11 "3456" 7890', '']],
  [8, 'error: " " after the closing quote of value 1, where the separator or the end of the line should be'],
  [9, ['Fábio', '11987654323', 'Natal']],
];

describe('CSV records as the importer reads them', () => {
  it('splits records, skipping the header and empty lines, each at the line where it starts; a stray quote makes its record unreadable', () => {
    expect(read(FILE)).toEqual(EXPECTED);
  });

  it('reads the same whatever pieces the text arrives in', () => {
    for (let cut = 1; cut < FILE.length; cut++) expect(read(FILE, [cut]), `cut at ${cut}`).toEqual(EXPECTED);
    const everyChar = Array.from({ length: FILE.length - 1 }, (_, i) => i + 1);
    expect(read(FILE, everyChar)).toEqual(EXPECTED);
  });

  it('a quoted value left open is reported at its line and reading goes on at the next line', () => {
    expect(read('nome;telefone\nA;1\n"B;2\nC;3')).toEqual([
      [2, ['A', '1']],
      [3, 'error: a quoted value (value 1) is not closed'],
      [4, ['C', '3']],
    ]);
    // Within a file, a record may not grow past MAX_RECORD_CHARS waiting for its closing quote.
    const long = `nome;obs\nA;"${'x\n'.repeat(MAX_RECORD_CHARS / 2 + 10)}`;
    const cuts = Array.from({ length: Math.floor(long.length / 65536) }, (_, i) => (i + 1) * 65536);
    const out = read(long, cuts);
    expect(out[0]).toEqual([2, 'error: a quoted value (value 2) is not closed']);
    expect(out.slice(1).every(([, v]) => Array.isArray(v) && v.length === 1 && v[0] === 'x')).toBe(true);
  });

  it('takes the separator it is given; a last line without a line break is read', () => {
    expect(read('nome,telefone\n"Silva, Ana",11987654321\nB,2', [], ',')).toEqual([
      [2, ['Silva, Ana', '11987654321']],
      [3, ['B', '2']],
    ]);
  });
});
