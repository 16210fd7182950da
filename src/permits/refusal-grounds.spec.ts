import { groundRefusal, groundsFor, isFamilyMember } from './refusal-grounds';

describe('refusal grounds', () => {
  it('counts the broad family as family, friends and others not', () => {
    for (const r of ['ASCENDANT', 'DESCENDANT', 'SIBLING', 'SPOUSE', 'PACS_PARTNER', 'COHABITANT', 'FAMILY_PROJECT'] as const)
      expect(isFamilyMember(r)).toBe(true);
    expect(isFamilyMember('FRIEND')).toBe(false);
    expect(isFamilyMember('OTHER')).toBe(false);
  });

  it('offers rehabilitation only for a visitor outside the family; victim and no-contact order for everyone', () => {
    expect(groundsFor('SPOUSE')).toEqual(['GOOD_ORDER', 'SECURITY', 'CRIME_PREVENTION', 'VICTIM', 'NO_CONTACT_ORDER']);
    expect(groundsFor('FRIEND')).toContain('REHABILITATION');
    expect(groundRefusal('REHABILITATION', 'SPOUSE')).toMatch(/pas pour la réinsertion/);
    expect(groundRefusal('REHABILITATION', 'OTHER')).toBeNull();
    expect(groundRefusal('VICTIM', 'DESCENDANT')).toBeNull();
    expect(groundRefusal(null, 'FRIEND')).toBe('Choisissez le motif légal du refus.');
  });
});
