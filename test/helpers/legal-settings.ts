/**
 * The deployment's settings the legal pages read (issue #16), given to the apps of the files that test
 * those pages, in French and in the other languages, to see them on the pages.
 */
export const LEGAL_SETTINGS = {
  HOSTING_PROVIDER: 'Hébergeur Şahin & Łukasz SAS, 12 rue de l’Exemple, 59000 Lille, 03 20 00 00 00',
  DPO_EMAIL: 'dpo-p2v@example.gouv.fr',
  ACCESSIBILITY_EMAIL: 'accessibilite-p2v@example.gouv.fr',
  ACCESSIBILITY_AUDIT_DATE: '2027-01-15',
  SESSION_IDLE_MINUTES: '45',
  DOCUMENTS_RETENTION_DAYS: '400',
};
