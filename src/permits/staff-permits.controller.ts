import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/access.decorator';
import { actorOf, holdsRole, type Principal } from '../auth/principal';
import type { DomainError } from '../common/domain-error';
import { attempt, FieldError, validateForm } from '../common/forms';
import { pageInfo, parsePage } from '../common/pagination';
import { CurrentEstablishment } from '../establishments/current-establishment';
import { Establishment } from '../establishments/establishment.entity';
import {
  AskFamilyForm,
  DecisionForm,
  NoteForm,
  PermitStatusForm,
  queueQuery,
  RecordPermitForm,
  ReviewDocumentForm,
} from './permit-instruction.form';
import { sendDocument } from './document-response';
import { PermitClaimsService } from './permit-claims.service';
import { PermitInstructionService } from './permit-instruction.service';
import { PermitRequestsService } from './permit-requests.service';
import { ID_DOCUMENT_TYPES, RELATIONSHIPS, STATUS_LABELS } from './permit.rules';

const PAGE_SIZE = 25;
const DATE = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: 'numeric', month: 'long', year: 'numeric' });

interface FormPage {
  errors?: FieldError[];
  values?: unknown;
}

/** Which field of the record form a refusal of the service is about. */
function recordField(e: DomainError): string {
  if (e.code === 'BAD_FILE' || e.code === 'NO_FILE') return 'fichier';
  if (e.code === 'BIRTHDATE') return 'birthdate';
  return 'ecrou';
}

/** Instruction of permit requests by the establishment (greffe), decisions by its head. */
@Controller('etablissements/:establishment/permis')
export class StaffPermitsController {
  constructor(
    private readonly instruction: PermitInstructionService,
    private readonly requests: PermitRequestsService,
    private readonly claims: PermitClaimsService,
  ) {}

  @Get('demandes')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async queue(@CurrentEstablishment() establishment: Establishment, @Query() query: Record<string, unknown>, @Res() res: Response) {
    const page = parsePage(query.page);
    const { filter, search } = queueQuery(query);
    const { total, rows } = await this.instruction.queue(establishment.id, { filter, search, page }, PAGE_SIZE);
    res.render('permits/queue.njk', {
      establishment,
      rows,
      filter,
      q: search,
      statusLabels: STATUS_LABELS,
      pager: pageInfo(page, PAGE_SIZE, total),
    });
  }

  @Get('demandes/:id')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async show(
    @CurrentEstablishment() establishment: Establishment,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query('fait') done: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    await this.renderRequest(res, establishment, id, principal, { done });
  }

  @Post('demandes/:id/documents-demandes')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async ask(
    @CurrentEstablishment() establishment: Establishment,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(AskFamilyForm, body);
    if (!form.ok) return this.renderRequest(res.status(400), establishment, id, principal, form);
    const done = await attempt(() => this.instruction.askFamily(actorOf(principal), establishment.id, id, form.value.message), 'message');
    if (!done.ok)
      return this.renderRequest(res.status(done.status), establishment, id, principal, { errors: done.errors, values: form.value });
    res.redirect(303, `/etablissements/${establishment.code}/permis/demandes/${id}?fait=demande`);
  }

  @Post('demandes/:id/documents/:documentId/examen')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async review(
    @CurrentEstablishment() establishment: Establishment,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('documentId', new ParseUUIDPipe()) documentId: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    // Each document has its own review form: its errors show under its reason field.
    const field = `reason-${documentId}`;
    const form = await validateForm(ReviewDocumentForm, body);
    if (!form.ok) {
      const errors = form.errors.map((e) => ({ ...e, field }));
      return this.renderRequest(res.status(400), establishment, id, principal, { errors, values: form.values });
    }
    const { review, reason } = form.value;
    const done = await attempt(
      () => this.instruction.reviewDocument(actorOf(principal), establishment.id, id, documentId, review, reason ?? ''),
      field,
    );
    if (!done.ok)
      return this.renderRequest(res.status(done.status), establishment, id, principal, { errors: done.errors, values: form.value });
    res.redirect(303, `/etablissements/${establishment.code}/permis/demandes/${id}`);
  }

  @Post('demandes/:id/notes')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async note(
    @CurrentEstablishment() establishment: Establishment,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(NoteForm, body);
    if (!form.ok) return this.renderRequest(res.status(400), establishment, id, principal, form);
    const done = await attempt(() => this.instruction.addNote(actorOf(principal), establishment.id, id, form.value.note), 'note');
    if (!done.ok)
      return this.renderRequest(res.status(done.status), establishment, id, principal, { errors: done.errors, values: form.value });
    res.redirect(303, `/etablissements/${establishment.code}/permis/demandes/${id}`);
  }

  @Post('demandes/:id/prete')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async ready(
    @CurrentEstablishment() establishment: Establishment,
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    await this.instruction.markReady(actorOf(principal), establishment.id, id);
    res.redirect(303, `/etablissements/${establishment.code}/permis/demandes/${id}`);
  }

  @Post('demandes/:id/decision')
  @Roles('HEAD_OF_ESTABLISHMENT')
  async decide(
    @CurrentEstablishment() establishment: Establishment,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(DecisionForm, body);
    if (!form.ok) return this.renderRequest(res.status(400), establishment, id, principal, form);
    const { decision, motivation } = form.value;
    const done = await attempt(
      () => this.instruction.decide(actorOf(principal), establishment.id, id, decision, motivation ?? ''),
      'motivation',
    );
    if (!done.ok)
      return this.renderRequest(res.status(done.status), establishment, id, principal, { errors: done.errors, values: form.value });
    if (done.value) return res.redirect(303, `/etablissements/${establishment.code}/permis/${done.value}`);
    res.redirect(303, `/etablissements/${establishment.code}/permis/demandes/${id}?fait=decision`);
  }

  @Get('demandes/:id/lettre-de-refus.pdf')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async refusalLetter(
    @CurrentEstablishment() establishment: Establishment,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Res() res: Response,
  ) {
    const { reference, pdf } = await this.instruction.refusalLetter(establishment.id, id);
    res
      .set({
        'Content-Type': 'application/pdf',
        'Content-Disposition': `inline; filename="refus-${reference}.pdf"`,
        'Cache-Control': 'private, no-store',
      })
      .send(pdf);
  }

  @Get('documents/:documentId')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT', 'PARLOIR_AGENT')
  async document(
    @CurrentEstablishment() establishment: Establishment,
    @Param('documentId', new ParseUUIDPipe()) documentId: string,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const permitsStaff = holdsRole(principal, establishment.id, ['PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT']);
    const doc = await this.requests.documentFor(
      { kind: 'agent', establishmentId: establishment.id, permitPhotosOnly: !permitsStaff },
      documentId,
    );
    sendDocument(res, doc);
  }

  /** Record a permit issued on paper or by a magistrate (for a prévenu). */
  @Get('enregistrer')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  recordForm(@CurrentEstablishment() establishment: Establishment, @Res() res: Response) {
    res.render('permits/record.njk', { establishment, relationships: RELATIONSHIPS, errors: [], values: {} });
  }

  @Post('enregistrer')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async record(
    @CurrentEstablishment() establishment: Establishment,
    @Body() body: unknown,
    @Req() req: Request,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const fail = (errors: FieldError[], status = 400) =>
      res.status(status).render('permits/record.njk', { establishment, relationships: RELATIONSHIPS, errors, values: body ?? {} });
    const form = await validateForm(RecordPermitForm, body);
    const uploadErrors = req.uploadError ? [{ field: 'fichier', message: req.uploadError }] : [];
    if (!form.ok || uploadErrors.length) return fail([...(form.ok ? [] : form.errors), ...uploadErrors]);
    const { validTo, ...permit } = form.value;
    const done = await attempt(
      () => this.instruction.recordPermit(actorOf(principal), establishment.id, { ...permit, validTo: validTo ?? null }, req.file),
      recordField,
    );
    if (!done.ok) return fail(done.errors, done.status);
    res.redirect(303, `/etablissements/${establishment.code}/permis/${done.value}`);
  }

  /** The QR code of a printed permit, scanned or typed at the door. */
  @Get('verifier')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT', 'PARLOIR_AGENT')
  async verify(@CurrentEstablishment() establishment: Establishment, @Query('jeton') raw: unknown, @Res() res: Response) {
    const token = typeof raw === 'string' ? raw : '';
    const permitId = token ? await this.instruction.permitOfToken(establishment.id, token) : null;
    if (permitId) return res.redirect(303, `/etablissements/${establishment.code}/permis/${permitId}`);
    res.status(token ? 404 : 200).render('permits/verify.njk', { establishment, token, unknown: Boolean(token) });
  }

  @Get(':permitId')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT', 'PARLOIR_AGENT')
  async permit(
    @CurrentEstablishment() establishment: Establishment,
    @Param('permitId', new ParseUUIDPipe()) permitId: string,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    await this.renderPermit(res, establishment, permitId, principal, {});
  }

  @Get(':permitId/permis.pdf')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT', 'PARLOIR_AGENT')
  async permitPdf(
    @CurrentEstablishment() establishment: Establishment,
    @Param('permitId', new ParseUUIDPipe()) permitId: string,
    @Res() res: Response,
  ) {
    const pdf = await this.instruction.printablePermit(establishment.id, permitId);
    res
      .set({
        'Content-Type': 'application/pdf',
        'Content-Disposition': 'inline; filename="permis-de-visite.pdf"',
        'Cache-Control': 'private, no-store',
      })
      .send(pdf);
  }

  @Post(':permitId/statut')
  @Roles('HEAD_OF_ESTABLISHMENT')
  async changeStatus(
    @CurrentEstablishment() establishment: Establishment,
    @Param('permitId', new ParseUUIDPipe()) permitId: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(PermitStatusForm, body);
    if (!form.ok) return this.renderPermit(res.status(400), establishment, permitId, principal, form);
    const { status, reason } = form.value;
    const done = await attempt(
      () => this.instruction.changePermitStatus(actorOf(principal), establishment.id, permitId, status, reason ?? ''),
      'reason',
    );
    if (!done.ok)
      return this.renderPermit(res.status(done.status), establishment, permitId, principal, { errors: done.errors, values: form.value });
    res.redirect(303, `/etablissements/${establishment.code}/permis/${permitId}`);
  }

  private async renderPermit(res: Response, establishment: Establishment, permitId: string, principal: Principal, page: FormPage) {
    const { permit, minor } = await this.instruction.permitPage(establishment.id, permitId);
    res.render('permits/permit.njk', {
      establishment,
      p: permit,
      relationships: RELATIONSHIPS,
      minor,
      isHead: holdsRole(principal, establishment.id, ['HEAD_OF_ESTABLISHMENT']),
      holder: holdsRole(principal, establishment.id, ['PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT'])
        ? await this.claims.holder(establishment.id, permitId)
        : null,
      errors: page.errors ?? [],
      values: page.values ?? {},
    });
  }

  private async renderRequest(
    res: Response,
    establishment: Establishment,
    id: string,
    principal: Principal,
    page: FormPage & { done?: unknown },
  ) {
    const { request, documents, events, minor, deadline, open } = await this.instruction.requestPage(establishment.id, id);
    res.render('permits/instruct.njk', {
      establishment,
      r: request,
      docs: documents,
      events,
      statusLabels: STATUS_LABELS,
      relationships: RELATIONSHIPS,
      idTypes: ID_DOCUMENT_TYPES,
      minor,
      deadline: deadline ? DATE.format(deadline) : null,
      open,
      canDecide: holdsRole(principal, establishment.id, ['HEAD_OF_ESTABLISHMENT']),
      done: page.done,
      errors: page.errors ?? [],
      values: page.values ?? {},
    });
  }
}
