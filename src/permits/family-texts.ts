import { currentLanguage, intlLocale, type Language, perLanguage } from '../common/i18n';
import { listIn, numericDay, type Tr, trIn } from '../common/translate';
import type { Department } from './letters';
import type { PermitLetterKind } from './permit-letter.entity';
import type { DocumentKind } from './permit-document.entity';
import type { PermitRequestStatus } from './permit-request.entity';
import type { PermitConditions, PermitLimits } from './permit-validity';
import { DOCUMENT_LABELS, ID_DOCUMENT_TYPES, type IdDocumentType, idTypeAllowed, RELATIONSHIPS, STATUS_LABELS } from './permit.rules';

/**
 * The permits' texts built in code for the family side (issue #16), from locales/<language>/permits.json:
 * labels, refusals, limits and conditions, in the language of the request being handled (French on
 * staff pages and outside a request). French reads as before: the French catalog holds the same words
 * as the code did (src/permits/family-texts.spec.ts compares them).
 */

/** Each key of `labels` with its text under `prefix` (permits:status.DRAFT…). */
function labelsOf<K extends string>(labels: Record<K, string>, prefix: string, t: Tr): Record<K, string> {
  return Object.fromEntries(Object.keys(labels).map((k) => [k, t(`${prefix}.${k}`)])) as Record<K, string>;
}

/** The kinds of letters a family may receive, for their name in its language (the letters themselves are French). */
export const LETTER_KINDS: readonly PermitLetterKind[] = [
  'ACKNOWLEDGEMENT',
  'REFUSAL',
  'GRANT',
  'REEXAMINATION',
  'INTENDED_MEASURE',
  'SUSPENSION',
  'WITHDRAWAL',
  'REFERRAL',
  'CLAIM_CODE',
  'CONDITIONS',
  'FV_GRANT',
  'FV_REFUSAL',
  'FV_IMPLICIT_REJECTION',
  'FV_REFERRAL',
  'FV_MAGISTRATE_DECISION',
  'FV_JAP_NOTICE',
  'FV_INCIDENT',
];

/** The labels the family's permit pages show, in the request's language (built once per language, shared and frozen). */
export const familyLabels = perLanguage((language) => {
  const t = trIn(language);
  return {
    statusLabels: labelsOf<PermitRequestStatus>(STATUS_LABELS, 'permits:status', t),
    relationships: labelsOf(RELATIONSHIPS, 'permits:relationships', t),
    documentLabels: labelsOf<DocumentKind>(DOCUMENT_LABELS, 'permits:documents', t),
    letterKinds: Object.fromEntries(LETTER_KINDS.map((k) => [k, t(`permits:letters.kinds.${k}`)])) as Record<PermitLetterKind, string>,
  };
});

/** The identity document types offered for this visitor, in the request's language. */
export function familyIdTypes(minor: boolean, language: Language = currentLanguage()): Partial<Record<IdDocumentType, string>> {
  const t = trIn(language);
  return Object.fromEntries(
    (Object.keys(ID_DOCUMENT_TYPES) as IdDocumentType[]).filter((k) => idTypeAllowed(k, minor)).map((k) => [k, t(`permits:idTypes.${k}`)]),
  );
}

/**
 * What the family's request page says of the acknowledgement in its language: the department's
 * contact, and whether the recourse routes (recourseParagraphs), quoted in French as every letter
 * gives them (the R. 421-1 mention is verbatim), are followed by their translation (permits:recourse).
 */
export function familyRecourse(department: Department, language: Language = currentLanguage()) {
  return {
    contact: department,
    phone: department.phone ? trIn(language)('permits:ack.phone', { phone: department.phone }) : null,
    translated: language !== 'fr',
  };
}

/** ISO day 1 (Monday) to 7 as `language` names it: « lundi », "Monday", « الاثنين ». */
function weekday(isoDay: number, language: Language): string {
  // 5 January 2026 was a Monday.
  return new Intl.DateTimeFormat(intlLocale(language), { weekday: 'long', timeZone: 'UTC' }).format(
    new Date(Date.UTC(2026, 0, 4 + isoDay)),
  );
}

/** A time of day (HH:MM or HH:MM:SS) as `language` writes it: « 09 h 00 » in French, 09:00 elsewhere. */
function clockTime(time: string, t: Tr): string {
  return t('permits:time', { hours: time.slice(0, 2), minutes: time.slice(3, 5) });
}

/** A permit's limits in `language` (limitsText in permit-validity.ts, for the family's pages). */
export function familyLimits(
  p: Pick<PermitLimits, 'validTo' | 'maxVisits' | 'visitsUsed'>,
  language: Language = currentLanguage(),
): string {
  const t = trIn(language);
  const parts: string[] = [];
  if (p.validTo) parts.push(t('permits:limits.until', { date: numericDay(p.validTo, language) }));
  if (p.maxVisits !== null)
    parts.push(
      t('permits:limits.visits', {
        visits: t(p.maxVisits > 1 ? 'permits:limits.visitsMany' : 'permits:limits.visitsOne', { max: p.maxVisits }),
        used: t(p.visitsUsed > 1 ? 'permits:limits.usedMany' : 'permits:limits.usedOne', { used: p.visitsUsed }),
      }),
    );
  return parts.length ? t('permits:limits.limited', { limits: listIn(parts, language) }) : t('permits:limits.permanent');
}

/**
 * A permit's conditions of place and time in `language`, one line each (conditionsText in
 * permit-validity.ts, for the family's pages); the establishment's own note, written in French, is not
 * among them: the page shows it marked as French.
 */
export function familyConditions(c: Omit<PermitConditions, 'conditionsNote'>, language: Language = currentLanguage()): string[] {
  const t = trIn(language);
  const lines: string[] = [];
  if (c.roomCondition) lines.push(t(`permits:rooms.${c.roomCondition}`));
  if (c.allowedDays?.length)
    lines.push(
      t('permits:conditions.days', {
        days: listIn(
          [...c.allowedDays].sort().map((d) => weekday(d, language)),
          language,
        ),
      }),
    );
  if (c.allowedFrom && c.allowedTo)
    lines.push(t('permits:conditions.hours', { from: clockTime(c.allowedFrom, t), to: clockTime(c.allowedTo, t) }));
  return lines;
}

/**
 * A permit's limits and conditions in each language but French, for a message to its family (the
 * message is written in the recipient's language when it is queued): the establishment's own note is
 * given as written, for the message to show it marked as French.
 */
export function termsInLanguages(
  limits: Pick<PermitLimits, 'validTo' | 'maxVisits' | 'visitsUsed'>,
  conditions: PermitConditions,
): Record<string, { limits: string; conditions: string[]; note: string | null }> {
  const { conditionsNote, ...rest } = conditions;
  return Object.fromEntries(
    (['en', 'ar', 'es'] as const).map((language) => [
      language,
      { limits: familyLimits(limits, language), conditions: familyConditions(rest, language), note: conditionsNote ?? null },
    ]),
  );
}
