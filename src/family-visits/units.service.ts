import { reportEarlyEndToMagistrate, reportIncidentToMagistrate } from './decisions.service';
import { Injectable } from '@nestjs/common';
import { addDays } from 'date-fns';
import { formatInTimeZone } from 'date-fns-tz';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { Actor, AuditService } from '../common/audit.service';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { whenLabel, whenShort, zoneNote } from '../appointments/appointment.rules';
import { normalizePhone } from '../notifications/notification.rules';
import { NotificationsService } from '../notifications/notifications.service';
import { signatoryFor } from '../permits/signatory';
import type { FamilyVisitKind } from './family-unit.entity';
import { custodyRefusal, type DoorVisitor, doorVisitors, permitsRefusal, reviewReasons, startRefusal, stayDays } from './stay-door.rules';
import {
  bookableCase,
  caseHasStay,
  detaineeStayDuring,
  familiesToTell,
  familyStayOf,
  familyStaysOf,
  type FamilyStayListRow,
  insertCaseEvent,
  insertFamilyEvent,
  insertStay,
  insertStayEvent,
  insertUnit,
  mostVisitorsAhead,
  moveStaySlot,
  type NewUnit,
  setCasePriority,
  setStayStatus,
  signatoriesOf,
  stayEvents,
  stayOf,
  type StayRow,
  staysBetween,
  stayVisitors,
  unitNamed,
  unitOf,
  unitsOf,
  updateUnit,
  visitingHours,
  waitingCases,
} from './units.queries';
import { hourIn, whenIn } from './family-texts';
import {
  accessibilityWarning,
  authorisationProblem,
  breakNote,
  breakSoon,
  capacityProblem,
  changeProblem,
  detaineeTakenMessage,
  distanceProblem,
  durationProblem,
  endsSoon,
  eventProblem,
  exceptionalHoursRefusal,
  hourLabel,
  houseRulesOf,
  houseRulesProblem,
  type InterventionCause,
  interventionProblem,
  localInstant,
  onBreak,
  pfHoursProblem,
  priorityReasons,
  rankWaitingList,
  rebookPossible,
  type StayEventKind,
  stayChangeMessage,
  type StayChangeNotice,
  stayGuide,
  type StayRequest,
  type StayTimes,
  stayTimes,
  stayWhenShort,
  transitionProblem,
  VISIT_PLACE,
  wishedPeriodProblem,
} from './units.rules';

interface Site {
  id: string;
  timeZone: string;
}

/** The establishment's UVF / PF units, the stays booked in them and what agents record during a stay. */
@Injectable()
export class UnitsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly notifications: NotificationsService,
  ) {}

  async units(establishmentId: string) {
    const units = await unitsOf(this.dataSource.manager, establishmentId);
    return { units, warning: accessibilityWarning(units) };
  }

  async addUnit(actor: Actor, establishmentId: string, form: Omit<NewUnit, 'houseRules'> & { houseRules?: string | null }): Promise<void> {
    const u: NewUnit = {
      kind: form.kind,
      name: form.name,
      capacity: form.capacity,
      accessible: form.accessible === true,
      houseRules: houseRulesOf(form.houseRules),
    };
    const bad = capacityProblem(u.capacity);
    if (bad) throw new DomainError('CAPACITY', bad);
    const badRules = houseRulesProblem(u.houseRules);
    if (badRules) throw new DomainError('HOUSE_RULES', badRules);
    await this.dataSource.transaction(async (m) => {
      if (await unitNamed(m, establishmentId, u.name)) throw new DomainError('UNIT_EXISTS', 'Un logement porte déjà ce nom.');
      const id = await insertUnit(m, establishmentId, u);
      await this.audit.record(
        { actor, action: 'FAMILY_UNIT_CREATED', entityType: 'family_unit', entityId: id, establishmentId, after: u },
        m,
      );
    });
  }

  async editUnit(
    actor: Actor,
    establishmentId: string,
    id: string,
    form: { name: string; capacity: number; accessible: boolean; active: boolean; houseRules?: string | null },
  ): Promise<void> {
    const u = {
      name: form.name,
      capacity: form.capacity,
      accessible: form.accessible === true,
      active: form.active === true,
      houseRules: houseRulesOf(form.houseRules),
    };
    const bad = capacityProblem(u.capacity);
    if (bad) throw new DomainError('CAPACITY', bad);
    const badRules = houseRulesProblem(u.houseRules);
    if (badRules) throw new DomainError('HOUSE_RULES', badRules);
    await this.dataSource.transaction(async (m) => {
      // Locked: a booking (which shares the lock) cannot slip in between the check and the change.
      const before = await unitOf(m, establishmentId, id, 'UPDATE');
      if (!before) throw new DomainError('NOT_FOUND', 'Logement introuvable.', 404);
      if (await unitNamed(m, establishmentId, u.name, id)) throw new DomainError('UNIT_EXISTS', 'Un logement porte déjà ce nom.');
      const booked = await mostVisitorsAhead(m, id, this.clock.now());
      if (u.capacity < booked)
        throw new DomainError(
          'CAPACITY',
          `Une visite prévue dans ce logement compte ${booked} visiteurs : la capacité ne peut pas être inférieure.`,
        );
      await updateUnit(m, id, u);
      await this.audit.record(
        { actor, action: 'FAMILY_UNIT_CHANGED', entityType: 'family_unit', entityId: id, establishmentId, before, after: u },
        m,
      );
    });
  }

  /** The case to book and the units of its kind. */
  async bookingForm(site: Site, caseId: string) {
    const db = this.dataSource.manager;
    const c = await bookableCase(db, site.id, caseId);
    if (!c) throw new DomainError('NOT_FOUND', 'Dossier introuvable.', 404);
    const units = (await unitsOf(db, site.id)).filter((u) => u.active && u.kind === c.kind);
    return { case: c, units, gone: custodyRefusal(c.custodyStatus, 'BOOK') };
  }

  /** How many slots the case's visit takes (2: a PF granted in two cumulated slots), to pick the booking form. */
  async caseSlots(site: Site, caseId: string): Promise<1 | 2> {
    const c = await bookableCase(this.dataSource.manager, site.id, caseId);
    if (!c) throw new DomainError('NOT_FOUND', 'Dossier introuvable.', 404);
    return c.grantedSlots;
  }

  /** How many slots a booked stay's visit takes, to pick the move form. */
  async staySlots(site: Site, id: string): Promise<1 | 2> {
    const s = await stayOf(this.dataSource.manager, site.id, id);
    if (!s) throw new DomainError('NOT_FOUND', 'Visite introuvable.', 404);
    return this.caseSlots(site, s.caseId);
  }

  /**
   * Books an authorised visit into a unit: the duration is the granted hours (for a PF granted in two
   * cumulated slots, the two slots and the break between them, one span in the unit), the number of
   * visitors the granted visitors. The database refuses an overlap in the unit and more visitors than
   * its capacity; both come back as a French refusal, never as an error page.
   */
  async book(actor: Actor, site: Site, caseId: string, input: { unitId: string } & StayRequest): Promise<string> {
    try {
      return await this.dataSource.transaction(async (m) => {
        const c = await bookableCase(m, site.id, caseId, true);
        if (!c) throw new DomainError('NOT_FOUND', 'Dossier introuvable.', 404);
        const gone = custodyRefusal(c.custodyStatus, 'BOOK');
        if (gone) throw new DomainError('DETAINEE_GONE', gone, 409);
        if (c.grantedVisitors === 0 || c.grantedHours === null)
          throw new DomainError('NOT_AUTHORISED', 'Aucune demande de visiteur n’est accordée pour ce dossier.', 409);
        const bad = durationProblem(c.kind, c.grantedHours);
        if (bad) throw new DomainError('DURATION', bad, 409);
        if (await caseHasStay(m, c.id))
          throw new DomainError('ALREADY_BOOKED', 'Cette visite est déjà réservée : une autorisation vaut pour une seule visite.', 409);
        // The unit locked for this booking: bookings of one unit run one after the other. Under a shared
        // lock, concurrent bookings on overlapping times waited on each other's rows in the exclusion
        // constraint and PostgreSQL broke the cycle with « deadlock detected » (an error page, not « occupé »).
        const unit = await unitOf(m, site.id, input.unitId, 'UPDATE');
        if (!unit || !unit.active || unit.kind !== c.kind)
          throw new DomainError('UNIT', `Choisissez un logement actif de type ${c.kind} de l’établissement.`);
        const t = this.timesOf({ grantedHours: c.grantedHours, grantedSlots: c.grantedSlots }, input, site);
        const unauthorised = authorisationProblem(c, t.to, site.timeZone);
        if (unauthorised) throw new DomainError(unauthorised.code, unauthorised.message, 409);
        const outside = wishedPeriodProblem(input.day, c, input.outsideWish === true);
        if (outside) throw new DomainError('OUTSIDE_WISH', outside);
        const exceptionalBy = await this.withinHours(m, actor, c.kind, t, site, input.exceptionalHours === true);
        await this.permitsValid(m, c.id, t, site, 'BOOK');
        await this.detaineeFree(m, c.detaineeId, t, null, site);
        const id = await insertStay(m, { caseId: c.id, unitId: unit.id, ...t, visitors: c.grantedVisitors });
        await this.audit.record(
          {
            actor,
            action: 'FAMILY_STAY_BOOKED',
            entityType: 'family_visit_stay',
            entityId: id,
            establishmentId: site.id,
            after: {
              caseId: c.id,
              unitId: unit.id,
              ...t,
              visitors: c.grantedVisitors,
              outsideWish: input.outsideWish === true,
              exceptionalHoursBy: exceptionalBy,
            },
          },
          m,
        );
        return id;
      });
    } catch (e) {
      throw stayRefusal(e) ?? e;
    }
  }

  /**
   * A family parlour within the visiting rooms' opening that day (or 07:00–20:00 when none is modelled),
   * or, outside them, with the head's exceptional permission (note DAP 2014, PF B.1) ticked by the head
   * or an agent holding a signature delegation in force today (still within the day); refused in French
   * otherwise. Returns who gave the exceptional permission when it was needed (« Prénom NOM, qualité »), else null.
   */
  private async withinHours(
    m: EntityManager,
    actor: Actor,
    kind: FamilyVisitKind,
    t: StayTimes,
    site: Site,
    exceptional: boolean,
  ): Promise<string | null> {
    if (kind !== 'PF') return null;
    const today = formatInTimeZone(this.clock.now(), site.timeZone, 'yyyy-MM-dd');
    const signatory = exceptional && actor.id ? await signatoryFor(m, site.id, actor.id, today) : null;
    const refused = exceptionalHoursRefusal(exceptional, signatory !== null);
    if (refused) throw new DomainError('EXCEPTIONAL', refused, 409);
    const day = formatInTimeZone(t.from, site.timeZone, 'yyyy-MM-dd');
    const hours = await visitingHours(m, site.id, day, Number(formatInTimeZone(t.from, site.timeZone, 'i')));
    if (!pfHoursProblem(t, hours, site.timeZone)) return null;
    const bad = pfHoursProblem(t, hours, site.timeZone, signatory !== null);
    if (bad) throw new DomainError('PF_HOURS', bad, 409);
    return signatory!.label;
  }

  /**
   * « L'accès à l'UVF est soumis à l'octroi préalable d'un permis de visite »: every GRANTED visitor's
   * permit must allow the whole stay as the permits compute its state now (not suspended, withdrawn, on
   * hold for the magistrate, expired or not yet valid); refused in French naming the visitor otherwise.
   */
  private async permitsValid(m: EntityManager, caseId: string, t: StayTimes, site: Site, change: 'BOOK' | 'MOVE') {
    const refusal = permitsRefusal(
      await stayVisitors(m, [caseId], true),
      stayDays({ startsAt: t.from, endsAt: t.to }, site.timeZone),
      change,
    );
    if (refusal) throw new DomainError('PERMIT', refusal, 409);
  }

  /**
   * One detainee in one place: refused, naming the other stay, when the detainee already has a stay
   * (not cancelled) meeting these times; the exclusion constraint family_visit_stays_detainee_no_overlap
   * refuses a booking made meanwhile by another transaction (stayRefusal).
   */
  private async detaineeFree(m: EntityManager, detaineeId: string, t: StayTimes, exceptStay: string | null, site: Site) {
    const other = await detaineeStayDuring(m, detaineeId, t.from, t.to, exceptStay);
    if (other) throw new DomainError('DETAINEE_TAKEN', detaineeTakenMessage(other, site.timeZone), 409);
  }

  /** The times asked, checked (two slots and their break for a PF so granted; the start not past), or a French refusal. */
  private timesOf(c: { grantedHours: number; grantedSlots: 1 | 2 }, input: StayRequest, site: Site): StayTimes {
    const planned = stayTimes(c, input, site.timeZone);
    if (!planned.ok) throw new DomainError(planned.code, planned.message);
    if (planned.times.from.getTime() < this.clock.now().getTime()) throw new DomainError('PAST', 'Le début de la visite est déjà passé.');
    return planned.times;
  }

  /** The case's priority data for the waiting list (no leave possible, the family's distance). */
  async priority(site: Site, caseId: string) {
    const c = await bookableCase(this.dataSource.manager, site.id, caseId);
    if (!c) throw new DomainError('NOT_FOUND', 'Dossier introuvable.', 404);
    return { case: c };
  }

  async setPriority(actor: Actor, site: Site, caseId: string, input: { noLeavePossible: boolean; distanceKm: number | null }) {
    const after = { noLeavePossible: input.noLeavePossible === true, distanceKm: input.distanceKm ?? null };
    const bad = distanceProblem(after.distanceKm);
    if (bad) throw new DomainError('DISTANCE', bad);
    await this.dataSource.transaction(async (m) => {
      const c = await bookableCase(m, site.id, caseId, true);
      if (!c) throw new DomainError('NOT_FOUND', 'Dossier introuvable.', 404);
      await setCasePriority(m, c.id, after);
      await this.audit.record(
        {
          actor,
          action: 'FAMILY_CASE_PRIORITY_CHANGED',
          entityType: 'family_visit_case',
          entityId: c.id,
          establishmentId: site.id,
          before: { noLeavePossible: c.noLeavePossible, distanceKm: c.distanceKm },
          after,
        },
        m,
      );
    });
  }

  /**
   * Cancels a stay still to come, with its reason: the unit is free again (the exclusion constraint
   * ignores cancelled stays) and the case is back among the visits to place.
   */
  async cancel(actor: Actor, site: Site, id: string, reason: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const s = await stayOf(m, site.id, id, true);
      if (!s) throw new DomainError('NOT_FOUND', 'Visite introuvable.', 404);
      const bad = changeProblem(s.status, 'CANCEL');
      if (bad) throw new DomainError('STATUS', bad, 409);
      const now = this.clock.now();
      // Another date is promised only if a new stay may be booked (the case locked, as a booking locks it).
      const c = await bookableCase(m, site.id, s.caseId, true);
      const rebook = c !== null && rebookPossible(c, formatInTimeZone(now, site.timeZone, 'yyyy-MM-dd'));
      await setStayStatus(m, id, 'CANCELLED', now, reason);
      await insertCaseEvent(m, {
        caseId: s.caseId,
        kind: 'STAY_CANCELLED',
        message: `Visite du ${label(s.startsAt, site.timeZone)} en ${s.unitName} annulée : ${reason}. ${rebook ? 'La visite est à placer de nouveau.' : 'Aucune nouvelle visite ne peut être réservée au titre de ce dossier.'}`,
        at: now,
        agentId: actor.id ?? null,
        visibleToFamily: false,
      });
      await this.tellFamilies(
        m,
        actor,
        site,
        s,
        now,
        {
          change: 'CANCELLED',
          before: whenLabel(s.startsAt, site.timeZone),
          unit: s.unitName,
          zone: zoneNote(site.timeZone),
          reason,
          rebook,
        },
        whenShort(s.startsAt, site.timeZone),
      );
      await this.audit.record(
        {
          actor,
          action: 'FAMILY_STAY_CANCELLED',
          entityType: 'family_visit_stay',
          entityId: id,
          establishmentId: site.id,
          before: { status: s.status, unitId: s.unitId, from: s.startsAt, to: s.endsAt, breakFrom: s.breakFrom, breakTo: s.breakTo },
          after: { status: 'CANCELLED', reason, rebook },
        },
        m,
      );
    });
  }

  /**
   * Tells each family account holding a GRANTED request of the stay's case that the stay is moved or
   * cancelled: a line of the history it reads on its request's page, an e-mail, and a short SMS to a
   * family with a mobile phone (the new day and times, or the cancellation; the reason stays in the
   * e-mail and the history), in the caller's transaction (they exist if and only if the change is
   * committed). `sms` is the SMS's « when »: the new times of a moved stay, the old start of a cancelled one.
   */
  private async tellFamilies(
    m: EntityManager,
    actor: Actor,
    site: Site,
    s: StayRow,
    now: Date,
    n: StayChangeNotice,
    sms: string,
    after?: StayTimes,
  ): Promise<void> {
    const message = stayChangeMessage(n);
    // The instants, the clock and the kind too: the messages are written in the family's language from them.
    const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
    const instants = {
      kind: s.kind,
      timeZone: site.timeZone,
      beforeAt: iso(s.startsAt),
      fromAt: iso(after?.from),
      toAt: iso(after?.to),
      breakFromAt: iso(after?.breakFrom),
      breakToAt: iso(after?.breakTo),
    };
    const kind = n.change === 'MOVED' ? 'STAY_MOVED' : 'STAY_CANCELLED';
    const template = n.change === 'MOVED' ? 'family-visit-stay-moved' : 'family-visit-stay-cancelled';
    const base = {
      template,
      category: 'TRANSACTIONAL' as const,
      entity: { type: 'family_visit_stay', id: s.id },
      establishmentId: site.id,
    };
    for (const f of await familiesToTell(m, s.caseId)) {
      await insertFamilyEvent(m, { caseId: s.caseId, requestId: f.requestId, kind, message, at: now, agentId: actor.id ?? null });
      if (f.email)
        await this.notifications.enqueue(
          m,
          {
            ...base,
            channel: 'EMAIL',
            to: f.email,
            data: {
              reference: s.reference,
              place: VISIT_PLACE[s.kind],
              detainee: s.detaineeName,
              establishmentName: f.establishmentName,
              message,
              ...n,
              ...instants,
              followUrl: n.change === 'MOVED' ? `/uvf/sejours/${s.id}` : `/uvf/demandes/${f.requestId}`,
            },
          },
          now,
        );
      // A number typed before it was checked is skipped: the change never fails for it.
      if (f.mobilePhone && normalizePhone(f.mobilePhone))
        await this.notifications.enqueue(
          m,
          {
            ...base,
            channel: 'SMS',
            to: f.mobilePhone,
            data: { place: VISIT_PLACE[s.kind], when: sms, rebook: n.change === 'CANCELLED' && n.rebook, followUrl: '/uvf', ...instants },
          },
          now,
        );
    }
  }

  /** The stay to move and the units it may go to (active, of the same kind). */
  async moveForm(site: Site, id: string) {
    const db = this.dataSource.manager;
    const { stay } = await this.stay(site, id);
    const units = (await unitsOf(db, site.id)).filter((u) => u.active && u.kind === stay.kind);
    const c = await bookableCase(db, site.id, stay.caseId);
    return {
      stay,
      units,
      grantedHours: c?.grantedHours ?? null,
      grantedSlots: c?.grantedSlots ?? 1,
      wish: c ? { from: c.wishedFrom, to: c.wishedTo } : null,
    };
  }

  /**
   * Moves a stay still to come to another unit of the same kind and/or another start, for the case's
   * granted duration (a PF in two cumulated slots: both slots and the break again, checked as at
   * booking). One statement in one transaction: if the database refuses the new slot (overlap,
   * capacity), the stay keeps its old one. Both units are locked (in a fixed order) so that moves and
   * unit changes touching them queue instead of deadlocking; bookings share the lock.
   */
  async moveStay(actor: Actor, site: Site, id: string, input: { unitId: string } & StayRequest): Promise<void> {
    try {
      await this.dataSource.transaction(async (m) => {
        const s = await stayOf(m, site.id, id, true);
        if (!s) throw new DomainError('NOT_FOUND', 'Visite introuvable.', 404);
        const bad = changeProblem(s.status, 'MOVE');
        if (bad) throw new DomainError('STATUS', bad, 409);
        const c = await bookableCase(m, site.id, s.caseId, true);
        if (!c || c.grantedHours === null)
          throw new DomainError('NOT_AUTHORISED', 'Aucune demande de visiteur n’est accordée pour ce dossier.', 409);
        const gone = custodyRefusal(c.custodyStatus, 'MOVE');
        if (gone) throw new DomainError('DETAINEE_GONE', gone, 409);
        for (const unitId of [...new Set([s.unitId, input.unitId])].sort()) await unitOf(m, site.id, unitId, 'UPDATE');
        const unit = await unitOf(m, site.id, input.unitId);
        if (!unit || !unit.active || unit.kind !== s.kind)
          throw new DomainError('UNIT', `Choisissez un logement actif de type ${s.kind} de l’établissement.`);
        const t = this.timesOf({ grantedHours: c.grantedHours, grantedSlots: c.grantedSlots }, input, site);
        const unauthorised = authorisationProblem(c, t.to, site.timeZone);
        if (unauthorised) throw new DomainError(unauthorised.code, unauthorised.message, 409);
        // A new day outside the wished period is agreed with the family, as at booking; the stay's own day was already.
        const sameDay = input.day === formatInTimeZone(s.startsAt, site.timeZone, 'yyyy-MM-dd');
        const outside = wishedPeriodProblem(input.day, c, sameDay || input.outsideWish === true, 'MOVE');
        if (outside) throw new DomainError('OUTSIDE_WISH', outside);
        const same = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);
        if (
          unit.id === s.unitId &&
          same(t.from, s.startsAt) &&
          same(t.to, s.endsAt) &&
          same(t.breakFrom, s.breakFrom) &&
          same(t.breakTo, s.breakTo)
        )
          throw new DomainError(
            'SAME',
            'La visite est déjà prévue dans ce logement à cette heure : choisissez un autre logement ou un autre horaire.',
          );
        const exceptionalBy = await this.withinHours(m, actor, s.kind, t, site, input.exceptionalHours === true);
        await this.permitsValid(m, s.caseId, t, site, 'MOVE');
        await this.detaineeFree(m, s.detaineeId, t, s.id, site);
        await moveStaySlot(m, id, unit.id, t);
        const now = this.clock.now();
        const pause = breakNote(t, site.timeZone);
        await insertCaseEvent(m, {
          caseId: s.caseId,
          kind: 'STAY_MOVED',
          message: `Visite déplacée du ${label(s.startsAt, site.timeZone)} en ${s.unitName} au ${label(t.from, site.timeZone)} en ${unit.name}${pause ? ` (${pause})` : ''}.`,
          at: now,
          agentId: actor.id ?? null,
          visibleToFamily: false,
        });
        await this.tellFamilies(
          m,
          actor,
          site,
          s,
          now,
          {
            change: 'MOVED',
            before: whenLabel(s.startsAt, site.timeZone),
            from: whenLabel(t.from, site.timeZone),
            to: whenLabel(t.to, site.timeZone),
            unit: unit.name,
            zone: zoneNote(site.timeZone),
            breakFrom: t.breakFrom ? hourLabel(t.breakFrom, site.timeZone) : null,
            breakTo: t.breakTo ? hourLabel(t.breakTo, site.timeZone) : null,
          },
          stayWhenShort(t, site.timeZone),
          t,
        );
        await this.audit.record(
          {
            actor,
            action: 'FAMILY_STAY_MOVED',
            entityType: 'family_visit_stay',
            entityId: id,
            establishmentId: site.id,
            before: { unitId: s.unitId, from: s.startsAt, to: s.endsAt, breakFrom: s.breakFrom, breakTo: s.breakTo },
            after: { unitId: unit.id, ...t, outsideWish: input.outsideWish === true, exceptionalHoursBy: exceptionalBy },
          },
          m,
        );
      });
    } catch (e) {
      throw stayRefusal(e) ?? e;
    }
  }

  /**
   * The family's page of its stay: only for a family account holding a GRANTED request of the stay's
   * case (404 otherwise). Times on the establishment's clock; what to bring and what is forbidden
   * (note DAP 2014), then the unit's own rules.
   */
  async familyStay(familyAccountId: string, id: string) {
    const s = await familyStayOf(this.dataSource.manager, familyAccountId, id);
    if (!s) throw new DomainError('NOT_FOUND', 'Visite introuvable.', 404);
    const breakTimes = s.breakFrom && s.breakTo ? { from: hourIn(s.breakFrom, s.timeZone), to: hourIn(s.breakTo, s.timeZone) } : null;
    return {
      stay: {
        ...s,
        fromLabel: whenIn(s.startsAt, s.timeZone),
        toLabel: whenIn(s.endsAt, s.timeZone),
        breakTimes,
        houseRulesLines: (s.houseRules ?? '')
          .split('\n')
          .map((l) => l.trim())
          .filter((l) => l !== ''),
      },
      // A stay booked with a break is in two slots, whatever was granted; one booked without keeps the grant's word.
      guide: stayGuide(s.kind, breakTimes ? 2 : s.grantedSlots, breakTimes),
    };
  }

  /** The stays the family may see (as `familyStay`), latest first: its « Mes visites et rendez-vous » lists them. */
  familyStays(familyAccountId: string): Promise<FamilyStayListRow[]> {
    return familyStaysOf(this.dataSource.manager, familyAccountId);
  }

  /** The week of `day` (Monday to Sunday, the establishment's time zone), per unit, and the ranked waiting list. */
  async planning(site: Site, day: string | undefined) {
    const db = this.dataSource.manager;
    const today = formatInTimeZone(this.clock.now(), site.timeZone, 'yyyy-MM-dd');
    const ref = new Date(`${day ?? today}T12:00:00Z`);
    const monday = addDays(ref, -((ref.getUTCDay() + 6) % 7));
    const days = Array.from({ length: 7 }, (_, i) => addDays(monday, i).toISOString().slice(0, 10));
    const from = localInstant(days[0], '00:00', site.timeZone);
    const to = localInstant(addDays(monday, 7).toISOString().slice(0, 10), '00:00', site.timeZone);
    const [units, stays, waiting] = await Promise.all([
      unitsOf(db, site.id),
      staysBetween(db, site.id, from, to),
      waitingCases(db, site.id),
    ]);
    const door = await this.door(db, stays, site);
    const fmt = (d: Date) => formatInTimeZone(d, site.timeZone, 'dd/MM HH:mm');
    const rows = units
      .filter((u) => u.active)
      .map((u) => ({
        ...u,
        days: days.map((d) => {
          const start = localInstant(d, '00:00', site.timeZone);
          const end = new Date(start.getTime() + 86400_000);
          return stays
            .filter((s) => s.unitId === u.id && s.startsAt < end && s.endsAt > start)
            .map((s) => ({
              id: s.id,
              detaineeName: s.detaineeName,
              visitors: s.visitors,
              from: fmt(s.startsAt),
              to: fmt(s.endsAt),
              pause: breakNote(s, site.timeZone),
              review: door.get(s.id)!.review,
            }));
        }),
      }));
    const ranked = rankWaitingList(waiting).map((w, i) => ({
      ...w,
      rank: i + 1,
      reasons: priorityReasons(w),
      gone: custodyRefusal(w.custodyStatus, 'BOOK'),
    }));
    return {
      days,
      rows,
      waiting: ranked,
      previous: addDays(monday, -7).toISOString().slice(0, 10),
      next: addDays(monday, 7).toISOString().slice(0, 10),
    };
  }

  /**
   * Today's stays (establishment's day) with the « fin dans 15 minutes » flag, before the end and,
   * for a PF in two slots, before the break; the break (« pause : visiteurs sortis de … à … »).
   */
  async today(site: Site) {
    const now = this.clock.now();
    const day = formatInTimeZone(now, site.timeZone, 'yyyy-MM-dd');
    const from = localInstant(day, '00:00', site.timeZone);
    const stays = await staysBetween(this.dataSource.manager, site.id, from, new Date(from.getTime() + 86400_000));
    const door = await this.door(this.dataSource.manager, stays, site);
    return stays.map((s) => ({ ...s, ...this.clockFlags(s, now, site), ...door.get(s.id)!, endLabel: label(s.endsAt, site.timeZone) }));
  }

  /**
   * Who may enter each stay (the GRANTED visitors with the permit photo, a minor's adult, a UVF child's
   * exit time and carer, a permit no longer valid) and what to review before a stay to come (the
   * detainee gone, the magistrate's authorisation withdrawn or ended, a permit no longer valid),
   * computed now from the permits, the authorisations and the custody status.
   */
  private async door(db: EntityManager, stays: StayRow[], site: Site): Promise<Map<string, { entrants: DoorVisitor[]; review: string[] }>> {
    const rows = stays.length ? await stayVisitors(db, [...new Set(stays.map((s) => s.caseId))]) : [];
    return new Map(
      stays.map((s) => {
        const entrants = doorVisitors(
          s.kind,
          rows.filter((r) => r.caseId === s.caseId),
          s,
          site.timeZone,
        );
        return [s.id, { entrants, review: reviewReasons(s, entrants, site.timeZone) }];
      }),
    );
  }

  /** What the agents are warned of at `now`: the end or the break within 15 minutes, the visitors out for the break. */
  private clockFlags(s: StayRow, now: Date, site: Site) {
    return { endsSoon: endsSoon(s, now), breakSoon: breakSoon(s, now), onBreak: onBreak(s, now), pause: breakNote(s, site.timeZone) };
  }

  async stay(site: Site, id: string) {
    const s = await stayOf(this.dataSource.manager, site.id, id);
    if (!s) throw new DomainError('NOT_FOUND', 'Visite introuvable.', 404);
    const events = await stayEvents(this.dataSource.manager, id);
    const door = await this.door(this.dataSource.manager, [s], site);
    const today = formatInTimeZone(this.clock.now(), site.timeZone, 'yyyy-MM-dd');
    return {
      deciders: await signatoriesOf(this.dataSource.manager, site.id, today),
      stay: {
        ...s,
        ...this.clockFlags(s, this.clock.now(), site),
        ...door.get(s.id)!,
        fromLabel: label(s.startsAt, site.timeZone),
        toLabel: label(s.endsAt, site.timeZone),
      },
      events: events.map((e) => ({ ...e, atLabel: label(e.at, site.timeZone) })),
    };
  }

  /**
   * An entry of the stay's registers (inventory, belongings, presence control, round, report), by the
   * agent, now. An intervention records its cause and, on an incident or a suspicion (the cause when none
   * is given), who decided it: the agent named, or else the agent recording it, who must be the head or
   * hold a signature delegation in force that day (note DAP 2014, UVF D.2.c).
   */
  async record(
    actor: Actor,
    site: Site,
    id: string,
    kind: Exclude<StayEventKind, 'EARLY_END'>,
    notes: string,
    asked: { cause?: InterventionCause; decidedBy?: string } = {},
  ): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const s = await stayOf(m, site.id, id, true);
      if (!s) throw new DomainError('NOT_FOUND', 'Visite introuvable.', 404);
      const bad = eventProblem(s.status, kind);
      if (bad) throw new DomainError('STATUS', bad, 409);
      const now = this.clock.now();
      const intervention = kind === 'INTERVENTION' ? await this.interventionOf(m, actor, site, now, asked) : null;
      const eventId = await insertStayEvent(m, { stayId: id, kind, at: now, agentId: actor.id!, notes, intervention });
      // A prévenu's visit: the magistrate who authorised it is told of any incident or intervention (note DAP 2014, B).
      const reportId =
        kind === 'INCIDENT' || kind === 'INTERVENTION'
          ? await reportIncidentToMagistrate(m, this.audit, { ...actor, id: actor.id! }, id, { at: now, notes })
          : null;
      await this.audit.record(
        {
          actor,
          action: `FAMILY_STAY_${kind}`,
          entityType: 'family_visit_stay',
          entityId: id,
          establishmentId: site.id,
          after: {
            eventId,
            notes,
            ...(intervention ? { interventionCause: intervention.cause, decidedBy: intervention.decidedBy } : {}),
            ...(reportId ? { reportedToMagistrate: reportId } : {}),
          },
        },
        m,
      );
    });
  }

  /** An intervention's cause and decider, checked (see record). */
  private async interventionOf(
    m: EntityManager,
    actor: Actor,
    site: Site,
    now: Date,
    asked: { cause?: InterventionCause; decidedBy?: string },
  ): Promise<{ cause: InterventionCause; decidedBy: string | null }> {
    const cause = asked.cause ?? 'INCIDENT';
    if (cause === 'CALL') return { cause, decidedBy: null };
    const decider = asked.decidedBy ?? actor.id ?? null;
    const day = formatInTimeZone(now, site.timeZone, 'yyyy-MM-dd');
    const signatory = decider ? await signatoryFor(m, site.id, decider, day) : null;
    const bad = interventionProblem(cause, { named: asked.decidedBy !== undefined, signatory: signatory !== null });
    if (bad) throw new DomainError('DECIDER', bad);
    return { cause, decidedBy: decider };
  }

  /**
   * Start (IN_PROGRESS), end (ENDED) or early end at request or for security (ENDED_EARLY, final). A
   * start is refused in French (409) when the detainee has left, the magistrate's authorisation was
   * withdrawn or ended before the stay's last day, or a visitor's permit no longer allows it: checked
   * under the case's lock (the magistrate's follow-up takes it too) and the permits' share lock.
   */
  async move(actor: Actor, site: Site, id: string, next: 'IN_PROGRESS' | 'ENDED' | 'ENDED_EARLY', reason?: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const s = await stayOf(m, site.id, id, true);
      if (!s) throw new DomainError('NOT_FOUND', 'Visite introuvable.', 404);
      const bad = transitionProblem(s.status, next);
      if (bad) throw new DomainError('STATUS', bad, 409);
      if (next === 'IN_PROGRESS') {
        const c = await bookableCase(m, site.id, s.caseId, true);
        if (!c) throw new DomainError('NOT_FOUND', 'Visite introuvable.', 404);
        const refused = startRefusal(
          {
            startsAt: s.startsAt,
            endsAt: s.endsAt,
            custodyStatus: c.custodyStatus,
            authorisedUntil: c.authorisedUntil,
            authorisationWithdrawnOn: c.authorisationWithdrawnOn,
          },
          await stayVisitors(m, [s.caseId], true),
          site.timeZone,
        );
        if (refused) throw new DomainError('CANNOT_START', refused, 409);
      }
      const now = this.clock.now();
      const ended = next === 'IN_PROGRESS' ? null : now;
      await setStayStatus(m, id, next, ended, next === 'ENDED_EARLY' ? (reason ?? null) : null);
      if (next === 'ENDED_EARLY') await insertStayEvent(m, { stayId: id, kind: 'EARLY_END', at: now, agentId: actor.id!, notes: reason! });
      // A prévenu's visit ended for security: the magistrate is told and asked to maintain or cancel his authorisation (note DAP 2014).
      if (next === 'ENDED_EARLY')
        await reportEarlyEndToMagistrate(m, this.audit, { ...actor, id: actor.id! }, id, { at: now, reason: reason! });
      await this.audit.record(
        {
          actor,
          action: { IN_PROGRESS: 'FAMILY_STAY_STARTED', ENDED: 'FAMILY_STAY_ENDED', ENDED_EARLY: 'FAMILY_STAY_ENDED_EARLY' }[next],
          entityType: 'family_visit_stay',
          entityId: id,
          establishmentId: site.id,
          before: { status: s.status },
          after: { status: next, reason: reason ?? null },
        },
        m,
      );
    });
  }
}

/** A date and time on the establishment's clock. */
function label(d: Date, timeZone: string): string {
  return formatInTimeZone(d, timeZone, "dd/MM/yyyy 'à' HH:mm");
}

/** The database's refusals of a stay, in plain French. */
export function stayRefusal(e: unknown): DomainError | null {
  if (!(e instanceof QueryFailedError)) return null;
  const driver = (e as { driverError?: { code?: string; constraint?: string; message?: string } }).driverError;
  if (driver?.code === '23P01' && driver.constraint === 'family_visit_stays_no_overlap')
    return new DomainError('UNIT_TAKEN', 'Ce logement est déjà occupé sur cette période.', 409);
  if (driver?.code === '23P01' && driver.constraint === 'family_visit_stays_detainee_no_overlap')
    return new DomainError('DETAINEE_TAKEN', detaineeTakenMessage(null, 'UTC'), 409);
  const capacity = /^family_visit_stays_capacity: (\d+) visitors for a unit of (\d+)/.exec(driver?.message ?? '');
  if (driver?.code === '23514' && capacity)
    return new DomainError(
      'OVER_CAPACITY',
      `Ce logement accueille au plus ${capacity[2]} visiteur(s) : la visite en compte ${capacity[1]}. Choisissez un logement plus grand.`,
      409,
    );
  return null;
}

export type { FamilyVisitKind };
