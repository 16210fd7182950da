import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type PermitLetterKind =
  | 'ACKNOWLEDGEMENT'
  | 'REFUSAL'
  | 'GRANT'
  | 'REEXAMINATION'
  | 'INTENDED_MEASURE'
  | 'SUSPENSION'
  | 'WITHDRAWAL'
  | 'REFERRAL'
  | 'CLAIM_CODE'
  /** A decision restricting a permit's limits or conditions. */
  | 'CONDITIONS'
  /** UVF / PF (family-visits module): decisions, transmission to the magistrate, notice to the JAP, incident report. */
  | 'FV_GRANT'
  | 'FV_REFUSAL'
  | 'FV_IMPLICIT_REJECTION'
  | 'FV_REFERRAL'
  | 'FV_MAGISTRATE_DECISION'
  | 'FV_JAP_NOTICE'
  | 'FV_INCIDENT';

/**
 * A letter issued about a permit request, a permit or a UVF / PF case (the establishment's register of
 * outgoing letters), kept as issued (its text fields in `body`, its author
 * as signed): the PDF is drawn from this record, identically each time. A family sees the letters
 * addressed to its account; a letter without an account is printed and posted.
 */
@Entity('letters')
export class PermitLetter {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'establishment_id', type: 'uuid' }) establishmentId!: string;
  @Column({ name: 'request_id', type: 'uuid', nullable: true }) requestId!: string | null;
  @Column({ name: 'permit_id', type: 'uuid', nullable: true }) permitId!: string | null;
  @Column({ name: 'measure_id', type: 'uuid', nullable: true }) measureId!: string | null;
  @Column({ name: 'family_account_id', type: 'uuid', nullable: true }) familyAccountId!: string | null;
  @Column({ name: 'family_visit_case_id', type: 'uuid', nullable: true }) familyVisitCaseId!: string | null;
  @Column({ name: 'family_visit_request_id', type: 'uuid', nullable: true }) familyVisitRequestId!: string | null;
  @Column({ type: 'text' }) kind!: PermitLetterKind;
  @Column({ type: 'text' }) title!: string;
  @Column({ type: 'text' }) addressee!: string;
  @Column({ type: 'text', nullable: true }) author!: string | null;
  @Column({ type: 'jsonb' }) body!: unknown;
  @Column({ name: 'issued_at', type: 'timestamptz', default: () => 'now()' }) issuedAt!: Date;
}
