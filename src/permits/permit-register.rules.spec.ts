import { grantRate, percentile, refusalRate } from './permit-register.rules';
import { idTypeAllowed, idTypesFor, missingForSubmission, uploadableKinds, type SubmissionCheck } from './permit.rules';

const complete: SubmissionCheck = {
  detaineeId: 'd',
  documentsUnderstood: true,
  forSelf: false,
  visitorGivenName: 'Zeynep',
  visitorFamilyName: 'Şahin',
  visitorBirthdate: '2015-03-14',
  relationship: 'DESCENDANT',
  idDocumentType: 'ACTE_NAISSANCE',
};

describe('minor visitors', () => {
  it('needs the parental-authority holders’ consent before a minor’s request is sent', () => {
    const docs = ['PHOTO', 'ID_DOCUMENT', 'PROOF_OF_ADDRESS'] as const;
    expect(missingForSubmission(complete, docs, true)).toEqual(['l’autorisation des titulaires de l’autorité parentale']);
    expect(missingForSubmission(complete, [...docs, 'PARENTAL_CONSENT'], true)).toEqual([]);
  });

  it('accepts the livret de famille or a birth certificate as a minor’s identity document, and only a minor’s', () => {
    expect(idTypeAllowed('ACTE_NAISSANCE', true)).toBe(true);
    expect(idTypeAllowed('LIVRET_FAMILLE', true)).toBe(true);
    expect(idTypeAllowed('ACTE_NAISSANCE', false)).toBe(false);
    expect(idTypeAllowed('CNI', false)).toBe(true);
    expect(Object.keys(idTypesFor(false))).not.toContain('LIVRET_FAMILLE');
    expect(Object.keys(idTypesFor(true))).toContain('LIVRET_FAMILLE');
    const adult = { ...complete, visitorBirthdate: '1980-01-01' };
    expect(missingForSubmission(adult, ['PHOTO', 'ID_DOCUMENT', 'PROOF_OF_ADDRESS'], false)).toEqual(['la pièce d’identité']);
    expect(missingForSubmission({ ...adult, idDocumentType: 'CNI' }, ['PHOTO', 'ID_DOCUMENT', 'PROOF_OF_ADDRESS'], false)).toEqual([]);
  });
});

describe('complementary documents', () => {
  it('are the only documents a family may add to a request simply sent; none once ready or decided', () => {
    expect(uploadableKinds('SUBMITTED')).not.toContain('PHOTO');
    expect(uploadableKinds('SUBMITTED')).not.toContain('ID_DOCUMENT');
    expect(uploadableKinds('SUBMITTED')).toContain('PARENTAL_CONSENT');
    expect(uploadableKinds('INCOMPLETE')).toContain('PHOTO');
    expect(uploadableKinds('READY')).toEqual([]);
    expect(uploadableKinds('GRANTED')).toEqual([]);
  });
});

describe('instruction statistics', () => {
  it('computes grant and refusal rates over the decisions taken, implicit rejections counted as refusals', () => {
    expect(grantRate({ granted: 3, refused: 1, implicitlyRejected: 0 })).toBe(0.75);
    expect(refusalRate({ granted: 3, refused: 1, implicitlyRejected: 0 })).toBe(0.25);
    expect(refusalRate({ granted: 2, refused: 1, implicitlyRejected: 1 })).toBe(0.5);
    expect(grantRate({ granted: 0, refused: 0, implicitlyRejected: 0 })).toBeNull();
  });

  it('takes percentiles by linear interpolation, as percentile_cont does', () => {
    expect(percentile([10, 2, 4, 8], 0.5)).toBe(6);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBeCloseTo(9.1);
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([7], 0.9)).toBe(7);
  });
});
