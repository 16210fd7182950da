import { Controller, Get, NotFoundException, Param, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '../auth/access.decorator';
import { currentLanguage, Translations } from '../common/i18n';
import { JOURNEYS, journeyOf } from './how-it-works';

/** The « how it works » pages: public, in the reader's language, each ending on where to start. */
@Controller('comment-ca-marche')
export class HowItWorksController {
  constructor(private readonly translations: Translations) {}

  @Get()
  @Public()
  index(@Res() res: Response) {
    res.render('how-it-works/index.njk', { journeys: JOURNEYS });
  }

  @Get(':journey')
  @Public()
  journey(@Param('journey') slug: string, @Req() req: Request, @Res() res: Response) {
    const journey = journeyOf(slug);
    if (!journey) throw new NotFoundException();
    const t = this.translations.t(currentLanguage()) as unknown as (key: string, o: { returnObjects: true }) => string[][];
    const lines = t(`how:journeys.${journey.key}.steps`, { returnObjects: true });
    const steps = journey.pictograms.map((pictogram, i) => ({ pictogram, lines: lines[i] ?? [] }));
    const family = req.principal?.kind === 'family';
    res.render('how-it-works/journey.njk', { journey, steps, start: family ? journey.start : '/connexion', signedIn: family });
  }
}
