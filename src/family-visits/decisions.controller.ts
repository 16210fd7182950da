import { Body, Controller, Get, HttpStatus, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/access.decorator';
import { actorOf, type Principal } from '../auth/principal';
import { DomainError } from '../common/domain-error';
import { attempt, type FieldError, validateForm } from '../common/forms';
import { CurrentEstablishment } from '../establishments/current-establishment';
import type { Establishment } from '../establishments/establishment.entity';
import { letterOfEstablishment, letterPdf } from '../permits/letters';
import { grantLetter, refusalLetter } from './decision-letters';
import { DecisionForm, MagistrateAnswerForm, ReferralForm } from './decision.form';
import { durationText, MAGISTRATE_ANSWER_LABELS, REFUSAL_GROUND_LABELS } from './decision.rules';
import { FamilyVisitDecisionsService } from './decisions.service';
import { durationChoices, KIND_LABELS } from './requests.rules';
import { FamilyVisitInstructionService } from './instruction.service';
import { CPU_OPINION_LABELS, LEGAL_STATUS_LABELS, REQUEST_STATUS_LABELS } from './instruction.rules';

const Id = (name: string) => Param(name, new ParseUUIDPipe({ errorHttpStatusCode: HttpStatus.NOT_FOUND }));

/** Who may open a decision page: the head, or an agent holding a signature delegation (checked by the service). */
const SIGNERS = ['HEAD_OF_ESTABLISHMENT', 'SPIP_COUNSELLOR', 'PERMITS_OFFICER'] as const;

/**
 * The decisions on a UVF / PF case: the head's (or delegate's) decision on each request of a
 * condamné, with a confirmation that reads the letter back before it is signed; the transmission of
 * a prévenu's case to the magistrate and the magistrate's answer; the case's letters as PDF.
 */
@Controller('etablissements/:establishment/uvf/dossiers/:id')
export class FamilyVisitDecisionsController {
  constructor(
    private readonly decisions: FamilyVisitDecisionsService,
    private readonly instruction: FamilyVisitInstructionService,
  ) {}

  @Get('decisions/:requestId')
  @Roles(...SIGNERS)
  async decisionPage(
    @CurrentEstablishment() establishment: Establishment,
    @Id('id') id: string,
    @Id('requestId') requestId: string,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    await this.renderDecision(res, establishment, id, requestId, principal, {});
  }

  @Post('decisions/:requestId')
  @Roles(...SIGNERS)
  async decide(
    @CurrentEstablishment() establishment: Establishment,
    @Id('id') id: string,
    @Id('requestId') requestId: string,
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
      return this.renderDecision(res.status(200), establishment, id, requestId, principal, { values: v, confirm: true });
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
    @Id('id') id: string,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    await this.renderReferral(res, establishment, id, principal, {});
  }

  @Post('transmission')
  @Roles(...SIGNERS)
  async refer(
    @CurrentEstablishment() establishment: Establishment,
    @Id('id') id: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(ReferralForm, body);
    if (!form.ok) return this.renderReferral(res.status(400), establishment, id, principal, form);
    const done = await attempt(
      () => this.decisions.refer(actorOf(principal), establishment.id, id, form.value),
      (e) => fieldOf(e, ['PROPOSEDHOURS']),
    );
    if (!done.ok)
      return this.renderReferral(res.status(done.status), establishment, id, principal, { errors: done.errors, values: form.value });
    res.redirect(303, `/etablissements/${establishment.code}/uvf/dossiers/${id}#decisions`);
  }

  @Get('reponse-magistrat')
  @Roles('HEAD_OF_ESTABLISHMENT', 'SPIP_COUNSELLOR', 'PERMITS_OFFICER')
  async answerPage(
    @CurrentEstablishment() establishment: Establishment,
    @Id('id') id: string,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    await this.renderAnswer(res, establishment, id, principal, {});
  }

  @Post('reponse-magistrat')
  @Roles('HEAD_OF_ESTABLISHMENT', 'SPIP_COUNSELLOR', 'PERMITS_OFFICER')
  async answer(
    @CurrentEstablishment() establishment: Establishment,
    @Id('id') id: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(MagistrateAnswerForm, body);
    if (!form.ok) return this.renderAnswer(res.status(400), establishment, id, principal, form);
    const v = form.value;
    const done = await attempt(
      () =>
        this.decisions.recordMagistrateAnswer(actorOf(principal), establishment.id, id, {
          requestId: v.requestId,
          answer: v.answer,
          until: v.until ?? null,
          reasons: v.reasons ?? '',
        }),
      (e) => fieldOf(e, ['UNTIL', 'REASONS', 'ANSWER']),
    );
    if (!done.ok) return this.renderAnswer(res.status(done.status), establishment, id, principal, { errors: done.errors, values: v });
    res.redirect(303, `/etablissements/${establishment.code}/uvf/dossiers/${id}#decisions`);
  }

  @Get('courriers/:letterId')
  @Roles('HEAD_OF_ESTABLISHMENT', 'SPIP_COUNSELLOR', 'PERMITS_OFFICER')
  async letter(
    @CurrentEstablishment() establishment: Establishment,
    @Id('id') id: string,
    @Id('letterId') letterId: string,
    @Res() res: Response,
  ) {
    const letter = await letterOfEstablishment(this.decisions.db(), establishment.id, letterId);
    if (!letter || letter.familyVisitCaseId !== id) throw new DomainError('NOT_FOUND', 'Courrier introuvable.', 404);
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
    state: { errors?: FieldError[]; values?: unknown; confirm?: boolean },
  ) {
    const ctx = await this.context(establishment, id, principal);
    const request = ctx.panel.requests.find((r) => r.id === requestId);
    if (!request) throw new DomainError('NOT_FOUND', 'Demande introuvable dans ce dossier.', 404);
    const values = (state.values ?? {}) as Partial<DecisionForm>;
    // The letter as it will be signed, read back on the confirmation page.
    const preview =
      state.confirm && values.decision
        ? values.decision === 'GRANT'
          ? grantLetter(ctx.panel.letterCase, request, { hours: values.hours!, slots: values.slots ?? null })
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
      confirm: state.confirm === true,
    });
  }

  private async renderReferral(
    res: Response,
    establishment: Establishment,
    id: string,
    principal: Principal,
    state: { errors?: FieldError[]; values?: unknown },
  ) {
    const ctx = await this.context(establishment, id, principal);
    res.render('family-visits/decision-referral.njk', {
      ...ctx,
      durations: durationChoices(ctx.c.kind as 'UVF' | 'PF'),
      errors: state.errors ?? [],
      values: state.values ?? {},
    });
  }

  private async renderAnswer(
    res: Response,
    establishment: Establishment,
    id: string,
    principal: Principal,
    state: { errors?: FieldError[]; values?: unknown },
  ) {
    const ctx = await this.context(establishment, id, principal);
    res.render('family-visits/decision-magistrate.njk', { ...ctx, errors: state.errors ?? [], values: state.values ?? {} });
  }
}

const LABELS = {
  kind: KIND_LABELS,
  requestStatus: REQUEST_STATUS_LABELS,
  legalStatus: LEGAL_STATUS_LABELS,
  cpuOpinion: CPU_OPINION_LABELS,
  ground: REFUSAL_GROUND_LABELS,
  magistrateAnswer: MAGISTRATE_ANSWER_LABELS,
};

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
    }[e.code] ?? 'global'
  );
}
