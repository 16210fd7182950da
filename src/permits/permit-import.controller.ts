import { Controller, Get, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/access.decorator';
import { actorOf, type Principal } from '../auth/principal';
import { DomainError } from '../common/domain-error';
import { attempt } from '../common/forms';
import { pageInfo, parsePage } from '../common/pagination';
import { CurrentEstablishment } from '../establishments/current-establishment';
import { Establishment } from '../establishments/establishment.entity';
import { IMPORT_COLUMNS, MAX_IMPORT_LINES } from './permit-import.rules';
import type { PermitImportStatus } from './permit-import.entity';
import { PermitImportService } from './permit-import.service';
import type { ImportFiles } from './permit-import.upload';
import { RELATIONSHIPS } from './permit.rules';

const PAGE_SIZE = 50;

const STATUS_LABELS: Record<PermitImportStatus, string> = {
  PREVIEW: 'aperçu, en attente de confirmation',
  RUNNING: 'en cours',
  DONE: 'terminé',
  FAILED: 'échoué, aucun permis créé',
  CANCELLED: 'abandonné',
};

function notFound(): DomainError {
  return new DomainError('NOT_FOUND', 'Cet import n’existe pas.', 404);
}

/** Bulk digitisation of the existing paper permits: upload, preview, import, progress (docs/permits-csv.md). */
@Controller('etablissements/:establishment/permis/import')
export class PermitImportController {
  constructor(private readonly imports: PermitImportService) {}

  @Get()
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async form(@CurrentEstablishment() establishment: Establishment, @Res() res: Response) {
    res.render('permits/import.njk', await this.formPage(establishment, []));
  }

  @Post()
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async upload(
    @CurrentEstablishment() establishment: Establishment,
    @Req() req: Request,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    if (req.uploadError)
      return res.status(400).render('permits/import.njk', await this.formPage(establishment, [{ field: 'csv', message: req.uploadError }]));
    const files = (req.files ?? {}) as ImportFiles;
    const done = await attempt(
      () => this.imports.preview(actorOf(principal), establishment.id, files.csv?.[0], files.photos?.[0]),
      (e) => (e.code === 'NO_ZIP' || e.code === 'BAD_ZIP' ? 'photos' : 'csv'),
    );
    if (!done.ok) return res.status(done.status).render('permits/import.njk', await this.formPage(establishment, done.errors));
    res.redirect(303, `/etablissements/${establishment.code}/permis/import/${done.value}`);
  }

  private async formPage(establishment: Establishment, errors: { field: string; message: string }[]) {
    return {
      establishment,
      errors,
      columns: IMPORT_COLUMNS,
      maxLines: MAX_IMPORT_LINES,
      relationships: RELATIONSHIPS,
      recent: await this.imports.recent(establishment.id),
      statusLabels: STATUS_LABELS,
    };
  }

  /** The import: its preview, its progress (the page refreshes itself) or its result. */
  @Get(':id')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async show(
    @CurrentEstablishment() establishment: Establishment,
    @Param('id', new ParseUUIDPipe({ exceptionFactory: notFound })) id: string,
    @Query('page') rawPage: string | undefined,
    @Res() res: Response,
  ) {
    const found = await this.imports.find(establishment.id, id);
    if (!found) throw notFound();
    const page = parsePage(rawPage);
    const base = { establishment, imp: found, relationships: RELATIONSHIPS, statusLabels: STATUS_LABELS };
    if (found.status === 'RUNNING') {
      res.setHeader('Refresh', '2');
      return res.render('permits/import-progress.njk', base);
    }
    if (found.status === 'DONE') {
      const { total, rows } = await this.imports.createdPage(id, page, PAGE_SIZE);
      return res.render('permits/import-done.njk', { ...base, permits: rows, pager: pageInfo(page, PAGE_SIZE, total) });
    }
    const { total, rows } = await this.imports.previewPage(id, page, PAGE_SIZE);
    res.render('permits/import-preview.njk', { ...base, lines: rows, pager: pageInfo(page, PAGE_SIZE, total) });
  }

  @Post(':id/appliquer')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async apply(
    @CurrentEstablishment() establishment: Establishment,
    @Param('id', new ParseUUIDPipe({ exceptionFactory: notFound })) id: string,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    if (!(await this.imports.find(establishment.id, id))) throw notFound();
    await this.imports.apply(actorOf(principal), establishment.id, id);
    res.redirect(303, `/etablissements/${establishment.code}/permis/import/${id}`);
  }

  @Post(':id/abandonner')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async cancel(
    @CurrentEstablishment() establishment: Establishment,
    @Param('id', new ParseUUIDPipe({ exceptionFactory: notFound })) id: string,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    if (!(await this.imports.find(establishment.id, id))) throw notFound();
    await this.imports.cancel(actorOf(principal), establishment.id, id);
    res.redirect(303, `/etablissements/${establishment.code}/permis/import/${id}`);
  }
}
