import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An establishment's booking settings (migrations Visits, VisitDay, VisitRules); without a row the defaults of visit.rules.ts apply. */
@Entity('visit_settings')
export class VisitSettingsEntity {
  @PrimaryColumn({ name: 'establishment_id', type: 'uuid' }) establishmentId!: string;
  @Column({ name: 'min_notice_hours', type: 'integer', default: 24 }) minNoticeHours!: number;
  @Column({ name: 'horizon_days', type: 'integer', default: 28 }) horizonDays!: number;
  @Column({ name: 'cancel_deadline_hours', type: 'integer', default: 24 }) cancelDeadlineHours!: number;
  @Column({ name: 'max_adults', type: 'integer', default: 3 }) maxAdults!: number;
  @Column({ name: 'max_children', type: 'integer', default: 3 }) maxChildren!: number;
  /** Weekly caps, never below the law's floors (check constraints; WEEKLY_FLOORS in visit.rules.ts). */
  @Column({ name: 'weekly_prevenu', type: 'integer', default: 3 }) weeklyPrevenu!: number;
  @Column({ name: 'weekly_condamne', type: 'integer', default: 1 }) weeklyCondamne!: number;
  @Column({ name: 'online_booking', type: 'boolean', default: true }) onlineBooking!: boolean;
  @Column({ name: 'open_on_holidays', type: 'boolean', default: false }) openOnHolidays!: boolean;
  @Column({ name: 'waitlist_offer_hours', type: 'integer', default: 12 }) waitlistOfferHours!: number;
}
