import { notReadyForDecision } from './instruction.rules';

describe('instruction rules', () => {
  it('a sent request is ready for decision only once no document is still to examine', () => {
    expect(notReadyForDecision('SUBMITTED', ['ACCEPTED', 'ACCEPTED', 'TO_REPLACE'])).toBeNull();
    expect(notReadyForDecision('SUBMITTED', ['ACCEPTED', 'PENDING', 'ACCEPTED'])).toEqual({
      code: 'DOCUMENTS_TO_EXAMINE',
      message:
        'Un document est encore à examiner : acceptez chaque document ou demandez son remplacement avant de marquer la demande prête pour décision.',
    });
    expect(notReadyForDecision('SUBMITTED', ['PENDING', 'PENDING', 'PENDING'])?.message).toMatch(/^3 documents sont encore à examiner : /);
  });

  it('only a sent request can be marked ready, whatever its documents', () => {
    for (const status of ['DRAFT', 'INCOMPLETE', 'READY', 'GRANTED', 'REFUSED'] as const)
      expect(notReadyForDecision(status, ['ACCEPTED'])?.code).toBe('NOT_SUBMITTED');
  });
});
