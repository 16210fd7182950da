import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Public } from '../auth/access.decorator';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { renderLegal } from './legal-pages';

/**
 * The pages the law requires, public and linked from every page's footer: legal notice (LCEN art. 6),
 * personal data (RGPD art. 13), cookies (loi Informatique et Libertés art. 82), accessibility statement
 * (loi n° 2005-102 art. 47, RGAA 4.1) and site map. What depends on the deployment comes from the
 * configuration (HOSTING_PROVIDER, DPO_EMAIL, ACCESSIBILITY_EMAIL, ACCESSIBILITY_AUDIT_DATE), the
 * durations from the settings the jobs apply; the site map reads the menu the layout already has (`nav`).
 */
@Controller()
export class LegalController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get('mentions-legales')
  @Public()
  legalNotice(@Res() res: Response) {
    renderLegal(res, 'legal-notice', { hostingProvider: this.config.legal.hostingProvider, appUrl: this.config.appUrl });
  }

  @Get('donnees-personnelles')
  @Public()
  personalData(@Res() res: Response) {
    renderLegal(res, 'personal-data', {
      dpoEmail: this.config.legal.dpoEmail,
      documentsRetentionDays: this.config.documents.retentionDays,
      notificationsRetentionDays: this.config.notifications.retentionDays,
      attemptsRetentionDays: this.config.notifications.attemptsRetentionDays,
      sessionIdleMinutes: this.config.sessionIdleMinutes,
      sessionAbsoluteHours: this.config.sessionAbsoluteHours,
    });
  }

  @Get('cookies')
  @Public()
  cookies(@Res() res: Response) {
    renderLegal(res, 'cookies', {
      sessionIdleMinutes: this.config.sessionIdleMinutes,
      sessionAbsoluteHours: this.config.sessionAbsoluteHours,
      secureCookie: this.config.env === 'production',
    });
  }

  @Get('accessibilite')
  @Public()
  accessibility(@Res() res: Response) {
    renderLegal(res, 'accessibility', {
      accessibilityEmail: this.config.legal.accessibilityEmail,
      auditDate: this.config.legal.accessibilityAuditDate,
      auditRate: this.config.legal.accessibilityAuditRate,
      appUrl: this.config.appUrl,
      sessionIdleMinutes: this.config.sessionIdleMinutes,
    });
  }

  @Get('plan-du-site')
  @Public()
  siteMap(@Res() res: Response) {
    renderLegal(res, 'site-map');
  }
}
