import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, ValidateIf } from 'class-validator';
import { parseDay } from '../common/dates';
import type { QueueFilter } from './instruction.queries';

/** The SPIP counsellor's forms on UVF / PF cases, with the French messages the pages show. */

const Text = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() || undefined : value));
const ToDay = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? (value.trim() ? (parseDay(value) ?? 'not-a-day') : undefined) : value,
  );
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The work queue's search (`?statut=&type=&q=`): a value that makes no sense is simply not applied. */
export function queueQuery(query: Record<string, unknown>): QueueFilter {
  const status = ['INSTRUCTION', 'CPU', 'REFERRED', 'DECIDED', 'CLOSED'].find((s) => s === query.statut) ?? '';
  const kind = ['UVF', 'PF'].find((k) => k === query.type) ?? '';
  const search = typeof query.q === 'string' ? query.q.trim().slice(0, 100) : '';
  return { status, kind, search };
}

const isDone = (o: InterviewForm) => o.status === 'DONE';

/** An interview with one applicant: done (notes and assessments required) or to come (a convocation when possible). */
export class InterviewForm {
  @IsUUID('4', { message: 'Choisissez la personne reçue en entretien.' })
  @IsString({ message: 'Choisissez la personne reçue en entretien.' })
  requestId!: string;

  @IsIn(['DONE', 'SCHEDULED'], { message: 'Indiquez si l’entretien a eu lieu ou s’il est à venir.' })
  status!: 'DONE' | 'SCHEDULED';

  @ToDay()
  @Matches(DAY, { message: 'Saisissez la date au format JJ/MM/AAAA.' })
  @IsString({ message: 'Saisissez la date de l’entretien.' })
  day!: string;

  @Text()
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'Saisissez l’heure au format HH:MM, par exemple 14:30.' })
  @IsString({ message: 'Saisissez l’heure de l’entretien.' })
  time!: string;

  @IsIn(['IN_PERSON', 'PHONE', 'VISIO'], { message: 'Choisissez comment l’entretien a lieu.' })
  mode!: 'IN_PERSON' | 'PHONE' | 'VISIO';

  @Text()
  @ValidateIf((o: InterviewForm) => isDone(o) || o.notes !== undefined)
  @MaxLength(4000, { message: 'Les notes ne doivent pas dépasser 4 000 caractères.' })
  @IsString({ message: 'Saisissez les notes de l’entretien.' })
  notes?: string;

  @Text()
  @ValidateIf((o: InterviewForm) => isDone(o) || o.linkAssessment !== undefined)
  @MaxLength(2000, { message: 'L’évaluation ne doit pas dépasser 2 000 caractères.' })
  @IsString({ message: 'Évaluez le lien entre la personne détenue et le visiteur.' })
  linkAssessment?: string;

  @Text()
  @ValidateIf((o: InterviewForm) => isDone(o) || o.preparationAssessment !== undefined)
  @MaxLength(2000, { message: 'L’évaluation ne doit pas dépasser 2 000 caractères.' })
  @IsString({ message: 'Évaluez la préparation de la visite.' })
  preparationAssessment?: string;

  /** A minor's interview held with the accompanying adult present (a checkbox: « oui » when ticked). */
  @IsOptional()
  @IsIn(['oui'], { message: 'Cochez la case ou laissez-la vide.' })
  withAccompanyingAdult?: 'oui';
}

/** The opinion of the CPU (commission pluridisciplinaire unique). */
export class CpuForm {
  @ToDay()
  @Matches(DAY, { message: 'Saisissez la date de la commission au format JJ/MM/AAAA.' })
  @IsString({ message: 'Saisissez la date de la commission.' })
  cpuOn!: string;

  @IsIn(['FAVOURABLE', 'UNFAVOURABLE', 'RESERVED'], { message: 'Choisissez l’avis de la commission.' })
  opinion!: 'FAVOURABLE' | 'UNFAVOURABLE' | 'RESERVED';

  @Text()
  @IsOptional()
  @MaxLength(4000, { message: 'Les observations ne doivent pas dépasser 4 000 caractères.' })
  @IsString({ message: 'Les observations doivent être un texte.' })
  notes?: string;
}

/** The report of a scheduled interview once it took place: notes and both assessments. */
export class InterviewReportForm {
  @Text()
  @MaxLength(4000, { message: 'Les notes ne doivent pas dépasser 4 000 caractères.' })
  @IsString({ message: 'Saisissez les notes de l’entretien.' })
  notes!: string;

  @Text()
  @MaxLength(2000, { message: 'L’évaluation ne doit pas dépasser 2 000 caractères.' })
  @IsString({ message: 'Évaluez le lien entre la personne détenue et le visiteur.' })
  linkAssessment!: string;

  @Text()
  @MaxLength(2000, { message: 'L’évaluation ne doit pas dépasser 2 000 caractères.' })
  @IsString({ message: 'Évaluez la préparation de la visite.' })
  preparationAssessment!: string;
}

const isFollowed = (o: JuvenileJudgeForm) => o.followed === 'YES';

/**
 * A minor's follow-up by a juge des enfants: « non », or « oui » with the PJJ service and the day the
 * opinion was asked, then the opinion and the day it was received.
 */
export class JuvenileJudgeForm {
  @IsIn(['YES', 'NO'], { message: 'Indiquez si le mineur est suivi par un juge des enfants.' })
  followed!: 'YES' | 'NO';

  @Text()
  @ValidateIf((o: JuvenileJudgeForm) => isFollowed(o) && o.pjjService !== undefined)
  @MaxLength(200, { message: 'Le nom du service ne doit pas dépasser 200 caractères.' })
  @IsString({ message: 'Indiquez le service de la PJJ en charge de la mesure.' })
  pjjService?: string;

  @ToDay()
  @ValidateIf((o: JuvenileJudgeForm) => isFollowed(o) && o.askedOn !== undefined)
  @Matches(DAY, { message: 'Saisissez la date de la demande d’avis au format JJ/MM/AAAA.' })
  @IsString({ message: 'Saisissez la date de la demande d’avis.' })
  askedOn?: string;

  @ValidateIf((o: JuvenileJudgeForm) => isFollowed(o))
  @IsIn(['AWAITED', 'FAVOURABLE', 'UNFAVOURABLE', 'RESERVED'], { message: 'Indiquez si l’avis est reçu, et lequel.' })
  opinion?: 'AWAITED' | 'FAVOURABLE' | 'UNFAVOURABLE' | 'RESERVED';

  @ToDay()
  @ValidateIf((o: JuvenileJudgeForm) => isFollowed(o) && o.receivedOn !== undefined)
  @Matches(DAY, { message: 'Saisissez la date de réception de l’avis au format JJ/MM/AAAA.' })
  @IsString({ message: 'Saisissez la date de réception de l’avis.' })
  receivedOn?: string;

  @Text()
  @IsOptional()
  @MaxLength(4000, { message: 'Les observations ne doivent pas dépasser 4 000 caractères.' })
  @IsString({ message: 'Les observations doivent être un texte.' })
  notes?: string;
}
