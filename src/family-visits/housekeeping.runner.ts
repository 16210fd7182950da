import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { runPeriodically } from '../common/periodic';
import { FamilyVisitDecisionsService } from './decisions.service';
import { FamilyVisitRetentionService } from './retention.service';

/**
 * The UVF / PF background jobs, every 10 minutes in every instance (each idempotent, safe in several
 * instances at once): the implicit rejection of condamnés' requests 2 months after receipt, the
 * retention of the requests' documents and the sweep of orphan files (docs/retention.md).
 */
@Injectable()
export class FamilyVisitHousekeeping implements OnApplicationBootstrap, OnApplicationShutdown {
  private stop?: () => void;

  constructor(
    private readonly decisions: FamilyVisitDecisionsService,
    private readonly retention: FamilyVisitRetentionService,
  ) {}

  onApplicationBootstrap(): void {
    this.stop = runPeriodically(
      'FamilyVisitHousekeeping',
      10 * 60_000,
      async (log) => {
        // Each job on its own: one failing never keeps the others from running.
        const jobs: [string, () => Promise<void>][] = [
          [
            'implicit rejections',
            async () => {
              const expired = await this.decisions.expireOverdue();
              if (expired) log.log(`${expired} UVF / PF request(s) implicitly rejected`);
            },
          ],
          [
            'retention',
            async () => {
              const purged = await this.retention.purgeDocuments();
              if (purged) log.log(`${purged} UVF / PF document(s) deleted at the end of their retention period`);
            },
          ],
          ['orphan sweep', async () => void (await this.retention.sweepOrphanFiles())],
        ];
        for (const [name, job] of jobs) {
          try {
            await job();
          } catch (e) {
            log.error(`UVF / PF ${name} failed: ${e instanceof Error ? e.message : String(e)}`);
          }
        }
      },
      { runNow: true },
    );
  }

  onApplicationShutdown(): void {
    this.stop?.();
  }
}
