import { Transform } from 'class-transformer';
import { Allow, registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { ToList, Trim } from '../common/forms';
import type { VideoCallPlan, VideoCallSettings, VideoCallSlot } from './video-call-settings';

/**
 * The forms of the video-call settings page (validated by validateForm, French messages), and the
 * way settings are written for people: slots as lines « HH:MM-HH:MM », prices in euros with a comma.
 */

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const SLOT_LINE = /^(\d{1,2}:\d{2})\s*[-–]\s*(\d{1,2}:\d{2})$/;
const EUROS = /^(\d{1,2})(?:[,.](\d{1,2}))?$/;

export const WEEKDAYS = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];

/** A rule of one field, with one French message (whatever is wrong with the value). */
function Rule(
  message: string | ((value: unknown, form: Record<string, unknown>) => string),
  valid: (value: unknown, form: Record<string, unknown>) => boolean,
) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      target: object.constructor,
      propertyName,
      options: {
        message: (args: ValidationArguments) =>
          typeof message === 'string' ? message : message(args.value, args.object as Record<string, unknown>),
      } satisfies ValidationOptions,
      validator: { validate: (value: unknown, args: ValidationArguments) => valid(value, args.object as Record<string, unknown>) },
    });
}

/** A whole number typed in a text field, within bounds: "<label> : un nombre entier entre <min> et <max>". */
function WholeNumber(min: number, max: number, label: string) {
  const toNumber = Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\s*\d{1,6}\s*$/.test(value) ? Number(value) : value,
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

/** Minutes since midnight of a valid HH:MM. */
function minutesOf(time: string): number {
  const [h, m] = time.split(':').map(Number);
  return h * 60 + m;
}

/** Two-digit hours: « 8:30 » is « 08:30 ». */
function padTime(time: string): string {
  return time.length === 4 ? `0${time}` : time;
}

export type SlotsParse = { ok: true; slots: VideoCallSlot[] } | { ok: false; message: string };

/**
 * The slots typed one per line « HH:MM-HH:MM », sorted by start. Refused: a line that is not a
 * slot, a slot that ends before it starts (or when it starts), two slots that overlap (one may
 * start when the other ends), no slot at all.
 */
export function parseSlots(text: unknown): SlotsParse {
  if (typeof text !== 'string') return { ok: false, message: 'Créneaux : une ligne par créneau, au format HH:MM-HH:MM' };
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (lines.length === 0) return { ok: false, message: 'Indiquez au moins un créneau, au format HH:MM-HH:MM' };
  if (lines.length > 30) return { ok: false, message: 'Créneaux : 30 au plus' };
  const slots: VideoCallSlot[] = [];
  for (const line of lines) {
    const m = SLOT_LINE.exec(line);
    const start = m ? padTime(m[1]) : '';
    const end = m ? padTime(m[2]) : '';
    if (!m || !TIME.test(start) || !TIME.test(end)) return { ok: false, message: `Créneau « ${line} » : écrivez-le au format HH:MM-HH:MM` };
    if (minutesOf(end) <= minutesOf(start)) return { ok: false, message: `Créneau « ${line} » : la fin doit être après le début` };
    slots.push({ start, end });
  }
  slots.sort((a, b) => minutesOf(a.start) - minutesOf(b.start));
  for (let i = 1; i < slots.length; i++) {
    const [a, b] = [slots[i - 1], slots[i]];
    if (minutesOf(b.start) < minutesOf(a.end))
      return { ok: false, message: `Les créneaux ${a.start}-${a.end} et ${b.start}-${b.end} se chevauchent` };
  }
  return { ok: true, slots };
}

/** The slots as the form's lines. */
export function slotsText(slots: VideoCallSlot[]): string {
  return slots.map((s) => `${s.start}-${s.end}`).join('\n');
}

/** Euro cents from « 0,30 » (or « 0.30 », « 1 »); null when it is not an amount of at most 99,99 €. */
export function parseEuros(text: unknown): number | null {
  if (typeof text !== 'string') return null;
  const m = EUROS.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '0').padEnd(2, '0'));
}

/** « 0,30 » from 30 cents. */
export function euros(cents: number): string {
  return `${Math.floor(cents / 100)},${String(cents % 100).padStart(2, '0')}`;
}

/** A plan's name for people: « Sans forfait » or « Forfait 20 € ». */
export function planLabel(code: string): string {
  return code === 'NONE' ? 'Sans forfait' : `Forfait ${code} €`;
}

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** The first price of the table that is not an amount, as its error message; null when all are. */
function badPrice(form: Record<string, unknown>): string | null {
  const codes = list(form.planCode);
  const perMinute = list(form.perMinute);
  const connection = list(form.connection);
  if (codes.length === 0 || perMinute.length !== codes.length || connection.length !== codes.length)
    return 'Le tableau des prix est incomplet : rechargez la page';
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i];
    if (typeof code !== 'string' || !/^(NONE|[1-9]\d{0,3})$/.test(code)) return 'Le tableau des prix est incomplet : rechargez la page';
    if (parseEuros(perMinute[i]) === null)
      return `${planLabel(code)} : le prix par minute est un montant en euros positif ou nul, par exemple 0,30`;
    if (parseEuros(connection[i]) === null)
      return `${planLabel(code)} : les frais de connexion sont un montant en euros positif ou nul, par exemple 0,14`;
  }
  if (new Set(codes).size !== codes.length) return 'Le tableau des prix est incomplet : rechargez la page';
  return null;
}

/**
 * The price table's rows are fixed (one per plan of the current version); only prices are edited.
 * A posted table whose set of plan codes differs (a plan dropped or added by a crafted POST) is
 * refused: an account on a dropped plan would have no price. The French message, or null.
 */
export function planCodesChanged(current: VideoCallPlan[], posted: VideoCallPlan[]): string | null {
  const before = new Set(current.map((p) => p.code));
  const after = new Set(posted.map((p) => p.code));
  const same = before.size === after.size && [...before].every((c) => after.has(c));
  return same ? null : 'Le tableau des prix ne correspond plus aux forfaits en vigueur : rechargez la page';
}

/** The longest call fits in the shortest slot. */
function shortestSlot(form: Record<string, unknown>): number | null {
  const parsed = parseSlots(form.slots);
  return parsed.ok ? Math.min(...parsed.slots.map((s) => minutesOf(s.end) - minutesOf(s.start))) : null;
}

/** The settings form (ACTIVITIES_OFFICER, HEAD_OF_ESTABLISHMENT). Sundays are never open: not offered. */
export class VideoCallSettingsForm {
  @ToList()
  @Rule(
    'Cochez au moins un jour ouvert, du lundi au samedi',
    (v) => Array.isArray(v) && v.length > 0 && v.every((d) => typeof d === 'string' && /^[1-6]$/.test(d)) && new Set(v).size === v.length,
  )
  weekdays!: string[];

  @Rule((v) => (parseSlots(v) as { message?: string }).message ?? '', (v) => parseSlots(v).ok)
  slots!: string;

  @WholeNumber(0, 720, 'Délai de prévenance, en heures')
  noticeHours!: number;

  @Allow()
  @Transform(({ value }: { value: unknown }) => value === 'oui')
  mondayTuesdayUntilSaturday!: boolean;

  @WholeNumber(1, 50, 'Nombre d’appels du quota')
  quotaCalls!: number;

  @WholeNumber(1, 52, 'Durée du quota, en semaines')
  quotaWeeks!: number;

  @WholeNumber(5, 240, 'Durée minimale d’un appel, en minutes')
  minMinutes!: number;

  @WholeNumber(5, 240, 'Durée maximale d’un appel, en minutes')
  @Rule(
    (_v, form) =>
      typeof form.minMinutes === 'number' && typeof _v === 'number' && _v < form.minMinutes
        ? 'La durée maximale d’un appel ne peut pas être inférieure à la durée minimale'
        : `La durée maximale d’un appel dépasse le créneau le plus court (${shortestSlot(form)} min)`,
    (v, form) =>
      typeof v !== 'number' ||
      ((typeof form.minMinutes !== 'number' || v >= form.minMinutes) && (shortestSlot(form) === null || v <= (shortestSlot(form) ?? 0))),
  )
  maxMinutes!: number;

  @ToList()
  @Rule((_v, form) => badPrice(form) ?? '', (_v, form) => badPrice(form) === null)
  plans!: string[];

  @Allow()
  @ToList()
  planCode!: string[];

  @Allow()
  @ToList()
  perMinute!: string[];

  @Allow()
  @ToList()
  connection!: string[];

  settings(): VideoCallSettings {
    const parsed = parseSlots(this.slots);
    const plans: VideoCallPlan[] = this.planCode.map((code, i) => ({
      code,
      centsPerMinute: parseEuros(this.perMinute[i]) ?? 0,
      connectionCents: parseEuros(this.connection[i]) ?? 0,
    }));
    return {
      weekdays: this.weekdays.map(Number).sort((a, b) => a - b),
      slots: parsed.ok ? parsed.slots : [],
      noticeHours: this.noticeHours,
      mondayTuesdayUntilSaturday: this.mondayTuesdayUntilSaturday === true,
      quotaCalls: this.quotaCalls,
      quotaWeeks: this.quotaWeeks,
      minMinutes: this.minMinutes,
      maxMinutes: this.maxMinutes,
      plans,
    };
  }
}

/** The form's values for these settings (the edit form shows the current ones). */
export function formValues(s: VideoCallSettings): Record<string, unknown> {
  return {
    weekdays: s.weekdays.map(String),
    slots: slotsText(s.slots),
    noticeHours: String(s.noticeHours),
    mondayTuesdayUntilSaturday: s.mondayTuesdayUntilSaturday ? 'oui' : '',
    quotaCalls: String(s.quotaCalls),
    quotaWeeks: String(s.quotaWeeks),
    minMinutes: String(s.minMinutes),
    maxMinutes: String(s.maxMinutes),
    planCode: s.plans.map((p) => p.code),
    perMinute: s.plans.map((p) => euros(p.centsPerMinute)),
    connection: s.plans.map((p) => euros(p.connectionCents)),
  };
}

/** A device's name (add or rename). */
export class DeviceForm {
  @Trim()
  @Rule('Nom de la salle ou de l’appareil : de 1 à 100 caractères', (v) => typeof v === 'string' && v.length >= 1 && v.length <= 100)
  name!: string;
}

function days(weekdays: number[]): string {
  return weekdays.map((d) => WEEKDAYS[d - 1]).join(', ');
}

function prices(p: VideoCallPlan): string {
  return `${euros(p.centsPerMinute)} €/min${p.connectionCents ? ` + ${euros(p.connectionCents)} € de connexion` : ''}`;
}

/** What changed from one version of the settings to the next, one French sentence per setting. */
export function describeChanges(before: VideoCallSettings, after: VideoCallSettings): string[] {
  const out: string[] = [];
  const was = (label: string, a: string, b: string) => {
    if (a !== b) out.push(`${label} : ${a} → ${b}`);
  };
  was('Jours ouverts', days(before.weekdays), days(after.weekdays));
  was('Créneaux', before.slots.map((s) => `${s.start}-${s.end}`).join(', '), after.slots.map((s) => `${s.start}-${s.end}`).join(', '));
  was('Délai de prévenance', `${before.noticeHours} h`, `${after.noticeHours} h`);
  was(
    'Lundi et mardi réservables jusqu’au samedi',
    before.mondayTuesdayUntilSaturday ? 'oui' : 'non',
    after.mondayTuesdayUntilSaturday ? 'oui' : 'non',
  );
  was(
    'Quota',
    `${before.quotaCalls} appel(s) en ${before.quotaWeeks} semaine(s)`,
    `${after.quotaCalls} appel(s) en ${after.quotaWeeks} semaine(s)`,
  );
  was('Durée d’un appel', `${before.minMinutes} à ${before.maxMinutes} min`, `${after.minMinutes} à ${after.maxMinutes} min`);
  const codes = [...new Set([...before.plans.map((p) => p.code), ...after.plans.map((p) => p.code)])];
  for (const code of codes) {
    const a = before.plans.find((p) => p.code === code);
    const b = after.plans.find((p) => p.code === code);
    was(planLabel(code), a ? prices(a) : 'aucun', b ? prices(b) : 'aucun');
  }
  return out;
}
