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
  UnaccompaniedConsentForm,
  WithdrawConsentForm,
} from './permit-instruction.form';
import { sendDocument } from './document-response';
import { ConfirmForm, NoContactOrderForm, ReexamineForm } from './decisions.form';
import { instructionPage } from './instruction-page';
import { PermitDecisionsService } from './permit-decisions.service';
import { CONDITION_CHOICES, termsOf } from './permit-conditions.form';
import { PermitClaimsService } from './permit-claims.service';
import { PermitInstructionService } from './permit-instruction.service';
import { PermitMeasuresService } from './permit-measures.service';
import { PermitRequestsService } from './permit-requests.service';
import { RELATIONSHIPS, STATUS_LABELS } from './permit.rules';
import { AuditService } from '../common/audit.service';

const PAGE_SIZE = 25;

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

/** Which field of the decision form a refusal of the service is about. */
function decisionField(e: DomainError): string {
  if (e.code === 'GROUND') return 'ground';
  if (e.code === 'MOTIVATION_REQUIRED') return 'motivation';
  return 'decision';
}

/** Instruction of permit requests by the establishment (greffe), decisions by its head. */
@Controller('etablissements/:establishment/permis')
export class StaffPermitsController {
  constructor(
    private readonly instruction: PermitInstructionService,
    private readonly requests: PermitRequestsService,
    private readonly decisions: PermitDecisionsService,
    private readonly measures: PermitMeasuresService,
    private readonly claims: PermitClaimsService,
    private readonly audit: AuditService,
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
    const { kinds, message, due } = form.value;
    const done = await attempt(
      () => this.instruction.askFamily(actorOf(principal), establishment.id, id, { kinds, message: message ?? '', due: due ?? null }),
      (e) => (e.code === 'DUE' ? 'due' : 'message'),
    );
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
    // Back to the document reviewed (public/document-review.js posts it with fetch and reads this page instead).
    res.redirect(303, `/etablissements/${establishment.code}/permis/demandes/${id}#document-${documentId}`);
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
    // Refused (documents still to examine, not a sent request): the page again, the reason in its error summary.
    const done = await attempt(
      () => this.instruction.markReady(actorOf(principal), establishment.id, id),
      (e) => (e.code === 'DOCUMENTS_TO_EXAMINE' ? 'prete' : 'global'),
    );
    if (!done.ok) return this.renderRequest(res.status(done.status), establishment, id, principal, { errors: done.errors });
    res.redirect(303, `/etablissements/${establishment.code}/permis/demandes/${id}`);
  }

  /** The decision: by the head of establishment or an agent with a signature delegation in force (checked by the service). */
  @Post('demandes/:id/decision')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async decide(
    @CurrentEstablishment() establishment: Establishment,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(DecisionForm, body);
    if (!form.ok) return this.renderRequest(res.status(400), establishment, id, principal, form);
    const { decision, motivation, ground } = form.value;
    const done = await attempt(
      () => this.decisions.decide(actorOf(principal), establishment.id, id, decision, motivation ?? '', ground ?? null),
      decisionField,
    );
    if (!done.ok)
      return this.renderRequest(res.status(done.status), establishment, id, principal, { errors: done.errors, values: form.value });
    if (done.value) return res.redirect(303, `/etablissements/${establishment.code}/permis/${done.value}`);
    res.redirect(303, `/etablissements/${establishment.code}/permis/demandes/${id}?fait=decision`);
  }

  /** Re-examination of a refused or implicitly rejected request (recours gracieux): the permit is granted. */
  @Post('demandes/:id/reexamen')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async reexamine(
    @CurrentEstablishment() establishment: Establishment,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(ReexamineForm, body);
    if (!form.ok) return this.renderRequest(res.status(400), establishment, id, principal, form);
    const done = await attempt(() => this.decisions.reexamine(actorOf(principal), establishment.id, id, form.value.note ?? ''), 'note');
    if (!done.ok)
      return this.renderRequest(res.status(done.status), establishment, id, principal, { errors: done.errors, values: form.value });
    res.redirect(303, `/etablissements/${establishment.code}/permis/${done.value}`);
  }

  /** Records a no-contact order on the request's detainee. */
  @Post('demandes/:id/interdictions')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async recordOrder(
    @CurrentEstablishment() establishment: Establishment,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(NoContactOrderForm, body);
    if (!form.ok) return this.renderRequest(res.status(400), establishment, id, principal, form);
    const o = form.value;
    await this.decisions.recordOrder(actorOf(principal), establishment.id, id, {
      ...o,
      personBirthdate: o.personBirthdate ?? null,
      validUntil: o.validUntil ?? null,
    });
    res.redirect(303, `/etablissements/${establishment.code}/permis/demandes/${id}#interdictions`);
  }

  @Post('demandes/:id/interdictions/:orderId/fin')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async endOrder(
    @CurrentEstablishment() establishment: Establishment,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('orderId', new ParseUUIDPipe()) orderId: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(ConfirmForm, body);
    if (!form.ok) {
      const errors = form.errors.map((e) => ({ ...e, field: `confirm-${orderId}` }));
      return this.renderRequest(res.status(400), establishment, id, principal, { errors });
    }
    await this.decisions.endOrder(actorOf(principal), establishment.id, id, orderId);
    res.redirect(303, `/etablissements/${establishment.code}/permis/demandes/${id}#interdictions`);
  }

  @Get('demandes/:id/lettre-de-refus.pdf')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async refusalLetter(
    @CurrentEstablishment() establishment: Establishment,
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const { reference, pdf } = await this.decisions.refusalLetter(establishment.id, id);
    await this.audit.recordRead(actorOf(principal), {
      action: 'LETTER_READ',
      entityType: 'permit_request',
      entityId: id,
      establishmentId: establishment.id,
      details: { kind: 'REFUSAL', reference },
    });
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
    await this.audit.recordRead(actorOf(principal), {
      action: doc.kind === 'PHOTO' ? 'PHOTO_READ' : 'DOCUMENT_READ',
      entityType: 'permit_document',
      entityId: documentId,
      establishmentId: establishment.id,
      details: { kind: doc.kind },
    });
    sendDocument(res, doc);
  }

  /** Record a permit issued on paper or by a magistrate (for a prévenu). */
  @Get('enregistrer')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  recordForm(@CurrentEstablishment() establishment: Establishment, @Res() res: Response) {
    res.render('permits/record.njk', { establishment, relationships: RELATIONSHIPS, ...CONDITION_CHOICES, errors: [], values: {} });
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
      res
        .status(status)
        .render('permits/record.njk', { establishment, relationships: RELATIONSHIPS, ...CONDITION_CHOICES, errors, values: body ?? {} });
    const form = await validateForm(RecordPermitForm, body);
    const uploadErrors = req.uploadError ? [{ field: 'fichier', message: req.uploadError }] : [];
    if (!form.ok || uploadErrors.length) return fail([...(form.ok ? [] : form.errors), ...uploadErrors]);
    const f = form.value;
    const permit = {
      ecrou: f.ecrou,
      givenName: f.givenName,
      familyName: f.familyName,
      birthdate: f.birthdate,
      relationship: f.relationship,
      origin: f.origin,
      validFrom: f.validFrom,
      validTo: f.validTo ?? null,
      limits: termsOf(f),
      issuingAuthority: f.issuingAuthority ?? null,
      paperReference: f.paperReference ?? null,
    };
    const done = await attempt(() => this.instruction.recordPermit(actorOf(principal), establishment.id, permit, req.file), recordField);
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

  /** Printed by the greffe for the family; the visiting room checks a permit on screen (its page, its QR code), never prints it. */
  @Get(':permitId/permis.pdf')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async permitPdf(
    @CurrentEstablishment() establishment: Establishment,
    @Param('permitId', new ParseUUIDPipe()) permitId: string,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const pdf = await this.instruction.printablePermit(establishment.id, permitId);
    await this.audit.recordRead(actorOf(principal), {
      action: 'PERMIT_PDF_READ',
      entityType: 'permit',
      entityId: permitId,
      establishmentId: establishment.id,
    });
    res
      .set({
        'Content-Type': 'application/pdf',
        'Content-Disposition': 'inline; filename="permis-de-visite.pdf"',
        'Cache-Control': 'private, no-store',
      })
      .send(pdf);
  }

  @Post(':permitId/statut')
  @Roles('HEAD_OF_ESTABLISHMENT', 'PERMITS_OFFICER')
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

  /** The greffe records the parental-authority holders' consent for a minor of 16 or more to come without an adult. */
  @Post(':permitId/visite-sans-adulte')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async recordConsent(
    @CurrentEstablishment() establishment: Establishment,
    @Param('permitId', new ParseUUIDPipe()) permitId: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(UnaccompaniedConsentForm, body);
    if (!form.ok) return this.renderPermit(res.status(400), establishment, permitId, principal, form);
    const { documentId, note } = form.value;
    const done = await attempt(
      () =>
        this.instruction.recordUnaccompaniedConsent(actorOf(principal), establishment.id, permitId, {
          documentId: documentId ?? null,
          note: note ?? null,
        }),
      (e) => (e.code === 'CONSENT_DOCUMENT' ? 'documentId' : 'note'),
    );
    if (!done.ok)
      return this.renderPermit(res.status(done.status), establishment, permitId, principal, { errors: done.errors, values: form.value });
    res.redirect(303, `/etablissements/${establishment.code}/permis/${permitId}`);
  }

  @Post(':permitId/visite-sans-adulte/retrait')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async withdrawConsent(
    @CurrentEstablishment() establishment: Establishment,
    @Param('permitId', new ParseUUIDPipe()) permitId: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(WithdrawConsentForm, body);
    if (!form.ok) return this.renderPermit(res.status(400), establishment, permitId, principal, form);
    const done = await attempt(
      () => this.instruction.withdrawUnaccompaniedConsent(actorOf(principal), establishment.id, permitId),
      'confirm',
    );
    if (!done.ok) return this.renderPermit(res.status(done.status), establishment, permitId, principal, { errors: done.errors });
    res.redirect(303, `/etablissements/${establishment.code}/permis/${permitId}`);
  }

  private async renderPermit(res: Response, establishment: Establishment, permitId: string, principal: Principal, page: FormPage) {
    const { permit, minor, age, terms } = await this.instruction.permitPage(establishment.id, permitId, establishment.timeZone);
    const permitsStaff = holdsRole(principal, establishment.id, ['PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT']);
    res.render('permits/permit.njk', {
      establishment,
      p: permit,
      terms,
      canChangeTerms: holdsRole(principal, establishment.id, ['HEAD_OF_ESTABLISHMENT', 'PERMITS_OFFICER']),
      relationships: RELATIONSHIPS,
      minor,
      isHead: holdsRole(principal, establishment.id, ['HEAD_OF_ESTABLISHMENT']),
      permitsStaff,
      age,
      consentDocuments: permitsStaff && minor ? await this.instruction.consentDocuments(permit) : [],
      measures: await this.measures.panel(establishment.id, permitId, principal.id),
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
    res.render(
      'permits/instruct.njk',
      await instructionPage({ instruction: this.instruction, decisions: this.decisions }, establishment, id, principal.id, page),
    );
  }
}
