import { Injectable } from '@nestjs/common';
import { fromZonedTime } from 'date-fns-tz';
import { DataSource } from 'typeorm';
import { newReference } from '../common/reference';
import { Actor, AuditService } from '../common/audit.service';
import { matchPermit, parseGenesisVisitList } from './visit-day.rules';

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
      const [imp] = await m.query(
        `INSERT INTO visit_imports (establishment_id, filename, imported_by, visits_created, visits_existing, visitors_unmatched, lines_rejected, report) VALUES ($1, $2, $3, 0, 0, 0, 0, '{}') RETURNING id`,
        [establishment.id, filename.slice(0, 200), actor.id],
      );
      const rooms = new Map<string, { id: string; cabins: number }>(
        (await m.query(`SELECT id, name, cabins FROM visiting_rooms WHERE establishment_id = $1 AND active`, [establishment.id])).map(
          (r: { id: string; name: string; cabins: number }) => [r.name.trim().toLowerCase(), r],
        ),
      );
      for (const e of entries) {
        const reject = (message: string) => report.rejected.push(...e.lines.map((line) => ({ line, message })));
        const [detainee] = await m.query(
          `SELECT id FROM detainees WHERE establishment_id = $1 AND ecrou_number = $2 AND custody_status = 'PRESENT'`,
          [establishment.id, e.ecrou],
        );
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
        const range = `[${startsAt.toISOString()},${endsAt.toISOString()})`;
        const [same] = await m.query(`SELECT id FROM visits WHERE detainee_id = $1 AND status <> 'CANCELLED' AND during && $2::tstzrange`, [
          detainee.id,
          range,
        ]);
        if (same) {
          report.existing++;
          continue;
        }
        const permits: { id: string; visitor_family_name: string; visitor_given_name: string; birthdate: string }[] = await m.query(
          `SELECT id, visitor_family_name, visitor_given_name, to_char(visitor_birthdate, 'YYYY-MM-DD') AS birthdate FROM permits WHERE detainee_id = $1`,
          [detainee.id],
        );
        const visitors = e.visitors.map((v) => ({ v, permit: matchPermit(v, permits) }));
        const permitIds = visitors.filter((x) => x.permit).map((x) => x.permit!.id);
        if (new Set(permitIds).size !== permitIds.length) {
          reject('le même visiteur figure deux fois dans cette visite');
          continue;
        }
        const [busy] = await m.query(
          `SELECT 1 FROM visit_visitors WHERE permit_id = ANY($1::uuid[]) AND active AND during && $2::tstzrange`,
          [permitIds, range],
        );
        if (busy) {
          reject('un des visiteurs a déjà une visite à ce moment-là');
          continue;
        }
        await m.query(
          `INSERT INTO visit_slots (room_id, starts_at, ends_at, capacity) VALUES ($1, $2, $3, $4) ON CONFLICT (room_id, starts_at) DO NOTHING`,
          [room.id, startsAt, endsAt, room.cabins],
        );
        const [slot] = await m.query(
          `SELECT id, capacity, booked, held FROM visit_slots WHERE room_id = $1 AND starts_at = $2 FOR UPDATE`,
          [room.id, startsAt],
        );
        if (slot.booked + slot.held >= slot.capacity) {
          reject(`le parloir « ${e.room} » est complet à ${e.start} dans P2V`);
          continue;
        }
        await m.query(`UPDATE visit_slots SET booked = booked + 1 WHERE id = $1`, [slot.id]);
        const [visit] = await m.query(
          `INSERT INTO visits (establishment_id, slot_id, detainee_id, reference, channel, during, import_id) VALUES ($1, $2, $3, $4, 'GENESIS', $5::tstzrange, $6) RETURNING id`,
          [establishment.id, slot.id, detainee.id, newReference(), range, imp.id],
        );
        for (const { v, permit } of visitors) {
          if (permit) {
            await m.query(`INSERT INTO visit_visitors (visit_id, permit_id, during) VALUES ($1, $2, $3::tstzrange)`, [
              visit.id,
              permit.id,
              range,
            ]);
          } else {
            await m.query(
              `INSERT INTO visit_visitors (visit_id, given_name, family_name, birthdate, during) VALUES ($1, $2, $3, $4, $5::tstzrange)`,
              [visit.id, v.givenName, v.familyName, v.birthdate, range],
            );
            report.unmatchedVisitors.push({ line: v.line, name: `${v.givenName} ${v.familyName.toUpperCase()}`, ecrou: e.ecrou });
          }
        }
        report.created++;
      }
      report.rejected.sort((a, b) => a.line - b.line);
      report.ok = report.rejected.length === 0;
      await m.query(
        `UPDATE visit_imports SET visits_created = $2, visits_existing = $3, visitors_unmatched = $4, lines_rejected = $5, report = $6 WHERE id = $1`,
        [imp.id, report.created, report.existing, report.unmatchedVisitors.length, report.rejected.length, JSON.stringify(report)],
      );
      await this.audit.record(
        {
          actor,
          action: 'VISITS_IMPORTED',
          entityType: 'visit_import',
          entityId: imp.id,
          establishmentId: establishment.id,
          after: {
            filename,
            created: report.created,
            existing: report.existing,
            unmatched: report.unmatchedVisitors.length,
            rejected: report.rejected.length,
          },
        },
        m,
      );
    });
    return report;
  }
}
