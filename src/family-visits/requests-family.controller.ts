import { uploadRefused } from '../common/upload.middleware';
import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/access.decorator';
import { actorOf, type Principal } from '../auth/principal';
import { DomainError } from '../common/domain-error';
import { IdParam } from '../common/params';
import { attempt, FieldError, validateForm } from '../common/forms';
import { parsePage } from '../common/pagination';
import { REQUEST_STATUS_BADGES } from './family-page.rules';
import { sendFamilyVisitDocument as sendDocument } from './requests.http';
import { FamilyRequestForm, RequestDocumentForm } from './requests.form';
import { durationChoices } from './requests.rules';
import { familyVisitLabels } from './family-texts';
import { FamilyVisitRequestsService } from './requests.service';

/** The labels of the family's pages, in the request's language. */
function labels() {
  return {
    ...familyVisitLabels(),
    statusBadges: REQUEST_STATUS_BADGES,
    uvfHours: durationChoices('UVF'),
    pfHours: durationChoices('PF'),
  };
}

function fieldOf(e: DomainError): string {
  const fields: Record<string, string> = { DURATION: 'hours', PERIOD: 'wishedFrom', VISITORS: 'visitors', DUPLICATE: 'visitors' };
  return fields[e.code] ?? 'kind';
}

/** The companion chosen for each minor: fields `accompagnant-<permit id>` = the adult's permit id. */
function companionsOf(body: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((body ?? {}) as Record<string, unknown>)) {
    const m = /^accompagnant-([0-9a-f-]{36})$/.exec(k);
    if (m && typeof v === 'string' && /^[0-9a-f-]{36}$/.test(v)) out[m[1]] = v;
  }
  return out;
}

/** « Mes demandes UVF / parloir familial »: the family's requests, a new one, its documents. */
@Controller('uvf')
export class FamilyVisitRequestsFamilyController {
  constructor(private readonly requests: FamilyVisitRequestsService) {}

  @Get()
  @Roles('FAMILY')
  async mine(
    @CurrentPrincipal() principal: Principal,
    @Query('page') page: unknown,
    @Query('envoyee') sent: unknown,
    @Res() res: Response,
  ) {
    const { requests, page: p } = await this.requests.myRequests(principal.id, parsePage(page));
    res.render('family-visits/requests-family-list.njk', { requests, page: p, sent: typeof sent === 'string' ? sent : null, ...labels() });
  }

  @Get('nouvelle')
  @Roles('FAMILY')
  async choose(@CurrentPrincipal() principal: Principal, @Res() res: Response) {
    res.render('family-visits/requests-family-choose.njk', { detainees: await this.requests.myDetainees(principal.id) });
  }

  @Get('nouvelle/:detaineeId')
  @Roles('FAMILY')
  async newForm(@CurrentPrincipal() principal: Principal, @IdParam('detaineeId') detaineeId: string, @Res() res: Response) {
    await this.renderForm(res, principal, detaineeId, [], { kind: 'UVF', visitors: [] });
  }

  @Post('nouvelle/:detaineeId')
  @Roles('FAMILY')
  async file(
    @CurrentPrincipal() principal: Principal,
    @IdParam('detaineeId') detaineeId: string,
    @Body() body: unknown,
    @Res() res: Response,
  ) {
    const form = await validateForm(FamilyRequestForm, body);
    if (!form.ok) return this.renderForm(res.status(400), principal, detaineeId, form.errors, form.values);
    const companions = companionsOf(body);
    const done = await attempt(
      () => this.requests.fileOnline({ ...actorOf(principal), id: principal.id }, detaineeId, { ...form.value, companions }),
      fieldOf,
    );
    if (!done.ok) return this.renderForm(res.status(done.status), principal, detaineeId, done.errors, { ...form.value, ...companions });
    res.redirect(303, `/uvf?envoyee=${done.value.reference}`);
  }

  @Get('demandes/:requestId')
  @Roles('FAMILY')
  async show(@CurrentPrincipal() principal: Principal, @IdParam('requestId') requestId: string, @Res() res: Response) {
    await this.renderRequest(res, principal, requestId, [], {});
  }

  @Post('demandes/:requestId/documents')
  @Roles('FAMILY')
  async upload(
    @CurrentPrincipal() principal: Principal,
    @IdParam('requestId') requestId: string,
    @Body() body: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    if (req.uploadRefusal) return this.renderRequest(res.status(400), principal, requestId, [uploadRefused(req)], body);
    const form = await validateForm(RequestDocumentForm, body);
    if (!form.ok) return this.renderRequest(res.status(400), principal, requestId, form.errors, form.values);
    const f = form.value;
    const done = await attempt(
      () =>
        this.requests.uploadFamilyDocument(
          { ...actorOf(principal), id: principal.id },
          requestId,
          {
            kind: f.kind,
            consentGivenBy: f.consentGivenBy ?? null,
            consentCapacity: f.consentCapacity ?? null,
            consentCompanion: f.consentCompanion ?? null,
            childExitTime: f.childExitTime ?? null,
            childCarer: f.childCarer ?? null,
          },
          req.file,
        ),
      (e) => (e.code === 'EXIT_TIME' ? 'childExitTime' : e.code === 'CONSENT_COMPANION' ? 'consentCompanion' : 'fichier'),
    );
    if (!done.ok) return this.renderRequest(res.status(done.status), principal, requestId, done.errors, f);
    res.redirect(303, `/uvf/demandes/${requestId}`);
  }

  /** The confirmation page before the family withdraws its request. */
  @Get('demandes/:requestId/retrait')
  @Roles('FAMILY')
  async withdrawForm(@CurrentPrincipal() principal: Principal, @IdParam('requestId') requestId: string, @Res() res: Response) {
    await this.renderWithdrawal(res, principal, requestId, []);
  }

  @Post('demandes/:requestId/retrait')
  @Roles('FAMILY')
  async withdraw(@CurrentPrincipal() principal: Principal, @IdParam('requestId') requestId: string, @Res() res: Response) {
    const done = await attempt(() => this.requests.withdrawOwn({ ...actorOf(principal), id: principal.id }, requestId), 'retrait');
    if (!done.ok) return this.renderWithdrawal(res.status(done.status), principal, requestId, done.errors);
    res.redirect(303, `/uvf/demandes/${requestId}`);
  }

  @Get('documents/:documentId')
  @Roles('FAMILY')
  async document(@CurrentPrincipal() principal: Principal, @IdParam('documentId') documentId: string, @Res() res: Response) {
    sendDocument(res, await this.requests.myDocument(principal.id, documentId));
  }

  private async renderForm(res: Response, principal: Principal, detaineeId: string, errors: FieldError[], values: unknown) {
    const { detainee, permits } = await this.requests.myDetainee(principal.id, detaineeId);
    res.render('family-visits/requests-family-new.njk', { detainee, permits, errors, values, ...labels() });
  }

  private async renderWithdrawal(res: Response, principal: Principal, requestId: string, errors: FieldError[]) {
    const view = await this.requests.myRequest(principal.id, requestId);
    res.render('family-visits/requests-family-withdraw.njk', { ...view, errors, ...labels() });
  }

  private async renderRequest(res: Response, principal: Principal, requestId: string, errors: FieldError[], values: unknown) {
    const view = await this.requests.myRequest(principal.id, requestId);
    res.render('family-visits/requests-family-request.njk', { ...view, errors, values, ...labels() });
  }
}
