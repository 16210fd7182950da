import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentPrincipal, Public, Roles } from '../auth/access.decorator';
import { actorOf, type Principal } from '../auth/principal';
import { type FieldError, validateForm } from '../common/forms';
import { phoneForDisplay } from '../common/phone';
import { CurrentEstablishment } from './current-establishment';
import type { Establishment } from './establishment.entity';
import { EstablishmentInfoForm } from './establishment-info.form';
import { INFO_LIMITS } from './establishment-info.rules';
import { EstablishmentsService } from './establishments.service';

/**
 * An establishment's practical information: its public page for families (no sign-in), and the
 * form its administrator or head keeps it up to date with (a plain save: not a decision, audited).
 */
@Controller('etablissements')
export class EstablishmentInfoController {
  constructor(private readonly establishments: EstablishmentsService) {}

  @Get(':code/infos-pratiques')
  @Public()
  async page(@Param('code') code: string, @Res() res: Response) {
    const info = await this.establishments.practicalByCode(code);
    res.render('establishments/info.njk', { info });
  }

  @Get(':establishment/infos-pratiques/modifier')
  @Roles('ADMIN', 'HEAD_OF_ESTABLISHMENT')
  async form(@CurrentEstablishment() establishment: Establishment, @Query('fait') done: unknown, @Res() res: Response) {
    const info = await this.establishments.info(establishment);
    // The phone as the administrator typed it (stored in E.164).
    const values = { ...info, parloirPhone: info.parloirPhone && phoneForDisplay(info.parloirPhone) };
    this.renderForm(res, establishment, { values, done: done === '1' });
  }

  @Post(':establishment/infos-pratiques/modifier')
  @Roles('ADMIN', 'HEAD_OF_ESTABLISHMENT')
  async save(
    @CurrentEstablishment() establishment: Establishment,
    @CurrentPrincipal() p: Principal,
    @Body() body: unknown,
    @Res() res: Response,
  ) {
    const form = await validateForm(EstablishmentInfoForm, body);
    if (!form.ok) return this.renderForm(res.status(400), establishment, { values: form.values, errors: form.errors });
    await this.establishments.updateInfo(actorOf(p), establishment, form.value);
    res.redirect(303, `/etablissements/${establishment.code}/infos-pratiques/modifier?fait=1`);
  }

  private renderForm(res: Response, establishment: Establishment, extra: { values: object; errors?: FieldError[]; done?: boolean }) {
    res.render('establishments/edit-info.njk', { establishment, limits: INFO_LIMITS, errors: [], done: false, ...extra });
  }
}
