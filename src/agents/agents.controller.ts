import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Render, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/access.decorator';
import { actorOf, type Principal } from '../auth/principal';
import { ANY_STAFF_ROLE, ROLE_LABELS, STAFF_ROLES } from '../auth/roles';
import { DomainError } from '../common/domain-error';
import { validateForm } from '../common/forms';
import { pageInfo, parsePage } from '../common/pagination';
import { EstablishmentsService } from '../establishments/establishments.service';
import { GrantRoleForm } from './agent.form';
import { AgentsService } from './agents.service';

const PAGE_SIZE = 25;

@Controller()
export class AgentsController {
  constructor(
    private readonly agents: AgentsService,
    private readonly establishments: EstablishmentsService,
  ) {}

  /** Staff home: the establishments and roles of the signed-in agent. */
  @Get('agents')
  @Roles(...ANY_STAFF_ROLE)
  @Render('agents/dashboard.njk')
  dashboard(@CurrentPrincipal() principal: Principal) {
    const grants = principal.kind === 'agent' ? principal.grants : [];
    const byEstablishment = new Map<string, { code: string; name: string; roles: string[] }>();
    for (const g of grants) {
      const entry = byEstablishment.get(g.establishmentCode) ?? { code: g.establishmentCode, name: g.establishmentName, roles: [] };
      entry.roles.push(g.role);
      byEstablishment.set(g.establishmentCode, entry);
    }
    return { establishments: [...byEstablishment.values()] };
  }

  @Get('etablissements/:establishment/agents')
  @Roles('ADMIN')
  async list(@Param('establishment') code: string, @Query('page') rawPage: string, @Query('fait') done: string, @Res() res: Response) {
    await this.renderList(res, code, parsePage(rawPage), { done });
  }

  @Post('etablissements/:establishment/agents')
  @Roles('ADMIN')
  async grant(@Param('establishment') code: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal, @Res() res: Response) {
    const establishment = await this.establishments.byCode(code);
    const form = await validateForm(GrantRoleForm, body);
    if (!form.ok) return this.renderList(res.status(400), code, 1, { errors: form.errors, values: form.values });
    try {
      await this.agents.grantRole(actorOf(principal), establishment, form.value);
    } catch (e) {
      if (e instanceof DomainError) {
        return this.renderList(res.status(e.status), code, 1, { errors: [{ field: 'role', message: e.message }], values: form.value });
      }
      throw e;
    }
    res.redirect(303, `/etablissements/${code}/agents?fait=ajout`);
  }

  @Get('etablissements/:establishment/agents/roles/:id/retrait')
  @Roles('ADMIN')
  async confirmRevoke(@Param('establishment') code: string, @Param('id', new ParseUUIDPipe()) id: string, @Res() res: Response) {
    const establishment = await this.establishments.byCode(code);
    const assignment = await this.agents.findAssignment(establishment.id, id);
    if (!assignment) return res.status(404).render('errors/404.njk');
    res.render('agents/confirm-revoke.njk', { establishment, assignment, roleLabel: ROLE_LABELS[assignment.role] });
  }

  @Post('etablissements/:establishment/agents/roles/:id/retrait')
  @Roles('ADMIN')
  async revoke(
    @Param('establishment') code: string,
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const establishment = await this.establishments.byCode(code);
    try {
      await this.agents.revokeRole(actorOf(principal), establishment, id);
    } catch (e) {
      if (e instanceof DomainError)
        return this.renderList(res.status(e.status), code, 1, { errors: [{ field: 'global', message: e.message }] });
      throw e;
    }
    res.redirect(303, `/etablissements/${code}/agents?fait=retrait`);
  }

  private async renderList(res: Response, code: string, page: number, extra: Record<string, unknown>) {
    const establishment = await this.establishments.byCode(code);
    const { agents, total } = await this.agents.listForEstablishment(establishment.id, page, PAGE_SIZE);
    res.render('agents/list.njk', {
      establishment,
      agents,
      pager: pageInfo(page, PAGE_SIZE, total),
      roles: STAFF_ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] })),
      values: {},
      errors: [],
      ...extra,
    });
  }
}
