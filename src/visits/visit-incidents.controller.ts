import { Controller, Get, Param, ParseUUIDPipe, Res } from '@nestjs/common';
import type { Response } from 'express';
import { formatInTimeZone } from 'date-fns-tz';
import { CurrentPrincipal, Roles } from '../auth/access.decorator';
import { holdsRole, type Principal } from '../auth/principal';
import { CurrentEstablishment } from '../establishments/current-establishment';
import type { Establishment } from '../establishments/establishment.entity';
import { VisitIncidentsService } from './visit-incidents.service';
import { INCIDENT_REASONS, suspensionGrounds } from './visit-incident.rules';
import type { IncidentRow } from './visit-incident.queries';

const DAY = (timeZone: string) =>
  new Intl.DateTimeFormat('fr-FR', { timeZone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });

/**
 * The establishment's incident reports (comptes-rendus d'incident), for the head and the greffe;
 * from one, the head opens a suspension of the visitor's permit, its form prefilled (the permits'
 * contradictory procedure then applies as for any measure).
 */
@Controller('etablissements/:establishment/incidents')
export class VisitIncidentsController {
  constructor(private readonly incidents: VisitIncidentsService) {}

  @Get()
  @Roles('HEAD_OF_ESTABLISHMENT', 'PERMITS_OFFICER')
  async list(@CurrentEstablishment() e: Establishment, @Res() res: Response) {
    const rows = await this.incidents.list(e);
    res.render('visits/incidents.njk', { establishment: e, incidents: rows.map((i) => this.view(e, i)), reasons: INCIDENT_REASONS });
  }

  @Get(':id')
  @Roles('HEAD_OF_ESTABLISHMENT', 'PERMITS_OFFICER')
  async one(
    @CurrentEstablishment() e: Establishment,
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentPrincipal() p: Principal,
    @Res() res: Response,
  ) {
    const i = this.view(e, await this.incidents.one(e, id));
    const grounds = suspensionGrounds({ dayLabel: DAY(e.timeZone).format(i.startsAt), reference: i.reference, reason: i.reason });
    const suspendUrl =
      i.permitId && holdsRole(p, e.id, ['HEAD_OF_ESTABLISHMENT'])
        ? `/etablissements/${e.code}/permis/${i.permitId}/mesures/envisager?${new URLSearchParams({ mesure: 'SUSPENSION', motifs: grounds }).toString()}`
        : null;
    res.render('visits/incident.njk', { establishment: e, i, reasons: INCIDENT_REASONS, suspendUrl });
  }

  private view(e: Establishment, i: IncidentRow) {
    return {
      ...i,
      when: formatInTimeZone(i.startsAt, e.timeZone, "dd/MM/yyyy 'à' HH'h'mm"),
      writtenWhen: formatInTimeZone(i.writtenAt, e.timeZone, "dd/MM/yyyy 'à' HH'h'mm"),
      interruptedWhen: i.interruptedAt ? formatInTimeZone(i.interruptedAt, e.timeZone, "HH'h'mm") : null,
    };
  }
}
