import { Inject, Injectable, Logger, NotFoundException, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { formatInTimeZone } from 'date-fns-tz';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { monthsBetween } from '../common/months';
import { runPeriodically } from '../common/periodic';
import { APP_CONFIG, type AppConfig } from '../config/config';
import {
  computedAt,
  establishmentByCode,
  establishmentsIn,
  type ScopedEstablishment,
  sumsPerEstablishment,
  sumsPerMonth,
} from './oversight.queries';
import { addSums, type Direction, emptySums, type Figures, figuresOf, hoursSavedOver, type Sort, sortRows } from './oversight.rules';
import { refreshEstablishments } from './oversight-refresh';

/** Any key: the one lock that lets a single instance recompute the figures at a time. */
const REFRESH_LOCK = 0x70327673; // "p2vs"

export interface EstablishmentFigures {
  id: string;
  code: string;
  name: string;
  direction: Direction | null;
  figures: Figures;
}

export interface MonthRow {
  month: string;
  figures: Figures;
}

/**
 * The DAP's national and interregional view: the figures per establishment and month, read from
 * establishment_month_stats, which a background job recomputes (every OVERSIGHT_REFRESH_MS, in one
 * instance at a time: a PostgreSQL advisory lock held on the job's own connection). Not at start-up:
 * instances restarted together would all recompute at once, and the demo data and the national
 * dataset compute their months as they are written (refreshEstablishments).
 */
@Injectable()
export class OversightService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OversightService.name);
  private stop?: () => void;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.stop = runPeriodically('OversightFigures', this.config.oversightRefreshMs, async (log) => {
      const done = await this.refresh(null);
      if (done === null) log.log('figures being recomputed by another instance: skipped');
    });
  }

  onApplicationShutdown(): void {
    this.stop?.();
  }

  /** This month (AAAA-MM) in France (the periods are months of each establishment's own clock). */
  thisMonth(): string {
    return formatInTimeZone(this.clock.now(), 'Europe/Paris', 'yyyy-MM');
  }

  /**
   * Recomputes the recent months (every month of the longest period for an establishment never
   * computed) of the establishments of these directions (all for `null`). Returns how many
   * establishments were computed, or null when another instance is computing already.
   */
  async refresh(directions: Direction[] | null): Promise<number | null> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = (await runner.query(`SELECT pg_try_advisory_lock($1) AS locked`, [REFRESH_LOCK])) as { locked: boolean }[];
      if (!locked) return null;
      try {
        const establishments = await establishmentsIn(runner.manager, directions);
        await refreshEstablishments(runner.manager, establishments, this.clock.now(), 'recent');
        this.logger.log(`figures of ${establishments.length} establishment(s) recomputed`);
        return establishments.length;
      } finally {
        await runner.query(`SELECT pg_advisory_unlock($1)`, [REFRESH_LOCK]);
      }
    } finally {
      await runner.release();
    }
  }

  /** Every establishment of the scope with its figures over the months [from, to], in the order asked, and the scope's total. */
  async perEstablishment(
    directions: Direction[] | null,
    from: string,
    to: string,
    sort: Sort,
  ): Promise<{ rows: EstablishmentFigures[]; total: Figures; computedAt: Date | null }> {
    const db = this.dataSource.manager;
    const [establishments, sums, at] = await Promise.all([
      establishmentsIn(db, directions),
      sumsPerEstablishment(db, directions, from, to),
      computedAt(db, directions),
    ]);
    const byId = new Map(sums.map((s) => [s.establishmentId, s]));
    const rows = establishments.map((e) => {
      const s = byId.get(e.id);
      return {
        id: e.id,
        code: e.code,
        name: e.name,
        direction: e.direction,
        figures: s ? figuresOf(s, hoursSavedOver(s.checkDayDetainees)) : figuresOf(emptySums(), 0),
      };
    });
    const total = figuresOf(
      addSums(sums, 'establishments'),
      sums.reduce((h, s) => h + hoursSavedOver(s.checkDayDetainees), 0),
    );
    return { rows: sortRows(rows, sort), total, computedAt: at };
  }

  /** The months of [from, to] (each present, zero when nothing was recorded) for the scope or one establishment, and their total. */
  async perMonth(
    scope: { directions: Direction[] | null } | { establishmentId: string },
    from: string,
    to: string,
  ): Promise<{ rows: MonthRow[]; total: Figures }> {
    const sums = await sumsPerMonth(this.dataSource.manager, scope, from, to);
    const byMonth = new Map(sums.map((s) => [s.month, s]));
    const rows = monthsBetween(from, to).map((month) => {
      const s = byMonth.get(month);
      return { month, figures: s ? figuresOf(s, hoursSavedOver(s.checkDayDetainees)) : figuresOf(emptySums(), 0) };
    });
    const present = monthsBetween(from, to).flatMap((m) => (byMonth.has(m) ? [byMonth.get(m)!] : []));
    const total = figuresOf(
      addSums(present, 'months'),
      present.reduce((h, s) => h + hoursSavedOver(s.checkDayDetainees), 0),
    );
    return { rows, total };
  }

  /** The establishment of this code if the scope holds it; 404 otherwise (whether it exists is not told). */
  async establishmentIn(directions: Direction[] | null, code: string): Promise<ScopedEstablishment> {
    const e = await establishmentByCode(this.dataSource.manager, code);
    if (!e || (directions !== null && (e.direction === null || !directions.includes(e.direction)))) throw new NotFoundException();
    return e;
  }
}
