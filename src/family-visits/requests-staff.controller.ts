import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/access.decorator';
import { actorOf, type Principal } from '../auth/principal';
import { DomainError } from '../common/domain-error';
import { IdParam } from '../common/params';
import { attempt, FieldError, validateForm } from '../common/forms';
import { parsePage } from '../common/pagination';
import { sendFamilyVisitDocument as sendDocument } from './requests.http';
import { CurrentEstablishment } from '../establishments/current-establishment';
import { Establishment } from '../establishments/establishment.entity';
import { DetaineeRequestForm, StaffRequestDocumentForm, VisitorRequestForm, WithdrawalForm } from './requests.form';
import { CHANNEL_LABELS, CONSENT_CAPACITY_LABELS, durationChoices, KIND_LABELS, REQUEST_STATUS_LABELS } from './requests.rules';
import { FamilyVisitRequestsService } from './requests.service';
import { CASE_STATUS_LABELS } from './instruction.rules';
import { AuditService } from '../common/audit.service';

/** Which field a refusal of the service is about. */
function fieldOf(e: DomainError): string {
  const fields: Record<string, string> = {
    DURATION: 'hours',
    PERIOD: 'wishedFrom',
    RECEIVED: 'receivedOn',
    ECROU: 'ecrou',
    VISITORS: 'permitId',
    DUPLICATE: 'permitId',
    CASE_CHOICE: 'caseChoice',
  };
  return fields[e.code] ?? 'kind';
}

const LABELS = {
  caseStatusLabels: CASE_STATUS_LABELS,
  kindLabels: KIND_LABELS,
  channelLabels: CHANNEL_LABELS,
  statusLabels: REQUEST_STATUS_LABELS,
  capacityLabels: CONSENT_CAPACITY_LABELS,
  uvfHours: durationChoices('UVF'),
  pfHours: durationChoices('PF'),
};

/**
 * UVF and family parlour requests on the staff side (SPIP counsellors, permits office): the cases,
 * the detainee's request entered with its date of receipt, the visitors' requests from a letter, an
 * e-mail or the desk, and the documents of the case.
 */
@Controller('etablissements/:establishment/uvf')
export class FamilyVisitRequestsStaffController {
  constructor(
    private readonly requests: FamilyVisitRequestsService,
    private readonly audit: AuditService,
  ) {}

  @Get('demandes')
  @Roles('SPIP_COUNSELLOR', 'PERMITS_OFFICER')
  async list(@CurrentEstablishment() e: Establishment, @Query('page') page: unknown, @Res() res: Response) {
    const { cases, page: p } = await this.requests.cases(e.id, parsePage(page));
    res.render('family-visits/requests-staff-list.njk', { establishment: e, cases, page: p, ...LABELS });
  }

  @Get('demandes/nouvelle')
  @Roles('SPIP_COUNSELLOR', 'PERMITS_OFFICER')
  newForm(@CurrentEstablishment() e: Establishment, @Res() res: Response) {
    res.render('family-visits/requests-staff-new.njk', {
      establishment: e,
      errors: [],
      values: { kind: 'UVF' },
      candidates: [],
      ...LABELS,
    });
  }

  @Post('demandes/nouvelle')
  @Roles('SPIP_COUNSELLOR', 'PERMITS_OFFICER')
  async create(
    @CurrentEstablishment() e: Establishment,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const fail = async (status: number, errors: FieldError[], values: Record<string, unknown>) => {
      // The cases waiting for this detainee's request, to choose from (an explicit choice, never a silent merge).
      const { ecrou, kind, wishedFrom, wishedTo } = values;
      const day = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);
      const candidates =
        typeof ecrou === 'string' && (kind === 'UVF' || kind === 'PF') && day(wishedFrom) && day(wishedTo)
          ? await this.requests.casesAwaitingDetainee(e.id, ecrou, { kind, wishedFrom, wishedTo })
          : [];
      res.status(status).render('family-visits/requests-staff-new.njk', { establishment: e, errors, values, candidates, ...LABELS });
    };
    const form = await validateForm(DetaineeRequestForm, body);
    if (!form.ok) return fail(400, form.errors, form.values);
    const done = await attempt(
      () => this.requests.enterDetaineeRequest({ ...actorOf(principal), id: principal.id }, e, form.value),
      fieldOf,
    );
    if (!done.ok) return fail(done.status, done.errors, { ...form.value });
    res.redirect(303, `/etablissements/${e.code}/uvf/dossiers/${done.value.caseId}/demandes`);
  }

  @Get('dossiers/:caseId/demandes')
  @Roles('SPIP_COUNSELLOR', 'PERMITS_OFFICER')
  async show(@CurrentEstablishment() e: Establishment, @IdParam('caseId') caseId: string, @Res() res: Response) {
    await this.render(res, e, caseId, [], {});
  }

  @Post('dossiers/:caseId/visiteurs')
  @Roles('SPIP_COUNSELLOR', 'PERMITS_OFFICER')
  async addVisitor(
    @CurrentEstablishment() e: Establishment,
    @IdParam('caseId') caseId: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(VisitorRequestForm, body);
    if (!form.ok) return this.render(res.status(400), e, caseId, form.errors, form.values);
    const f = form.value;
    const done = await attempt(
      () =>
        this.requests.enterVisitorRequest({ ...actorOf(principal), id: principal.id }, e, caseId, {
          permitId: f.permitId,
          receivedOn: f.receivedOn,
          channel: f.channel,
          accompaniedBy: f.accompaniedBy ?? null,
          wishedFrom: f.wishedFrom ?? null,
          wishedTo: f.wishedTo ?? null,
          hours: f.hours ?? null,
        }),
      fieldOf,
    );
    if (!done.ok) return this.render(res.status(done.status), e, caseId, done.errors, f);
    res.redirect(303, `/etablissements/${e.code}/uvf/dossiers/${caseId}/demandes`);
  }

  /** A consent or signed rules received by post or at the desk, added to one request of the case. */
  @Post('dossiers/:caseId/documents')
  @Roles('SPIP_COUNSELLOR', 'PERMITS_OFFICER')
  async upload(
    @CurrentEstablishment() e: Establishment,
    @IdParam('caseId') caseId: string,
    @Body() body: unknown,
    @Req() req: Request,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    if (req.uploadError) return this.render(res.status(400), e, caseId, [{ field: 'fichier', message: req.uploadError }], body);
    const form = await validateForm(StaffRequestDocumentForm, body);
    if (!form.ok) return this.render(res.status(400), e, caseId, form.errors, form.values);
    const f = form.value;
    const done = await attempt(
      () =>
        this.requests.uploadStaffDocument(
          { ...actorOf(principal), id: principal.id },
          e.id,
          caseId,
          f.requestId,
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
    if (!done.ok) return this.render(res.status(done.status), e, caseId, done.errors, f);
    res.redirect(303, `/etablissements/${e.code}/uvf/dossiers/${caseId}/demandes`);
  }

  /** The read-back before recording the withdrawal of a request of the case (from a letter, an e-mail, at the desk). */
  @Get('dossiers/:caseId/demandes/:requestId/retrait')
  @Roles('SPIP_COUNSELLOR', 'PERMITS_OFFICER')
  async withdrawalForm(
    @CurrentEstablishment() e: Establishment,
    @IdParam('caseId') caseId: string,
    @IdParam('requestId') requestId: string,
    @Res() res: Response,
  ) {
    await this.renderWithdrawal(res, e, caseId, requestId, [], null);
  }

  @Post('dossiers/:caseId/demandes/:requestId/retrait')
  @Roles('SPIP_COUNSELLOR', 'PERMITS_OFFICER')
  async recordWithdrawal(
    @CurrentEstablishment() e: Establishment,
    @IdParam('caseId') caseId: string,
    @IdParam('requestId') requestId: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(WithdrawalForm, body);
    if (!form.ok) return this.renderWithdrawal(res.status(400), e, caseId, requestId, form.errors, form.values);
    const done = await attempt(
      () => this.requests.recordWithdrawal({ ...actorOf(principal), id: principal.id }, e, caseId, requestId, form.value.withdrawnOn),
      'withdrawnOn',
    );
    if (!done.ok) return this.renderWithdrawal(res.status(done.status), e, caseId, requestId, done.errors, form.value);
    res.redirect(303, `/etablissements/${e.code}/uvf/dossiers/${caseId}/demandes`);
  }

  @Get('documents/:documentId')
  @Roles('SPIP_COUNSELLOR', 'PERMITS_OFFICER')
  async document(
    @CurrentEstablishment() e: Establishment,
    @IdParam('documentId') documentId: string,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const doc = await this.requests.staffDocument(e.id, documentId);
    await this.audit.recordRead(actorOf(principal), {
      action: 'DOCUMENT_READ',
      entityType: 'family_visit_document',
      entityId: documentId,
      establishmentId: e.id,
    });
    sendDocument(res, doc);
  }

  private async renderWithdrawal(
    res: Response,
    e: Establishment,
    caseId: string,
    requestId: string,
    errors: FieldError[],
    values: unknown,
  ) {
    const view = await this.requests.withdrawalPage(e, caseId, requestId);
    res.render('family-visits/requests-staff-withdraw.njk', {
      establishment: e,
      ...view,
      errors,
      values: values ?? { withdrawnOn: view.today },
      ...LABELS,
    });
  }

  private async render(res: Response, e: Establishment, caseId: string, errors: FieldError[], values: unknown) {
    const view = await this.requests.casePage(e, caseId);
    res.render('family-visits/requests-staff-case.njk', { establishment: e, ...view, errors, values, ...LABELS });
  }
}
