import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/access.decorator';
import { actorOf, type Principal } from '../auth/principal';
import type { DomainError } from '../common/domain-error';
import { attempt, type FieldError, validateForm } from '../common/forms';
import { CurrentEstablishment } from '../establishments/current-establishment';
import type { Establishment } from '../establishments/establishment.entity';
import { weekNavigation } from './booking-weeks.rules';
import { type StaffBooking, VisitBookingService } from './visit-booking.service';
import { slotChoice, StaffBookVisitForm, StaffSearchQuery } from './visit.form';
import { MAX_MATCHES, VisitReadService } from './visit-read.service';
import { dayLabel } from './visit.rules';

/** The search field: a name or an écrou (the booking form's own écrou is a hidden copy of the detainee found). */
const SEARCH = 'recherche';
const UNKNOWN_ECROU = 'Aucune personne détenue présente n’a ce numéro d’écrou.';

const CHANNELS = { PHONE: 'Par téléphone', IN_PERSON: 'Sur place, à l’accueil des familles' } as const;

/** The field a refusal of the booking belongs to. */
function fieldOf(e: DomainError): string {
  if (e.code === 'INVALID_PHONE') return 'phone';
  if (e.code === 'INVALID_EMAIL') return 'email';
  if (e.code === 'UNKNOWN_ECROU') return SEARCH;
  if (e.code === 'OVER_CAP_REASON') return 'overCapReason';
  return 'slot';
}

/** What the agent looked for: the search typed, the detainee chosen (écrou), the visitors who come (undefined: not chosen yet). */
interface Lookup {
  search: string;
  ecrou: string;
  visitorIds: string[] | undefined;
}

/**
 * The visiting-room agents book on a family's behalf (phone, in person), with the same checks: the
 * detainee found by name or écrou, the visitors who come, a slot among those they can take (each
 * other slot says why not), the family's known contact pre-filled; then the booking is read back to
 * the caller (date, time, room, visitors) before it is confirmed, and « Modifier » keeps what was typed.
 */
@Controller('etablissements/:establishment/visites')
export class StaffVisitsController {
  constructor(
    private readonly booking: VisitBookingService,
    private readonly reads: VisitReadService,
  ) {}

  @Get('reserver')
  @Roles('PARLOIR_AGENT', 'PERMITS_OFFICER')
  async form(@CurrentEstablishment() establishment: Establishment, @Query() query: unknown, @Res() res: Response) {
    const q = await validateForm(StaffSearchQuery, query);
    if (!q.ok) {
      const errors = q.errors.map((e) => (e.field === 'ecrou' ? { ...e, field: SEARCH } : e));
      return this.render(res.status(400), establishment, { search: '', ecrou: '', visitorIds: undefined }, {}, errors);
    }
    const { recherche, ecrou, visiteurs, etape, reservee } = q.value;
    const raw = (query ?? {}) as Record<string, unknown>;
    const lookup = { search: recherche ?? '', ecrou: ecrou ?? '', visitorIds: 'visiteurs' in raw ? visiteurs : undefined };
    if (etape === 'visiteurs') return this.render(res, establishment, { ...lookup, visitorIds: [] }, { visiteurs: visiteurs ?? [] }, []);
    if (etape === 'creneaux' && !lookup.visitorIds?.length)
      return this.render(res.status(400), establishment, { ...lookup, visitorIds: [] }, {}, [
        { field: 'visiteurs', message: 'Choisissez qui vient à la visite' },
      ]);
    await this.render(res, establishment, lookup, { booked: reservee, semaine: raw.semaine }, []);
  }

  /** Without `confirme=oui`: the booking checked, then read back. With it: booked. */
  @Post('reserver')
  @Roles('PARLOIR_AGENT', 'PERMITS_OFFICER')
  async book(
    @CurrentEstablishment() establishment: Establishment,
    @Body() body: unknown,
    @CurrentPrincipal() p: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(StaffBookVisitForm, body);
    if (!form.ok) {
      const ecrou = typeof form.values.ecrou === 'string' ? form.values.ecrou : '';
      const errors = form.errors.map((e) => (e.field === 'ecrou' ? { ...e, field: SEARCH } : e));
      return this.render(
        res.status(400),
        establishment,
        { search: '', ecrou, visitorIds: listOf(form.values.permitIds) },
        form.values,
        errors,
      );
    }
    const { ecrou, permitIds, slot, channel, email, phone, key, confirme, overCapReason } = form.value;
    const lookup = { search: '', ecrou, visitorIds: permitIds };
    const semaine = (body as Record<string, unknown>).semaine;
    const input: StaffBooking = {
      ...slotChoice(slot),
      ecrou,
      permitIds,
      channel,
      idempotencyKey: key,
      contact: { email: email ?? null, phone: phone ?? null },
      overCapReason: overCapReason ?? null,
    };
    if (confirme !== 'oui') {
      const checked = await attempt(() => this.booking.checkForFamily(establishment.id, input), fieldOf);
      if (!checked.ok)
        return this.render(
          res.status(checked.status === 409 ? 409 : 400),
          establishment,
          lookup,
          { ...form.value, semaine },
          checked.errors,
        );
      const { found, coming } = await this.reads.staffBookingForm(establishment, lookup, { slot });
      const s = checked.value;
      return res.status(200).render('visits/staff-book-check.njk', {
        establishment,
        detainee: found?.detainee,
        visitors: coming.map((v) => v.visitor),
        day: `${dayLabel(input.day)} ${input.day.slice(0, 4)}`,
        time: { from: s.t.startTime.slice(0, 5).replace(':', ' h '), to: s.t.endTime.slice(0, 5).replace(':', ' h ') },
        room: s.t.roomName,
        channel: CHANNELS[channel],
        phoneCall: channel === 'PHONE',
        email: email ?? null,
        phone: phone ?? null,
        overCapReason: overCapReason ?? null,
        action: `/etablissements/${establishment.code}/visites/reserver`,
        hidden: hiddenFields(form.value),
      });
    }
    const booked = await attempt(() => this.booking.bookForFamily(actorOf(p), establishment.id, input), fieldOf);
    if (!booked.ok)
      return this.render(res.status(booked.status === 409 ? 409 : 400), establishment, lookup, { ...form.value, semaine }, booked.errors);
    res.redirect(303, `/etablissements/${establishment.code}/visites/reserver?reservee=${booked.value.reference}`);
  }

  /** « Modifier » on the read-back: the form again, with everything typed. */
  @Post('reserver/modifier')
  @Roles('PARLOIR_AGENT', 'PERMITS_OFFICER')
  async again(@CurrentEstablishment() establishment: Establishment, @Body() body: unknown, @Res() res: Response) {
    const values: Record<string, unknown> = {};
    for (const [k, v] of Object.entries((body ?? {}) as Record<string, unknown>))
      if (k !== '_csrf' && k !== 'confirme' && (typeof v === 'string' || Array.isArray(v))) values[k] = v;
    const ecrou = typeof values.ecrou === 'string' ? values.ecrou : '';
    await this.render(res.status(200), establishment, { search: '', ecrou, visitorIds: listOf(values.permitIds) }, values, []);
  }

  private async render(res: Response, establishment: Establishment, lookup: Lookup, values: Record<string, unknown>, errors: FieldError[]) {
    // The week of the slot chosen (a form sent back), else the week asked (`semaine`).
    const form = await this.reads.staffBookingForm(establishment, lookup, { semaine: values.semaine, slot: values.slot });
    const ecrou = form.found?.detainee.ecrouNumber;
    const here =
      ecrou &&
      `/etablissements/${establishment.code}/visites/reserver?ecrou=${encodeURIComponent(ecrou)}` +
        `${form.coming.map((v) => `&visiteurs=${v.id}`).join('')}&semaine=`;
    // The family's known contact, unless the agent already typed (or cleared) one.
    const typed = 'email' in values || 'phone' in values || 'channel' in values;
    const contact = !typed && form.contact ? { email: form.contact.email ?? '', phone: form.contact.phone ?? '' } : {};
    const searched = lookup.search || (lookup.ecrou && !form.found ? lookup.ecrou : '');
    const notFound =
      searched && !form.found && form.matches.length === 0
        ? lookup.search
          ? `Aucune personne détenue présente ne correspond à « ${lookup.search} » : vérifiez le nom ou le numéro d’écrou.`
          : UNKNOWN_ECROU
        : null;
    res.render('visits/staff-book.njk', {
      establishment,
      search: searched,
      ...form,
      weeks: form.week && here ? weekNavigation(form.week.weeks, form.week.current, (monday) => `${here}${monday}`) : null,
      matches: form.matches.slice(0, MAX_MATCHES),
      moreMatches: Math.max(0, form.matches.length - MAX_MATCHES),
      searchError: errors.find((e) => e.field === SEARCH)?.message ?? notFound,
      channels: CHANNELS,
      overCapOffered: form.days.some((d) => d.slots.some((s) => s.overCap)) || errors.some((e) => e.field === 'overCapReason'),
      values: { ...contact, ...values },
      errors,
      key: typeof values.key === 'string' ? values.key : randomUUID(),
    });
  }
}

/** A form value that is one text or several (checkboxes), as a list. */
function listOf(value: unknown): string[] {
  return (Array.isArray(value) ? (value as unknown[]) : [value]).filter((v): v is string => typeof v === 'string' && v !== '');
}

/** The values the read-back carries in its hidden fields (its confirmation and « Modifier » post them back), nothing empty. */
function hiddenFields(v: StaffBookVisitForm): [string, string][] {
  const fields: [string, string][] = [
    ['ecrou', v.ecrou],
    ...v.permitIds.map((id): [string, string] => ['permitIds', id]),
    ['slot', v.slot],
  ];
  fields.push(['channel', v.channel]);
  if (v.email) fields.push(['email', v.email]);
  if (v.phone) fields.push(['phone', v.phone]);
  if (v.key) fields.push(['key', v.key]);
  if (v.overCapReason) fields.push(['overCapReason', v.overCapReason]);
  return fields;
}
