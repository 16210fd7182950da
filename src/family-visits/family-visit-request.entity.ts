import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type FamilyVisitApplicant = 'DETAINEE' | 'VISITOR';
export type FamilyVisitChannel = 'ONLINE' | 'LETTER' | 'EMAIL' | 'IN_PERSON';
export type FamilyVisitRequestStatus = 'RECEIVED' | 'GRANTED' | 'REFUSED' | 'IMPLICITLY_REJECTED' | 'REFERRED' | 'WITHDRAWN';
export type FamilyVisitRefusalGround = 'GOOD_ORDER' | 'SECURITY' | 'CRIME_PREVENTION' | 'ARCHITECTURE' | 'CHILD_INTEREST';

/**
 * One applicant's written request in a case: the detainee's (entered by staff with its date of
 * receipt) or a visitor's (online, or entered by staff from a letter or an e-mail; the visitor holds a
 * permit for the detainee). Each is autonomous: its own instruction, decision and notification.
 */
@Entity('family_visit_requests')
export class FamilyVisitRequest {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'case_id', type: 'uuid' }) caseId!: string;
  @Column({ type: 'text' }) applicant!: FamilyVisitApplicant;
  /** The visitor's visit permit (a visitor only). */
  @Column({ name: 'permit_id', type: 'uuid', nullable: true }) permitId!: string | null;
  /** The family account that filed it online, or that holds the permit. */
  @Column({ name: 'family_account_id', type: 'uuid', nullable: true }) familyAccountId!: string | null;
  @Column({ type: 'text' }) channel!: FamilyVisitChannel;
  /** The date of receipt: the 2-month decision delay runs from it. */
  @Column({ name: 'received_at', type: 'timestamptz' }) receivedAt!: Date;
  /** This request's own wished period and duration (the case keeps the first request's). */
  @Column({ name: 'wished_from', type: 'date' }) wishedFrom!: string;
  @Column({ name: 'wished_to', type: 'date' }) wishedTo!: string;
  @Column({ name: 'wished_hours', type: 'integer' }) wishedHours!: number;
  @Column({ type: 'text', default: 'RECEIVED' }) status!: FamilyVisitRequestStatus;
  /** When the applicant withdrew the request (as the letter or the family's page says): status WITHDRAWN. */
  @Column({ name: 'withdrawn_at', type: 'timestamptz', nullable: true }) withdrawnAt!: Date | null;
  /** The applicant signed that they know and accept the unit's rules. */
  @Column({ name: 'rules_acknowledged_at', type: 'timestamptz', nullable: true }) rulesAcknowledgedAt!: Date | null;
  /** A minor visitor: the request of the adult who accompanies them. */
  @Column({ name: 'accompanied_by', type: 'uuid', nullable: true }) accompaniedBy!: string | null;
  /** UVF, a minor: the child's exit time (daytime) and who then looks after the child, as the consent sets them. */
  @Column({ name: 'child_exit_time', type: 'time', nullable: true }) childExitTime!: string | null;
  @Column({ name: 'child_carer', type: 'text', nullable: true }) childCarer!: string | null;
  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true }) decidedAt!: Date | null;
  @Column({ name: 'decided_by', type: 'uuid', nullable: true }) decidedBy!: string | null;
  @Column({ name: 'decided_as', type: 'text', nullable: true }) decidedAs!: string | null;
  /** A refusal's facts, apart from its motivation (both printed in the letter). */
  @Column({ name: 'decision_facts', type: 'text', nullable: true }) decisionFacts!: string | null;
  @Column({ name: 'decision_motivation', type: 'text', nullable: true }) decisionMotivation!: string | null;
  @Column({ name: 'refusal_ground', type: 'text', nullable: true }) refusalGround!: FamilyVisitRefusalGround | null;
  @Column({ name: 'granted_hours', type: 'integer', nullable: true }) grantedHours!: number | null;
  /** PF: one slot or two cumulated (lunch break outside); null for a UVF. */
  @Column({ name: 'granted_slots', type: 'smallint', nullable: true }) grantedSlots!: 1 | 2 | null;
  /** A prévenu's request: the decision is the magistrate's, recorded as it came back. */
  @Column({ name: 'decided_by_magistrate', type: 'boolean', default: false }) decidedByMagistrate!: boolean;
  @Column({ name: 'magistrate_answer', type: 'text', nullable: true }) magistrateAnswer!: 'PERMANENT' | 'TEMPORARY' | 'REFUSED' | null;
  /**
   * The last day the magistrate's authorisation runs (AAAA-MM-JJ): the end of a temporary one; on a
   * request the head granted within an earlier authorisation, that authorisation's end; after a
   * withdrawal, the day before it. Null: no end.
   */
  @Column({ name: 'magistrate_until', type: 'date', nullable: true }) magistrateUntil!: string | null;
  /** A recourse against the decision is recorded: the documents are kept whatever the retention period (docs/retention.md). */
  @Column({ name: 'litigation_hold_since', type: 'timestamptz', nullable: true }) litigationHoldSince!: Date | null;
  @Column({ name: 'litigation_note', type: 'text', nullable: true }) litigationNote!: string | null;
  /** A prévenu's request the head granted within the magistrate's authorisation held by this earlier request. */
  @Column({ name: 'reused_authorisation_from', type: 'uuid', nullable: true }) reusedAuthorisationFrom!: string | null;
  /** On a request holding a magistrate's authorisation: his decision after an incident, maintained or withdrawn, and its date. */
  @Column({ name: 'authorisation_followup', type: 'text', nullable: true }) authorisationFollowup!: 'MAINTAINED' | 'WITHDRAWN' | null;
  @Column({ name: 'authorisation_followup_on', type: 'date', nullable: true }) authorisationFollowupOn!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
