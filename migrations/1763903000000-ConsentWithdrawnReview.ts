import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A minor of 16 or 17 may come to an ordinary parloir without an adult only with the parental-authority
 * holders' written consent recorded on the permit (circulaire of 20 February 2012). When the greffe
 * withdraws that consent, the visits already booked where this minor comes with no adult (every other
 * visitor of the visit under 18 on its day) are flagged « à revoir », like the visits of a suspended
 * permit (trigger flag_visits_for_review): the parloir calls the family, the reminders are not sent
 * (the outbox re-check), and the agent sees why at the door. Kept in the database so that every path
 * that clears the consent (the greffe's page, a script) flags the same visits.
 */
export class ConsentWithdrawnReview1763903000000 implements MigrationInterface {
  name = 'ConsentWithdrawnReview1763903000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION flag_visits_consent_withdrawn() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE visits v
           SET review_reason = coalesce(v.review_reason || ' ; ', '') || 'Autorisation de venir sans adulte retirée ('
                 || NEW.visitor_given_name || ' ' || NEW.visitor_family_name || ')',
               review_flagged_at = now()
          FROM establishments e
         WHERE e.id = v.establishment_id AND v.status = 'BOOKED' AND lower(v.during) > now()
           AND EXISTS (SELECT 1 FROM visit_visitors vv WHERE vv.visit_id = v.id AND vv.permit_id = NEW.id AND vv.active)
           AND NOT EXISTS (
             SELECT 1 FROM visit_visitors o LEFT JOIN permits p ON p.id = o.permit_id
              WHERE o.visit_id = v.id AND o.active
                AND coalesce(p.visitor_birthdate, o.birthdate) + interval '18 years'
                    <= (lower(v.during) AT TIME ZONE e.time_zone)::date);
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER permits_consent_withdrawn AFTER UPDATE OF unaccompanied_consent_at ON permits
        FOR EACH ROW WHEN (OLD.unaccompanied_consent_at IS NOT NULL AND NEW.unaccompanied_consent_at IS NULL)
        EXECUTE FUNCTION flag_visits_consent_withdrawn()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER permits_consent_withdrawn ON permits`);
    await q.query(`DROP FUNCTION flag_visits_consent_withdrawn()`);
  }
}
