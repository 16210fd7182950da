import { Body, Controller, Get, Param, ParseIntPipe, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/access.decorator';
import type { Principal } from '../auth/principal';
import { DomainError } from '../common/domain-error';
import { EstablishmentsService } from '../establishments/establishments.service';
import { FamiliesService } from '../families/families.service';
import { ID_DOCUMENT_TYPES, isMinor, parseBirthdate, RELATIONSHIPS, STATUS_LABELS } from './permit.rules';
import { DocumentKind, PermitRequestsService, RequestRow } from './permit-requests.service';

export const STEP_TITLES = [
  'La personne détenue',
  'Les documents à fournir',
  'Pour qui est la demande',
  'Votre lien avec la personne détenue',
  'La photo d’identité',
  'La pièce d’identité',
  'Le justificatif de domicile',
  'Un commentaire',
  'Vérifier et envoyer',
];
const UPLOAD_STEPS: Record<number, DocumentKind> = { 5: 'PHOTO', 6: 'ID_DOCUMENT', 7: 'PROOF_OF_ADDRESS' };

type FieldError = { field: string; message: string };

/** "Demander un permis" (one question per page, answers kept, resumable) and "Mes demandes". */
@Controller('demandes')
export class FamilyPermitsController {
  constructor(
    private readonly requests: PermitRequestsService,
    private readonly establishments: EstablishmentsService,
    private readonly families: FamiliesService,
  ) {}

  @Get()
  @Roles('FAMILY')
  async mine(@CurrentPrincipal() principal: Principal, @Res() res: Response) {
    const list = await this.requests.listForFamily(principal.id);
    res.render('permits/mine.njk', { requests: list, statusLabels: STATUS_LABELS, stepTitles: STEP_TITLES });
  }

  @Post()
  @Roles('FAMILY')
  async create(@CurrentPrincipal() principal: Principal, @Res() res: Response) {
    const id = await this.requests.createDraft(principal.id);
    res.redirect(303, `/demandes/${id}/etape/1`);
  }

  @Get(':id')
  @Roles('FAMILY')
  async detail(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() principal: Principal, @Res() res: Response) {
    const r = await this.requests.forFamily(principal.id, id);
    if (r.status === 'DRAFT') return res.redirect(303, `/demandes/${id}/etape/${r.step}`);
    res.render('permits/detail.njk', {
      envoyee: res.req.query.envoyee === '1',
      notice: res.req.query,
      errors: [],
      r,
      docs: await this.requests.documents(id),
      events: await this.requests.events(id, true),
      statusLabels: STATUS_LABELS,
      relationships: RELATIONSHIPS,
    });
  }

  @Get(':id/etape/:step')
  @Roles('FAMILY')
  async showStep(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('step', ParseIntPipe) step: number,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const r = await this.requests.draftForFamily(principal.id, id);
    if (step < 1 || step > 9) return res.status(404).render('errors/404.njk');
    if (step > r.step) return res.redirect(303, `/demandes/${id}/etape/${r.step}`);
    await this.render(res, principal, r, step, {}, []);
  }

  @Post(':id/etape/:step')
  @Roles('FAMILY')
  async saveStep(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('step', ParseIntPipe) step: number,
    @Body() body: Record<string, string>,
    @Req() req: Request,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const r = await this.requests.draftForFamily(principal.id, id);
    if (step < 1 || step > 9 || step > r.step) return res.status(404).render('errors/404.njk');
    const fail = (errors: FieldError[], status = 400) => this.render(res.status(status), principal, r, step, body, errors);
    const next = () => res.redirect(303, `/demandes/${id}/etape/${step + 1}`);
    try {
      if (req.uploadError) return fail([{ field: 'fichier', message: req.uploadError }]);
      switch (step) {
        case 1: {
          const errors: FieldError[] = [];
          if (!body.establishment) errors.push({ field: 'establishment', message: 'Choisissez l’établissement' });
          if (!/^[0-9A-Za-z]{1,20}$/.test((body.ecrou ?? '').trim()))
            errors.push({ field: 'ecrou', message: 'Saisissez le numéro d’écrou : chiffres et lettres, 20 au plus' });
          if (!(body.lastName ?? '').trim())
            errors.push({ field: 'lastName', message: 'Saisissez le nom de famille de la personne détenue' });
          if (errors.length) return fail(errors);
          const result = await this.requests.chooseDetainee(principal.id, id, {
            establishmentCode: body.establishment,
            ecrou: body.ecrou,
            lastName: body.lastName,
          });
          if (result.ok) return next();
          if (result.reason === 'PREVENU') return res.status(200).render('permits/prevenu.njk', { r });
          if (result.reason === 'RATE_LIMITED')
            return fail(
              [
                {
                  field: 'global',
                  message:
                    'Trop de tentatives en une heure. Vérifiez les informations avec la personne détenue ou l’établissement, puis réessayez plus tard.',
                },
              ],
              429,
            );
          return fail([
            {
              field: 'global',
              message:
                'Nous ne pouvons pas vérifier ces informations. Vérifiez l’établissement, le numéro d’écrou et le nom de famille de la personne détenue.',
            },
          ]);
        }
        case 2:
          if (body.understood !== 'oui') return fail([{ field: 'understood', message: 'Cochez « J’ai compris » pour continuer' }]);
          await this.requests.saveAnswers(principal.id, id, 3, { documents_understood: true });
          return next();
        case 3: {
          if (body.forWhom === 'moi') {
            const account = await this.families.find(principal.id);
            if (!account?.birthdate)
              return fail([
                {
                  field: 'forWhom',
                  message:
                    'FranceConnect ne nous a pas transmis votre date de naissance : choisissez « Pour une autre personne » et saisissez-la.',
                },
              ]);
            await this.requests.saveAnswers(principal.id, id, 4, {
              for_self: true,
              visitor_given_name: account.givenName,
              visitor_family_name: account.familyName,
              visitor_birthdate: account.birthdate,
            });
            return next();
          }
          if (body.forWhom !== 'autre') return fail([{ field: 'forWhom', message: 'Indiquez pour qui est la demande' }]);
          const errors: FieldError[] = [];
          if (!(body.givenName ?? '').trim()) errors.push({ field: 'givenName', message: 'Saisissez le prénom du visiteur' });
          if (!(body.familyName ?? '').trim()) errors.push({ field: 'familyName', message: 'Saisissez le nom du visiteur' });
          const birthdate = parseBirthdate(body.birthdate ?? '', new Date());
          if (!birthdate) errors.push({ field: 'birthdate', message: 'Saisissez une date de naissance valide, au format JJ/MM/AAAA' });
          if (errors.length) return fail(errors);
          await this.requests.saveAnswers(principal.id, id, 4, {
            for_self: false,
            visitor_given_name: body.givenName.trim().slice(0, 100),
            visitor_family_name: body.familyName.trim().slice(0, 100),
            visitor_birthdate: birthdate,
          });
          return next();
        }
        case 4:
          if (!(body.relationship in RELATIONSHIPS))
            return fail([{ field: 'relationship', message: 'Choisissez votre lien avec la personne détenue' }]);
          if (body.relationship === 'OTHER' && !(body.detail ?? '').trim()) return fail([{ field: 'detail', message: 'Précisez le lien' }]);
          await this.requests.saveAnswers(principal.id, id, 5, {
            relationship: body.relationship,
            relationship_detail: (body.detail ?? '').trim().slice(0, 200) || null,
          });
          return next();
        case 5:
        case 7:
          await this.requests.upload(principal.id, id, UPLOAD_STEPS[step], req.file, step + 1);
          return next();
        case 6:
          if (!(body.idType in ID_DOCUMENT_TYPES)) return fail([{ field: 'idType', message: 'Choisissez le type de pièce d’identité' }]);
          await this.requests.saveAnswers(principal.id, id, 6, { id_document_type: body.idType });
          await this.requests.upload(principal.id, id, 'ID_DOCUMENT', req.file, 7);
          return next();
        case 8:
          if ((body.comment ?? '').length > 1000)
            return fail([{ field: 'comment', message: 'Le commentaire ne doit pas dépasser 1 000 caractères' }]);
          await this.requests.saveAnswers(principal.id, id, 9, { comment: (body.comment ?? '').trim() || null });
          return next();
        case 9: {
          await this.requests.submit(principal.id, id);
          return res.redirect(303, `/demandes/${id}?envoyee=1`);
        }
      }
    } catch (e) {
      if (e instanceof DomainError && e.status === 400)
        return fail([{ field: UPLOAD_STEPS[step] || step === 6 ? 'fichier' : 'global', message: e.message }]);
      throw e;
    }
  }

  /** While the establishment waits for documents: replace one. */
  @Post(':id/documents')
  @Roles('FAMILY')
  async replaceDocument(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body('kind') kind: string,
    @Req() req: Request,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const r = await this.requests.forFamily(principal.id, id);
    const renderError = async (message: string) =>
      res.status(400).render('permits/detail.njk', {
        r,
        docs: await this.requests.documents(id),
        events: await this.requests.events(id, true),
        statusLabels: STATUS_LABELS,
        relationships: RELATIONSHIPS,
        errors: [{ field: 'fichier', message }],
      });
    if (req.uploadError) return renderError(req.uploadError);
    if (!['PHOTO', 'ID_DOCUMENT', 'PROOF_OF_ADDRESS'].includes(kind)) return renderError('Choisissez le document que vous envoyez');
    try {
      await this.requests.upload(principal.id, id, kind as DocumentKind, req.file, null);
    } catch (e) {
      if (e instanceof DomainError && e.status === 400) return renderError(e.message);
      throw e;
    }
    res.redirect(303, `/demandes/${id}?document=1`);
  }

  @Post(':id/renvoyer')
  @Roles('FAMILY')
  async resubmit(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() principal: Principal, @Res() res: Response) {
    await this.requests.resubmit(principal.id, id);
    res.redirect(303, `/demandes/${id}?renvoyee=1`);
  }

  @Get(':id/documents/:documentId')
  @Roles('FAMILY')
  async document(
    @Param('documentId', new ParseUUIDPipe()) documentId: string,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const doc = await this.requests.documentFor({ kind: 'family', id: principal.id }, documentId);
    res
      .set({
        'Content-Type': doc.contentType,
        'Cache-Control': 'private, no-store',
        'Content-Disposition': 'inline',
        'X-Content-Type-Options': 'nosniff',
      })
      .send(doc.content);
  }

  private async render(
    res: Response,
    principal: Principal,
    r: RequestRow,
    step: number,
    values: Record<string, unknown>,
    errors: FieldError[],
  ) {
    const docs = await this.requests.documents(r.id);
    res.render(`permits/step-${step}.njk`, {
      r,
      step,
      stepTitles: STEP_TITLES,
      errors,
      values,
      docs,
      establishments: step === 1 ? await this.establishments.all() : [],
      relationships: RELATIONSHIPS,
      idTypes: ID_DOCUMENT_TYPES,
      account: step === 3 ? await this.families.find(principal.id) : null,
      minor: r.visitor_birthdate ? isMinor(r.visitor_birthdate, new Date()) : false,
      missing: step === 9 ? this.requests.missing(r, docs) : [],
    });
  }
}
