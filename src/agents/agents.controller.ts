import { Body, Controller, Get, Post, Query, Render, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/access.decorator';
import { actorOf, type Principal } from '../auth/principal';
import { ANY_STAFF_ROLE, DETAINEE_LIST_ROLES, ROLE_LABELS, scopeLabel, STAFF_ROLES, visibleDirections } from '../auth/roles';
import { attempt, type FieldError, validateForm } from '../common/forms';
import { pageInfo, parsePage } from '../common/pagination';
import { CurrentEstablishment } from '../establishments/current-establishment';
import type { Establishment } from '../establishments/establishment.entity';
import { GrantRoleForm } from './agent.form';
import { AgentsService } from './agents.service';
import { IdParam } from '../common/params';

const PAGE_SIZE = 25;
/** The confirmations shown above the list after a change (`?fait=`). */
const DONE = ['ajout', 'retrait'] as const;
/** A role assignment's id in the URL: anything but a UUID is no role (404). */

@Controller()
export class AgentsController {
  constructor(private readonly agents: AgentsService) {}

  /** Staff home: the establishments and roles of the signed-in agent. */
  @Get('agents')
  @Roles(...ANY_STAFF_ROLE, 'OVERSIGHT')
  @Render('agents/dashboard.njk')
  dashboard(@CurrentPrincipal() principal: Principal) {
    const grants = principal.kind === 'agent' ? principal.grants : [];
    const byEstablishment = new Map<string, { code: string; name: string; roles: string[] }>();
    for (const g of grants) {
      const entry = byEstablishment.get(g.establishmentCode) ?? { code: g.establishmentCode, name: g.establishmentName, roles: [] };
      entry.roles.push(g.role);
      byEstablishment.set(g.establishmentCode, entry);
    }
    const establishments = [...byEstablishment.values()].map((e) => ({
      ...e,
      seesPopulation: e.roles.some((r) => (DETAINEE_LIST_ROLES as string[]).includes(r)),
    }));
    const directions = principal.kind === 'agent' ? visibleDirections(principal.oversight) : [];
    const oversight = principal.kind === 'agent' && principal.oversight.length > 0 ? { scope: scopeLabel(directions) } : null;
    return { establishments, oversight };
  }

  @Get('etablissements/:establishment/agents')
  @Roles('ADMIN')
  async list(
    @CurrentEstablishment() establishment: Establishment,
    @Query('page') rawPage: unknown,
    @Query('fait') done: unknown,
    @Res() res: Response,
  ) {
    await this.renderList(res, establishment, parsePage(rawPage), { done: DONE.find((d) => d === done) });
  }

  @Post('etablissements/:establishment/agents')
  @Roles('ADMIN')
  async grant(
    @CurrentEstablishment() establishment: Establishment,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(GrantRoleForm, body);
    if (!form.ok) return this.renderList(res.status(400), establishment, 1, { errors: form.errors, values: form.values });
    const done = await attempt(() => this.agents.grantRole(actorOf(principal), establishment, form.value), 'role');
    if (!done.ok) return this.renderList(res.status(done.status), establishment, 1, { errors: done.errors, values: form.value });
    res.redirect(303, `/etablissements/${establishment.code}/agents?fait=ajout`);
  }

  @Get('etablissements/:establishment/agents/roles/:id/retrait')
  @Roles('ADMIN')
  async confirmRevoke(@CurrentEstablishment() establishment: Establishment, @IdParam() id: string, @Res() res: Response) {
    const assignment = await this.agents.assignmentAt(establishment, id);
    res.render('agents/confirm-revoke.njk', { establishment, assignment, roleLabel: ROLE_LABELS[assignment.role] });
  }

  @Post('etablissements/:establishment/agents/roles/:id/retrait')
  @Roles('ADMIN')
  async revoke(
    @CurrentEstablishment() establishment: Establishment,
    @IdParam() id: string,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const done = await attempt(() => this.agents.revokeRole(actorOf(principal), establishment, id), 'global');
    if (!done.ok) return this.renderList(res.status(done.status), establishment, 1, { errors: done.errors });
    res.redirect(303, `/etablissements/${establishment.code}/agents?fait=retrait`);
  }

  private async renderList(
    res: Response,
    establishment: Establishment,
    page: number,
    extra: { done?: string; errors?: FieldError[]; values?: object },
  ) {
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
