import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { runPeriodically } from '../common/periodic';
import { FamilyVisitRetentionService } from './retention.service';

/**
 * The UVF / PF background jobs, every 10 minutes in every instance (each idempotent, safe in several
 * instances at once): the retention of the requests' documents and the sweep of orphan files
 * (docs/retention.md). The implicit rejection at 2 months joins them here.
 */
@Injectable()
export class FamilyVisitHousekeeping implements OnApplicationBootstrap, OnApplicationShutdown {
  private stop?: () => void;

  constructor(private readonly retention: FamilyVisitRetentionService) {}

  onApplicationBootstrap(): void {
    this.stop = runPeriodically(
      'FamilyVisitHousekeeping',
      10 * 60_000,
      async (log) => {
        const purged = await this.retention.purgeDocuments();
        if (purged) log.log(`${purged} UVF / PF document(s) deleted at the end of their retention period`);
        await this.retention.sweepOrphanFiles();
      },
      { runNow: true },
    );
  }

  onApplicationShutdown(): void {
    this.stop?.();
  }
}
