import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A family parlour in two cumulated slots (note DAP 2014, B.1 PF: « deux plages peuvent être cumulées
 * pour une durée maximale de 6 heures […] une pause médiane pour déjeuner à l'extérieur de
 * l'établissement »). The stay keeps its whole span in `during` (from the start of the first slot to
 * the end of the second), so the exclusion constraint keeps the unit for the family over the break;
 * the break is [break_from, break_to), both set or both null, strictly inside the span. Only a PF has
 * a break (trigger: the kind is the unit's). The lengths (each slot at least 1 hour, the break 30 minutes
 * to 3 hours, the same local day) are the rules of units.rules.ts `twoSlotsTimes`.
 */
export class FamilyStayBreak1763900800000 implements MigrationInterface {
  name = 'FamilyStayBreak1763900800000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE family_visit_stays ADD COLUMN break_from timestamptz NULL`);
    await q.query(`ALTER TABLE family_visit_stays ADD COLUMN break_to timestamptz NULL`);
    await q.query(`
      ALTER TABLE family_visit_stays ADD CONSTRAINT family_visit_stays_break
        CHECK ((break_from IS NULL) = (break_to IS NULL)
               AND (break_from IS NULL OR (lower(during) < break_from AND break_from < break_to AND break_to < upper(during))))`);
    await q.query(`
      CREATE FUNCTION family_visit_stays_break_kind() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.break_from IS NOT NULL AND (SELECT kind FROM family_units WHERE id = NEW.unit_id) <> 'PF' THEN
          RAISE EXCEPTION 'family_visit_stays_break_kind: only a family parlour (PF) stay has a break' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER family_visit_stays_break_kind BEFORE INSERT OR UPDATE OF break_from, break_to, unit_id ON family_visit_stays
        FOR EACH ROW EXECUTE FUNCTION family_visit_stays_break_kind()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER family_visit_stays_break_kind ON family_visit_stays`);
    await q.query(`DROP FUNCTION family_visit_stays_break_kind()`);
    await q.query(`ALTER TABLE family_visit_stays DROP CONSTRAINT family_visit_stays_break`);
    await q.query(`ALTER TABLE family_visit_stays DROP COLUMN break_to`);
    await q.query(`ALTER TABLE family_visit_stays DROP COLUMN break_from`);
  }
}
