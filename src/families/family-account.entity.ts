import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A family member's account: the FranceConnect identity, stored as received and shown read-only. */
@Entity('family_accounts')
export class FamilyAccount {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'fc_subject', type: 'text', unique: true }) fcSubject!: string;
  @Column({ name: 'given_name', type: 'text' }) givenName!: string;
  @Column({ name: 'family_name', type: 'text' }) familyName!: string;
  @Column({ type: 'date', nullable: true }) birthdate!: string | null;
  @Column({ type: 'text', nullable: true }) email!: string | null;
  /** Mobile number for SMS reminders and codes, E.164; typed by the family (FranceConnect has none). */
  @Column({ name: 'mobile_phone', type: 'text', nullable: true }) mobilePhone!: string | null;
  /** The family side's language for its pages and messages (fr, en, ar, es); null until known (French then). */
  @Column({ type: 'text', nullable: true }) language!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'last_sign_in_at', type: 'timestamptz', nullable: true }) lastSignInAt!: Date | null;
  /** Closed by the family (« Mes données »): no session opens it and its contact details are erased; a new sign-in reopens it. */
  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true }) closedAt!: Date | null;
}
