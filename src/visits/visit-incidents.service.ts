import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor, AuditService } from '../common/audit.service';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { lockDayVisit, markDone, visitorsOf } from './visit-day.queries';
import { localDay, type Site } from './visit-day.service';
import { type IncidentRow, incidentOf, incidentsOfEstablishment, incidentsOfVisit, insertIncident } from './visit-incident.queries';
import { type IncidentReason, MIN_REPORT_LENGTH } from './visit-incident.rules';

export interface IncidentInput {
  reason: IncidentReason;
  /** The visitor concerned (a visitor of this visit), or null (the detainee, or no one in particular). */
  visitorId: string | null;
  report: string;
  /** End the visit now (R341-12): only a visit in progress; any exit is final. */
  interrupt: boolean;
}

/**
 * Incidents at the visiting rooms: the agent interrupts a visit in progress (R341-12) or reports an
 * incident, and writes the report (compte-rendu d'incident) attached to the visit, in one
 * transaction with the visit locked; audited. The head reads the establishment's reports and may
 * open a suspension of the visitor's permit from one (the permits' own procedure then applies).
 */
@Injectable()
export class VisitIncidentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async report(actor: Actor, site: Site, visitId: string, input: IncidentInput): Promise<string> {
    const report = input.report.trim();
    if (report.length < MIN_REPORT_LENGTH)
      throw new DomainError('REPORT', `Décrivez ce qui s’est passé (${MIN_REPORT_LENGTH} caractères au moins).`, 400);
    const now = this.clock.now();
    return this.dataSource.transaction(async (m) => {
      const v = await lockDayVisit(m, site.id, visitId);
      if (!v) throw new DomainError('NOT_FOUND', 'Visite introuvable.', 404);
      if (input.interrupt && v.status !== 'IN_PROGRESS')
        throw new DomainError('NOT_IN_PROGRESS', 'Seule une visite en cours peut être interrompue.', 409);
      if (v.status === 'CANCELLED') throw new DomainError('CANCELLED', 'Cette visite est annulée.', 409);
      if (localDay(v.startsAt, site.timeZone) > localDay(now, site.timeZone))
        throw new DomainError('NOT_YET', 'Un compte-rendu d’incident se rédige le jour de la visite ou après.', 409);
      if (input.visitorId && !(await visitorsOf(m, [visitId])).some((x) => x.id === input.visitorId))
        throw new DomainError('VISITOR', 'Choisissez un visiteur de cette visite.', 400);
      if (input.interrupt) await markDone(m, visitId, now);
      const id = await insertIncident(m, {
        establishmentId: site.id,
        visitId,
        visitorId: input.visitorId,
        reason: input.reason,
        report,
        interruptedAt: input.interrupt ? now : null,
        by: actor.id!,
        at: now,
      });
      await this.audit.record(
        {
          actor,
          action: input.interrupt ? 'VISIT_INTERRUPTED' : 'VISIT_INCIDENT_REPORTED',
          entityType: 'visit_incident',
          entityId: id,
          establishmentId: site.id,
          before: input.interrupt ? { visit: visitId, status: v.status } : undefined,
          after: {
            visit: visitId,
            status: input.interrupt ? 'DONE' : v.status,
            reason: input.reason,
            visitor: input.visitorId,
            report,
            at: now.toISOString(),
          },
        },
        m,
      );
      return id;
    });
  }

  /** The establishment's reports, most recent first. */
  list(site: Site): Promise<IncidentRow[]> {
    return incidentsOfEstablishment(this.dataSource.manager, site.id);
  }

  ofVisit(visitId: string): Promise<IncidentRow[]> {
    return incidentsOfVisit(this.dataSource.manager, visitId);
  }

  async one(site: Site, id: string): Promise<IncidentRow> {
    const i = await incidentOf(this.dataSource.manager, site.id, id);
    if (!i) throw new DomainError('NOT_FOUND', 'Compte-rendu introuvable.', 404);
    return i;
  }
}
