import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, NotFoundException, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/access.decorator';
import type { Principal } from '../auth/principal';
import { DomainError } from '../common/domain-error';
import { whenLabel } from '../appointments/appointment.rules';
import { FamiliesService } from '../families/families.service';
import { VISIT_STATUS_LABELS } from './visit-day.rules';
import { canCancel } from './visit.rules';
import { VisitsService } from './visits.service';
import { WaitlistService } from './waitlist.service';

/** Families book their visits: who they visit, who comes, which slot. */
@Controller('visites')
export class FamilyVisitsController {
  constructor(
    private readonly visits: VisitsService,
    private readonly families: FamiliesService,
    private readonly waitlist: WaitlistService,
  ) {}

  @Get()
  @Roles('FAMILY')
  async mine(@CurrentPrincipal() p: Principal, @Query() q: Record<string, string | undefined>, @Res() res: Response) {
    const now = new Date();
    const list: { status: string; starts_at: Date; establishment_id: string; time_zone: string }[] = await this.visits.familyVisits(p.id);
    // One settings read per establishment, not per visit.
    const establishments = [...new Set(list.filter((v) => v.status === 'BOOKED').map((v) => v.establishment_id))];
    const settings = new Map(await Promise.all(establishments.map(async (id) => [id, await this.visits.settings(id)] as const)));
    res.render('visits/mine.njk', {
      visits: list.map((v) => ({
        ...v,
        when: whenLabel(new Date(v.starts_at), v.time_zone),
        changeable: v.status === 'BOOKED' && canCancel(new Date(v.starts_at), now, settings.get(v.establishment_id)!),
      })),
      waitlist: (await this.waitlist.forFamily(p.id)).map(this.waitLabels),
      statusLabels: VISIT_STATUS_LABELS,
      booked: q.reservee,
      moved: q.deplacee,
      waiting: q.attente,
    });
  }

  private waitLabels = (w: { starts_at: Date; offer_expires_at: Date | null; time_zone: string }) => ({
    ...w,
    when: whenLabel(new Date(w.starts_at), w.time_zone),
    expires: w.offer_expires_at ? whenLabel(new Date(w.offer_expires_at), w.time_zone) : null,
  });

  @Get(':id/deplacer')
  @Roles('FAMILY')
  async moveForm(@CurrentPrincipal() p: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Res() res: Response) {
    await this.renderMove(res, p, id, {}, []);
  }

  @Post(':id/deplacer')
  @Roles('FAMILY')
  async move(
    @CurrentPrincipal() p: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: { slot?: string },
    @Res() res: Response,
  ) {
    const [templateId, day] = String(body.slot ?? '').split('|');
    if (!templateId || !day)
      return this.renderMove(res.status(400), p, id, body, [{ field: 'slot', message: 'Choisissez le nouveau créneau' }]);
    try {
      const moved = await this.visits.move({ type: 'FAMILY', id: p.id }, id, templateId, day, p.id);
      res.redirect(303, `/visites?deplacee=${moved.reference}`);
    } catch (e) {
      if (e instanceof DomainError && e.status !== 404)
        return this.renderMove(res.status(e.status === 409 ? 409 : 400), p, id, body, [{ field: 'slot', message: e.message }]);
      throw e;
    }
  }

  private async renderMove(
    res: Response,
    p: Principal,
    id: string,
    values: Record<string, unknown>,
    errors: { field: string; message: string }[],
  ) {
    const visit = (await this.visits.familyVisits(p.id)).find((v: { id: string; status: string }) => v.id === id && v.status === 'BOOKED');
    if (!visit) throw new NotFoundException();
    const slots = (await this.visits.openSlots(visit.establishment_id)).filter(
      (s) => s.startsAt.getTime() !== new Date(visit.starts_at).getTime(),
    );
    res.render('visits/move.njk', {
      action: `/visites/${id}/deplacer`,
      back: '/visites',
      visit: { ...visit, when: whenLabel(new Date(visit.starts_at), visit.time_zone) },
      slots: slots.map((s) => ({ ...s, when: whenLabel(s.startsAt, s.timeZone) })),
      values,
      errors,
    });
  }

  @Get('liste-attente/:id')
  @Roles('FAMILY')
  async offer(@CurrentPrincipal() p: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Res() res: Response) {
    await this.renderOffer(res, p, id, []);
  }

  /** The offer page; after a failed confirmation the entry may be over (expired): the reason is still shown. */
  private async renderOffer(res: Response, p: Principal, id: string, errors: { field: string; message: string }[]) {
    const w = await this.waitlist.findForFamily(p.id, id);
    if (!w && errors.length === 0) throw new NotFoundException('Cette inscription n’est plus en cours.');
    res.render('visits/waitlist-offer.njk', { w: w ? this.waitLabels(w) : null, errors });
  }

  @Post('liste-attente/:id/confirmer')
  @Roles('FAMILY')
  async accept(@CurrentPrincipal() p: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Res() res: Response) {
    const account = await this.families.find(p.id);
    try {
      const visit = await this.waitlist.accept(p.id, id, { email: account?.email ?? null, phone: account?.mobilePhone ?? null });
      res.redirect(303, `/visites?reservee=${visit.reference}`);
    } catch (e) {
      if (e instanceof DomainError && e.status !== 404)
        return this.renderOffer(res.status(409), p, id, [{ field: 'global', message: e.message }]);
      throw e;
    }
  }

  @Post('liste-attente/:id/retirer')
  @Roles('FAMILY')
  async withdraw(@CurrentPrincipal() p: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Res() res: Response) {
    await this.waitlist.withdraw(p.id, id);
    res.redirect(303, '/visites');
  }

  @Get('reserver')
  @Roles('FAMILY')
  async form(@CurrentPrincipal() p: Principal, @Query('detenu') detaineeId: string | undefined, @Res() res: Response) {
    await this.render(res, p, detaineeId, {}, []);
  }

  @Post('reserver')
  @Roles('FAMILY')
  async book(@CurrentPrincipal() p: Principal, @Body() body: Record<string, string | string[] | undefined>, @Res() res: Response) {
    const detaineeId = String(body.detaineeId ?? '');
    const permitIds = ([] as string[]).concat(body.permitIds ?? []).map(String);
    const [templateId, day] = String(body.slot ?? '').split('|');
    if (!templateId || !day)
      return this.render(res.status(400), p, detaineeId, body, [{ field: 'slot', message: 'Choisissez un créneau' }]);
    if (body.action === 'wait') {
      try {
        await this.waitlist.join(p.id, { templateId, day, detaineeId, permitIds });
        return res.redirect(303, '/visites?attente=1');
      } catch (e) {
        if (e instanceof DomainError && e.status !== 404)
          return this.render(res.status(e.status === 409 ? 409 : 400), p, detaineeId, body, [{ field: 'slot', message: e.message }]);
        throw e;
      }
    }
    const account = await this.families.find(p.id);
    try {
      const visit = await this.visits.book(
        { type: 'FAMILY', id: p.id },
        {
          familyAccountId: p.id,
          templateId,
          day,
          detaineeId,
          permitIds,
          channel: 'ONLINE',
          idempotencyKey: String(body.key ?? '') || undefined,
          contact: { email: account?.email ?? null, phone: account?.mobilePhone ?? null },
        },
      );
      res.redirect(303, `/visites?reservee=${visit.reference}`);
    } catch (e) {
      if (e instanceof DomainError && e.status !== 404)
        return this.render(res.status(e.status === 409 ? 409 : 400), p, detaineeId, body, [{ field: 'slot', message: e.message }]);
      throw e;
    }
  }

  private async render(
    res: Response,
    p: Principal,
    detaineeId: string | undefined,
    values: Record<string, unknown>,
    errors: { field: string; message: string }[],
  ) {
    const permits = await this.visits.familyPermits(p.id);
    const detainees = [
      ...new Map(
        permits.map((x: { detainee_id: string; detainee: string; establishment: string; establishment_id: string }) => [x.detainee_id, x]),
      ).values(),
    ] as {
      detainee_id: string;
      detainee: string;
      establishment: string;
      establishment_id: string;
    }[];
    const chosen = detainees.find((d) => d.detainee_id === detaineeId) ?? (detainees.length === 1 ? detainees[0] : undefined);
    const slots = chosen ? await this.visits.openSlots(chosen.establishment_id) : [];
    res.render('visits/book.njk', {
      detainees,
      chosen,
      visitors: chosen ? permits.filter((x: { detainee_id: string }) => x.detainee_id === chosen.detainee_id) : [],
      slots: slots.map((s) => ({ ...s, when: whenLabel(s.startsAt, s.timeZone) })),
      values,
      errors,
      key: typeof values.key === 'string' ? values.key : randomUUID(),
    });
  }
}
