import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { CurrentPrincipal, Roles } from '../auth/access.decorator';
import { actorOf, type Principal } from '../auth/principal';
import { attempt, type FieldError, validateForm } from '../common/forms';
import { parsePage } from '../common/pagination';
import { CurrentEstablishment } from '../establishments/current-establishment';
import type { Establishment } from '../establishments/establishment.entity';
import { DomainError } from '../common/domain-error';
import { sendDocument } from '../permits/document-response';
import { accessDecisionForLetter, accessDecisionLetter } from './decision-letter';
import { AccessForm, CharterForm, ContactForm, CreditForm, DetaineeSearchForm, PlanForm, SanctionForm } from './record.form';
import { ACCESS_GROUNDS, type AccessDecision, availableCents, lastDay, phoneDisplay } from './record.rules';
import { sanctionField, VideoCallRecordService } from './record.service';
import { euros, planLabel } from './video-call-settings.form';
import { AuditService } from '../common/audit.service';

type FormName = 'contact' | 'charter' | 'credit' | 'plan' | 'access' | 'sanction';

const DONE = ['contact', 'contact-desactive', 'charte', 'credit', 'forfait', 'acces', 'sanction'] as const;
type Done = (typeof DONE)[number];

const agent = (p: Principal) => ({ ...actorOf(p), id: p.id });

const STATUS_LABELS = { ACTIVE: 'Accès ouvert', REFUSED: 'Accès refusé', SUSPENDED: 'Accès suspendu', WITHDRAWN: 'Accès retiré' };
const DECISION_LABELS = {
  REFUSE: 'Refuser l’accès',
  SUSPEND: 'Suspendre l’accès jusqu’à une date',
  WITHDRAW: 'Retirer l’accès',
  RESTORE: 'Rétablir l’accès',
};

/**
 * "Visio — personnes détenues": the search of the detainees present and each one's video-call record
 * (ACTIVITIES_OFFICER and HEAD_OF_ESTABLISHMENT); access decisions and sanctioned numbers by the head
 * or a signature delegate (checked by the service).
 */
@Controller('etablissements/:establishment/visio/detenus')
export class VideoCallRecordController {
  constructor(
    private readonly records: VideoCallRecordService,
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  @Get()
  @Roles('ACTIVITIES_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async search(
    @CurrentEstablishment() establishment: Establishment,
    @Query() query: unknown,
    @Query('page') pageNumber: unknown,
    @Res() res: Response,
  ) {
    const form = await validateForm(DetaineeSearchForm, query);
    const q = form.ok ? form.value.q : '';
    const found = await this.records.search(establishment.id, q, parsePage(pageNumber));
    res.render('video-calls/record-search.njk', { establishment, q, ...found, base: this.base(establishment) });
  }

  @Get(':detaineeId')
  @Roles('ACTIVITIES_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async show(
    @CurrentEstablishment() establishment: Establishment,
    @CurrentPrincipal() p: Principal,
    @Param('detaineeId', new ParseUUIDPipe()) detaineeId: string,
    @Query('fait') done: unknown,
    @Res() res: Response,
  ) {
    await this.render(res, establishment, p, detaineeId, { done: DONE.find((d) => d === done) });
  }

  @Post(':detaineeId/contacts')
  @Roles('ACTIVITIES_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async addContact(
    @CurrentEstablishment() establishment: Establishment,
    @CurrentPrincipal() p: Principal,
    @Param('detaineeId', new ParseUUIDPipe()) detaineeId: string,
    @Body() body: unknown,
    @Res() res: Response,
  ) {
    const form = await validateForm(ContactForm, body);
    if (!form.ok)
      return this.render(res.status(400), establishment, p, detaineeId, { errors: form.errors, values: form.values, form: 'contact' });
    const f = form.value;
    const added = await attempt(
      () =>
        this.records.addContact(agent(p), establishment.id, detaineeId, {
          name: f.name,
          phone: f.phone,
          relationship: f.relationship,
          minor: f.minor === true,
          consentGivenBy: f.consentGivenBy ?? null,
        }),
      'phone',
    );
    if (!added.ok)
      return this.render(res.status(added.status), establishment, p, detaineeId, { errors: added.errors, values: body, form: 'contact' });
    this.done(res, establishment, detaineeId, 'contact');
  }

  /** The read-back before deactivating a contact. */
  @Get(':detaineeId/contacts/:contactId/desactiver')
  @Roles('ACTIVITIES_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async confirmDeactivation(
    @CurrentEstablishment() establishment: Establishment,
    @Param('detaineeId', new ParseUUIDPipe()) detaineeId: string,
    @Param('contactId', new ParseUUIDPipe()) contactId: string,
    @Res() res: Response,
  ) {
    const { detainee, contact } = await this.records.contact(establishment.id, detaineeId, contactId);
    const cancelled = await this.records.callsToCancel(establishment, { detaineeId, contactId });
    res.render('video-calls/record-contact-deactivate.njk', {
      establishment,
      detainee,
      contact,
      cancelled,
      base: this.base(establishment),
    });
  }

  @Post(':detaineeId/contacts/:contactId/desactiver')
  @Roles('ACTIVITIES_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async deactivateContact(
    @CurrentEstablishment() establishment: Establishment,
    @CurrentPrincipal() p: Principal,
    @Param('detaineeId', new ParseUUIDPipe()) detaineeId: string,
    @Param('contactId', new ParseUUIDPipe()) contactId: string,
    @Res() res: Response,
  ) {
    await this.records.deactivateContact(agent(p), establishment.id, detaineeId, contactId);
    this.done(res, establishment, detaineeId, 'contact-desactive');
  }

  @Post(':detaineeId/charte')
  @Roles('ACTIVITIES_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async charter(
    @CurrentEstablishment() establishment: Establishment,
    @CurrentPrincipal() p: Principal,
    @Param('detaineeId', new ParseUUIDPipe()) detaineeId: string,
    @Body() body: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const fail = (errors: FieldError[], values: unknown, status: number = 400) =>
      this.render(res.status(status), establishment, p, detaineeId, { errors, values, form: 'charter' });
    if (req.uploadError) return fail([{ field: 'fichier', message: req.uploadError }], body);
    const form = await validateForm(CharterForm, body);
    if (!form.ok) return fail(form.errors, form.values);
    const recorded = await attempt(
      () => this.records.recordCharter(agent(p), establishment, detaineeId, form.value.signedOn, req.file),
      (e) => (e.code === 'CHARTER_FUTURE' ? 'signedOn' : 'fichier'),
    );
    if (!recorded.ok) return fail(recorded.errors, body, recorded.status);
    this.done(res, establishment, detaineeId, 'charte');
  }

  @Get(':detaineeId/charte/:charterId')
  @Roles('ACTIVITIES_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async charterScan(
    @CurrentEstablishment() establishment: Establishment,
    @Param('detaineeId', new ParseUUIDPipe()) detaineeId: string,
    @Param('charterId', new ParseUUIDPipe()) charterId: string,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const scan = await this.records.charterScan(establishment.id, detaineeId, charterId);
    await this.audit.recordRead(actorOf(principal), {
      action: 'CHARTER_READ',
      entityType: 'video_call_charter',
      entityId: charterId,
      establishmentId: establishment.id,
      details: { detainee: detaineeId },
    });
    sendDocument(res, scan);
  }

  @Post(':detaineeId/compte/credit')
  @Roles('ACTIVITIES_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async credit(
    @CurrentEstablishment() establishment: Establishment,
    @CurrentPrincipal() p: Principal,
    @Param('detaineeId', new ParseUUIDPipe()) detaineeId: string,
    @Body() body: unknown,
    @Res() res: Response,
  ) {
    const form = await validateForm(CreditForm, body);
    if (!form.ok)
      return this.render(res.status(400), establishment, p, detaineeId, { errors: form.errors, values: form.values, form: 'credit' });
    await this.records.credit(agent(p), establishment.id, detaineeId, form.value.cents());
    this.done(res, establishment, detaineeId, 'credit');
  }

  @Post(':detaineeId/compte/forfait')
  @Roles('ACTIVITIES_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async plan(
    @CurrentEstablishment() establishment: Establishment,
    @CurrentPrincipal() p: Principal,
    @Param('detaineeId', new ParseUUIDPipe()) detaineeId: string,
    @Body() body: unknown,
    @Res() res: Response,
  ) {
    const form = await validateForm(PlanForm, body);
    const chosen = form.ok
      ? await attempt(() => this.records.choosePlan(agent(p), establishment.id, detaineeId, form.value.planCode), 'planCode')
      : form;
    if (!chosen.ok)
      return this.render(res.status(400), establishment, p, detaineeId, { errors: chosen.errors, values: body, form: 'plan' });
    this.done(res, establishment, detaineeId, 'forfait');
  }

  /** An access decision: read back first (`confirm` absent), taken on confirmation. */
  @Post(':detaineeId/acces')
  @Roles('ACTIVITIES_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async access(
    @CurrentEstablishment() establishment: Establishment,
    @CurrentPrincipal() p: Principal,
    @Param('detaineeId', new ParseUUIDPipe()) detaineeId: string,
    @Body() body: unknown,
    @Res() res: Response,
  ) {
    const form = await validateForm(AccessForm, body);
    if (!form.ok)
      return this.render(res.status(400), establishment, p, detaineeId, { errors: form.errors, values: form.values, form: 'access' });
    const f = form.value;
    const input = { decision: f.decision, ground: f.ground ?? null, untilDay: f.until ?? null, motivation: f.motivation ?? '' };
    const field = (e: { code: string }) => (e.code === 'ACCESS_UNTIL' ? 'until' : e.code === 'ACCESS_GROUND' ? 'ground' : 'decision');
    if (f.confirm !== 'oui') {
      const checked = await attempt(() => this.records.precheckDecision(establishment, detaineeId, input), field);
      if (!checked.ok)
        return this.render(res.status(checked.status), establishment, p, detaineeId, {
          errors: checked.errors,
          values: body,
          form: 'access',
        });
      return this.readBack(res, establishment, p, detaineeId, 'access', input);
    }
    const decided = await attempt(() => this.records.decideAccess(agent(p), establishment, detaineeId, input), field);
    if (!decided.ok) {
      if (decided.status === 403) return this.forbidden(res, decided.errors);
      return this.render(res.status(decided.status), establishment, p, detaineeId, {
        errors: decided.errors,
        values: body,
        form: 'access',
      });
    }
    this.done(res, establishment, detaineeId, 'acces');
  }

  /** The motivated letter of a refusal, suspension or withdrawal, for the detainee: a PDF drawn from the decision. */
  @Get(':detaineeId/acces/:decisionId/lettre.pdf')
  @Roles('ACTIVITIES_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async accessLetter(
    @CurrentEstablishment() establishment: Establishment,
    @Param('detaineeId', new ParseUUIDPipe()) detaineeId: string,
    @Param('decisionId', new ParseUUIDPipe()) decisionId: string,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const db = this.dataSource.manager;
    const decision = await accessDecisionForLetter(db, establishment.id, detaineeId, decisionId);
    const letter = decision ? await accessDecisionLetter(db, establishment, decision) : null;
    if (!letter) throw new DomainError('NOT_FOUND', 'Courrier introuvable.', 404);
    await this.audit.recordRead(actorOf(principal), {
      action: 'LETTER_READ',
      entityType: 'video_call_access_decision',
      entityId: decisionId,
      establishmentId: establishment.id,
      details: { detainee: detaineeId },
    });
    res
      .set({
        'Content-Type': 'application/pdf',
        'Content-Disposition': `inline; filename="${letter.filename}"`,
        'Cache-Control': 'private, no-store',
        'X-Content-Type-Options': 'nosniff',
      })
      .send(letter.pdf);
  }

  /** A sanction on a number: read back first (`confirm` absent), recorded on confirmation. */
  @Post(':detaineeId/sanctions')
  @Roles('ACTIVITIES_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async sanction(
    @CurrentEstablishment() establishment: Establishment,
    @CurrentPrincipal() p: Principal,
    @Param('detaineeId', new ParseUUIDPipe()) detaineeId: string,
    @Body() body: unknown,
    @Res() res: Response,
  ) {
    const form = await validateForm(SanctionForm, body);
    if (!form.ok)
      return this.render(res.status(400), establishment, p, detaineeId, { errors: form.errors, values: form.values, form: 'sanction' });
    const f = form.value;
    const input = { phone: f.phone, untilDay: f.until ?? null, ground: f.ground, motivation: f.motivation };
    if (f.confirm !== 'oui') {
      const checked = await attempt(() => this.records.precheckSanction(establishment, input.phone, input.untilDay), sanctionField);
      if (!checked.ok)
        return this.render(res.status(checked.status), establishment, p, detaineeId, {
          errors: checked.errors,
          values: body,
          form: 'sanction',
        });
      return this.readBack(res, establishment, p, detaineeId, 'sanction', input);
    }
    const done = await attempt(() => this.records.sanctionNumber(agent(p), establishment, detaineeId, input), sanctionField);
    if (!done.ok) {
      if (done.status === 403) return this.forbidden(res, done.errors);
      return this.render(res.status(done.status), establishment, p, detaineeId, { errors: done.errors, values: body, form: 'sanction' });
    }
    this.done(res, establishment, detaineeId, 'sanction');
  }

  private forbidden(res: Response, errors: FieldError[]) {
    res.status(403).render('errors/403.njk', { message: errors[0]?.message });
  }

  private async readBack(
    res: Response,
    establishment: Establishment,
    p: Principal,
    detaineeId: string,
    kind: 'access' | 'sanction',
    input: Record<string, unknown>,
  ) {
    const record = await this.records.record(establishment, detaineeId, p.id);
    if (!record.mayDecide)
      return this.forbidden(res, [
        {
          field: 'global',
          message: 'Seul le chef d’établissement ou un agent ayant sa délégation de signature peut prendre cette décision.',
        },
      ]);
    const cancelled = await this.records.callsToCancel(
      establishment,
      kind === 'access'
        ? { detaineeId, decision: input.decision as AccessDecision, untilDay: (input.untilDay as string | null) ?? null }
        : { phone: input.phone as string, untilDay: (input.untilDay as string | null) ?? null },
    );
    res.render('video-calls/record-confirm.njk', {
      cancelled,
      establishment,
      detainee: record.detainee,
      kind,
      input,
      phoneLabel: kind === 'sanction' ? phoneDisplay(input.phone as string) : null,
      decisionLabels: DECISION_LABELS,
      grounds: ACCESS_GROUNDS,
      base: this.base(establishment),
    });
  }

  private base(establishment: Establishment): string {
    return `/etablissements/${establishment.code}/visio/detenus`;
  }

  private done(res: Response, establishment: Establishment, detaineeId: string, done: Done) {
    res.redirect(303, `${this.base(establishment)}/${detaineeId}?fait=${done}`);
  }

  private async render(
    res: Response,
    establishment: Establishment,
    p: Principal,
    detaineeId: string,
    extra: { errors?: FieldError[]; values?: unknown; form?: FormName; done?: Done },
  ) {
    const record = await this.records.record(establishment, detaineeId, p.id);
    res.render('video-calls/record.njk', {
      establishment,
      ...record,
      access: {
        status: record.access.status,
        history: record.access.history.map((h) => ({
          ...h,
          lastDay: h.suspendedUntil ? lastDay(h.suspendedUntil, establishment.timeZone) : null,
        })),
      },
      contacts: record.contacts.map((c) => ({
        ...c,
        sanctionLastDay: c.sanction?.until ? lastDay(c.sanction.until, establishment.timeZone) : null,
      })),
      account: {
        ...record.account,
        balance: euros(record.account.balanceCents),
        blocked: euros(record.account.blockedCents),
        available: euros(availableCents(record.account)),
      },
      plans: record.plans.map((plan) => ({
        code: plan.code,
        label: planLabel(plan.code),
        perMinute: euros(plan.centsPerMinute),
        connection: euros(plan.connectionCents),
      })),
      planLabel: planLabel(record.account.planCode),
      statusLabels: STATUS_LABELS,
      decisionLabels: DECISION_LABELS,
      grounds: ACCESS_GROUNDS,
      base: this.base(establishment),
      errors: [],
      ...extra,
      values: (extra.values ?? {}) as Record<string, unknown>,
    });
  }
}
