import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsOptional,
  IsUUID,
  registerDecorator,
  ValidateIf,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';
import { parseDate, parseDay } from '../common/dates';
import { EmptyToUndefined, ToList, Trim } from '../common/forms';
import type { NewClosure, NewTemplate } from './calendar.queries';
import { type CheckStatus, checkError, type RefusalReason } from './visit-day.rules';
import type { SlotChoice } from './visit-booking.service';
import { type VisitSettings, WEEKLY_FLOORS } from './visit.rules';
import { ROOM_KINDS, type RoomKind } from './visiting-room.entity';
import { INCIDENT_REASONS, type IncidentReason, MIN_REPORT_LENGTH } from './visit-incident.rules';
import type { RestrictionInput } from './visit-restrictions.service';
import { PREVENTION_CAUSES, type PreventionCause, RESTRICTION_KINDS, type RestrictionKind } from './visit-restriction.rules';

/**
 * The forms of the visits module, as classes validated by validateForm (French messages). A value
 * sent twice arrives as a list and fails like any other bad value; an id that is not a UUID never
 * reaches SQL.
 */

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const SLOT = new RegExp(`^(${UUID})\\|(\\d{4}-\\d{2}-\\d{2})$`, 'i');
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** A rule of one field, with one French message (whatever is wrong with the value). */
function Rule(message: string, valid: (value: unknown, form: Record<string, unknown>) => boolean) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      target: object.constructor,
      propertyName,
      options: { message } satisfies ValidationOptions,
      validator: { validate: (value: unknown, args: ValidationArguments) => valid(value, args.object as Record<string, unknown>) },
    });
}

/** `<weekly slot id>|<YYYY-MM-DD>`, as the slot radios of the booking and move forms send it. */
const IsSlotChoice = (message: string) =>
  Rule(message, (v) => {
    const m = typeof v === 'string' ? SLOT.exec(v) : null;
    return m !== null && parseDate(m[2]) === m[2];
  });

/** The weekly slot and day of a valid slot choice. */
export function slotChoice(value: string): SlotChoice {
  const [templateId, day] = value.split('|');
  return { templateId: templateId.toLowerCase(), day };
}

/** Text of `min` to `max` characters (after trimming). */
const Text = (min: number, max: number, message: string) =>
  Rule(message, (v) => typeof v === 'string' && v.length >= min && v.length <= max);

/** A calendar day typed JJ/MM/AAAA (or AAAA-MM-JJ). */
const IsDay = (message: string) => Rule(message, (v) => typeof v === 'string' && parseDay(v) !== null);

/** A whole number typed in a text field, within bounds: "<label> : un nombre entier entre <min> et <max>". */
function WholeNumber(min: number, max: number, label: string) {
  const toNumber = Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value,
  );
  const check = Rule(
    `${label} : un nombre entier entre ${min} et ${max}`,
    (v) => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max,
  );
  return (object: object, propertyName: string) => {
    toNumber(object, propertyName);
    check(object, propertyName);
  };
}

/** A checkbox sent as "oui" when ticked. */
const Checkbox = () => Transform(({ value }: { value: unknown }) => value === 'oui');

// ---------- Families ----------

/** The families' forms (and the move form the visiting room shares): their messages are keys of visits.json, shown in the page's language. */
export class BookVisitForm {
  @IsUUID('all', { message: 'visits:errors.chooseDetainee' })
  detaineeId!: string;

  @ToList()
  @IsUUID('all', { each: true, message: 'visits:errors.chooseVisitors' })
  permitIds!: string[];

  /** The slot chosen (not needed when a full slot's waiting-list button was pressed). */
  @ValidateIf((o: BookVisitForm) => o.attente === undefined)
  @IsSlotChoice('visits:errors.chooseSlot')
  slot!: string;

  /** « M’inscrire sur la liste d’attente » of a full slot: that slot (the button's value). */
  @IsOptional()
  @IsSlotChoice('visits:errors.chooseSlot')
  attente?: string;

  /** The form's idempotency key (a retried submission books once). */
  @EmptyToUndefined()
  @IsOptional()
  @Text(1, 100, 'visits:errors.expired')
  key?: string;

  @IsOptional()
  @IsIn(['book', 'wait'], { message: 'visits:errors.chooseAction' })
  action?: 'book' | 'wait';
}

export class MoveVisitForm {
  @IsSlotChoice('visits:errors.chooseNewSlot')
  slot!: string;
}

// ---------- Visiting room: booking for a family ----------

export class StaffSearchQuery {
  /** A name or an écrou typed in the search box. */
  @IsOptional()
  @Trim()
  @Text(0, 100, 'Saisissez un seul nom ou numéro d’écrou (100 caractères au plus)')
  recherche?: string;

  /** The detainee chosen (from the search's list, or a link). */
  @IsOptional()
  @Trim()
  @Text(0, 50, 'Saisissez un seul numéro d’écrou (50 caractères au plus)')
  ecrou?: string;

  /** The visitors who come (their permits). */
  @IsOptional()
  @ToList()
  @IsUUID('all', { each: true, message: 'Choisissez les visiteurs dans la liste' })
  visiteurs?: string[];

  /** `creneaux`: the visitors were just chosen; `visiteurs`: the agent changes them. */
  @IsOptional()
  @IsIn(['creneaux', 'visiteurs'], { message: 'Étape inconnue : recommencez la recherche' })
  etape?: 'creneaux' | 'visiteurs';

  /** The reference of the visit just booked (shown after the redirect). */
  @IsOptional()
  @Text(1, 12, 'Référence de visite invalide')
  reservee?: string;
}

export class StaffBookVisitForm {
  @Trim()
  @Text(1, 50, 'Saisissez le numéro d’écrou de la personne détenue (un seul)')
  ecrou!: string;

  @ToList()
  @IsUUID('all', { each: true, message: 'Choisissez les visiteurs dans la liste' })
  permitIds!: string[];

  @IsSlotChoice('Choisissez un créneau')
  slot!: string;

  @IsIn(['PHONE', 'IN_PERSON'], { message: 'Indiquez comment la famille a demandé la visite' })
  channel!: 'PHONE' | 'IN_PERSON';

  @Trim()
  @EmptyToUndefined()
  @IsOptional()
  @Text(1, 200, 'Saisissez une seule adresse e-mail')
  email?: string;

  @Trim()
  @EmptyToUndefined()
  @IsOptional()
  @Text(1, 40, 'Saisissez un seul numéro de téléphone')
  phone?: string;

  /** Why the visit is booked over the establishment's weekly cap (asked only then). */
  @Trim()
  @EmptyToUndefined()
  @IsOptional()
  @Text(5, 500, 'Indiquez le motif de la dérogation au plafond (5 à 500 caractères)')
  overCapReason?: string;

  @EmptyToUndefined()
  @IsOptional()
  @Text(1, 100, 'Le formulaire a expiré : rechargez la page')
  key?: string;

  /** `oui` once the booking was read back to the caller; without it, the read-back is shown. */
  @IsOptional()
  @IsIn(['oui'], { message: 'Relisez la réservation avant de la confirmer' })
  confirme?: 'oui';
}

// ---------- Visiting room: the day ----------

/** One visitor's arrival check: arrivé, absent, or refusé with a listed reason (the rule checkError says what is missing). */
export class CheckForm {
  @CheckRule()
  status!: CheckStatus;

  @EmptyToUndefined()
  @IsOptional()
  reason?: RefusalReason;
}

function CheckRule() {
  const problem = (status: unknown, form: unknown) =>
    typeof status === 'string' ? checkError(status, reasonOf(form)) : 'Choisissez arrivé, absent ou refusé.';
  return (object: object, propertyName: string) =>
    registerDecorator({
      target: object.constructor,
      propertyName,
      validator: {
        validate: (value: unknown, args: ValidationArguments) => problem(value, args.object) === null,
        defaultMessage: (args?: ValidationArguments) => problem(args?.value, args?.object) ?? '',
      },
    });
}

function reasonOf(form: unknown): string | undefined {
  const reason = (form as { reason?: unknown } | undefined)?.reason;
  return typeof reason === 'string' ? reason : undefined;
}

export class ConfirmForm {
  @IsIn(['oui'], { message: 'Cochez la case pour confirmer l’annulation.' })
  confirm!: 'oui';
}

/** Why the visiting room cancels a visit: chosen from a list, "Autre" with a few words. */
export const STAFF_CANCEL_REASONS = {
  FAMILY_REQUEST: 'À la demande de la famille',
  DETAINEE_PREVENTED: 'La personne détenue est empêchée',
  ROOM_CLOSED: 'Fermeture du parloir',
  SECURITY: 'Mesure de sécurité',
  OTHER: 'Autre motif (précisez)',
} as const;
export type StaffCancelReason = keyof typeof STAFF_CANCEL_REASONS;

export class CancelVisitForm extends ConfirmForm {
  @IsIn(Object.keys(STAFF_CANCEL_REASONS), { message: 'Choisissez le motif de l’annulation' }) reason!: StaffCancelReason;
  @ValidateIf((f: CancelVisitForm) => f.reason === 'OTHER')
  @Trim()
  @Text(3, 300, 'Précisez le motif (la famille le lira)')
  details?: string;
}

// ---------- "Parloirs" (administrators) ----------

export class SettingsForm {
  @WholeNumber(0, 720, 'Délai minimum de réservation (heures)') minNoticeHours!: number;
  @WholeNumber(1, 180, 'Réservation possible jusqu’à (jours)') horizonDays!: number;
  @WholeNumber(0, 720, 'Annulation possible jusqu’à (heures avant)') cancelDeadlineHours!: number;
  @WholeNumber(1, 10, 'Adultes par visite') maxAdults!: number;
  @WholeNumber(0, 10, 'Enfants par visite') maxChildren!: number;
  @WholeNumber(WEEKLY_FLOORS.PREVENU, 21, 'Plafond de visites par semaine pour une personne prévenue (3 au moins, article L341-2)')
  weeklyPrevenu!: number;
  @WholeNumber(WEEKLY_FLOORS.CONDAMNE, 21, 'Plafond de visites par semaine pour une personne condamnée (1 au moins, article L341-3)')
  weeklyCondamne!: number;
  @Checkbox() @IsOptional() @IsBoolean() onlineBooking?: boolean;
  @Checkbox() @IsOptional() @IsBoolean() openOnHolidays?: boolean;
  @WholeNumber(1, 72, 'Délai de réponse à une place proposée (heures)') waitlistOfferHours!: number;

  settings(): VisitSettings {
    return {
      minNoticeHours: this.minNoticeHours,
      horizonDays: this.horizonDays,
      cancelDeadlineHours: this.cancelDeadlineHours,
      maxAdults: this.maxAdults,
      maxChildren: this.maxChildren,
      weeklyPrevenu: this.weeklyPrevenu,
      weeklyCondamne: this.weeklyCondamne,
      onlineBooking: this.onlineBooking === true,
      openOnHolidays: this.openOnHolidays === true,
      waitlistOfferHours: this.waitlistOfferHours,
    };
  }
}

export class RoomForm {
  @Trim() @Text(1, 60, 'Nommez le parloir (60 caractères au plus)') name!: string;
  @IsIn(Object.keys(ROOM_KINDS), { message: 'Choisissez le type de parloir' }) kind!: RoomKind;
  @WholeNumber(1, 200, 'Nombre de cabines ou tables') cabins!: number;
}

/** A room edited: its name, kind, cabins, and whether it still receives visits. */
export class RoomEditForm extends RoomForm {
  @Checkbox() @IsOptional() @IsBoolean() active?: boolean;
}

/** A weekly slot's day, hours, places and validity (its room is chosen when it is added). */
export class TemplateTimesForm {
  @WholeNumber(1, 7, 'Jour de la semaine') dayOfWeek!: number;
  @Trim() @Rule('Heure de début au format HH:MM, par exemple 14:00', (v) => typeof v === 'string' && TIME.test(v)) start!: string;
  @Trim()
  @Rule(
    'Heure de fin au format HH:MM, après le début',
    (v, form) => typeof v === 'string' && TIME.test(v) && !(typeof form.start === 'string' && TIME.test(form.start) && v <= form.start),
  )
  end!: string;
  @WholeNumber(1, 200, 'Capacité (visites en même temps)') capacity!: number;
  @IsDay('Date de début au format JJ/MM/AAAA') validFrom!: string;
  @EmptyToUndefined()
  @IsOptional()
  @Rule('Date de fin au format JJ/MM/AAAA, après le début (ou vide)', (v, form) => {
    const to = typeof v === 'string' ? parseDay(v) : null;
    const from = typeof form.validFrom === 'string' ? parseDay(form.validFrom) : null;
    return to !== null && !(from && to < from);
  })
  validTo?: string;

  times(): Omit<NewTemplate, 'roomId'> {
    return {
      dayOfWeek: this.dayOfWeek,
      start: this.start,
      end: this.end,
      capacity: this.capacity,
      validFrom: parseDay(this.validFrom)!,
      validTo: this.validTo === undefined ? null : parseDay(this.validTo),
    };
  }
}

export class TemplateForm extends TemplateTimesForm {
  @IsUUID('all', { message: 'Choisissez un parloir de l’établissement.' }) roomId!: string;

  template(): NewTemplate {
    return { roomId: this.roomId, ...this.times() };
  }
}

export class ClosureForm {
  @IsDay('Date au format JJ/MM/AAAA') day!: string;
  @EmptyToUndefined() @IsOptional() @IsUUID('all', { message: 'Choisissez un parloir dans la liste' }) roomId?: string;
  @EmptyToUndefined() @IsOptional() @IsUUID('all', { message: 'Choisissez un créneau dans la liste' }) templateId?: string;
  @Trim() @Text(3, 2000, 'Indiquez la raison de la fermeture (les familles la verront)') reason!: string;

  closure(): NewClosure {
    return { day: parseDay(this.day)!, roomId: this.roomId ?? null, templateId: this.templateId ?? null, reason: this.reason };
  }
}

// ---------- The unexpected on the day ----------

/** A period when a detainee is prevented or in the disciplinary cell (R341-3 2° and 3°). */
export class RestrictionForm {
  @Trim() @Text(1, 20, 'Saisissez le numéro d’écrou de la personne détenue') ecrou!: string;
  @IsIn(Object.keys(RESTRICTION_KINDS), { message: 'Choisissez : personne détenue empêchée, ou cellule disciplinaire' })
  kind!: RestrictionKind;
  @ValidateIf((f: RestrictionForm) => f.kind === 'PREVENTED')
  @IsIn(Object.keys(PREVENTION_CAUSES), { message: 'Choisissez la cause de l’empêchement' })
  cause?: PreventionCause;
  @IsDay('Date de début au format JJ/MM/AAAA') from!: string;
  @IsDay('Date de fin au format JJ/MM/AAAA') to!: string;
  @EmptyToUndefined() @Trim() @IsOptional() @Text(1, 1000, 'La note interne ne doit pas dépasser 1 000 caractères') note?: string;

  input(): RestrictionInput {
    return {
      ecrou: this.ecrou,
      kind: this.kind,
      cause: this.kind === 'PREVENTED' ? (this.cause ?? null) : null,
      from: parseDay(this.from)!,
      to: parseDay(this.to)!,
      note: this.note ?? null,
    };
  }
}

/** The same period, confirmed after its read-back. */
export class ConfirmRestrictionForm extends RestrictionForm {
  @IsIn(['oui'], { message: 'Cochez la case pour confirmer : les visites listées seront annulées et les familles prévenues.' })
  confirm!: 'oui';
}

export class EndRestrictionForm {
  @IsIn(['oui'], { message: 'Cochez la case pour confirmer la fin de la période.' })
  confirm!: 'oui';
}

/** An incident report (compte-rendu d'incident), with the visit interrupted or not (R341-12). */
export class IncidentForm {
  @IsIn(Object.keys(INCIDENT_REASONS), { message: 'Choisissez le motif' })
  reason!: IncidentReason;
  @EmptyToUndefined() @IsOptional() @IsUUID('all', { message: 'Choisissez la personne concernée dans la liste' }) visitorId?: string;
  @Trim()
  @Text(MIN_REPORT_LENGTH, 5000, `Rédigez le compte-rendu : ce qui s’est passé, qui, quand (${MIN_REPORT_LENGTH} caractères au moins)`)
  report!: string;
  @IsIn(['oui', 'non'], { message: 'Indiquez si la visite est interrompue' })
  interrupt!: 'oui' | 'non';
  @ValidateIf((f: IncidentForm) => f.interrupt === 'oui')
  @IsIn(['oui'], { message: 'Cochez la case pour confirmer l’interruption : toute sortie est définitive.' })
  confirm?: 'oui';
}
