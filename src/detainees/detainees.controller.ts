import { Controller, Get, Param, Post, Query, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/access.decorator';
import { actorOf, type Principal } from '../auth/principal';
import { ANY_STAFF_ROLE } from '../auth/roles';
import { pageInfo, parsePage } from '../common/pagination';
import { EstablishmentsService } from '../establishments/establishments.service';
import { DetaineesService } from './detainees.service';

const PAGE_SIZE = 50;
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

@Controller('etablissements/:establishment/detenus')
export class DetaineesController {
  constructor(
    private readonly detainees: DetaineesService,
    private readonly establishments: EstablishmentsService,
  ) {}

  @Get()
  @Roles(...ANY_STAFF_ROLE)
  @Render('detainees/list.njk')
  async list(@Param('establishment') code: string, @Query('q') q = '', @Query('page') rawPage: string) {
    const establishment = await this.establishments.byCode(code);
    const page = parsePage(rawPage);
    const search = String(q).trim().slice(0, 100);
    const { total, rows } = await this.detainees.list(establishment.id, search, page, PAGE_SIZE);
    return { establishment, detainees: rows, q: search, pager: pageInfo(page, PAGE_SIZE, total) };
  }

  @Get('import')
  @Roles('ADMIN')
  @Render('detainees/import.njk')
  async importForm(@Param('establishment') code: string) {
    return { establishment: await this.establishments.byCode(code), maxMegabytes: MAX_IMPORT_BYTES / 1024 / 1024 };
  }

  /** The file is parsed by the multipart middleware (see DetaineesModule) before the guard checks CSRF. */
  @Post('import')
  @Roles('ADMIN')
  async import(@Param('establishment') code: string, @Req() req: Request, @Res() res: Response, @CurrentPrincipal() principal: Principal) {
    const establishment = await this.establishments.byCode(code);
    const render = (status: number, extra: Record<string, unknown>) =>
      res.status(status).render('detainees/import.njk', { establishment, maxMegabytes: MAX_IMPORT_BYTES / 1024 / 1024, ...extra });
    const file = req.file;
    if (req.uploadError) return render(400, { fileError: req.uploadError });
    if (!file || file.size === 0) return render(400, { fileError: 'Choisissez le fichier CSV exporté de GENESIS' });
    const text = file.buffer.toString('utf8');
    if (text.includes('\u0000') || text.includes('\uFFFD'))
      return render(400, { fileError: 'Le fichier n’est pas un texte CSV encodé en UTF-8' });
    const report = await this.detainees.importCsv(actorOf(principal), establishment, text);
    return render(report.ok ? 200 : 422, { report, fileName: file.originalname });
  }
}
