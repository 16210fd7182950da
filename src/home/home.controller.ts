import { Controller, Get, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '../auth/access.decorator';
import { JOURNEYS } from './how-it-works';

@Controller()
export class HomeController {
  @Get()
  @Public()
  home(@Req() req: Request, @Res() res: Response) {
    if (req.principal?.kind === 'family') return res.redirect(303, '/mon-espace');
    if (req.principal?.kind === 'agent') return res.redirect(303, '/agents');
    res.render('home/index.njk', { howItWorks: JOURNEYS });
  }
}
