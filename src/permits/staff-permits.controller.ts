import { Body, Controller, Get, Inject, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/access.decorator';
import { actorOf, holdsRole, type Principal } from '../auth/principal';
import { parseDay } from '../common/dates';
import { DomainError } from '../common/domain-error';
import { pageInfo, parsePage } from '../common/pagination';
import { Establishment } from '../establishments/establishment.entity';
import { EstablishmentsService } from '../establishments/establishments.service';
import { daysLeft, decisionDeadline, ID_DOCUMENT_TYPES, isMinor, parseBirthdate, RELATIONSHIPS, STATUS_LABELS } from './permit.rules';
import { PermitInstructionService } from './permit-instruction.service';
import { PermitRequestsService } from './permit-requests.service';
import { refusalLetterPdf } from './refusal-letter';
import { permitPdf } from './permit-pdf';
import { SignedTokens } from '../common/signed-tokens';

export const PERMIT_TOKENS = Symbol('PERMIT_TOKENS');

const PAGE_SIZE = 25;
const DATE = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: 'numeric', month: 'long', year: 'numeric' });

/** Instruction of permit requests by the establishment (greffe), decisions by its head. */
@Controller('etablissements/:establishment/permis')
export class StaffPermitsController {
  constructor(
    private readonly instruction: PermitInstructionService,
    private readonly requests: PermitRequestsService,
    private readonly establishments: EstablishmentsService,
    @Inject(PERMIT_TOKENS) private readonly tokens: SignedTokens,
  ) {}

  @Get('demandes')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async queue(
    @Param('establishment') code: string,
    @Query('filtre') filter = '',
    @Query('q') q = '',
    @Query('page') rawPage: string,
    @Res() res: Response,
  ) {
    const establishment = await this.establishments.byCode(code);
    const page = parsePage(rawPage);
    const search = String(q).trim().slice(0, 100);
    const { total, rows } = await this.instruction.queue(establishment.id, String(filter), search, page, PAGE_SIZE);
    const now = new Date();
    res.render('permits/queue.njk', {
      establishment,
      rows: rows.map((r: { complete_at: Date | null }) => ({
        ...r,
        daysLeft: r.complete_at ? daysLeft(new Date(r.complete_at), now) : null,
      })),
      filter,
      q: search,
      statusLabels: STATUS_LABELS,
      pager: pageInfo(page, PAGE_SIZE, total),
    });
  }

  @Get('demandes/:id')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async show(
    @Param('establishment') code: string,
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const establishment = await this.establishments.byCode(code);
    await this.render(res, establishment, id, principal, {});
  }

  @Post('demandes/:id/documents-demandes')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async ask(
    @Param('establishment') code: string,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body('message') message: string,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const establishment = await this.establishments.byCode(code);
    try {
      await this.instruction.askFamily(actorOf(principal), establishment.id, id, String(message ?? '').slice(0, 2000));
    } catch (e) {
      if (e instanceof DomainError && e.status === 400)
        return this.render(res.status(400), establishment, id, principal, {
          errors: [{ field: 'message', message: e.message }],
          values: { message },
        });
      throw e;
    }
    res.redirect(303, `/etablissements/${code}/permis/demandes/${id}?fait=demande`);
  }

  @Post('demandes/:id/documents/:documentId/examen')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async review(
    @Param('establishment') code: string,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('documentId', new ParseUUIDPipe()) documentId: string,
    @Body() body: { review?: string; reason?: string },
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const establishment = await this.establishments.byCode(code);
    const review = body.review === 'ACCEPTED' || body.review === 'TO_REPLACE' ? body.review : null;
    try {
      if (!review) throw new DomainError('REVIEW', 'Choisissez « accepté » ou « à remplacer ».');
      await this.instruction.reviewDocument(
        actorOf(principal),
        establishment.id,
        id,
        documentId,
        review,
        String(body.reason ?? '').slice(0, 500),
      );
    } catch (e) {
      if (e instanceof DomainError && e.status === 400)
        return this.render(res.status(400), establishment, id, principal, {
          errors: [{ field: `reason-${documentId}`, message: e.message }],
          values: body,
        });
      throw e;
    }
    res.redirect(303, `/etablissements/${code}/permis/demandes/${id}`);
  }

  @Post('demandes/:id/notes')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async note(
    @Param('establishment') code: string,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body('note') note: string,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const establishment = await this.establishments.byCode(code);
    try {
      await this.instruction.addNote(actorOf(principal), establishment.id, id, String(note ?? '').slice(0, 2000));
    } catch (e) {
      if (e instanceof DomainError && e.status === 400)
        return this.render(res.status(400), establishment, id, principal, { errors: [{ field: 'note', message: e.message }] });
      throw e;
    }
    res.redirect(303, `/etablissements/${code}/permis/demandes/${id}`);
  }

  @Post('demandes/:id/prete')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async ready(
    @Param('establishment') code: string,
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const establishment = await this.establishments.byCode(code);
    await this.instruction.markReady(actorOf(principal), establishment.id, id);
    res.redirect(303, `/etablissements/${code}/permis/demandes/${id}`);
  }

  @Post('demandes/:id/decision')
  @Roles('HEAD_OF_ESTABLISHMENT')
  async decide(
    @Param('establishment') code: string,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: { decision?: string; motivation?: string },
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const establishment = await this.establishments.byCode(code);
    if (body.decision !== 'GRANT' && body.decision !== 'REFUSE') {
      return this.render(res.status(400), establishment, id, principal, {
        errors: [{ field: 'decision', message: 'Choisissez d’accorder ou de refuser le permis' }],
        values: body,
      });
    }
    try {
      const permitId = await this.instruction.decide(
        actorOf(principal),
        establishment.id,
        id,
        body.decision,
        String(body.motivation ?? '').slice(0, 5000),
      );
      if (permitId) return res.redirect(303, `/etablissements/${code}/permis/${permitId}`);
    } catch (e) {
      if (e instanceof DomainError && e.status === 400)
        return this.render(res.status(400), establishment, id, principal, {
          errors: [{ field: 'motivation', message: e.message }],
          values: body,
        });
      throw e;
    }
    res.redirect(303, `/etablissements/${code}/permis/demandes/${id}?fait=decision`);
  }

  @Get('demandes/:id/lettre-de-refus.pdf')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async refusalLetter(@Param('establishment') code: string, @Param('id', new ParseUUIDPipe()) id: string, @Res() res: Response) {
    const establishment = await this.establishments.byCode(code);
    const r = await this.instruction.forEstablishment(establishment.id, id);
    if (r.status !== 'REFUSED') return res.status(404).render('errors/404.njk');
    const pdf = await refusalLetterPdf({
      establishmentName: r.establishment_name!,
      reference: r.reference!,
      date: DATE.format(new Date(r.decided_at!)),
      familyName: r.family_name,
      visitor: `${r.visitor_given_name} ${r.visitor_family_name}`,
      detainee: r.detainee_name!,
      submittedOn: DATE.format(new Date(r.submitted_at!)),
      motivation: r.decision_motivation!,
      signatory: `Le chef d’établissement, ${establishment.name}`,
    });
    res
      .set({
        'Content-Type': 'application/pdf',
        'Content-Disposition': `inline; filename="refus-${r.reference}.pdf"`,
        'Cache-Control': 'private, no-store',
      })
      .send(pdf);
  }

  @Get('documents/:documentId')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT', 'PARLOIR_AGENT')
  async document(
    @Param('establishment') code: string,
    @Param('documentId', new ParseUUIDPipe()) documentId: string,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const establishment = await this.establishments.byCode(code);
    const permitsStaff = holdsRole(principal, establishment.id, ['PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT']);
    const doc = await this.requests.documentFor(
      { kind: 'agent', establishmentIds: [establishment.id], permitPhotosOnly: !permitsStaff },
      documentId,
    );
    res
      .set({
        'Content-Type': doc.contentType,
        'Cache-Control': 'private, no-store',
        'Content-Disposition': 'inline',
        'X-Content-Type-Options': 'nosniff',
      })
      .send(doc.content);
  }

  /** Record a permit issued on paper or by a magistrate (for a prévenu). */
  @Get('enregistrer')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async recordForm(@Param('establishment') code: string, @Res() res: Response) {
    const establishment = await this.establishments.byCode(code);
    res.render('permits/record.njk', { establishment, relationships: RELATIONSHIPS, errors: [], values: {} });
  }

  @Post('enregistrer')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async record(
    @Param('establishment') code: string,
    @Body() body: Record<string, string>,
    @Req() req: Request,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const establishment = await this.establishments.byCode(code);
    const now = new Date();
    const errors: { field: string; message: string }[] = [];
    const ecrou = String(body.ecrou ?? '')
      .trim()
      .toUpperCase();
    if (!/^[0-9A-Z]{1,20}$/.test(ecrou)) errors.push({ field: 'ecrou', message: 'Saisissez le numéro d’écrou de la personne détenue' });
    if (!String(body.givenName ?? '').trim()) errors.push({ field: 'givenName', message: 'Saisissez le prénom du visiteur' });
    if (!String(body.familyName ?? '').trim()) errors.push({ field: 'familyName', message: 'Saisissez le nom du visiteur' });
    const birthdate = parseBirthdate(String(body.birthdate ?? ''), now);
    if (!birthdate) errors.push({ field: 'birthdate', message: 'Saisissez une date de naissance valide, au format JJ/MM/AAAA' });
    if (!(String(body.relationship) in RELATIONSHIPS))
      errors.push({ field: 'relationship', message: 'Choisissez le lien avec la personne détenue' });
    if (body.origin !== 'PAPER' && body.origin !== 'MAGISTRATE')
      errors.push({ field: 'origin', message: 'Indiquez qui a délivré le permis' });
    const validFrom = parseDay(String(body.validFrom ?? ''));
    if (!validFrom) errors.push({ field: 'validFrom', message: 'Saisissez la date de début de validité, au format JJ/MM/AAAA' });
    const validTo = body.validTo ? parseDay(String(body.validTo)) : null;
    if (body.validTo && (!validTo || (validFrom && validTo < validFrom)))
      errors.push({ field: 'validTo', message: 'La fin de validité doit être une date après le début (ou vide pour un permis permanent)' });
    if (req.uploadError) errors.push({ field: 'fichier', message: req.uploadError });
    const fail = (list: { field: string; message: string }[]) =>
      res.status(400).render('permits/record.njk', { establishment, relationships: RELATIONSHIPS, errors: list, values: body });
    if (errors.length) return fail(errors);
    try {
      const permitId = await this.instruction.recordPermit(
        actorOf(principal),
        establishment.id,
        {
          ecrou,
          givenName: body.givenName.trim(),
          familyName: body.familyName.trim(),
          birthdate: birthdate!,
          relationship: body.relationship,
          origin: body.origin as 'PAPER' | 'MAGISTRATE',
          validFrom: validFrom!,
          validTo,
        },
        (m) => this.requests.storePermitPhoto(m, req.file),
      );
      res.redirect(303, `/etablissements/${code}/permis/${permitId}`);
    } catch (e) {
      if (e instanceof DomainError && e.status === 400)
        return fail([{ field: e.code === 'BAD_FILE' || e.code === 'NO_FILE' ? 'fichier' : 'ecrou', message: e.message }]);
      throw e;
    }
  }

  /** The QR code of a printed permit, scanned or typed at the door. */
  @Get('verifier')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT', 'PARLOIR_AGENT')
  async verify(@Param('establishment') code: string, @Query('jeton') token = '', @Res() res: Response) {
    const establishment = await this.establishments.byCode(code);
    const permitId = this.tokens.verify(String(token));
    if (permitId) {
      try {
        await this.instruction.permit(establishment.id, permitId);
        return res.redirect(303, `/etablissements/${code}/permis/${permitId}`);
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
      }
    }
    res.status(token ? 404 : 200).render('permits/verify.njk', { establishment, token, unknown: Boolean(token) });
  }

  @Get(':permitId')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT', 'PARLOIR_AGENT')
  async permit(
    @Param('establishment') code: string,
    @Param('permitId', new ParseUUIDPipe()) permitId: string,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const establishment = await this.establishments.byCode(code);
    await this.renderPermit(res, establishment, permitId, principal, {});
  }

  @Get(':permitId/permis.pdf')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT', 'PARLOIR_AGENT')
  async permitPdf(@Param('establishment') code: string, @Param('permitId', new ParseUUIDPipe()) permitId: string, @Res() res: Response) {
    const establishment = await this.establishments.byCode(code);
    const p = await this.instruction.permit(establishment.id, permitId);
    const photo = p.photo_document_id
      ? (await this.requests.documentFor({ kind: 'agent', establishmentIds: [establishment.id] }, p.photo_document_id)).content
      : null;
    const pdf = await permitPdf({
      token: this.tokens.sign(p.id),
      visitor: `${p.visitor_given_name} ${String(p.visitor_family_name).toUpperCase()}`,
      birthdate: DATE.format(new Date(`${p.visitor_birthdate}T12:00:00Z`)),
      detainee: `${p.detainee_name} (écrou ${p.ecrou_number})`,
      establishment: p.establishment_name,
      relationship: RELATIONSHIPS[p.relationship as keyof typeof RELATIONSHIPS] ?? p.relationship,
      validity: p.valid_to
        ? `du ${p.valid_from} au ${p.valid_to}`
        : `permanent, depuis le ${DATE.format(new Date(`${p.valid_from}T12:00:00Z`))}`,
      photoJpeg: photo,
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
  @Roles('HEAD_OF_ESTABLISHMENT')
  async changeStatus(
    @Param('establishment') code: string,
    @Param('permitId', new ParseUUIDPipe()) permitId: string,
    @Body() body: { status?: string; reason?: string; confirm?: string },
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const establishment = await this.establishments.byCode(code);
    const status = ['ACTIVE', 'SUSPENDED', 'WITHDRAWN'].includes(body.status ?? '')
      ? (body.status as 'ACTIVE' | 'SUSPENDED' | 'WITHDRAWN')
      : null;
    try {
      if (!status) throw new DomainError('STATUS', 'Choisissez l’action.');
      if (status === 'WITHDRAWN' && body.confirm !== 'oui')
        throw new DomainError('CONFIRM', 'Cochez la case pour confirmer le retrait définitif.');
      await this.instruction.changePermitStatus(
        actorOf(principal),
        establishment.id,
        permitId,
        status,
        String(body.reason ?? '').slice(0, 2000),
      );
    } catch (e) {
      if (e instanceof DomainError && e.status === 400)
        return this.renderPermit(res.status(400), establishment, permitId, principal, {
          errors: [{ field: 'reason', message: e.message }],
          values: body,
        });
      throw e;
    }
    res.redirect(303, `/etablissements/${code}/permis/${permitId}`);
  }

  private async renderPermit(
    res: Response,
    establishment: Establishment,
    permitId: string,
    principal: Principal,
    extra: { errors?: unknown[]; values?: unknown },
  ) {
    const p = await this.instruction.permit(establishment.id, permitId);
    const isHead = holdsRole(principal, establishment.id, ['HEAD_OF_ESTABLISHMENT']);
    res.render('permits/permit.njk', {
      establishment,
      p,
      relationships: RELATIONSHIPS,
      minor: isMinor(p.visitor_birthdate, new Date()),
      isHead,
      errors: [],
      values: {},
      ...extra,
    });
  }

  private async render(
    res: Response,
    establishment: Establishment,
    id: string,
    principal: Principal,
    extra: { errors?: unknown[]; values?: unknown },
  ) {
    const r = await this.instruction.forEstablishment(establishment.id, id);
    const canDecide = holdsRole(principal, establishment.id, ['HEAD_OF_ESTABLISHMENT']);
    res.render('permits/instruct.njk', {
      establishment,
      r,
      docs: await this.requests.documents(id),
      events: await this.requests.events(id, false),
      statusLabels: STATUS_LABELS,
      relationships: RELATIONSHIPS,
      idTypes: ID_DOCUMENT_TYPES,
      minor: isMinor(r.visitor_birthdate!, new Date()),
      deadline: r.complete_at ? DATE.format(decisionDeadline(new Date(r.complete_at))) : null,
      open: ['SUBMITTED', 'INCOMPLETE', 'READY'].includes(r.status),
      canDecide,
      done: res.req.query.fait,
      errors: [],
      values: {},
      ...extra,
    });
  }
}
