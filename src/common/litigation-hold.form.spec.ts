import 'reflect-metadata';
import { validateForm } from './forms';
import { LitigationHoldForm } from './litigation-hold.form';

describe('LitigationHoldForm', () => {
  it('records a hold with the recourse described (trimmed, 5 to 1 000 characters); lifts it without a note', async () => {
    expect(await validateForm(LitigationHoldForm, { action: 'poser', note: '  Requête au TA de Lyon n° 2701234  ' })).toEqual({
      ok: true,
      value: expect.objectContaining({ action: 'poser', note: 'Requête au TA de Lyon n° 2701234' }) as unknown,
    });
    expect(await validateForm(LitigationHoldForm, { action: 'lever' })).toMatchObject({ ok: true, value: { action: 'lever' } });
    const refused = async (body: Record<string, unknown>) => {
      const r = await validateForm(LitigationHoldForm, body);
      return r.ok ? [] : r.errors.map((e) => `${e.field}: ${e.message}`);
    };
    expect(await refused({ action: 'poser', note: '   ' })).toEqual(['note: Décrivez le recours formé : lequel, reçu quand.']);
    expect(await refused({ action: 'poser' })).toEqual(['note: Décrivez le recours formé : lequel, reçu quand.']);
    expect(await refused({ action: 'poser', note: 'TA' })).toEqual(['note: Décrivez le recours formé (5 caractères au moins).']);
    expect(await refused({ action: 'poser', note: 'x'.repeat(1001) })).toEqual(['note: La note ne doit pas dépasser 1 000 caractères']);
    expect(await refused({ action: 'poser', note: ['deux', 'fois'] })).toHaveLength(1);
    expect(await refused({ action: 'supprimer' })).toEqual(['action: Choisissez de poser ou de lever la conservation.']);
  });
});
