import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, type EntityManager, Repository } from 'typeorm';
import { type Actor, AuditService } from '../common/audit.service';
import { Establishment } from './establishment.entity';
import type { EstablishmentInfoForm } from './establishment-info.form';
import { infoByCode, infoOf, infoOfMany, saveInfo, type EstablishmentInfoRow } from './establishment-info.queries';
import { practicalInfo, storedText, type EstablishmentInfoFields, type PracticalInfo } from './establishment-info.rules';

function fieldsOf(row: EstablishmentInfoRow): EstablishmentInfoFields {
  return {
    address: row.address,
    parloirPhone: row.parloirPhone,
    parloirHours: row.parloirHours,
    access: row.access,
    lockers: row.lockers,
    whatToBring: row.whatToBring,
    dressCode: row.dressCode,
    accessibility: row.accessibility,
  };
}

/** What another module does, in the same transaction, when an establishment's practical information changed. */
export type InfoChangedHook = (m: EntityManager, establishmentId: string) => Promise<void>;

@Injectable()
export class EstablishmentsService {
  private readonly infoChanged: InfoChangedHook[] = [];

  constructor(
    @InjectRepository(Establishment) private readonly establishments: Repository<Establishment>,
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async byCode(code: string): Promise<Establishment> {
    const found = await this.establishments.findOneBy({ code });
    if (!found) throw new NotFoundException();
    return found;
  }

  all(): Promise<Establishment[]> {
    return this.establishments.find({ order: { name: 'ASC' } });
  }

  // Practical information -----------------------------------------------------------------------

  /** The information as stored, for its form (NULL: not given). */
  async info(establishment: Establishment): Promise<EstablishmentInfoFields> {
    const row = await infoOf(this.dataSource.manager, establishment.id, { lock: false });
    if (!row) throw new NotFoundException();
    return fieldsOf(row);
  }

  /** The public page of an establishment, by its code (404 for an unknown one). */
  async practicalByCode(code: string): Promise<PracticalInfo> {
    const row = await infoByCode(this.dataSource.manager, code);
    if (!row) throw new NotFoundException();
    return practicalInfo(row, fieldsOf(row));
  }

  /** The information of the establishments of a family's visits, by establishment id. */
  async practicalFor(establishmentIds: string[]): Promise<Map<string, PracticalInfo>> {
    const ids = [...new Set(establishmentIds)];
    if (ids.length === 0) return new Map();
    const rows = await infoOfMany(this.dataSource.manager, ids);
    return new Map(rows.map((r) => [r.establishmentId, practicalInfo(r, fieldsOf(r))]));
  }

  /** Modules register what the practical information's change means for them (appointments: messages still to send). */
  onInfoChanged(hook: InfoChangedHook): void {
    this.infoChanged.push(hook);
  }

  /** Saves the practical information typed by the establishment's administrator or head; audited with what changed. */
  updateInfo(actor: Actor, establishment: Establishment, form: EstablishmentInfoForm): Promise<void> {
    const after: EstablishmentInfoFields = {
      address: storedText(form.address),
      parloirPhone: form.parloirPhone ?? null,
      parloirHours: storedText(form.parloirHours),
      access: storedText(form.access),
      lockers: storedText(form.lockers),
      whatToBring: storedText(form.whatToBring),
      dressCode: storedText(form.dressCode),
      accessibility: storedText(form.accessibility),
    };
    return this.dataSource.transaction(async (m) => {
      const row = await infoOf(m, establishment.id, { lock: true });
      if (!row) throw new NotFoundException();
      const before = fieldsOf(row);
      const changed = (Object.keys(after) as (keyof EstablishmentInfoFields)[]).filter((k) => before[k] !== after[k]);
      if (changed.length === 0) return;
      await saveInfo(m, establishment.id, after);
      for (const hook of this.infoChanged) await hook(m, establishment.id);
      await this.audit.record(
        {
          actor,
          action: 'ESTABLISHMENT_INFO_UPDATED',
          entityType: 'establishment',
          entityId: establishment.id,
          establishmentId: establishment.id,
          before: Object.fromEntries(changed.map((k) => [k, before[k]])),
          after: Object.fromEntries(changed.map((k) => [k, after[k]])),
        },
        m,
      );
    });
  }
}
