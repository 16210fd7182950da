import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Transfers detected by a GENESIS population import are proposed, not applied: when a new line of
 * establishment A matches a person held (or just released) by establishment B, B's administrator is
 * asked to confirm or dismiss the transfer of its own detainee. An import changes only the importing
 * establishment's detainees. One proposal per person, arriving establishment and new écrou: a
 * dismissed one is not proposed again by the next imports.
 */
export class DetaineeTransfers1763880000000 implements MigrationInterface {
  name = 'DetaineeTransfers1763880000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE detainee_transfer_proposals (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        detainee_id uuid NOT NULL REFERENCES detainees(id),
        to_establishment_id uuid NOT NULL REFERENCES establishments(id),
        new_ecrou varchar(20) NOT NULL CHECK (new_ecrou ~ '^[0-9A-Z]{1,20}$'),
        detected_at timestamptz NOT NULL DEFAULT now(),
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING','CONFIRMED','DISMISSED')),
        decided_by uuid NULL REFERENCES agents(id),
        decided_at timestamptz NULL,
        CONSTRAINT detainee_transfer_proposals_unique UNIQUE (detainee_id, to_establishment_id, new_ecrou),
        CONSTRAINT detainee_transfer_proposals_decision CHECK ((status = 'PENDING') = (decided_at IS NULL))
      )`);
    await q.query(
      `CREATE INDEX detainee_transfer_proposals_pending_idx ON detainee_transfer_proposals (detainee_id) WHERE status = 'PENDING'`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE detainee_transfer_proposals`);
  }
}
