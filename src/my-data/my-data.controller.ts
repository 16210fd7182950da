import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/access.decorator';
import type { Principal } from '../auth/principal';
import { SignOutService } from '../auth/sign-out.service';
import { ClosureRefused, type ExportFormat, MyDataService } from './my-data.service';

/** « Mes données »: the family's data to download (PDF, JSON), and closing its account. Its own data only. */
@Controller('mes-donnees')
export class MyDataController {
  constructor(
    private readonly myData: MyDataService,
    private readonly signOuts: SignOutService,
  ) {}

  @Get()
  @Roles('FAMILY')
  async page(@CurrentPrincipal() principal: Principal, @Res() res: Response) {
    res.render('my-data/index.njk', await this.myData.overview(principal.id));
  }

  @Get('telecharger.pdf')
  @Roles('FAMILY')
  async pdf(@CurrentPrincipal() principal: Principal, @Res() res: Response) {
    await this.download(principal, 'PDF', res);
  }

  @Get('telecharger.json')
  @Roles('FAMILY')
  async json(@CurrentPrincipal() principal: Principal, @Res() res: Response) {
    await this.download(principal, 'JSON', res);
  }

  /** The confirmation page: what closing does, or why it is not possible yet and when it will be. */
  @Get('fermer-mon-compte')
  @Roles('FAMILY')
  async confirm(@CurrentPrincipal() principal: Principal, @Res() res: Response) {
    res.render('my-data/close.njk', { blockers: await this.myData.closureCheck(principal.id) });
  }

  /** Closes the account (the guard checked the CSRF token), then signs the family out of P2V and of FranceConnect. */
  @Post('fermer-mon-compte')
  @Roles('FAMILY')
  async close(@CurrentPrincipal() principal: Principal, @Req() req: Request, @Res() res: Response) {
    try {
      await this.myData.close(principal.id);
    } catch (e) {
      if (e instanceof ClosureRefused) return res.status(409).render('my-data/close.njk', { blockers: e.blockers, refused: true });
      throw e;
    }
    res.redirect(303, (await this.signOuts.signOut(req, { accountClosed: true })) ?? '/');
  }

  private async download(principal: Principal, format: ExportFormat, res: Response) {
    const file = await this.myData.export(principal.id, format);
    res
      .status(200)
      .set({
        'Content-Type': file.contentType,
        'Content-Disposition': `attachment; filename="${file.fileName}"`,
        'Cache-Control': 'private, no-store',
        'X-Content-Type-Options': 'nosniff',
      })
      .send(file.content);
  }
}
