import { Injectable } from '@nestjs/common';
import { formatInTimeZone } from 'date-fns-tz';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import type { Establishment } from '../establishments/establishment.entity';
import { detaineesOverPeriod, figuresByMonth } from './statistics.queries';
import { type MonthFigures, monthsBetween, monthlyFigures } from './statistics.rules';
import { VideoCallSettingsService } from './video-call-settings.service';

export interface VideoCallStatistics {
  months: MonthFigures[];
  total: MonthFigures;
  quotaCalls: number;
  quotaWeeks: number;
}

/** The establishment's video-call figures over a period, per month of its clock (read only). */
@Injectable()
export class VideoCallStatisticsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly settings: VideoCallSettingsService,
  ) {}

  /** Today on the establishment's clock (AAAA-MM-JJ). */
  today(establishment: Establishment): string {
    return formatInTimeZone(this.clock.now(), establishment.timeZone, 'yyyy-MM-dd');
  }

  async figures(establishment: Establishment, from: string, to: string): Promise<VideoCallStatistics> {
    const db = this.dataSource.manager;
    const { quotaCalls, quotaWeeks } = (await this.settings.inForce(establishment.id)).settings;
    const [rows, totals] = await Promise.all([
      figuresByMonth(db, establishment.id, establishment.timeZone, from, to, quotaCalls),
      detaineesOverPeriod(db, establishment.id, establishment.timeZone, from, to, quotaCalls),
    ]);
    return { ...monthlyFigures(monthsBetween(from, to), rows, totals), quotaCalls, quotaWeeks };
  }
}
