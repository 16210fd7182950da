import { Body, Controller, Get, NotFoundException, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentPrincipal, Public, Roles } from '../auth/access.decorator';
import { actorOf, type Principal } from '../auth/principal';
import { type FieldError, validateForm } from '../common/forms';
import { phoneForDisplay } from '../common/phone';
import { CurrentEstablishment } from './current-establishment';
import type { Establishment } from './establishment.entity';
import { EstablishmentInfoForm, EstablishmentInfoTranslationForm } from './establishment-info.form';
import { INFO_LIMITS, isTranslationLanguage, linesOf, type TranslationLanguage } from './establishment-info.rules';
import { EstablishmentsService } from './establishments.service';

/** The language of a translation's address (/traduction/en), or 404. */
function translationLanguage(raw: string): TranslationLanguage {
  if (!isTranslationLanguage(raw)) throw new NotFoundException();
  return raw;
}

/** The names of the languages as staff read them (their pages are French). */
const LANGUAGE_NAMES_FR: Record<TranslationLanguage, string> = { en: 'anglais', ar: 'arabe', es: 'espagnol' };

/**
 * An establishment's practical information: its public page for families (no sign-in, in their
 * language where translated), and the forms its administrator or head keeps it up to date with, in
 * French and in each other language (plain saves: not decisions, audited).
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
    await this.renderForm(res, establishment, { values, done: done === '1' });
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
    if (!form.ok) return await this.renderForm(res.status(400), establishment, { values: form.values, errors: form.errors });
    await this.establishments.updateInfo(actorOf(p), establishment, form.value);
    res.redirect(303, `/etablissements/${establishment.code}/infos-pratiques/modifier?fait=1`);
  }

  @Get(':establishment/infos-pratiques/traduction/:language')
  @Roles('ADMIN', 'HEAD_OF_ESTABLISHMENT')
  async translationForm(
    @CurrentEstablishment() establishment: Establishment,
    @Param('language') raw: string,
    @Query('fait') done: unknown,
    @Res() res: Response,
  ) {
    const language = translationLanguage(raw);
    const { translation } = await this.establishments.translation(establishment, language);
    await this.renderTranslation(res, establishment, language, { values: translation ?? {}, done: done === '1' });
  }

  @Post(':establishment/infos-pratiques/traduction/:language')
  @Roles('ADMIN', 'HEAD_OF_ESTABLISHMENT')
  async saveTranslation(
    @CurrentEstablishment() establishment: Establishment,
    @CurrentPrincipal() p: Principal,
    @Param('language') raw: string,
    @Body() body: unknown,
    @Res() res: Response,
  ) {
    const language = translationLanguage(raw);
    const form = await validateForm(EstablishmentInfoTranslationForm, body);
    if (!form.ok)
      return await this.renderTranslation(res.status(400), establishment, language, { values: form.values, errors: form.errors });
    await this.establishments.updateTranslation(actorOf(p), establishment, language, form.value);
    res.redirect(303, `/etablissements/${establishment.code}/infos-pratiques/traduction/${language}?fait=1`);
  }

  private async renderForm(res: Response, establishment: Establishment, extra: { values: object; errors?: FieldError[]; done?: boolean }) {
    const translations = await this.establishments.translationStatuses(establishment);
    res.render('establishments/edit-info.njk', {
      establishment,
      limits: INFO_LIMITS,
      errors: [],
      done: false,
      translations,
      languageNames: LANGUAGE_NAMES_FR,
      ...extra,
    });
  }

  private async renderTranslation(
    res: Response,
    establishment: Establishment,
    language: TranslationLanguage,
    extra: { values: object; errors?: FieldError[]; done?: boolean },
  ) {
    const { french, status } = await this.establishments.translation(establishment, language);
    res.render('establishments/translate-info.njk', {
      establishment,
      language,
      languageName: LANGUAGE_NAMES_FR[language],
      // Each French text as its lines, shown above its translation's field.
      french: Object.fromEntries(Object.entries(french).map(([field, text]) => [field, linesOf(text)])),
      status,
      limits: INFO_LIMITS,
      errors: [],
      done: false,
      ...extra,
    });
  }
}
