import { inLanguage } from '../common/i18n';
import { familyConditions, familyIdTypes, familyLabels, familyLimits, familyRecourse, LETTER_KINDS } from './family-texts';
import { listIn, numericDay, tr, trIn } from '../common/translate';
import { conditionsText, limitsText, PERMIT_STATE_LABELS, ROOM_CONDITION_LABELS, type PermitConditions } from './permit-validity';
import { DOCUMENT_LABELS, idTypesFor, MISSING_PIECES, RELATIONSHIPS, STATUS_LABELS } from './permit.rules';
import { imageTooLarge } from './uploads';

const fr = trIn('fr');

describe('the permits’ texts in French (locales/fr/permits.json)', () => {
  it('are the words the code wrote before: labels, states, missing pieces, identity documents', () => {
    const labels = familyLabels('fr');
    expect(labels.statusLabels).toEqual(STATUS_LABELS);
    expect(labels.relationships).toEqual(RELATIONSHIPS);
    expect(labels.documentLabels).toEqual(DOCUMENT_LABELS);
    expect(familyIdTypes(false, 'fr')).toEqual(idTypesFor(false));
    expect(familyIdTypes(true, 'fr')).toEqual(idTypesFor(true));
    for (const [state, label] of Object.entries(PERMIT_STATE_LABELS)) expect(fr(`permits:permitStates.${state}`)).toBe(label);
    for (const [room, label] of Object.entries(ROOM_CONDITION_LABELS)) expect(fr(`permits:rooms.${room}`)).toBe(label);
    for (const [piece, label] of Object.entries(MISSING_PIECES)) expect(fr(`permits:missing.${piece}`)).toBe(label);
    expect(LETTER_KINDS.every((k) => labels.letterKinds[k] && !labels.letterKinds[k].startsWith('permits:'))).toBe(true);
  });

  it('write a permit’s limits and conditions as permit-validity.ts does for the staff', () => {
    const limits = [
      { validTo: null, maxVisits: null, visitsUsed: 0 },
      { validTo: '2026-12-31', maxVisits: null, visitsUsed: 0 },
      { validTo: '2026-12-31', maxVisits: 3, visitsUsed: 0 },
      { validTo: null, maxVisits: 1, visitsUsed: 1 },
      { validTo: '2027-01-05', maxVisits: 4, visitsUsed: 2 },
    ];
    for (const p of limits) expect(familyLimits(p, 'fr')).toBe(limitsText(p));
    const conditions: PermitConditions[] = [
      { roomCondition: null, allowedDays: null, allowedFrom: null, allowedTo: null, conditionsNote: null },
      { roomCondition: 'SEPARATION', allowedDays: [6, 3], allowedFrom: '09:00:00', allowedTo: '12:00', conditionsNote: null },
      { roomCondition: 'ACCESSIBLE', allowedDays: [1, 2, 3, 4, 5, 6, 7], allowedFrom: '14:30', allowedTo: '17:45', conditionsNote: null },
    ];
    for (const c of conditions) expect(familyConditions(c, 'fr')).toEqual(conditionsText(c));
  });

  it('refuse a file with the same French words as before', () => {
    expect(imageTooLarge(12000, 9000)).toBe(
      'L’image est trop grande (12000 × 9000 pixels) : envoyez une image de 10\u00a0000 pixels de côté et 50 mégapixels au plus ' +
        '(réduisez-la ou prenez une nouvelle photo).',
    );
  });
});

describe('the permits’ texts in the request’s language', () => {
  it('follow the language of the request being handled, French outside one', () => {
    expect(inLanguage('en', () => tr('permits:status.SUBMITTED'))).toBe('Sent');
    expect(inLanguage('es', () => familyLabels().relationships.SIBLING)).toBe('Hermano o hermana');
    expect(inLanguage('ar', () => imageTooLarge(12000, 9000))).toContain('12000 × 9000');
    expect(tr('permits:status.SUBMITTED')).toBe('Déposée');
  });

  it('are built once per language and shared, frozen so that no page can change another’s', () => {
    const es = inLanguage('es', () => familyLabels());
    expect(inLanguage('es', () => familyLabels())).toBe(es);
    expect(familyLabels('en')).not.toBe(es);
    expect(familyLabels('en').statusLabels.SUBMITTED).toBe('Sent');
    expect(es.statusLabels.SUBMITTED).not.toBe('Sent');
    expect(Object.isFrozen(es) && Object.isFrozen(es.statusLabels) && Object.isFrozen(es.letterKinds)).toBe(true);
    expect(() => {
      (es.statusLabels as Record<string, string>).SUBMITTED = 'changed';
    }).toThrow(TypeError);
  });

  it('write limits, days and hours per language, Arabic with Latin digits and its own comma', () => {
    const p = { validTo: '2026-12-31', maxVisits: 3, visitsUsed: 1 };
    expect(familyLimits(p, 'en')).toBe('Limited: until 31/12/2026, 3 visits (1 used)');
    expect(familyLimits(p, 'es')).toBe('Limitado: hasta el 31/12/2026, 3 visitas (1 utilizada)');
    expect(familyLimits(p, 'ar')).toMatch(/^محدود: حتى 31\u200f?\/12\u200f?\/2026، عدد الزيارات: 3 \(المستعمَلة: 1\)$/);
    const c = { roomCondition: null, allowedDays: [3, 6], allowedFrom: '09:00', allowedTo: '12:00' };
    expect(familyConditions(c, 'en')).toEqual(['Days: Wednesday, Saturday', 'Hours: from 09:00 to 12:00']);
    expect(familyConditions(c, 'es')).toEqual(['Días: miércoles, sábado', 'Horario: de 09:00 a 12:00']);
    expect(familyConditions(c, 'ar')).toEqual(['الأيام: الأربعاء، السبت', 'الساعات: من 09:00 إلى 12:00']);
    expect(numericDay('2026-03-04', 'fr')).toBe('04/03/2026');
    expect(listIn(['أ', 'ب'], 'ar')).toBe('أ، ب');
  });

  it('give the department’s phone in the family’s language, and translate the recourse routes in another language than French', () => {
    const department = {
      name: 'Centre pénitentiaire de Ștefănești',
      address: null,
      phone: '01 23 45 67 89',
      email: null,
      interregionalDirection: null,
    };
    expect(familyRecourse(department, 'fr')).toEqual({ contact: department, phone: 'téléphone 01 23 45 67 89', translated: false });
    expect(familyRecourse(department, 'en')).toEqual({ contact: department, phone: 'phone 01 23 45 67 89', translated: true });
  });
});
