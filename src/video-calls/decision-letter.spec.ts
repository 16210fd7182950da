import { accessLetterText, groundAndWords, hasLetter } from './decision-letter';

describe('the access decision letter', () => {
  it('splits the stored motivation into its ground and the agent’s words', () => {
    expect(groundAndWords('Sécurité — Tentative de contact — avec un co-auteur')).toEqual({
      ground: 'Sécurité',
      words: 'Tentative de contact — avec un co-auteur',
    });
    expect(groundAndWords('Maintien du bon ordre')).toEqual({ ground: 'Maintien du bon ordre', words: '' });
    expect(groundAndWords('Texte libre')).toEqual({ ground: null, words: 'Texte libre' });
    expect(groundAndWords(null)).toEqual({ ground: null, words: '' });
  });

  it('has a letter for a refusal, a suspension or a withdrawal, not a restoration', () => {
    expect(['REFUSED', 'SUSPENDED', 'WITHDRAWN', 'ACTIVE'].map((s) => hasLetter(s as 'ACTIVE'))).toEqual([true, true, true, false]);
  });

  it('dates the decision and the suspension’s last day on the establishment’s clock', () => {
    const text = accessLetterText(
      {
        status: 'SUSPENDED',
        suspendedUntil: new Date('2026-11-30T23:00:00Z'),
        motivation: 'Non-respect de la charte d’utilisation — Appel non autorisé',
        decidedAt: new Date('2026-11-23T23:30:00Z'),
        detaineeFirstName: 'Łukasz',
        detaineeLastName: 'Nguyễn',
        ecrouNumber: 'VR12',
      },
      'Europe/Paris',
    );
    expect(text.title).toBe('Suspension de l’accès aux appels en visiophonie');
    expect(text.addressee).toBe('Łukasz NGUYỄN, personne détenue (écrou n° VR12)');
    expect(text.paragraphs.slice(0, 3)).toEqual([
      'Par décision du 24 novembre 2026, votre accès aux appels en visiophonie est suspendu jusqu’au 30 novembre 2026 inclus.',
      'Motif : Non-respect de la charte d’utilisation.',
      'Motivation : Appel non autorisé',
    ]);
  });
});
