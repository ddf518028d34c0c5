import { describe, expect, it } from 'vitest';
import { neutraliseFormula, tableCsv } from './csv.js';

describe('CSV of a Result table', () => {
  it('puts an apostrophe before text that starts like a formula (= + - @ tab CR), and only there', () => {
    for (const bad of ['=1+1', '+SUM(A1)', '-2+3', '@cmd', '\tx', '\rx', '=HYPERLINK("http://evil.example")']) expect(neutraliseFormula(bad)).toBe(`'${bad}`);
    for (const fine of ['retail', 'a=b', ' =x', '', "'quoted", '1-2']) expect(neutraliseFormula(fine)).toBe(fine);
  });

  it('writes a header, quotes per RFC 4180, neutralises text cells and the header, keeps numbers as numbers', () => {
    const csv = tableCsv({
      name: 'levels',
      columns: [
        { name: 'plan', type: 'string', unit: null },
        { name: 'n', type: 'integer', unit: 'count' },
        { name: 'change', type: 'number', unit: 'USD' },
        { name: 'ok', type: 'boolean', unit: null },
        { name: '=evil', type: 'string', unit: null },
      ],
      rows: [
        ['=HYPERLINK("http://evil.example")', 3, -1.5, true, null],
        ['a, "b"\nc', 0, 2, false, '@x'],
        ['-pro', null, null, null, 'plain'],
      ],
    });
    expect(csv).toBe(
      [`plan,n,change,ok,'=evil`, `"'=HYPERLINK(""http://evil.example"")",3,-1.5,true,`, `"a, ""b""\nc",0,2,false,'@x`, `'-pro,,,,plain`, ''].join('\r\n'),
    );
  });
});
