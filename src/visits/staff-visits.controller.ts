import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/access.decorator';
import { actorOf, type Principal } from '../auth/principal';
import type { DomainError } from '../common/domain-error';
import { attempt, type FieldError, validateForm } from '../common/forms';
import { CurrentEstablishment } from '../establishments/current-establishment';
import type { Establishment } from '../establishments/establishment.entity';
import { VisitBookingService } from './visit-booking.service';
import { slotChoice, StaffBookVisitForm, StaffSearchQuery } from './visit.form';
import { VisitReadService } from './visit-read.service';

/** The écrou search field (the booking form's own écrou is a hidden copy of it). */
const SEARCH = 'ecrou-search';
const NOT_FOUND = 'Aucune personne détenue présente n’a ce numéro d’écrou.';

const CHANNELS = { PHONE: 'Par téléphone', IN_PERSON: 'Sur place, à l’accueil des familles' } as const;

/** The field a refusal of the booking belongs to. */
function fieldOf(e: DomainError): string {
  if (e.code === 'INVALID_PHONE') return 'phone';
  if (e.code === 'INVALID_EMAIL') return 'email';
  if (e.code === 'UNKNOWN_ECROU') return SEARCH;
  return 'slot';
}

/** The visiting-room agents book on a family's behalf (phone, in person), with the same checks. */
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
    if (!q.ok)
      return this.render(
        res.status(400),
        establishment,
        '',
        {},
        q.errors.map((e) => ({ ...e, field: SEARCH })),
      );
    await this.render(res, establishment, q.value.ecrou ?? '', { booked: q.value.reservee }, []);
  }

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
      return this.render(res.status(400), establishment, ecrou, form.values, errors);
    }
    const { ecrou, permitIds, slot, channel, email, phone, key } = form.value;
    const booked = await attempt(
      () =>
        this.booking.bookForFamily(actorOf(p), establishment.id, {
          ...slotChoice(slot),
          ecrou,
          permitIds,
          channel,
          idempotencyKey: key,
          contact: { email: email ?? null, phone: phone ?? null },
        }),
      fieldOf,
    );
    if (!booked.ok)
      return this.render(res.status(booked.status === 409 ? 409 : 400), establishment, ecrou, { ...form.value }, booked.errors);
    res.redirect(303, `/etablissements/${establishment.code}/visites/reserver?reservee=${booked.value.reference}`);
  }

  private async render(res: Response, establishment: Establishment, ecrou: string, values: Record<string, unknown>, errors: FieldError[]) {
    const { found, slots } = await this.reads.staffBookingForm(establishment, ecrou);
    res.render('visits/staff-book.njk', {
      establishment,
      ecrou,
      found,
      ecrouError: errors.find((e) => e.field === SEARCH)?.message ?? (ecrou && !found ? NOT_FOUND : null),
      slots,
      channels: CHANNELS,
      values,
      errors,
      key: typeof values.key === 'string' ? values.key : randomUUID(),
    });
  }
}
