import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/access.decorator';
import { actorOf, holdsRole, type Principal } from '../auth/principal';
import { attempt, FieldError, validateForm } from '../common/forms';
import { pageInfo, parsePage } from '../common/pagination';
import { CurrentEstablishment } from '../establishments/current-establishment';
import { Establishment } from '../establishments/establishment.entity';
import { instructionPage } from './instruction-page';
import { PermitDecisionsService } from './permit-decisions.service';
import { PermitInstructionService } from './permit-instruction.service';
import { LitigationHoldForm } from '../common/litigation-hold.form';
import { dashboardPeriod, registerQuery } from './permit-register.form';
import { percentText } from './permit-register.rules';
import { PermitRegisterService } from './permit-register.service';
import { PERMIT_STATE_LABELS, permitState } from './permit-validity';
import { STATUS_LABELS } from './permit.rules';

const PAGE_SIZE = 25;
const DATE = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: 'numeric', month: 'long', year: 'numeric' });
const ORIGIN_LABELS = { ONLINE: 'Demande en ligne', PAPER: 'Permis papier', MAGISTRATE: 'Magistrat' } as const;

/**
 * The establishment's register of permits (search, filters, each row opens the permit page), the head's
 * dashboard, and the litigation hold of a request. Registered before StaffPermitsController so that
 * `tableau-de-bord` is not read as a permit id.
 */
@Controller('etablissements/:establishment/permis')
export class PermitRegisterController {
  constructor(
    private readonly register: PermitRegisterService,
    private readonly instruction: PermitInstructionService,
    private readonly decisions: PermitDecisionsService,
  ) {}

  @Get()
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT', 'PARLOIR_AGENT')
  async list(
    @CurrentEstablishment() establishment: Establishment,
    @Query() query: Record<string, unknown>,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const page = parsePage(query.page);
    const filters = registerQuery(query);
    const { total, rows } = await this.register.register(establishment, { ...filters, page }, PAGE_SIZE);
    const today = this.register.today(establishment);
    res.render('permits/register.njk', {
      establishment,
      permitsStaff: holdsRole(principal, establishment.id, ['PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT']),
      rows: rows.map((r) => ({
        ...r,
        state: permitState(r, today),
        originLabel: ORIGIN_LABELS[r.origin],
      })),
      q: filters.search,
      state: filters.state,
      origin: filters.origin,
      stateLabels: PERMIT_STATE_LABELS,
      originLabels: ORIGIN_LABELS,
      pager: pageInfo(page, PAGE_SIZE, total),
    });
  }

  @Get('tableau-de-bord')
  @Roles('HEAD_OF_ESTABLISHMENT', 'PERMITS_OFFICER')
  async dashboard(@CurrentEstablishment() establishment: Establishment, @Query() query: Record<string, unknown>, @Res() res: Response) {
    const period = dashboardPeriod(query);
    const board = await this.register.dashboard(establishment, period);
    res.render('permits/dashboard.njk', {
      establishment,
      board,
      from: DATE.format(board.from),
      to: DATE.format(new Date(board.to.getTime() - 1)),
      fromDay: period.fromDay,
      toDay: period.toDay,
      grantRate: percentText(board.stats.grantRate),
      refusalRate: percentText(board.stats.refusalRate),
      statusLabels: STATUS_LABELS,
      measureLabels: { SUSPENSION: 'Suspension', WITHDRAWAL: 'Retrait', REFERRAL: 'Saisine du magistrat' },
    });
  }

  @Post('demandes/:id/contentieux')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async litigationHold(
    @CurrentEstablishment() establishment: Establishment,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(LitigationHoldForm, body);
    if (!form.ok)
      return this.renderRequest(
        res.status(400),
        establishment,
        id,
        principal,
        form.errors.map((e) => ({ ...e, field: 'litigationNote' })),
      );
    const { action, note } = form.value;
    const done = await attempt(
      () => this.register.setLitigationHold(actorOf(principal), establishment.id, id, action === 'poser' ? note! : null),
      'litigationNote',
    );
    if (!done.ok) return this.renderRequest(res.status(done.status), establishment, id, principal, done.errors);
    res.redirect(303, `/etablissements/${establishment.code}/permis/demandes/${id}`);
  }

  /** The instruction page again, with the hold form's errors: the same page, decision context included, as StaffPermitsController. */
  private async renderRequest(res: Response, establishment: Establishment, id: string, principal: Principal, errors: FieldError[]) {
    const page = await instructionPage({ instruction: this.instruction, decisions: this.decisions }, establishment, id, principal.id, {
      errors,
    });
    res.render('permits/instruct.njk', page);
  }
}
