import { pdfText } from '../../test/helpers/permits';
import { PDFDocument } from 'pdf-lib';
import { directionRuns, drawable, drawableWith, embedUnicodeFonts, lineWidth, PLACEHOLDER, wrapText } from './pdf-text';
import { permitPdf } from './permit-pdf';
import { letterPdf, type LetterRow } from './letters';

/** A font that has every character but emoji (U+1F000 and up) and variation selectors. */
const noEmoji = (codePoint: number) => codePoint < 0x1f000 && (codePoint < 0xfe00 || codePoint > 0xfe0f);

describe('drawable text', () => {
  it('keeps Polish, Turkish, Romanian, Vietnamese and Arabic names as they are, composed (NFC)', () => {
    for (const name of ['Łucja Wąsowska', 'Şükrü Yılmaz', 'Ștefan Țurcanu', 'Nguyễn Thị Lan', 'محمد علي']) {
      expect(drawableWith(name, noEmoji)).toBe(name);
    }
    expect(drawableWith('Nguye\u0302\u0303n', noEmoji)).toBe('Nguyễn');
  });

  it('replaces a character no font has by one visible placeholder per character seen, and lays controls flat', () => {
    expect(drawableWith('refus ≥ 3 → 🫶', noEmoji)).toBe(`refus ≥ 3 → ${PLACEHOLDER}`);
    // A family emoji is one character for the reader: one placeholder, its joiners and variation selectors gone with it.
    expect(drawableWith('a 👨‍👩‍👧 b ❤️ c', noEmoji)).toBe(`a ${PLACEHOLDER} b ❤ c`);
    expect(drawableWith('une\tligne\r\nla suivante', noEmoji)).toBe('une ligne  la suivante');
  });
});

describe('right-to-left names on a French page', () => {
  it('cuts a line into runs of one direction, spaces between two Arabic words in the Arabic run', () => {
    expect(directionRuns('Visite : محمد علي Haddad (écrou 42)')).toEqual([
      { rtl: false, text: 'Visite : ' },
      { rtl: true, text: 'محمد علي' },
      { rtl: false, text: ' Haddad (écrou 42)' },
    ]);
    expect(directionRuns('Łucja')).toEqual([{ rtl: false, text: 'Łucja' }]);
    expect(directionRuns('« علي » , 12')).toEqual([
      { rtl: false, text: '« ' },
      { rtl: true, text: 'علي' },
      { rtl: false, text: ' » , 12' },
    ]);
  });
});

describe('wrapped paragraphs', () => {
  it('fill each line with as many words as fit, measured as the whole line is: Latin, Vietnamese, Arabic and ligatures, scripts mixed in a run', async () => {
    const { regular } = await embedUnicodeFonts(await PDFDocument.create());
    const paragraph =
      'La demande de Łucja Nguyễn-Şahin pour rendre visite à محمد علي بن يوسف a été reçue ; office, affiche et efficace ' +
      'gardent leurs ligatures. Ștefan Țurcanu et Şükrü Yılmaz « accompagnent » عائشة الزهراء le 14 décembre 2026.';
    // fontkit shapes a run in the first script it meets: French ligatures after a Cyrillic name are not
    // made, Arabic after Hebrew is not joined; a line is measured whole, not as the sum of its words.
    const mixed =
      'Иван Петров office affiche efficace suffit officiel ; שלום עליכם محمد علي بن يوسف عائشة الزهراء office affiche ' +
      'Σωκράτης efficace souffle difficile שרה כהן الحرية السجن المركزي suffisant.';
    for (const text of [paragraph, mixed])
      for (const width of [120, 200, 330]) {
        const lines = wrapText(`${text}\n${text}`, regular, 11, width);
        expect(lines.join(' ').split(' ')).toEqual(drawable(`${text} ${text}`, regular).split(' '));
        lines.forEach((line, i) => {
          expect(lineWidth(line, regular, 11)).toBeLessThanOrEqual(width + 1e-9);
          const next = lines[i + 1]?.split(' ')[0];
          // The next line's first word did not fit here (a paragraph's last line excepted).
          if (next && i !== lines.length / 2 - 1) expect(lineWidth(`${line} ${next}`, regular, 11)).toBeGreaterThan(width);
        });
      }
  });
});

describe('the PDFs', () => {
  const permit = {
    token: 'P2V1.test',
    visitor: 'Łucja NGUYỄN-ŞAHIN',
    birthdate: '14 mars 1985',
    detainee: 'محمد Țurcanu (écrou 42)',
    establishment: 'Centre pénitentiaire de Ștefănești',
    relationship: 'Frère ou sœur',
    validity: 'permanent, depuis le 1 décembre 2026',
    photoJpeg: null,
  };
  const letter: LetterRow = {
    id: '00000000-0000-4000-8000-000000000000',
    kind: 'REFUSAL',
    title: 'Refus de permis de visite',
    addressee: 'Şükrü Yılmaz',
    author: 'Zofia ŁUKASIEWICZ, directrice',
    body: {
      reference: 'PV-TESTTEST',
      recourse: true,
      paragraphs: ['Pour Ștefan Țurcanu, afin de rendre visite à محمد علي, détenu(e) à Établissement de Test.', 'Incidents ≥ 3 → refus 🫶'],
    },
    issuedAt: new Date('2026-12-01T10:00:00Z'),
    requestId: null,
    permitId: null,
    familyVisitCaseId: null,
    familyVisitRequestId: null,
    familyAccountId: null,
    establishmentId: '00000000-0000-4000-8000-000000000001',
    establishmentName: 'Établissement de Test',
    establishmentAddress: null,
    establishmentPhone: null,
    establishmentEmail: null,
    interregionalDirection: null,
    timeZone: 'Europe/Paris',
  };

  // The fonts are parsed once per process: a PDF must not alter them for the next one.
  it('draw every name in its script, one PDF after another', async () => {
    for (let i = 0; i < 2; i++) {
      const card = await pdfText(await permitPdf(permit));
      expect(card).toContain('Visiteur Łucja NGUYỄN-ŞAHIN');
      expect(card).toContain('Visite محمد Țurcanu (écrou 42)');
      expect(card).toContain('Établissement Centre pénitentiaire de Ștefănești');
      const refusal = await pdfText(await letterPdf(letter));
      expect(refusal).toContain('À l’attention de Şükrü Yılmaz');
      expect(refusal).toContain('Pour Ștefan Țurcanu, afin de rendre visite à محمد علي, détenu(e) à Établissement de Test.');
      expect(refusal).toContain(`Incidents ≥ 3 → refus ${PLACEHOLDER}`);
      expect(refusal).toContain("En application des dispositions de l'article R. 421-1");
      expect(`${card} ${refusal}`).not.toContain('□');
    }
  });

  it('cut a value too long for the printed card at its edge, with an ellipsis', async () => {
    const visitor = `Łucja ${'Nguyễn-Şahin '.repeat(10).trim()}`;
    const shown = /Visiteur (.*?) Né\(e\) le/.exec(await pdfText(await permitPdf({ ...permit, visitor })))?.[1] ?? '';
    expect(shown).toMatch(/^Łucja Nguyễn-Şahin .*…$/);
    expect(visitor.startsWith(shown.slice(0, -1))).toBe(true);
    expect(shown.length).toBeLessThan(visitor.length);
  });
});
