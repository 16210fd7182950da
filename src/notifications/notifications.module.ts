import { Inject, Injectable, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { EstablishmentsModule } from '../establishments/establishments.module';
import { NotificationRenderer } from './notification-renderer';
import { NotificationsController } from './notifications.controller';
import { NotificationsService } from './notifications.service';
import { OutboxAdminService } from './outbox-admin.service';
import { OutboxWorker } from './outbox-worker';
import { NotificationRetentionService } from './retention.service';
import { runPeriodically } from '../common/periodic';
import { BrevoSmsTransport, SmtpTransport, Transports } from './transports';

export function createTransports(config: AppConfig): Transports & { close(): void } {
  const n = config.notifications;
  const smtp = n.smtp ? new SmtpTransport(n.smtp, n.mailFrom) : null;
  const sms = n.sms ? new BrevoSmsTransport(n.sms) : null;
  return {
    email: (m) => (smtp ? smtp.send(m) : Promise.reject(new Error('No SMTP server configured'))),
    sms: (m) => (sms ? sms.send(m) : Promise.reject(new Error('No SMS provider configured'))),
    close: () => smtp?.close(),
  };
}

/** Runs the outbox worker inside the app (every instance may run one: they never take the same row). */
@Injectable()
export class OutboxWorkerRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Outbox');
  private worker?: OutboxWorker;
  private transports?: ReturnType<typeof createTransports>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** After every module's onModuleInit: the relevance checks are registered when the worker starts. */
  onApplicationBootstrap() {
    if (!this.config.notifications.worker) return;
    this.transports = createTransports(this.config);
    this.worker = new OutboxWorker(this.dataSource, this.transports, {
      maxAttempts: this.config.notifications.maxAttempts,
      retryBaseMs: this.config.notifications.retryBaseMs,
      leaseMs: 5 * 60_000,
      batchSize: 20,
      now: () => this.clock.now(),
      reasonToDrop: (m, entity, now) => this.notifications.reasonToDrop(m, entity, now),
      log: (level, message, extra) => this.logger[level === 'info' ? 'log' : level]({ msg: message, ...extra }),
    });
    this.worker.start(this.config.notifications.pollMs);
  }

  async onApplicationShutdown() {
    await this.worker?.stop();
    this.transports?.close();
  }
}

/** The notifications' retention job, every 10 minutes in every instance (batches skip the rows another instance holds). */
@Injectable()
export class NotificationRetentionRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private stop?: () => void;

  constructor(private readonly retention: NotificationRetentionService) {}

  onApplicationBootstrap(): void {
    this.stop = runPeriodically('NotificationRetention', 10 * 60_000, async (log) => {
      const done = await this.retention.applyRetention();
      if (done.notifications || done.attempts)
        log.log(`${done.notifications} message(s) and ${done.attempts} delivery attempt(s) deleted at the end of their retention period`);
    });
  }

  onApplicationShutdown(): void {
    this.stop?.();
  }
}

@Module({
  imports: [EstablishmentsModule],
  controllers: [NotificationsController],
  providers: [
    {
      provide: NotificationsService,
      inject: [APP_CONFIG, Clock],
      useFactory: (config: AppConfig, clock: Clock) =>
        new NotificationsService(new NotificationRenderer({ appUrl: config.appUrl }), config.notifications, config.appUrl, clock),
    },
    OutboxWorkerRunner,
    OutboxAdminService,
    NotificationRetentionService,
    NotificationRetentionRunner,
  ],
  exports: [NotificationsService],
})
export class NotificationsModule {}
