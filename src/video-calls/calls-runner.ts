import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { runPeriodically } from '../common/periodic';
import { VideoCallCodesService } from './codes.service';

/**
 * The video-call background job, every minute in every instance (safe in several at once: the calls are
 * claimed FOR UPDATE SKIP LOCKED): each booked call whose slot has started gets its code, and its contact
 * the SMS with it (VideoCallCodesService.issueDueCodes); then the stored SMS of every code used or expired
 * is blanked of its code (blankSpentCodeSms).
 */
@Injectable()
export class VideoCallsRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private stop?: () => void;

  constructor(private readonly codes: VideoCallCodesService) {}

  onApplicationBootstrap(): void {
    this.stop = runPeriodically(
      'VideoCallCodes',
      60_000,
      async (log) => {
        const issued = await this.codes.issueDueCodes();
        if (issued) log.log(`${issued} video-call code(s) sent`);
        const blanked = await this.codes.blankSpentCodeSms();
        if (blanked) log.log(`${blanked} spent video-call code SMS blanked`);
      },
      { runNow: true },
    );
  }

  onApplicationShutdown(): void {
    this.stop?.();
  }
}
