/**
 * French words that English, Arabic and Spanish pages never contain: common function words and the
 * family side's own vocabulary. A page shown in another language that still holds one of them has a
 * string nobody translated. Text marked lang="fr" (a legal mention quoted verbatim, the State's logo)
 * is to be removed by the caller before.
 */
const FRENCH = new Set(
  [
    'vous',
    'votre',
    'vos',
    'nous',
    'notre',
    'est',
    'sont',
    'être',
    'avez',
    'êtes',
    'pour',
    'avec',
    'dans',
    'aucun',
    'aucune',
    'cette',
    'leur',
    'mais',
    'très',
    'aussi',
    'chez',
    'déjà',
    'rien',
    'accueil',
    'connecter',
    'connectez',
    'déconnecter',
    'personnes',
    'détenues',
    'détenue',
    'détenu',
    'demande',
    'demandes',
    'réserver',
    'réservez',
    'parloir',
    'établissement',
    'pied',
    'contenu',
    'accès',
    'fermer',
    'erreur',
    'introuvable',
    'vérifiez',
    'retour',
    'ministère',
    'visiter',
    'proche',
    'identifier',
    'pénitentiaire',
    'courrier',
    'suivre',
    'permis',
    'réessayez',
    'langue',
  ].map((w) => w.normalize('NFC')),
);

/** The French words of a text, each once, in the order met. */
export function frenchWordsIn(text: string): string[] {
  const words =
    text
      .normalize('NFC')
      .toLowerCase()
      .match(/\p{L}+/gu) ?? [];
  return [...new Set(words.filter((w) => FRENCH.has(w)))];
}
