import { uploadRefused } from '../common/upload.middleware';
import { Body, Controller, Get, Param, ParseIntPipe, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/access.decorator';
import type { Principal } from '../auth/principal';
import { attempt, FieldError, validateForm } from '../common/forms';
import { saveSession } from '../common/session-save';
import { EstablishmentsService } from '../establishments/establishments.service';
import { FamiliesService } from '../families/families.service';
import { sendDocument } from './document-response';
import { PermitClaimsService } from './permit-claims.service';
import { PermitDecisionsService } from './permit-decisions.service';
import { ReplaceDocumentForm } from './permit-request.form';
import { PermitRequestWizard, type StepOutcome } from './permit-request.steps';
import { FamilyActor, PermitRequestsService } from './permit-requests.service';
import { familyIdTypes, familyLabels } from './family-texts';
import { WITHDRAWABLE_STATUSES } from './permit.rules';
import { keepStepErrors, takeStepErrors } from './step-errors';

/** The signed-in family (FAMILY role), as the actor of its requests. */
function familyOf(principal: Principal): FamilyActor {
  return { type: 'FAMILY', id: principal.id, label: principal.displayName };
}

/** The request's own page (once sent), where its errors kept in the session are shown, as a step's are on the step's page. */
const DETAIL_PAGE = 0;

/** "Demander un permis" (one question per page, answers kept, resumable) and "Mes demandes". */
@Controller('demandes')
export class FamilyPermitsController {
  constructor(
    private readonly requests: PermitRequestsService,
    private readonly wizard: PermitRequestWizard,
    private readonly establishments: EstablishmentsService,
    private readonly families: FamiliesService,
    private readonly decisions: PermitDecisionsService,
    private readonly claims: PermitClaimsService,
  ) {}

  @Get()
  @Roles('FAMILY')
  async mine(@CurrentPrincipal() principal: Principal, @Query('supprimee') deleted: unknown, @Res() res: Response) {
    const requests = await this.requests.listForFamily(principal.id);
    res.render('permits/mine.njk', {
      requests,
      ...familyLabels(),
      stepTitles: this.wizard.titles,
      draftDeleted: deleted === '1',
    });
  }

  @Post()
  @Roles('FAMILY')
  async create(@CurrentPrincipal() principal: Principal, @Res() res: Response) {
    const id = await this.requests.startDraft(familyOf(principal));
    res.redirect(303, `/demandes/${id}/etape/1`);
  }

  @Get(':id')
  @Roles('FAMILY')
  async detail(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const request = await this.requests.requestOfFamily(principal.id, id);
    if (request.status === 'DRAFT') return res.redirect(303, `/demandes/${id}/etape/${request.step}`);
    // A file refused on this page comes back here once (post/redirect/get): "back" never shows it again.
    const refused = takeStepErrors(req, id, DETAIL_PAGE);
    res.set('Cache-Control', 'private, no-store');
    await this.renderDetail(res.status(refused ? 400 : 200), principal, id, query, refused?.errors ?? []);
  }

  /**
   * A step's page, never kept by the browser ("back" reloads it: what it shows is what is saved). A
   * request already sent has no steps any more: its page says so.
   */
  @Get(':id/etape/:step')
  @Roles('FAMILY')
  async showStep(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('step', ParseIntPipe) step: number,
    @Req() req: Request,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const request = await this.requests.requestOfFamily(principal.id, id);
    if (request.status !== 'DRAFT') return res.redirect(303, `/demandes/${id}?deja=1`);
    if (!this.wizard.step(step)) return res.status(404).render('errors/404.njk');
    if (step > request.step) return res.redirect(303, `/demandes/${id}/etape/${request.step}`);
    const refused = takeStepErrors(req, id, step);
    res.set('Cache-Control', 'private, no-store');
    await this.renderStep(res.status(refused ? 400 : 200), principal, id, step, refused?.values ?? {}, refused?.errors ?? []);
  }

  /** One handler per step (PermitRequestWizard): its form, its change, then the next step. */
  @Post(':id/etape/:step')
  @Roles('FAMILY')
  async saveStep(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('step', ParseIntPipe) step: number,
    @Body() body: unknown,
    @Req() req: Request,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const request = await this.requests.requestOfFamily(principal.id, id);
    // Sent already (a double tap on "Envoyer la demande", or "back" then a step's button): its page, never an error.
    if (request.status !== 'DRAFT') return this.alreadySent(res, id, step);
    const handler = this.wizard.step(step);
    if (!handler || step > request.step) return res.status(404).render('errors/404.njk');
    const outcome: StepOutcome = req.uploadError
      ? { kind: 'invalid', status: 400, errors: [uploadRefused(req)], values: {} }
      : await handler.save({ family: familyOf(principal), requestId: id, body, file: req.file });
    switch (outcome.kind) {
      case 'next':
        return res.redirect(303, `/demandes/${id}/etape/${step + 1}`);
      case 'sent':
        return res.redirect(303, `/demandes/${id}?envoyee=1`);
      case 'prevenu':
        return res.status(200).render('permits/prevenu.njk');
      case 'invalid':
        // Sent meanwhile by the other tap (its transaction held the request): that one counts.
        if ((await this.requests.requestOfFamily(principal.id, id)).status !== 'DRAFT') return this.alreadySent(res, id, step);
        if (handler.sendsFile) return this.backToStep(req, res, id, step, outcome.values, outcome.errors);
        return this.renderStep(res.status(outcome.status), principal, id, step, outcome.values, outcome.errors);
    }
  }

  /** The page of a request sent already, for a step sent again: "Envoyer la demande" shows the acknowledgement. */
  private alreadySent(res: Response, id: string, step: number) {
    res.redirect(303, step === this.wizard.count ? `/demandes/${id}?envoyee=1` : `/demandes/${id}?deja=1`);
  }

  /** A refused file: back to the step's page, which shows the errors once (post/redirect/get), once they are stored. */
  private async backToStep(req: Request, res: Response, id: string, step: number, values: Record<string, unknown>, errors: FieldError[]) {
    keepStepErrors(req, { requestId: id, step, errors, values });
    await saveSession(req);
    res.redirect(303, step === DETAIL_PAGE ? `/demandes/${id}` : `/demandes/${id}/etape/${step}`);
  }

  /** Complementary documents (any time before the decision is prepared), or a replacement while the establishment waits for documents. */
  @Post(':id/documents')
  @Roles('FAMILY')
  async replaceDocument(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: unknown,
    @Req() req: Request,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    // A draft sends its complementary documents (a minor's parental consent) from its last step.
    const draft = (await this.requests.requestOfFamily(principal.id, id)).status === 'DRAFT';
    // A refused file goes back to the page it was sent from (post/redirect/get), which shows the errors once.
    const fail = (errors: FieldError[]) => this.backToStep(req, res, id, draft ? this.wizard.count : DETAIL_PAGE, {}, errors);
    if (req.uploadError) return fail([uploadRefused(req)]);
    const form = await validateForm(ReplaceDocumentForm, body);
    if (!form.ok) return fail(form.errors.map((e) => ({ ...e, field: 'fichier' })));
    const done = await attempt(() => this.requests.upload(familyOf(principal), id, form.value.kind, req.file, null), 'fichier');
    if (!done.ok) return fail(done.errors);
    res.redirect(303, `/demandes/${id}?document=1`);
  }

  @Post(':id/renvoyer')
  @Roles('FAMILY')
  async resubmit(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() principal: Principal, @Res() res: Response) {
    await this.requests.resubmit(familyOf(principal), id);
    res.redirect(303, `/demandes/${id}?renvoyee=1`);
  }

  /** The family asks for the reasons of its implicit rejection (CRPA L232-4). */
  @Post(':id/motifs')
  @Roles('FAMILY')
  async askReasons(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() principal: Principal, @Res() res: Response) {
    const done = await attempt(() => this.decisions.askReasons(familyOf(principal), id), 'motifs');
    if (!done.ok) return this.renderDetail(res.status(done.status), principal, id, {}, done.errors);
    res.redirect(303, `/demandes/${id}?motifs=1`);
  }

  @Get(':id/documents/:documentId')
  @Roles('FAMILY')
  async document(
    @Param('id', new ParseUUIDPipe()) _id: string,
    @Param('documentId', new ParseUUIDPipe()) documentId: string,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const doc = await this.requests.documentFor({ kind: 'family', familyId: principal.id }, documentId);
    sendDocument(res, doc);
  }

  private async renderDetail(res: Response, principal: Principal, id: string, notice: Record<string, unknown>, errors: FieldError[]) {
    const { request, documents, events, letters, ack } = await this.requests.requestPage(principal.id, id);
    res.render('permits/detail.njk', {
      reasons: await this.decisions.reasons(request),
      permit: request.status === 'GRANTED' ? await this.claims.permitOfRequest(principal.id, id) : null,
      reasonsAsked: notice.motifs === '1',
      letters,
      ack,
      r: request,
      docs: documents,
      events,
      sent: notice.envoyee === '1',
      alreadySent: notice.deja === '1',
      resent: notice.renvoyee === '1',
      documentSaved: notice.document === '1',
      withdrawn: notice.retiree === '1',
      canWithdraw: WITHDRAWABLE_STATUSES.includes(request.status),
      errors,
      ...familyLabels(),
    });
  }

  private async renderStep(res: Response, principal: Principal, id: string, step: number, values: unknown, errors: FieldError[]) {
    const { request, documents, minor, missing } = await this.requests.stepPage(principal.id, id);
    res.render(`permits/step-${step}.njk`, {
      r: request,
      step,
      stepTitles: this.wizard.titles,
      errors,
      values,
      docs: documents,
      establishments: step === 1 ? await this.establishments.all() : [],
      ...familyLabels(),
      idTypes: familyIdTypes(minor),
      account: step === 3 ? await this.families.find(principal.id) : null,
      minor,
      missing: step === 9 ? missing : [],
    });
  }
}
