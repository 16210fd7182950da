/**
 * The « how it works » pages (issue #16, plain language): one per family journey, reachable from the
 * home page, each step a DSFR pictogram and short lines (locales/<language>/how.json).
 */
export interface Journey {
  /** Its address under /comment-ca-marche/. */
  slug: string;
  /** Its texts in the catalog: how:journeys.<key>. */
  key: 'permit' | 'visit' | 'familyVisit';
  /** The DSFR pictogram of each step (dist/artwork/pictograms/<path>.svg). */
  pictograms: string[];
  /** Where a signed-in family starts it. */
  start: string;
}

export const JOURNEYS: Journey[] = [
  {
    slug: 'permis-de-visite',
    key: 'permit',
    pictograms: [
      'digital/avatar',
      'document/document-search',
      'document/national-identity-card-passport',
      'digital/mail-send',
      'system/notification',
    ],
    start: '/demandes',
  },
  {
    slug: 'visite',
    key: 'visit',
    pictograms: ['digital/avatar', 'digital/calendar', 'digital/mail-send', 'document/national-identity-card', 'system/warning'],
    start: '/visites/reserver',
  },
  {
    slug: 'uvf-parloir-familial',
    key: 'familyVisit',
    pictograms: ['document/passport', 'document/document-signature', 'leisure/community', 'institutions/justice', 'digital/mail-send'],
    start: '/uvf',
  },
];

export function journeyOf(slug: string): Journey | undefined {
  return JOURNEYS.find((j) => j.slug === slug);
}
