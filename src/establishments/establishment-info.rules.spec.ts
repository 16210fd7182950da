import {
  callTheParloir,
  linesOf,
  NO_INFO,
  practicalInfo,
  storedText,
  TRANSLATED_FIELDS,
  translationStatus,
} from './establishment-info.rules';
import { phoneForDisplay, phoneToE164 } from '../common/phone';

describe('practical information', () => {
  const establishment = { code: 'CPNORD', name: 'Centre pénitentiaire de démonstration' };

  it('shows nothing for fields not given and says when nothing at all is given', () => {
    const info = practicalInfo(establishment, NO_INFO);
    expect(info).toMatchObject({ addressLines: [], phone: null, hours: { lines: [] }, sections: [], empty: true });
    expect(info.path).toBe('/etablissements/CPNORD/infos-pratiques');
  });

  it('keeps the sections given, in order, as their non-blank lines', () => {
    const info = practicalInfo(establishment, {
      ...NO_INFO,
      address: '12 شارع الحرية\n\n59000 Lille',
      parloirPhone: '+33320000000',
      lockers: 'Casiers à pièces de 1 €',
      access: 'Tram T1, arrêt Prison\r\nParking gratuit',
    });
    expect(info.addressLines).toEqual(['12 شارع الحرية', '59000 Lille']);
    expect(info.phone).toEqual({ e164: '+33320000000', display: '03 20 00 00 00' });
    expect(info.sections.map((s) => s.title)).toEqual(['Accès et transports', 'Casiers et consigne']);
    expect(info.sections[0].lines).toEqual(['Tram T1, arrêt Prison', 'Parking gratuit']);
    expect(info.empty).toBe(false);
  });

  it('stores blank text as NULL and trims the rest', () => {
    expect(storedText('   ')).toBeNull();
    expect(storedText(undefined)).toBeNull();
    expect(storedText(' a\r\nb ')).toBe('a\nb');
    expect(linesOf(null)).toEqual([]);
  });

  it('reads phone numbers as typed and shows them as a French caller dials them', () => {
    expect(phoneToE164('03 20 00 00 00')).toBe('+33320000000');
    expect(phoneToE164('+262 262 12 34 56')).toBe('+262262123456');
    expect(phoneToE164('12')).toBeNull();
    expect(phoneForDisplay('+262262123456')).toBe('0262 12 34 56');
    expect(phoneForDisplay('+3221234567')).toBe('+32 2 123 45 67');
  });
});

describe('practical information in the family’s language', () => {
  const establishment = { code: 'CPNORD', name: 'Centre pénitentiaire de démonstration' };
  const french = { ...NO_INFO, parloirHours: 'Du mardi au samedi', access: 'Tram T1', lockers: 'Casiers à pièces' };
  const none = Object.fromEntries(TRANSLATED_FIELDS.map((f) => [f, null])) as Record<(typeof TRANSLATED_FIELDS)[number], null>;

  it('gives each text in the translation where there is one, the French one (marked French) elsewhere, with headings in the language', () => {
    const info = practicalInfo(establishment, french, { language: 'ar', translation: { ...none, access: 'الترام T1' } });
    expect(info.hours).toEqual({ lines: ['Du mardi au samedi'], lang: 'fr' });
    expect(info.sections.map((s) => [s.title, s.lines, s.lang])).toEqual([
      ['الوصول ووسائل النقل', ['الترام T1'], 'ar'],
      ['الخزائن', ['Casiers à pièces'], 'fr'],
    ]);
    expect(info.partlyFrench).toBe(true);
  });

  it('shows no translated section whose French text was removed since', () => {
    const info = practicalInfo(
      establishment,
      { ...french, lockers: null },
      { language: 'en', translation: { ...none, lockers: 'Coin lockers' } },
    );
    expect(info.sections.map((s) => s.field)).toEqual(['access']);
  });

  it('is all in the language when every text given is translated, and French pages ignore translations', () => {
    const all = { ...none, parloirHours: 'Tuesday to Saturday', access: 'Tram T1', lockers: 'Coin lockers' };
    const en = practicalInfo(establishment, french, { language: 'en', translation: all });
    expect([en.hours.lang, ...en.sections.map((s) => s.lang)]).toEqual(['en', 'en', 'en']);
    expect(en.partlyFrench).toBe(false);
    const fr = practicalInfo(establishment, french, { language: 'fr', translation: all });
    expect(fr.sections.map((s) => [s.title, s.lines[0], s.lang])).toEqual([
      ['Accès et transports', 'Tram T1', 'fr'],
      ['Casiers et consigne', 'Casiers à pièces', 'fr'],
    ]);
    expect(fr.partlyFrench).toBe(false);
  });

  it('counts what is translated of what the French gives, and says when the French changed since the translation', () => {
    const at = new Date('2026-11-01T10:00:00Z');
    const later = new Date('2026-11-02T10:00:00Z');
    const translation = { ...none, access: 'Tram', dressCode: 'No shorts', frenchUpdatedAt: at };
    expect(translationStatus('en', { ...french, updatedAt: at }, translation)).toEqual({
      language: 'en',
      toTranslate: 3,
      translated: 1,
      frenchChangedSince: false,
    });
    expect(translationStatus('en', { ...french, updatedAt: later }, translation).frenchChangedSince).toBe(true);
    expect(translationStatus('es', { ...french, updatedAt: later }, null)).toMatchObject({ translated: 0, frenchChangedSince: false });
  });
});

describe('calling the parloir', () => {
  it('gives the number when there is one, the sentence alone otherwise', () => {
    expect(callTheParloir('+33320123456')).toBe('appelez le parloir de l’établissement au 03 20 12 34 56');
    expect(callTheParloir(null)).toBe('appelez le parloir de l’établissement');
  });
});
