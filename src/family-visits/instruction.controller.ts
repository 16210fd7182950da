import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/access.decorator';
import { actorOf, type Principal } from '../auth/principal';
import { DomainError } from '../common/domain-error';
import { IdParam } from '../common/params';
import { attempt, validateForm } from '../common/forms';
import { pageInfo, parsePage } from '../common/pagination';
import { CurrentEstablishment } from '../establishments/current-establishment';
import { Establishment } from '../establishments/establishment.entity';
import { CpuForm, InterviewForm, InterviewReportForm, JuvenileJudgeForm, queueQuery } from './instruction.form';
import { CASE_STATUS_LABELS, JUDGE_OPINION_LABELS, KIND_LABELS, MODE_LABELS } from './instruction.rules';
import { FamilyVisitInstructionService } from './instruction.service';
import { FamilyVisitDecisionsService } from './decisions.service';
import { casePage, type CasePageForm } from './case-page';
import { FamilyVisitLitigationService } from './litigation.service';
import { AuditService } from '../common/audit.service';

const PAGE_SIZE = 25;

/** A day as the forms take it: AAAA-MM-JJ read back as JJ/MM/AAAA; nothing as an empty field. */
const dayFr = (day: string | null | undefined) => (day ? day.split('-').reverse().join('/') : '');

/** The field of the juge des enfants' form a rule's refusal is about. */
const JUDGE_FIELDS: Record<string, string> = {
  PJJSERVICE: 'pjjService',
  ASKEDON: 'askedOn',
  OPINION: 'opinion',
  RECEIVEDON: 'receivedOn',
};

/** The SPIP counsellor's work on UVF / PF cases; the head of establishment reads them. */
@Controller('etablissements/:establishment/uvf/dossiers')
export class FamilyVisitInstructionController {
  constructor(
    private readonly instruction: FamilyVisitInstructionService,
    private readonly decisions: FamilyVisitDecisionsService,
    private readonly litigation: FamilyVisitLitigationService,
    private readonly audit: AuditService,
  ) {}

  @Get()
  @Roles('SPIP_COUNSELLOR', 'HEAD_OF_ESTABLISHMENT')
  async queue(@CurrentEstablishment() establishment: Establishment, @Query() query: Record<string, unknown>, @Res() res: Response) {
    const page = parsePage(query.page);
    const filter = queueQuery(query);
    const { total, rows } = await this.instruction.queue(establishment, filter, page, PAGE_SIZE);
    res.render('family-visits/instruction-queue.njk', {
      establishment,
      rows,
      filter,
      statusLabels: CASE_STATUS_LABELS,
      kindLabels: KIND_LABELS,
      pager: pageInfo(page, PAGE_SIZE, total),
    });
  }

  @Get(':id')
  @Roles('SPIP_COUNSELLOR', 'HEAD_OF_ESTABLISHMENT')
  async show(
    @CurrentEstablishment() establishment: Establishment,
    @IdParam('id') id: string,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    await this.render(res, establishment, id, principal, {});
  }

  @Get(':id/documents/:documentId')
  @Roles('SPIP_COUNSELLOR', 'HEAD_OF_ESTABLISHMENT')
  async document(
    @CurrentEstablishment() establishment: Establishment,
    @IdParam('id') id: string,
    @IdParam('documentId') documentId: string,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const doc = await this.instruction.document(establishment.id, id, documentId);
    await this.audit.recordRead(actorOf(principal), {
      action: 'DOCUMENT_READ',
      entityType: 'family_visit_document',
      entityId: documentId,
      establishmentId: establishment.id,
      details: { familyVisitCase: id },
    });
    res
      .set({
        'Content-Type': doc.contentType,
        'Cache-Control': 'private, no-store',
        'Content-Disposition': 'inline',
        'X-Content-Type-Options': 'nosniff',
      })
      .send(doc.content);
  }

  @Post(':id/entretiens')
  @Roles('SPIP_COUNSELLOR')
  async interview(
    @CurrentEstablishment() establishment: Establishment,
    @IdParam('id') id: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(InterviewForm, body);
    if (!form.ok) return this.render(res.status(400), establishment, id, principal, { ...form, form: 'interview' });
    const v = form.value;
    const done = await attempt(
      () =>
        this.instruction.recordInterview(agentActor(principal), establishment, id, {
          requestId: v.requestId,
          day: v.day,
          time: v.time,
          mode: v.mode,
          status: v.status,
          notes: v.notes ?? null,
          linkAssessment: v.linkAssessment ?? null,
          preparationAssessment: v.preparationAssessment ?? null,
          withAccompanyingAdult: v.withAccompanyingAdult === 'oui',
        }),
      (e) => ({ AT: 'day', APPLICANT: 'requestId', WITH_ADULT: 'withAccompanyingAdult' })[e.code] ?? 'status',
    );
    if (!done.ok)
      return this.render(res.status(done.status), establishment, id, principal, { errors: done.errors, values: v, form: 'interview' });
    res.redirect(303, `/etablissements/${establishment.code}/uvf/dossiers/${id}#entretiens`);
  }

  @Get(':id/entretiens/:interviewId/annuler')
  @Roles('SPIP_COUNSELLOR')
  async confirmCancel(
    @CurrentEstablishment() establishment: Establishment,
    @IdParam('id') id: string,
    @IdParam('interviewId') interviewId: string,
    @Res() res: Response,
  ) {
    const file = await this.instruction.caseFile(establishment.id, id);
    const applicant = file.applicants.find((a) => a.interviews.some((i) => i.id === interviewId && i.status === 'SCHEDULED'));
    const interview = applicant?.interviews.find((i) => i.id === interviewId);
    if (!applicant || !interview) return res.redirect(303, `/etablissements/${establishment.code}/uvf/dossiers/${id}`);
    res.render('family-visits/instruction-cancel.njk', { establishment, c: file.case, applicant, interview, modeLabels: MODE_LABELS });
  }

  @Post(':id/entretiens/:interviewId/annuler')
  @Roles('SPIP_COUNSELLOR')
  async cancel(
    @CurrentEstablishment() establishment: Establishment,
    @IdParam('id') id: string,
    @IdParam('interviewId') interviewId: string,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const done = await attempt(() => this.instruction.cancelInterview(agentActor(principal), establishment.id, id, interviewId), 'global');
    if (!done.ok) return this.render(res.status(done.status), establishment, id, principal, { errors: done.errors });
    res.redirect(303, `/etablissements/${establishment.code}/uvf/dossiers/${id}#entretiens`);
  }

  @Get(':id/entretiens/:interviewId/compte-rendu')
  @Roles('SPIP_COUNSELLOR')
  async reportForm(
    @CurrentEstablishment() establishment: Establishment,
    @IdParam('id') id: string,
    @IdParam('interviewId') interviewId: string,
    @Res() res: Response,
  ) {
    await this.renderReport(res, establishment, id, interviewId, {});
  }

  @Post(':id/entretiens/:interviewId/compte-rendu')
  @Roles('SPIP_COUNSELLOR')
  async report(
    @CurrentEstablishment() establishment: Establishment,
    @IdParam('id') id: string,
    @IdParam('interviewId') interviewId: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(InterviewReportForm, body);
    if (!form.ok) return this.renderReport(res.status(400), establishment, id, interviewId, form);
    const done = await attempt(
      () => this.instruction.reportInterview(agentActor(principal), establishment.id, id, interviewId, form.value),
      'global',
    );
    if (!done.ok)
      return this.renderReport(res.status(done.status), establishment, id, interviewId, { errors: done.errors, values: form.value });
    res.redirect(303, `/etablissements/${establishment.code}/uvf/dossiers/${id}#entretiens`);
  }

  @Post(':id/cpu')
  @Roles('SPIP_COUNSELLOR')
  async cpu(
    @CurrentEstablishment() establishment: Establishment,
    @IdParam('id') id: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(CpuForm, body);
    if (!form.ok) return this.render(res.status(400), establishment, id, principal, { ...form, form: 'cpu' });
    const v = form.value;
    const done = await attempt(
      () =>
        this.instruction.recordCpu(agentActor(principal), establishment.id, id, {
          cpuOn: v.cpuOn,
          opinion: v.opinion,
          notes: v.notes ?? null,
        }),
      (e) => (e.code === 'NOT_READY' ? 'global' : 'opinion'),
    );
    if (!done.ok)
      return this.render(res.status(done.status), establishment, id, principal, { errors: done.errors, values: v, form: 'cpu' });
    res.redirect(303, `/etablissements/${establishment.code}/uvf/dossiers/${id}`);
  }

  /** What the SPIP knows of a minor's follow-up by a juge des enfants, and the opinion asked through the PJJ. */
  @Get(':id/juge-des-enfants/:requestId')
  @Roles('SPIP_COUNSELLOR')
  async judgeForm(
    @CurrentEstablishment() establishment: Establishment,
    @IdParam('id') id: string,
    @IdParam('requestId') requestId: string,
    @Res() res: Response,
  ) {
    await this.renderJudge(res, establishment, id, requestId, {});
  }

  @Post(':id/juge-des-enfants/:requestId')
  @Roles('SPIP_COUNSELLOR')
  async judge(
    @CurrentEstablishment() establishment: Establishment,
    @IdParam('id') id: string,
    @IdParam('requestId') requestId: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(JuvenileJudgeForm, body);
    if (!form.ok) return this.renderJudge(res.status(400), establishment, id, requestId, form);
    const v = form.value;
    const followed = v.followed === 'YES';
    const opinion = followed && v.opinion && v.opinion !== 'AWAITED' ? v.opinion : null;
    const done = await attempt(
      () =>
        this.instruction.recordJuvenileJudge(agentActor(principal), establishment, id, requestId, {
          followed,
          pjjService: followed ? (v.pjjService ?? null) : null,
          askedOn: followed ? (v.askedOn ?? null) : null,
          opinion,
          receivedOn: followed ? (v.receivedOn ?? null) : null,
          notes: v.notes ?? null,
        }),
      (e) => JUDGE_FIELDS[e.code] ?? 'global',
    );
    if (!done.ok)
      return this.renderJudge(res.status(done.status), establishment, id, requestId, {
        errors: done.errors,
        values: { ...v, askedOn: dayFr(v.askedOn), receivedOn: dayFr(v.receivedOn) },
      });
    res.redirect(303, `/etablissements/${establishment.code}/uvf/dossiers/${id}#demande-${requestId}`);
  }

  private async renderJudge(res: Response, establishment: Establishment, id: string, requestId: string, state: CasePageForm) {
    const file = await this.instruction.caseFile(establishment.id, id);
    const applicant = file.applicants.find((a) => a.id === requestId && a.minor);
    if (!applicant) throw new DomainError('NOT_FOUND', 'Demande de visiteur mineur introuvable.', 404);
    if (file.case.status !== 'INSTRUCTION' || applicant.status === 'WITHDRAWN')
      return res.redirect(303, `/etablissements/${establishment.code}/uvf/dossiers/${id}`);
    const j = applicant.juvenileJudge;
    const recorded = j
      ? {
          followed: j.followed ? 'YES' : 'NO',
          pjjService: j.pjjService ?? '',
          askedOn: dayFr(j.askedOn),
          opinion: j.opinion ?? 'AWAITED',
          receivedOn: dayFr(j.receivedOn),
          notes: j.notes ?? '',
        }
      : {};
    res.render('family-visits/instruction-judge.njk', {
      establishment,
      c: file.case,
      applicant,
      opinionLabels: JUDGE_OPINION_LABELS,
      errors: state.errors ?? [],
      values: state.values ?? recorded,
    });
  }

  private async renderReport(res: Response, establishment: Establishment, id: string, interviewId: string, state: CasePageForm) {
    const file = await this.instruction.caseFile(establishment.id, id);
    const applicant = file.applicants.find((a) => a.interviews.some((i) => i.id === interviewId && i.status === 'SCHEDULED'));
    const interview = applicant?.interviews.find((i) => i.id === interviewId);
    if (!applicant || !interview) return res.redirect(303, `/etablissements/${establishment.code}/uvf/dossiers/${id}`);
    res.render('family-visits/instruction-report.njk', {
      establishment,
      c: file.case,
      applicant,
      interview,
      modeLabels: MODE_LABELS,
      errors: state.errors ?? [],
      values: state.values ?? {},
    });
  }

  private async render(res: Response, establishment: Establishment, id: string, principal: Principal, state: CasePageForm) {
    const services = { instruction: this.instruction, decisions: this.decisions, litigation: this.litigation };
    res.render('family-visits/instruction-case.njk', await casePage(services, establishment, id, principal, state));
  }
}

/** The signed-in agent as the author of an interview or an opinion. */
function agentActor(principal: Principal) {
  const actor = actorOf(principal);
  return { ...actor, id: actor.id };
}
