import { Injectable } from '@nestjs/common';
import { fromZonedTime } from 'date-fns-tz';
import { DataSource } from 'typeorm';
import { Actor, AuditService } from '../common/audit.service';
import { newReference } from '../common/reference';
import { matchPermit, parseGenesisVisitList } from './visit-day.rules';
import { activeRooms, finishImport, insertImport } from './visit-import.queries';
import {
  addBooked,
  detaineeHasVisitDuring,
  ensureSlot,
  insertNamedVisitor,
  insertVisit,
  insertVisitor,
  lockSlots,
  permitsToMatch,
  presentDetaineeByEcrou,
  rangeOf,
  visitorsBusyDuring,
} from './visit.queries';

export interface VisitImportReport {
  ok: boolean;
  created: number;
  existing: number;
  unmatchedVisitors: { line: number; name: string; ecrou: string }[];
  rejected: { line: number; message: string }[];
}

/**
 * Import of the daily visit list exported from GENESIS (docs/genesis-visits-csv.md). Each visit is
 * matched to the detainee (écrou) and each visitor to a digital permit (names + birth date); a
 * visitor without one is kept by name and flagged for the agent. Visits already in P2V are left as
 * they are, so the same file can be imported twice. Capacity and overlaps are checked as for a booking.
 */
@Injectable()
export class VisitImportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async import(actor: Actor, establishment: { id: string; timeZone: string }, filename: string, text: string): Promise<VisitImportReport> {
    const { entries, errors } = parseGenesisVisitList(text);
    const report: VisitImportReport = { ok: false, created: 0, existing: 0, unmatchedVisitors: [], rejected: [...errors] };
    if (entries.length === 0) return report;
    await this.dataSource.transaction(async (m) => {
      const importId = await insertImport(m, establishment.id, filename.slice(0, 200), actor.id ?? null);
      const rooms = new Map((await activeRooms(m, establishment.id)).map((r) => [r.name.trim().toLowerCase(), r]));
      for (const e of entries) {
        const reject = (message: string) => report.rejected.push(...e.lines.map((line) => ({ line, message })));
        const detainee = await presentDetaineeByEcrou(m, establishment.id, e.ecrou);
        if (!detainee) {
          reject(`aucune personne détenue présente n’a le numéro d’écrou ${e.ecrou}`);
          continue;
        }
        const room = rooms.get(e.room.trim().toLowerCase());
        if (!room) {
          reject(`parloir « ${e.room} » inconnu : son nom doit être celui de la page Parloirs`);
          continue;
        }
        const startsAt = fromZonedTime(`${e.day} ${e.start}`, establishment.timeZone);
        const endsAt = fromZonedTime(`${e.day} ${e.end}`, establishment.timeZone);
        const range = rangeOf(startsAt, endsAt);
        if (await detaineeHasVisitDuring(m, detainee.id, range)) {
          report.existing++;
          continue;
        }
        const permits = await permitsToMatch(m, detainee.id);
        const visitors = e.visitors.map((v) => ({ v, permit: matchPermit(v, permits) }));
        const permitIds = visitors.flatMap((x) => (x.permit ? [x.permit.id] : []));
        if (new Set(permitIds).size !== permitIds.length) {
          reject('le même visiteur figure deux fois dans cette visite');
          continue;
        }
        if (await visitorsBusyDuring(m, permitIds, range)) {
          reject('un des visiteurs a déjà une visite à ce moment-là');
          continue;
        }
        const slotId = await ensureSlot(m, { roomId: room.id, templateId: null, startsAt, endsAt, capacity: room.cabins });
        const [slot] = await lockSlots(m, [slotId]);
        if (slot.booked + slot.held >= slot.capacity) {
          reject(`le parloir « ${e.room} » est complet à ${e.start} dans P2V`);
          continue;
        }
        await addBooked(m, slot.id, 1);
        const visitId = await insertVisit(m, {
          establishmentId: establishment.id,
          slotId: slot.id,
          detaineeId: detainee.id,
          familyAccountId: null,
          reference: newReference(),
          channel: 'GENESIS',
          idempotencyKey: null,
          range,
          bookedByAgent: null,
          importId,
        });
        for (const { v, permit } of visitors) {
          if (permit) {
            await insertVisitor(m, visitId, permit.id, range);
          } else {
            await insertNamedVisitor(m, visitId, v, range);
            report.unmatchedVisitors.push({ line: v.line, name: `${v.givenName} ${v.familyName.toUpperCase()}`, ecrou: e.ecrou });
          }
        }
        report.created++;
      }
      report.rejected.sort((a, b) => a.line - b.line);
      report.ok = report.rejected.length === 0;
      const counts = {
        created: report.created,
        existing: report.existing,
        unmatched: report.unmatchedVisitors.length,
        rejected: report.rejected.length,
      };
      await finishImport(m, importId, counts, report);
      await this.audit.record(
        {
          actor,
          action: 'VISITS_IMPORTED',
          entityType: 'visit_import',
          entityId: importId,
          establishmentId: establishment.id,
          after: { filename, ...counts },
        },
        m,
      );
    });
    return report;
  }
}
