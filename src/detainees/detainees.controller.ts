import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/access.decorator';
import { actorOf, holdsRole, type Principal } from '../auth/principal';
import { DETAINEE_LIST_ROLES } from '../auth/roles';
import { attempt, type FieldError, validateForm } from '../common/forms';
import { pageInfo, parsePage } from '../common/pagination';
import { CurrentEstablishment } from '../establishments/current-establishment';
import type { Establishment } from '../establishments/establishment.entity';
import { ConfirmImportForm, DetaineeSearchQuery, MAX_SEARCH_LENGTH } from './detainee.form';
import { DetaineesService } from './detainees.service';
import { IdParam } from '../common/params';

const PAGE_SIZE = 50;
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
/** The confirmations shown above the list after a decision (`?fait=`). */
const DONE = ['transfert-confirme', 'transfert-ecarte'] as const;
/** A transfer proposal's id in the URL: anything but a UUID is no proposal (404). */

@Controller('etablissements/:establishment/detenus')
export class DetaineesController {
  constructor(private readonly detainees: DetaineesService) {}

  /** Need-to-know: DETAINEE_LIST_ROLES. */
  @Get()
  @Roles(...DETAINEE_LIST_ROLES)
  async list(
    @CurrentEstablishment() establishment: Establishment,
    @Query() query: unknown,
    @Query('page') rawPage: unknown,
    @Query('fait') done: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(DetaineeSearchQuery, query);
    if (!form.ok) return this.renderList(res.status(400), establishment, principal, { search: '', page: 1, errors: form.errors });
    const search = (form.value.q ?? '').slice(0, MAX_SEARCH_LENGTH);
    const shown = DONE.find((d) => d === done);
    await this.renderList(res, establishment, principal, { search, page: parsePage(rawPage), done: shown });
  }

  @Get('import')
  @Roles('ADMIN')
  importForm(@CurrentEstablishment() establishment: Establishment, @Res() res: Response) {
    res.render('detainees/import.njk', { establishment, maxMegabytes: MAX_IMPORT_BYTES / 1024 / 1024 });
  }

  /** The file is parsed by the multipart middleware (see DetaineesModule) before the guard checks CSRF. */
  @Post('import')
  @Roles('ADMIN')
  async import(
    @CurrentEstablishment() establishment: Establishment,
    @Req() req: Request,
    @Res() res: Response,
    @CurrentPrincipal() principal: Principal,
  ) {
    const render = (status: number, extra: Record<string, unknown>) =>
      res.status(status).render('detainees/import.njk', { establishment, maxMegabytes: MAX_IMPORT_BYTES / 1024 / 1024, ...extra });
    const file = req.file;
    if (req.uploadError) return render(400, { fileError: req.uploadError });
    if (!file || file.size === 0) return render(400, { fileError: 'Choisissez le fichier CSV exporté de GENESIS' });
    const text = file.buffer.toString('utf8');
    if (text.includes('\u0000') || text.includes('\uFFFD'))
      return render(400, { fileError: 'Le fichier n’est pas un texte CSV encodé en UTF-8' });
    const previewed = await this.detainees.previewCsv(actorOf(principal), establishment, file.originalname, text);
    if (!previewed.ok) return render(422, { report: { ok: false, errors: previewed.errors }, fileName: file.originalname });
    return render(200, { shown: previewed });
  }

  /** « Importer » on the preview: applied, unless it releases more than the share set without the box ticked. */
  @Post('apercus/:previewId')
  @Roles('ADMIN')
  async confirmImport(
    @CurrentEstablishment() establishment: Establishment,
    @Param('previewId', new ParseUUIDPipe()) previewId: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const render = (status: number, extra: Record<string, unknown>) =>
      res.status(status).render('detainees/import.njk', { establishment, maxMegabytes: MAX_IMPORT_BYTES / 1024 / 1024, ...extra });
    const form = await validateForm(ConfirmImportForm, body);
    if (!form.ok) return render(400, { shown: await this.detainees.shownPreview(establishment, previewId), errors: form.errors });
    const done = await attempt(
      () => this.detainees.applyPreview(actorOf(principal), establishment, previewId, form.value.confirmeSorties === 'oui'),
      (e) => (e.code === 'MASS_RELEASE' ? 'confirmeSorties' : 'fichier'),
    );
    if (done.ok) return render(200, { report: done.value, fileName: done.value.fileName });
    if (done.errors.some((e) => e.field === 'confirmeSorties'))
      return render(done.status, { shown: await this.detainees.shownPreview(establishment, previewId), errors: done.errors });
    return render(done.status, { fileError: done.errors[0]?.message });
  }

  /** "Confirmer le transfert ?": the question asked before the detainee is marked transferred. */
  @Get('transferts/:id/confirmation')
  @Roles('ADMIN')
  async confirmTransferPage(@CurrentEstablishment() establishment: Establishment, @IdParam() id: string, @Res() res: Response) {
    const proposal = await this.detainees.pendingTransfer(establishment, id);
    res.render('detainees/confirm-transfer.njk', { establishment, proposal, errors: [] });
  }

  @Post('transferts/:id/confirmation')
  @Roles('ADMIN')
  async confirmTransfer(
    @CurrentEstablishment() establishment: Establishment,
    @IdParam() id: string,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const done = await attempt(() => this.detainees.confirmTransfer(actorOf(principal), establishment, id), 'global');
    if (!done.ok) return this.renderList(res.status(done.status), establishment, principal, { search: '', page: 1, errors: done.errors });
    res.redirect(303, `/etablissements/${establishment.code}/detenus?fait=transfert-confirme`);
  }

  @Post('transferts/:id/rejet')
  @Roles('ADMIN')
  async dismissTransfer(
    @CurrentEstablishment() establishment: Establishment,
    @IdParam() id: string,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const done = await attempt(() => this.detainees.dismissTransfer(actorOf(principal), establishment, id), 'global');
    if (!done.ok) return this.renderList(res.status(done.status), establishment, principal, { search: '', page: 1, errors: done.errors });
    res.redirect(303, `/etablissements/${establishment.code}/detenus?fait=transfert-ecarte`);
  }

  private async renderList(
    res: Response,
    establishment: Establishment,
    principal: Principal,
    o: { search: string; page: number; done?: string; errors?: FieldError[] },
  ) {
    const isAdmin = holdsRole(principal, establishment.id, ['ADMIN']);
    const [{ total, rows }, transfers] = await Promise.all([
      this.detainees.list(establishment.id, o.search, o.page, PAGE_SIZE),
      isAdmin ? this.detainees.pendingTransfers(establishment) : Promise.resolve([]),
    ]);
    res.render('detainees/list.njk', {
      establishment,
      detainees: rows,
      q: o.search,
      pager: pageInfo(o.page, PAGE_SIZE, total),
      isAdmin,
      transfers,
      done: o.done,
      errors: o.errors ?? [],
    });
  }
}
