import { Controller, Get, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Roles } from '../auth/access.decorator';
import { CurrentEstablishment } from '../establishments/current-establishment';
import type { Establishment } from '../establishments/establishment.entity';
import { VideoCallStatisticsService } from './statistics.service';
import { csvField, type MonthFigures, monthLabel, parsePeriod } from './statistics.rules';
import { euros } from './video-call-settings.form';

const CSV_HEADER = [
  'Mois',
  'Appels réservés',
  'Appels tenus',
  'Appels annulés',
  'Absences',
  'Minutes facturées',
  'Montant facturé (€)',
  'Personnes détenues ayant appelé',
  'Personnes détenues au quota',
];

/** "Visio — statistiques": calls booked, held, cancelled, no-show, minutes and euros charged, use of the quota, per month. */
@Controller('etablissements/:establishment/visio/statistiques')
export class VideoCallStatisticsController {
  constructor(private readonly statistics: VideoCallStatisticsService) {}

  @Get()
  @Roles('ACTIVITIES_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async show(
    @CurrentEstablishment() establishment: Establishment,
    @Query('du') du: unknown,
    @Query('au') au: unknown,
    @Query('format') format: unknown,
    @Res() res: Response,
  ) {
    const period = parsePeriod(du, au, this.statistics.today(establishment));
    const base = `/etablissements/${establishment.code}/visio/statistiques`;
    if (!period.ok)
      return res.status(400).render('video-calls/statistics.njk', {
        establishment,
        base,
        errors: [{ field: period.field, message: period.message }],
        values: { du: period.from, au: period.to },
      });
    const stats = await this.statistics.figures(establishment, period.from, period.to);
    const label = (r: MonthFigures) => (r.month === 'total' ? 'Total' : monthLabel(r.month));
    if (format === 'csv') {
      const lines = [
        CSV_HEADER,
        ...[...stats.months, stats.total].map((r) => [
          label(r),
          r.booked,
          r.held,
          r.cancelled,
          r.noShow,
          r.minutes,
          euros(r.chargedCents),
          r.detaineesWithCall,
          r.detaineesAtQuota,
        ]),
      ].map((l) => l.map(csvField).join(';'));
      return res
        .set({
          'Content-Type': 'text/csv; charset=utf-8',
          'Content-Disposition': `attachment; filename="visio-statistiques-${establishment.code}-${period.from}-${period.to}.csv"`,
          'Cache-Control': 'private, no-store',
        })
        .send(`\uFEFF${lines.join('\r\n')}\r\n`);
    }
    res.render('video-calls/statistics.njk', {
      establishment,
      base,
      errors: [],
      values: { du: period.from, au: period.to },
      rows: [...stats.months, stats.total].map((r) => ({ ...r, label: label(r), euros: euros(r.chargedCents) })),
      quotaCalls: stats.quotaCalls,
      quotaWeeks: stats.quotaWeeks,
      csv: `${base}?du=${period.from}&au=${period.to}&format=csv`,
    });
  }
}
