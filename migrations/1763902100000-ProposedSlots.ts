import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A prévenu's family parlour: the head fixes the visit's duration (note DAP 2014, PF A.5.a « Le chef
 * d'établissement est compétent pour fixer la durée de la visite »), in one slot or two cumulated, and
 * proposes it at the transmission to the magistrate, whose answer only authorises the access. The
 * case keeps the slots proposed beside the hours (`proposed_slots`, PF only); a PF transmitted before
 * this migration was proposed in one slot (the only choice then).
 */
export class ProposedSlots1763902100000 implements MigrationInterface {
  name = 'ProposedSlots1763902100000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE family_visit_cases ADD COLUMN proposed_slots smallint NULL`);
    await q.query(`UPDATE family_visit_cases SET proposed_slots = 1 WHERE kind = 'PF' AND proposed_hours IS NOT NULL`);
    await q.query(`
      ALTER TABLE family_visit_cases ADD CONSTRAINT family_visit_cases_proposed_slots
        CHECK (proposed_slots IS NULL OR (kind = 'PF' AND proposed_slots IN (1, 2)))`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE family_visit_cases DROP CONSTRAINT family_visit_cases_proposed_slots`);
    await q.query(`ALTER TABLE family_visit_cases DROP COLUMN proposed_slots`);
  }
}
