import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../common/audit.service';
import { Clock } from '../common/clock';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { NotificationsModule } from '../notifications/notifications.module';
import { NotificationsService } from '../notifications/notifications.service';
import { AppointmentsController } from './appointments.controller';
import { AppointmentsService } from './appointments.service';

@Module({
  imports: [NotificationsModule],
  controllers: [AppointmentsController],
  providers: [
    {
      provide: AppointmentsService,
      inject: [DataSource, NotificationsService, AuditService, APP_CONFIG, Clock],
      useFactory: (ds: DataSource, n: NotificationsService, audit: AuditService, config: AppConfig, clock: Clock) =>
        new AppointmentsService(ds, n, audit, config.appUrl, clock),
    },
  ],
  exports: [AppointmentsService],
})
export class AppointmentsModule {}
