import { defaultDocumentsDue, missingPiecesMessage } from './missing-pieces';

describe('missing pieces of an incomplete request', () => {
  it('are due one month later by default, month ends included', () => {
    expect(defaultDocumentsDue('2026-11-23')).toBe('2026-12-23');
    expect(defaultDocumentsDue('2027-01-31')).toBe('2027-02-28');
  });

  it('say what is missing, by when, and that the delay restarts on receipt', () => {
    expect(missingPiecesMessage(['LIVRET_FAMILLE', 'PACS_PROOF'], ' La page des enfants. ', '23 décembre 2026')).toBe(
      'Pièces manquantes : Livret de famille, Attestation de PACS. La page des enfants. À envoyer avant le 23 décembre 2026. ' +
        'Le délai de 2 mois dont dispose l’établissement pour décider repart de la réception des pièces manquantes ' +
        '(article L114-5 du code des relations entre le public et l’administration).',
    );
  });
});
