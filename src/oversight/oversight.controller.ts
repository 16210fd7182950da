import { Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentPrincipal, Roles, type Principal } from '../auth/access.decorator';
import { csvBody } from '../common/csv';
import { monthLabel } from '../common/months';
import { pageInfo, parsePage } from '../common/pagination';
import { EstablishmentFigures, OversightService } from './oversight.service';
import {
  CSV_FIGURES,
  csvFigures,
  type Direction,
  DIRECTIONS,
  displayFigures,
  type Figures,
  isDirection,
  parseMonthPeriod,
  parseSort,
  scopeLabel,
  SORTS,
  visibleDirections,
} from './oversight.rules';

const PAGE_SIZE = 50;

function directionsOf(principal: Principal): Direction[] | null {
  return visibleDirections(principal.kind === 'agent' ? principal.oversight : []);
}

function csv(res: Response, filename: string, lines: (string | number)[][]) {
  res
    .set({
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${filename}"`,
      'Cache-Control': 'private, no-store',
    })
    .send(csvBody(lines));
}

const shown = (f: Figures) => displayFigures(f);

/**
 * « Pilotage »: the DAP's national view (every establishment) and the directions' (DISP): permit
 * delays and outcomes, bookings, absences, check times and the staff time saved against paper, per
 * establishment and per month, with CSV exports. Read-only; the figures come from the monthly table
 * the background job keeps (OversightService).
 */
@Controller('pilotage')
export class OversightController {
  constructor(private readonly oversight: OversightService) {}

  @Get()
  @Roles('OVERSIGHT')
  async index(
    @CurrentPrincipal() principal: Principal,
    @Query('du') du: unknown,
    @Query('au') au: unknown,
    @Query('direction') direction: unknown,
    @Query('tri') tri: unknown,
    @Query('page') pageParam: unknown,
    @Query('format') format: unknown,
    @Query('actualise') refreshed: unknown,
    @Res() res: Response,
  ) {
    const visible = directionsOf(principal);
    const directionChoices = (visible ?? (Object.keys(DIRECTIONS) as Direction[])).map((d) => ({ value: d, label: DIRECTIONS[d] }));
    const period = parseMonthPeriod(du, au, this.oversight.thisMonth());
    const wanted = typeof direction === 'string' && direction !== '' ? direction : null;
    const sort = parseSort(tri);
    const values = { du: period.from, au: period.to, direction: wanted ?? '', tri: sort };
    const view = { scope: scopeLabel(visible), directionChoices, sorts: Object.entries(SORTS), values };
    const errors =
      wanted !== null && !(isDirection(wanted) && (visible === null || visible.includes(wanted)))
        ? [{ field: 'direction', message: 'Direction : choisissez une direction de la liste' }]
        : period.ok
          ? []
          : [{ field: period.field, message: period.message }];
    if (!period.ok || errors.length) return res.status(400).render('oversight/index.njk', { ...view, errors });
    const directions = wanted ? [wanted as Direction] : visible;
    const { rows, total, computedAt } = await this.oversight.perEstablishment(directions, period.from, period.to, sort);
    const name = `pilotage-${wanted ?? (visible === null ? 'national' : visible.join('-').toLowerCase())}-${period.from}-${period.to}`;
    if (format === 'csv') {
      const head = ['Code', 'Établissement', 'Direction', ...CSV_FIGURES.map(([, label]) => label)];
      const line = (r: EstablishmentFigures) => [r.code, r.name, r.direction ? DIRECTIONS[r.direction] : '', ...csvFigures(r.figures)];
      return csv(res, `${name}.csv`, [head, ...rows.map(line), ['', 'Total', '', ...csvFigures(total)]]);
    }
    const months = await this.oversight.perMonth({ directions }, period.from, period.to);
    if (format === 'csv-mois') {
      const head = ['Mois', ...CSV_FIGURES.map(([, label]) => label)];
      return csv(res, `${name}-par-mois.csv`, [head, ...months.rows.map((r) => [r.month, ...csvFigures(r.figures)])]);
    }
    const page = pageInfo(parsePage(pageParam), PAGE_SIZE, rows.length);
    const query = new URLSearchParams({ du: period.from, au: period.to, ...(wanted ? { direction: wanted } : {}), tri: sort });
    res.render('oversight/index.njk', {
      ...view,
      errors,
      period: { from: monthLabel(period.from), to: monthLabel(period.to) },
      computedAt,
      refreshed: refreshed === 'fait' ? 'done' : refreshed === 'occupe' ? 'busy' : null,
      page,
      base: `/pilotage?${query.toString()}`,
      csv: `/pilotage?${query.toString()}&format=csv`,
      csvMonths: `/pilotage?${query.toString()}&format=csv-mois`,
      rows: rows.slice((page.page - 1) * PAGE_SIZE, page.page * PAGE_SIZE).map((r) => ({
        ...r,
        directionLabel: r.direction ? DIRECTIONS[r.direction] : 'Non rattaché',
        shown: shown(r.figures),
      })),
      total: shown(total),
      totalLabel: wanted ? DIRECTIONS[wanted as Direction] : scopeLabel(visible),
      establishments: rows.length,
      months: months.rows.map((r) => ({ label: monthLabel(r.month), shown: shown(r.figures) })),
      monthsTotal: shown(months.total),
    });
  }

  /** Recomputes now the recent months of the establishments in the agent's scope (the job does it every hour otherwise). */
  @Post('actualiser')
  @Roles('OVERSIGHT')
  async refresh(@CurrentPrincipal() principal: Principal, @Res() res: Response) {
    const done = await this.oversight.refresh(directionsOf(principal));
    res.redirect(303, `/pilotage?actualise=${done === null ? 'occupe' : 'fait'}`);
  }

  @Get('etablissements/:code')
  @Roles('OVERSIGHT')
  async establishment(
    @CurrentPrincipal() principal: Principal,
    @Param('code') code: string,
    @Query('du') du: unknown,
    @Query('au') au: unknown,
    @Query('format') format: unknown,
    @Res() res: Response,
  ) {
    const e = await this.oversight.establishmentIn(directionsOf(principal), code);
    const period = parseMonthPeriod(du, au, this.oversight.thisMonth());
    const view = { establishment: { ...e, directionLabel: e.direction ? DIRECTIONS[e.direction] : 'Non rattaché' } };
    if (!period.ok)
      return res.status(400).render('oversight/establishment.njk', {
        ...view,
        errors: [{ field: period.field, message: period.message }],
        values: { du: period.from, au: period.to },
      });
    const months = await this.oversight.perMonth({ establishmentId: e.id }, period.from, period.to);
    if (format === 'csv') {
      const head = ['Mois', ...CSV_FIGURES.map(([, label]) => label)];
      const lines = [...months.rows.map((r) => [r.month, ...csvFigures(r.figures)]), ['Total', ...csvFigures(months.total)]];
      return csv(res, `pilotage-${e.code}-${period.from}-${period.to}.csv`, [head, ...lines]);
    }
    const query = new URLSearchParams({ du: period.from, au: period.to });
    res.render('oversight/establishment.njk', {
      ...view,
      errors: [],
      values: { du: period.from, au: period.to },
      period: { from: monthLabel(period.from), to: monthLabel(period.to) },
      csv: `/pilotage/etablissements/${encodeURIComponent(e.code)}?${query.toString()}&format=csv`,
      back: `/pilotage?${query.toString()}`,
      months: months.rows.map((r) => ({ label: monthLabel(r.month), shown: shown(r.figures) })),
      total: shown(months.total),
    });
  }
}
