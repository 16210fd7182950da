import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, type EntityManager, Repository } from 'typeorm';
import { type Actor, AuditService } from '../common/audit.service';
import { currentLanguage, type Language } from '../common/i18n';
import { Establishment } from './establishment.entity';
import type { EstablishmentInfoForm, EstablishmentInfoTranslationForm } from './establishment-info.form';
import {
  infoByCode,
  infoOf,
  infoOfMany,
  saveInfo,
  saveTranslation,
  translationOf,
  translationsOf,
  translationsOfMany,
  type EstablishmentInfoRow,
  type InfoTranslationRow,
} from './establishment-info.queries';
import {
  type InfoTexts,
  isTranslationLanguage,
  practicalInfo,
  storedText,
  TRANSLATED_FIELDS,
  TRANSLATION_LANGUAGES,
  translationStatus,
  type EstablishmentInfoFields,
  type PracticalInfo,
  type TranslationLanguage,
  type TranslationStatus,
} from './establishment-info.rules';

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

function textsOf(row: InfoTexts): InfoTexts {
  return Object.fromEntries(TRANSLATED_FIELDS.map((f) => [f, row[f]])) as InfoTexts;
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

  /** The public page of an establishment, by its code (404 for an unknown one), in `language` where translated. */
  async practicalByCode(code: string, language: Language = currentLanguage()): Promise<PracticalInfo> {
    const row = await infoByCode(this.dataSource.manager, code);
    if (!row) throw new NotFoundException();
    const translation = isTranslationLanguage(language)
      ? await translationOf(this.dataSource.manager, row.establishmentId, language)
      : null;
    return practicalInfo(row, fieldsOf(row), { language, translation });
  }

  /** The information of the establishments of a family's visits, by establishment id, in `language` where translated. */
  async practicalFor(establishmentIds: string[], language: Language = currentLanguage()): Promise<Map<string, PracticalInfo>> {
    const ids = [...new Set(establishmentIds)];
    if (ids.length === 0) return new Map();
    const rows = await infoOfMany(this.dataSource.manager, ids);
    const translations = new Map(
      isTranslationLanguage(language)
        ? (await translationsOfMany(this.dataSource.manager, ids, language)).map((t) => [t.establishmentId, t] as const)
        : [],
    );
    return new Map(
      rows.map((r) => [r.establishmentId, practicalInfo(r, fieldsOf(r), { language, translation: translations.get(r.establishmentId) })]),
    );
  }

  /** Where each translation stands, for the French form: one per language, in order. */
  async translationStatuses(establishment: Establishment): Promise<TranslationStatus[]> {
    const row = await infoOf(this.dataSource.manager, establishment.id, { lock: false });
    if (!row) throw new NotFoundException();
    const translations = new Map((await translationsOf(this.dataSource.manager, establishment.id)).map((t) => [t.language, t]));
    return TRANSLATION_LANGUAGES.map((l) => translationStatus(l, row, translations.get(l) ?? null));
  }

  /** The French texts and their translation into `language` (NULL fields: not translated), for its form. */
  async translation(establishment: Establishment, language: TranslationLanguage) {
    const row = await infoOf(this.dataSource.manager, establishment.id, { lock: false });
    if (!row) throw new NotFoundException();
    const translation = await translationOf(this.dataSource.manager, establishment.id, language);
    return {
      french: textsOf(row),
      translation: translation && textsOf(translation),
      status: translationStatus(language, row, translation),
    };
  }

  /**
   * Saves the translation into `language` typed by the establishment's administrator or head, made from
   * the French version as it stands now; audited with what changed.
   */
  updateTranslation(actor: Actor, establishment: Establishment, language: TranslationLanguage, form: EstablishmentInfoTranslationForm) {
    const after = Object.fromEntries(TRANSLATED_FIELDS.map((f) => [f, storedText(form[f])])) as InfoTexts;
    return this.dataSource.transaction(async (m) => {
      // The French row's lock: a translation is recorded against the French version it was made from.
      const row = await infoOf(m, establishment.id, { lock: true });
      if (!row) throw new NotFoundException();
      const stored: InfoTranslationRow | null = await translationOf(m, establishment.id, language);
      const before = stored ? textsOf(stored) : (Object.fromEntries(TRANSLATED_FIELDS.map((f) => [f, null])) as InfoTexts);
      const changed = TRANSLATED_FIELDS.filter((k) => before[k] !== after[k]);
      const frenchMoved = stored !== null && row.updatedAt?.getTime() !== stored.frenchUpdatedAt?.getTime();
      if (changed.length === 0 && !frenchMoved) return;
      await saveTranslation(m, establishment.id, language, after, row.updatedAt);
      await this.audit.record(
        {
          actor,
          action: 'ESTABLISHMENT_INFO_TRANSLATED',
          entityType: 'establishment',
          entityId: establishment.id,
          establishmentId: establishment.id,
          before: { language, ...Object.fromEntries(changed.map((k) => [k, before[k]])) },
          after: { language, ...Object.fromEntries(changed.map((k) => [k, after[k]])) },
        },
        m,
      );
    });
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
