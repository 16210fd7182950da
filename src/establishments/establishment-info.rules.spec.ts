import { callTheParloir, linesOf, NO_INFO, practicalInfo, storedText } from './establishment-info.rules';
import { phoneForDisplay, phoneToE164 } from '../common/phone';

describe('practical information', () => {
  const establishment = { code: 'CPNORD', name: 'Centre pénitentiaire de démonstration' };

  it('shows nothing for fields not given and says when nothing at all is given', () => {
    const info = practicalInfo(establishment, NO_INFO);
    expect(info).toMatchObject({ addressLines: [], phone: null, hoursLines: [], sections: [], empty: true });
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

describe('calling the parloir', () => {
  it('gives the number when there is one, the sentence alone otherwise', () => {
    expect(callTheParloir('+33320123456')).toBe('appelez le parloir de l’établissement au 03 20 12 34 56');
    expect(callTheParloir(null)).toBe('appelez le parloir de l’établissement');
  });
});
