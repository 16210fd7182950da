import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/access.decorator';
import { actorOf, type Principal } from '../auth/principal';
import { DomainError } from '../common/domain-error';
import { whenLabel } from '../appointments/appointment.rules';
import type { Establishment } from '../establishments/establishment.entity';
import { EstablishmentsService } from '../establishments/establishments.service';
import { VisitsService } from './visits.service';

const CHANNELS = { PHONE: 'Par téléphone', IN_PERSON: 'Sur place, à l’accueil des familles' } as const;

/** The visiting-room agents book on a family's behalf (phone, in person), with the same checks. */
@Controller('etablissements/:establishment/visites')
export class StaffVisitsController {
  constructor(
    private readonly visits: VisitsService,
    private readonly establishments: EstablishmentsService,
  ) {}

  @Get('reserver')
  @Roles('PARLOIR_AGENT', 'PERMITS_OFFICER')
  async form(
    @Param('establishment') code: string,
    @Query('ecrou') ecrou: string | undefined,
    @Query('reservee') booked: string | undefined,
    @Res() res: Response,
  ) {
    await this.render(res, await this.establishments.byCode(code), String(ecrou ?? ''), { booked }, []);
  }

  @Post('reserver')
  @Roles('PARLOIR_AGENT', 'PERMITS_OFFICER')
  async book(
    @Param('establishment') code: string,
    @Body() body: Record<string, string | string[] | undefined>,
    @CurrentPrincipal() p: Principal,
    @Res() res: Response,
  ) {
    const establishment = await this.establishments.byCode(code);
    const ecrou = String(body.ecrou ?? '');
    const found = await this.visits.detaineeWithPermits(establishment.id, ecrou);
    const [templateId, day] = String(body.slot ?? '').split('|');
    const channel = body.channel === 'PHONE' || body.channel === 'IN_PERSON' ? body.channel : null;
    const errors: { field: string; message: string }[] = [];
    if (!found) errors.push({ field: 'ecrou', message: 'Aucune personne détenue présente n’a ce numéro d’écrou.' });
    if (!templateId || !day) errors.push({ field: 'slot', message: 'Choisissez un créneau' });
    if (!channel) errors.push({ field: 'channel', message: 'Indiquez comment la famille a demandé la visite' });
    if (errors.length) return this.render(res.status(400), establishment, ecrou, body, errors);
    const permitIds = ([] as string[]).concat(body.permitIds ?? []).map(String);
    const families = new Set(
      found!.permits
        .filter((x: { id: string }) => permitIds.includes(x.id))
        .map((x: { family_account_id: string | null }) => x.family_account_id),
    );
    const familyAccountId = families.size === 1 ? ([...families][0] as string | null) : null;
    try {
      const visit = await this.visits.book(actorOf(p), {
        familyAccountId,
        templateId,
        day,
        detaineeId: found!.detainee.id,
        permitIds,
        channel: channel!,
        idempotencyKey: familyAccountId ? String(body.key ?? '') || undefined : undefined,
        contact: { email: String(body.email ?? '').trim() || null, phone: String(body.phone ?? '').trim() || null },
      });
      res.redirect(303, `/etablissements/${code}/visites/reserver?reservee=${visit.reference}`);
    } catch (e) {
      if (e instanceof DomainError && e.status !== 404)
        return this.render(res.status(e.status === 409 ? 409 : 400), establishment, ecrou, body, [
          { field: e.code === 'INVALID_PHONE' ? 'phone' : e.code === 'INVALID_EMAIL' ? 'email' : 'slot', message: e.message },
        ]);
      throw e;
    }
  }

  private async render(
    res: Response,
    establishment: Establishment,
    ecrou: string,
    values: Record<string, unknown>,
    errors: { field: string; message: string }[],
  ) {
    const found = ecrou ? await this.visits.detaineeWithPermits(establishment.id, ecrou) : null;
    const slots = found ? await this.visits.openSlots(establishment.id) : [];
    res.render('visits/staff-book.njk', {
      establishment,
      ecrou,
      found,
      notFound: Boolean(ecrou) && !found,
      slots: slots.map((s) => ({ ...s, when: whenLabel(s.startsAt, establishment.timeZone) })),
      channels: CHANNELS,
      values,
      errors,
      key: typeof values.key === 'string' ? values.key : randomUUID(),
    });
  }
}
