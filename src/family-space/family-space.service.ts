import { Injectable } from '@nestjs/common';
import { AppointmentsService } from '../appointments/appointments.service';
import { Clock } from '../common/clock';
import type { PracticalInfo } from '../establishments/establishment-info.rules';
import { EstablishmentsService } from '../establishments/establishments.service';
import { FamiliesService } from '../families/families.service';
import type { FamilyAccount } from '../families/family-account.entity';
import { UnitsService } from '../family-visits/units.service';
import { type MyPermit, PermitClaimsService } from '../permits/permit-claims.service';
import type { RequestRow } from '../permits/permit-request.queries';
import { PermitRequestsService } from '../permits/permit-requests.service';
import { VisitReadService } from '../visits/visit-read.service';
import { type FamilyEntry, WaitlistService } from '../visits/waitlist.service';
import { agenda, type AgendaItem, lateChangeNote } from './agenda.rules';

/** How many of the next visits and appointments « Mon espace » shows before « Voir tout ». */
export const NEXT_ON_HOME = 3;

/** Requests the family still follows: being written, sent, missing documents, ready for decision. */
const OPEN_REQUESTS: readonly RequestRow['status'][] = ['DRAFT', 'SUBMITTED', 'INCOMPLETE', 'READY'];

/** Permits worth showing first: not withdrawn, not expired. */
const CURRENT_PERMITS: readonly MyPermit['state'][] = ['ACTIVE', 'NOT_YET_VALID', 'ON_HOLD', 'SUSPENDED'];

export interface FamilyAgenda {
  upcoming: (AgendaItem & { practical: PracticalInfo | null })[];
  past: AgendaItem[];
  /** Waiting-list entries (waiting, or a place offered). */
  waitlist: FamilyEntry[];
  /** The parloirs to call after the online cancellation delay, with their numbers (those that published one). */
  parloirPhones: PracticalInfo[];
}

export interface FamilyOverview {
  account: FamilyAccount;
  /** The next visits and appointments, soonest first, at most NEXT_ON_HOME. */
  next: AgendaItem[];
  /** How many more are to come beyond them. */
  moreUpcoming: number;
  /** Places offered from a waiting list: an answer is due. */
  offers: FamilyEntry[];
  requests: RequestRow[];
  permits: MyPermit[];
}

/**
 * The family's overview pages, composed of the other modules' reads (no table of its own): « Mes
 * visites et rendez-vous » (visits, UVF / PF stays, interviews, video calls in one list) and « Mon
 * espace » (what the family came for first, its identity below).
 */
@Injectable()
export class FamilySpaceService {
  constructor(
    private readonly families: FamiliesService,
    private readonly appointments: AppointmentsService,
    private readonly visits: VisitReadService,
    private readonly waitlist: WaitlistService,
    private readonly units: UnitsService,
    private readonly requests: PermitRequestsService,
    private readonly permits: PermitClaimsService,
    private readonly clock: Clock,
    private readonly establishments: EstablishmentsService,
  ) {}

  async agenda(familyId: string): Promise<FamilyAgenda> {
    const visits = await this.visits.familyVisits(familyId);
    const appointments = await this.appointments.listForFamily(familyId);
    const stays = await this.units.familyStays(familyId);
    const waitlist = await this.waitlist.forFamily(familyId);
    const { upcoming, past } = agenda({ visits, appointments, stays }, this.clock.now());
    // Each visit's establishment: its parloir phone and practical information page, on the card and below the list.
    const practical = await this.establishments.practicalFor(upcoming.flatMap((i) => (i.establishmentId ? [i.establishmentId] : [])));
    return {
      upcoming: upcoming.map((i) => {
        const p = (i.establishmentId && practical.get(i.establishmentId)) || null;
        // "Call the parloir" always comes with its number.
        return { ...i, note: i.kind === 'VISIT' && i.note ? lateChangeNote(p?.phone?.e164 ?? null) : i.note, practical: p };
      }),
      past,
      waitlist,
      parloirPhones: [...practical.values()].filter((i) => i.phone),
    };
  }

  async overview(familyId: string): Promise<FamilyOverview> {
    const account = await this.families.account(familyId);
    const { upcoming, waitlist } = await this.agenda(familyId);
    const requests = (await this.requests.listForFamily(familyId)).filter((r) => OPEN_REQUESTS.includes(r.status));
    const permits = (await this.permits.familyPermits(familyId)).filter((p) => CURRENT_PERMITS.includes(p.state));
    return {
      account,
      next: upcoming.slice(0, NEXT_ON_HOME),
      moreUpcoming: Math.max(0, upcoming.length - NEXT_ON_HOME),
      offers: waitlist.filter((w) => w.status === 'OFFERED'),
      requests,
      permits,
    };
  }
}
