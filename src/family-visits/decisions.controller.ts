import { Body, Controller, Get, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/access.decorator';
import { actorOf, type Principal } from '../auth/principal';
import { DomainError } from '../common/domain-error';
import { IdParam } from '../common/params';
import { attempt, type FieldError, validateForm } from '../common/forms';
import { CurrentEstablishment } from '../establishments/current-establishment';
import type { Establishment } from '../establishments/establishment.entity';
import type { LetterBody } from '../permits/letters';
import { letterOfEstablishment, letterPdf } from '../permits/letters';
import { grantLetter, refusalLetter } from './decision-letters';
import { FOLLOWUP_LABELS } from './decision-authorisation.rules';
import { DecisionForm, FollowupForm, MagistrateAnswerForm, ReferralForm } from './decision.form';
import { durationText, MAGISTRATE_ANSWER_LABELS, REFUSAL_GROUND_LABELS } from './decision.rules';
import { FamilyVisitDecisionsService } from './decisions.service';
import { durationChoices, KIND_LABELS } from './requests.rules';
import { FamilyVisitInstructionService } from './instruction.service';
import { CPU_OPINION_LABELS, LEGAL_STATUS_LABELS, REQUEST_STATUS_LABELS } from './instruction.rules';
import { AuditService } from '../common/audit.service';

/** Who may open a decision page: the head, or an agent holding a signature delegation (checked by the service). */
const SIGNERS = ['HEAD_OF_ESTABLISHMENT', 'SPIP_COUNSELLOR', 'PERMITS_OFFICER'] as const;

/** What a form page shows: the errors, the values typed, and (once checked) the read-back of what will be signed or recorded. */
interface FormState {
  errors?: FieldError[];
  values?: unknown;
  /** The read-back: the page shows what will be signed or recorded, and asks for confirmation. */
  readBack?: Record<string, unknown>;
}

/**
 * The decisions on a UVF / PF case: the head's (or delegate's) decision on each request of a
 * condamné — or of a prévenu within the magistrate's authorisation in force — with a confirmation that
 * reads the letter back before it is signed; the transmission of a prévenu's case to the magistrate,
 * the magistrate's answer and his follow-up on his authorisation after an incident, each read back
 * before it is signed or recorded; the case's letters as PDF. Every read-back's « Modifier » posts the
 * values back to the form (`…/modifier`), which shows them again.
 */
@Controller('etablissements/:establishment/uvf/dossiers/:id')
export class FamilyVisitDecisionsController {
  constructor(
    private readonly decisions: FamilyVisitDecisionsService,
    private readonly instruction: FamilyVisitInstructionService,
    private readonly audit: AuditService,
  ) {}

  @Get('decisions/:requestId')
  @Roles(...SIGNERS)
  async decisionPage(
    @CurrentEstablishment() establishment: Establishment,
    @IdParam('id') id: string,
    @IdParam('requestId') requestId: string,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    await this.renderDecision(res, establishment, id, requestId, principal, {});
  }

  /** « Modifier » on the read-back: the form again, with everything typed. */
  @Post('decisions/:requestId/modifier')
  @Roles(...SIGNERS)
  async decisionAgain(
    @CurrentEstablishment() establishment: Establishment,
    @IdParam('id') id: string,
    @IdParam('requestId') requestId: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    await this.renderDecision(res.status(200), establishment, id, requestId, principal, { values: typed(body) });
  }

  @Post('decisions/:requestId')
  @Roles(...SIGNERS)
  async decide(
    @CurrentEstablishment() establishment: Establishment,
    @IdParam('id') id: string,
    @IdParam('requestId') requestId: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(DecisionForm, body);
    if (!form.ok) return this.renderDecision(res.status(400), establishment, id, requestId, principal, form);
    const v = form.value;
    const actor = actorOf(principal);
    if (v.confirme !== 'oui') {
      // Checked before the read-back: the letter read back is one that can be signed.
      const checked = await attempt(
        () =>
          this.decisions.check(
            actor,
            establishment.id,
            id,
            requestId,
            v.decision === 'GRANT'
              ? { decision: 'GRANT', grant: { hours: v.hours!, slots: v.slots ?? null } }
              : { decision: 'REFUSE', refusal: { ground: v.ground ?? null, facts: v.facts ?? '', motivation: v.motivation ?? '' } },
          ),
        (e) => fieldOf(e, ['HOURS', 'GROUND', 'FACTS', 'MOTIVATION']),
      );
      if (!checked.ok)
        return this.renderDecision(res.status(checked.status), establishment, id, requestId, principal, {
          errors: checked.errors,
          values: v,
        });
      return this.renderDecision(res.status(200), establishment, id, requestId, principal, { values: v, readBack: {} });
    }
    const done = await attempt(
      () =>
        v.decision === 'GRANT'
          ? this.decisions.grant(actor, establishment.id, id, requestId, { hours: v.hours!, slots: v.slots ?? null })
          : this.decisions.refuse(actor, establishment.id, id, requestId, {
              ground: v.ground ?? null,
              facts: v.facts ?? '',
              motivation: v.motivation ?? '',
            }),
      (e) => fieldOf(e, ['HOURS', 'GROUND', 'FACTS', 'MOTIVATION']),
    );
    if (!done.ok)
      return this.renderDecision(res.status(done.status), establishment, id, requestId, principal, { errors: done.errors, values: v });
    res.redirect(303, `/etablissements/${establishment.code}/uvf/dossiers/${id}#decisions`);
  }

  @Get('transmission')
  @Roles(...SIGNERS)
  async referralPage(
    @CurrentEstablishment() establishment: Establishment,
    @IdParam('id') id: string,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    await this.renderReferral(res, establishment, id, principal, {});
  }

  @Post('transmission/modifier')
  @Roles(...SIGNERS)
  async referralAgain(
    @CurrentEstablishment() establishment: Establishment,
    @IdParam('id') id: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    await this.renderReferral(res.status(200), establishment, id, principal, { values: typed(body) });
  }

  @Post('transmission')
  @Roles(...SIGNERS)
  async refer(
    @CurrentEstablishment() establishment: Establishment,
    @IdParam('id') id: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(ReferralForm, body);
    if (!form.ok) return this.renderReferral(res.status(400), establishment, id, principal, form);
    const v = form.value;
    const actor = actorOf(principal);
    const referral = {
      magistrate: v.magistrate,
      opinion: v.opinion,
      proposedHours: v.proposedHours,
      proposedSlots: v.proposedSlots ?? null,
    };
    if (v.confirme !== 'oui') {
      const preview = await attempt(
        () => this.decisions.previewReferral(actor, establishment.id, id, referral),
        (e) => fieldOf(e, ['PROPOSEDHOURS']),
      );
      if (!preview.ok)
        return this.renderReferral(res.status(preview.status), establishment, id, principal, { errors: preview.errors, values: v });
      return this.renderReferral(res.status(200), establishment, id, principal, { values: v, readBack: preview.value });
    }
    const done = await attempt(
      () => this.decisions.refer(actor, establishment.id, id, referral),
      (e) => fieldOf(e, ['PROPOSEDHOURS']),
    );
    if (!done.ok) return this.renderReferral(res.status(done.status), establishment, id, principal, { errors: done.errors, values: v });
    res.redirect(303, `/etablissements/${establishment.code}/uvf/dossiers/${id}#decisions`);
  }

  @Get('reponse-magistrat')
  @Roles(...SIGNERS)
  async answerPage(
    @CurrentEstablishment() establishment: Establishment,
    @IdParam('id') id: string,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    await this.renderAnswer(res, establishment, id, principal, {});
  }

  @Post('reponse-magistrat/modifier')
  @Roles(...SIGNERS)
  async answerAgain(
    @CurrentEstablishment() establishment: Establishment,
    @IdParam('id') id: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    await this.renderAnswer(res.status(200), establishment, id, principal, { values: typed(body) });
  }

  @Post('reponse-magistrat')
  @Roles(...SIGNERS)
  async answer(
    @CurrentEstablishment() establishment: Establishment,
    @IdParam('id') id: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(MagistrateAnswerForm, body);
    if (!form.ok) return this.renderAnswer(res.status(400), establishment, id, principal, form);
    const v = form.value;
    const actor = actorOf(principal);
    const answer = {
      requestId: v.requestId,
      answer: v.answer,
      until: v.until ?? null,
      reasons: v.reasons ?? '',
      hours: v.answer === 'REFUSED' ? null : (v.hours ?? null),
      slots: v.answer === 'REFUSED' ? null : (v.slots ?? null),
    };
    const fields = (e: DomainError) => fieldOf(e, ['UNTIL', 'REASONS', 'ANSWER', 'HOURS']);
    if (v.confirme !== 'oui') {
      const preview = await attempt(() => this.decisions.previewMagistrateAnswer(actor, establishment.id, id, answer), fields);
      if (!preview.ok)
        return this.renderAnswer(res.status(preview.status), establishment, id, principal, { errors: preview.errors, values: v });
      return this.renderAnswer(res.status(200), establishment, id, principal, { values: v, readBack: preview.value });
    }
    const done = await attempt(() => this.decisions.recordMagistrateAnswer(actor, establishment.id, id, answer), fields);
    if (!done.ok) return this.renderAnswer(res.status(done.status), establishment, id, principal, { errors: done.errors, values: v });
    res.redirect(303, `/etablissements/${establishment.code}/uvf/dossiers/${id}#decisions`);
  }

  @Get('suite-magistrat')
  @Roles(...SIGNERS)
  async followupPage(
    @CurrentEstablishment() establishment: Establishment,
    @IdParam('id') id: string,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    await this.renderFollowup(res, establishment, id, principal, {});
  }

  @Post('suite-magistrat/modifier')
  @Roles(...SIGNERS)
  async followupAgain(
    @CurrentEstablishment() establishment: Establishment,
    @IdParam('id') id: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    await this.renderFollowup(res.status(200), establishment, id, principal, { values: typed(body) });
  }

  @Post('suite-magistrat')
  @Roles(...SIGNERS)
  async followup(
    @CurrentEstablishment() establishment: Establishment,
    @IdParam('id') id: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(FollowupForm, body);
    if (!form.ok) return this.renderFollowup(res.status(400), establishment, id, principal, form);
    const v = form.value;
    const actor = actorOf(principal);
    const followup = { requestId: v.requestId, outcome: v.outcome, on: v.on };
    const fields = (e: DomainError) => fieldOf(e, ['OUTCOME', 'ON', 'REQUESTID']);
    if (v.confirme !== 'oui') {
      const preview = await attempt(() => this.decisions.previewFollowup(actor, establishment.id, id, followup), fields);
      if (!preview.ok)
        return this.renderFollowup(res.status(preview.status), establishment, id, principal, { errors: preview.errors, values: v });
      return this.renderFollowup(res.status(200), establishment, id, principal, { values: v, readBack: preview.value });
    }
    const done = await attempt(() => this.decisions.recordFollowup(actor, establishment.id, id, followup), fields);
    if (!done.ok) return this.renderFollowup(res.status(done.status), establishment, id, principal, { errors: done.errors, values: v });
    res.redirect(303, `/etablissements/${establishment.code}/uvf/dossiers/${id}#decisions`);
  }

  @Get('courriers/:letterId')
  @Roles(...SIGNERS)
  async letter(
    @CurrentEstablishment() establishment: Establishment,
    @IdParam('id') id: string,
    @IdParam('letterId') letterId: string,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const letter = await letterOfEstablishment(this.decisions.db(), establishment.id, letterId);
    if (!letter || letter.familyVisitCaseId !== id) throw new DomainError('NOT_FOUND', 'Courrier introuvable.', 404);
    await this.audit.recordRead(actorOf(principal), {
      action: 'LETTER_READ',
      entityType: 'letter',
      entityId: letter.id,
      establishmentId: establishment.id,
      details: { kind: letter.kind, familyVisitCase: id },
    });
    res
      .set({
        'Content-Type': 'application/pdf',
        'Content-Disposition': `inline; filename="courrier-${letter.kind.toLowerCase().replace(/_/g, '-')}-${letter.id.slice(0, 8)}.pdf"`,
        'Cache-Control': 'private, no-store',
      })
      .send(await letterPdf(letter));
  }

  private async context(establishment: Establishment, id: string, principal: Principal) {
    const file = await this.instruction.caseFile(establishment.id, id);
    const panel = await this.decisions.panel(establishment.id, id, principal.kind === 'agent' ? actorOf(principal).id : null);
    return { establishment, c: file.case, panel, labels: LABELS };
  }

  private async renderDecision(
    res: Response,
    establishment: Establishment,
    id: string,
    requestId: string,
    principal: Principal,
    state: FormState,
  ) {
    const ctx = await this.context(establishment, id, principal);
    const request = ctx.panel.requests.find((r) => r.id === requestId);
    if (!request) throw new DomainError('NOT_FOUND', 'Demande introuvable dans ce dossier.', 404);
    const values = (state.values ?? {}) as Partial<DecisionForm>;
    // The letter as it will be signed, read back on the confirmation page.
    const preview: LetterBody | null =
      state.readBack && values.decision
        ? values.decision === 'GRANT'
          ? grantLetter(ctx.panel.letterCase, request, { hours: values.hours!, slots: values.slots ?? null }, request.basis)
          : refusalLetter(ctx.panel.letterCase, request, {
              ground: values.ground!,
              facts: values.facts ?? '',
              motivation: values.motivation ?? '',
            })
        : null;
    res.render('family-visits/decision-request.njk', {
      ...ctx,
      request,
      durations: durationChoices(ctx.c.kind as 'UVF' | 'PF'),
      preview,
      previewDuration: values.decision === 'GRANT' && values.hours ? durationText(values.hours, values.slots ?? null) : null,
      errors: state.errors ?? [],
      values,
      hidden: hiddenFields(values),
      confirm: state.readBack !== undefined,
    });
  }

  private async renderReferral(res: Response, establishment: Establishment, id: string, principal: Principal, state: FormState) {
    const ctx = await this.context(establishment, id, principal);
    const values = (state.values ?? {}) as Record<string, unknown>;
    res.render('family-visits/decision-referral.njk', {
      ...ctx,
      // Covered by an authorisation of the magistrate in force: the head decides them, they are not sent again.
      covered: ctx.panel.requests.filter((r) => r.authorisation !== null),
      durations: durationChoices(ctx.c.kind as 'UVF' | 'PF'),
      errors: state.errors ?? [],
      values,
      hidden: hiddenFields(values),
      readBack: state.readBack ?? null,
    });
  }

  private async renderAnswer(res: Response, establishment: Establishment, id: string, principal: Principal, state: FormState) {
    const ctx = await this.context(establishment, id, principal);
    const values = dayFields(state.values);
    // The duration offered by default: the visit's once a request of it is granted, else the one proposed to the magistrate.
    const granted = ctx.panel.requests.find((r) => r.status === 'GRANTED' && r.grantedHours !== null);
    const chosenHours = Number(values.hours) || granted?.grantedHours || ctx.panel.referral?.proposedHours || null;
    const durations = durationChoices(ctx.c.kind as 'UVF' | 'PF');
    res.render('family-visits/decision-magistrate.njk', {
      ...ctx,
      // The duration as typed (kept, even one the rules refuse), else the default.
      durations: chosenHours && !durations.includes(chosenHours) ? [...durations, chosenHours] : durations,
      chosenHours,
      errors: state.errors ?? [],
      values,
      hidden: hiddenFields(values),
      readBack: state.readBack ?? null,
    });
  }

  private async renderFollowup(res: Response, establishment: Establishment, id: string, principal: Principal, state: FormState) {
    const ctx = await this.context(establishment, id, principal);
    const values = dayFields(state.values);
    res.render('family-visits/decision-followup.njk', {
      ...ctx,
      errors: state.errors ?? [],
      values,
      hidden: hiddenFields(values),
      readBack: state.readBack ?? null,
    });
  }
}

const LABELS = {
  kind: KIND_LABELS,
  requestStatus: REQUEST_STATUS_LABELS,
  legalStatus: LEGAL_STATUS_LABELS,
  cpuOpinion: CPU_OPINION_LABELS,
  ground: REFUSAL_GROUND_LABELS,
  magistrateAnswer: MAGISTRATE_ANSWER_LABELS,
  followup: FOLLOWUP_LABELS,
};

/** The values posted back by « Modifier »: the text fields as typed (not the token, not the confirmation). */
function typed(body: unknown): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries((body ?? {}) as Record<string, unknown>))
    if (k !== '_csrf' && k !== 'confirme' && typeof v === 'string') values[k] = v;
  return values;
}

/** The values as the form shows them: a day read as AAAA-MM-JJ is written back JJ/MM/AAAA, as typed. */
function dayFields(values: unknown): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries((values ?? {}) as Record<string, unknown>).map(([k, v]) => [
      k,
      typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v.split('-').reverse().join('/') : v,
    ]),
  );
}

/** The values a read-back carries in its hidden fields (the confirmation and « Modifier » post them back): as typed, nothing empty. */
function hiddenFields(values: object): [string, string][] {
  return Object.entries(dayFields(values))
    .filter(([k, v]) => k !== 'confirme' && v !== undefined && v !== null && v !== '')
    .map(([k, v]) => [k, String(v)]);
}

/** The form field a domain error is about: its code lower-cased when it names a field, else the summary. */
function fieldOf(e: DomainError, fields: string[]): string {
  if (!fields.includes(e.code)) return 'global';
  return (
    {
      HOURS: 'hours',
      GROUND: 'ground',
      FACTS: 'facts',
      MOTIVATION: 'motivation',
      PROPOSEDHOURS: 'proposedHours',
      UNTIL: 'until',
      REASONS: 'reasons',
      ANSWER: 'answer',
      OUTCOME: 'outcome',
      ON: 'on',
      REQUESTID: 'requestId',
    }[e.code] ?? 'global'
  );
}
