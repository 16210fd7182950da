import { Controller, Get, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Roles } from '../auth/access.decorator';
import { pageInfo, parsePage } from '../common/pagination';
import { CurrentEstablishment } from '../establishments/current-establishment';
import { Establishment } from '../establishments/establishment.entity';
import { LEGAL_STATUS_LABELS } from './instruction.rules';
import { EntitlementService } from './entitlement.service';

const PAGE_SIZE = 25;

/**
 * The head's dashboard of the quarterly entitlement (L341-8): the detainees whose request for the
 * quarter is unmet. The head of establishment and the SPIP counsellors read it; nobody else.
 */
@Controller('etablissements/:establishment/uvf/droit-trimestriel')
export class EntitlementController {
  constructor(private readonly entitlement: EntitlementService) {}

  @Get()
  @Roles('HEAD_OF_ESTABLISHMENT', 'SPIP_COUNSELLOR')
  async dashboard(@CurrentEstablishment() establishment: Establishment, @Query() query: Record<string, unknown>, @Res() res: Response) {
    const page = parsePage(query.page);
    const d = await this.entitlement.dashboard(establishment, query.trimestre, page, PAGE_SIZE);
    // A quarter that cannot be shown: the current one is, with the reason, as a 400 like a form's error.
    res.status(d.error ? 400 : 200).render('family-visits/entitlement-dashboard.njk', {
      establishment,
      ...d,
      errors: d.error ? [{ field: 'trimestre', message: d.error }] : [],
      pager: pageInfo(page, PAGE_SIZE, d.counts.unmet),
      legalStatusLabels: LEGAL_STATUS_LABELS,
    });
  }
}
