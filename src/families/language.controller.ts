import { Controller, Get, Inject, NotFoundException, Param, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '../auth/access.decorator';
import { isLanguage, LANGUAGE_COOKIE, returnPath } from '../common/i18n';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { FamiliesService } from './families.service';

const YEAR_MS = 365 * 24 * 3600 * 1000;

/**
 * The DSFR language selector's links (family side and public pages). The choice is a display
 * preference kept in a cookie of this browser and, for a signed-in family, on its account (its
 * messages follow it). A link, not a form: it decides nothing and can be opened by anyone.
 */
@Controller('langue')
export class LanguageController {
  constructor(
    private readonly families: FamiliesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get(':language')
  @Public()
  async choose(@Param('language') language: string, @Query('retour') back: unknown, @Req() req: Request, @Res() res: Response) {
    if (!isLanguage(language)) throw new NotFoundException();
    res.cookie(LANGUAGE_COOKIE, language, {
      maxAge: YEAR_MS,
      httpOnly: true,
      sameSite: 'lax',
      secure: this.config.env === 'production',
      path: '/',
    });
    if (req.principal?.kind === 'family') await this.families.setLanguage(req.principal.id, language);
    res.redirect(303, returnPath(back));
  }
}
