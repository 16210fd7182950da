import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/access.decorator';
import type { Principal } from '../auth/principal';
import { DomainError } from '../common/domain-error';
import { whenLabel } from '../appointments/appointment.rules';
import { FamiliesService } from '../families/families.service';
import { VisitsService } from './visits.service';

/** Families book their visits: who they visit, who comes, which slot. */
@Controller('visites')
export class FamilyVisitsController {
  constructor(
    private readonly visits: VisitsService,
    private readonly families: FamiliesService,
  ) {}

  @Get()
  @Roles('FAMILY')
  async mine(@CurrentPrincipal() p: Principal, @Query('reservee') booked: string | undefined, @Res() res: Response) {
    const list = await this.visits.familyVisits(p.id);
    res.render('visits/mine.njk', { visits: list.map((v: { starts_at: Date }) => ({ ...v, when: whenLabel(new Date(v.starts_at)) })), booked });
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
    if (!templateId || !day) return this.render(res.status(400), p, detaineeId, body, [{ field: 'slot', message: 'Choisissez un créneau' }]);
    const account = await this.families.find(p.id);
    try {
      const visit = await this.visits.book(
        { type: 'FAMILY', id: p.id },
        { familyAccountId: p.id, templateId, day, detaineeId, permitIds, channel: 'ONLINE', idempotencyKey: String(body.key ?? '') || undefined, contact: { email: account?.email ?? null, phone: account?.mobilePhone ?? null } },
      );
      res.redirect(303, `/visites?reservee=${visit.reference}`);
    } catch (e) {
      if (e instanceof DomainError && e.status !== 404) return this.render(res.status(e.status === 409 ? 409 : 400), p, detaineeId, body, [{ field: 'slot', message: e.message }]);
      throw e;
    }
  }

  private async render(res: Response, p: Principal, detaineeId: string | undefined, values: Record<string, unknown>, errors: { field: string; message: string }[]) {
    const permits = await this.visits.familyPermits(p.id);
    const detainees = [...new Map(permits.map((x: { detainee_id: string; detainee: string; establishment: string; establishment_id: string }) => [x.detainee_id, x])).values()] as {
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
      slots: slots.map((s) => ({ ...s, when: whenLabel(s.startsAt) })),
      values,
      errors,
      key: typeof values.key === 'string' ? values.key : randomUUID(),
    });
  }
}
