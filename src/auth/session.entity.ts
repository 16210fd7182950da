import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The express-session store's table (connect-pg-simple's schema): P2V never writes it itself. */
@Entity('session')
export class SessionRow {
  @PrimaryColumn({ type: 'varchar' }) sid!: string;
  @Column({ type: 'json' }) sess!: unknown;
  @Column({ type: 'timestamp', precision: 6 }) expire!: Date;
}
