import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../common/audit.service';
import { Clock } from '../common/clock';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { EstablishmentsModule } from '../establishments/establishments.module';
import { EstablishmentsService } from '../establishments/establishments.service';
import { NotificationsModule } from '../notifications/notifications.module';
import { NotificationsService } from '../notifications/notifications.service';
import { AppointmentsController } from './appointments.controller';
import { AppointmentsService } from './appointments.service';

@Module({
  imports: [NotificationsModule, EstablishmentsModule],
  controllers: [AppointmentsController],
  providers: [
    {
      provide: AppointmentsService,
      inject: [DataSource, NotificationsService, AuditService, APP_CONFIG, Clock, EstablishmentsService],
      useFactory: (
        ds: DataSource,
        n: NotificationsService,
        audit: AuditService,
        config: AppConfig,
        clock: Clock,
        establishments: EstablishmentsService,
      ) => {
        const appointments = new AppointmentsService(ds, n, audit, config.appUrl, clock);
        // Messages still to send give the establishment's practical information as it is when they go.
        establishments.onInfoChanged((m, id) => appointments.refreshPracticalDetails(m, id).then(() => undefined));
        return appointments;
      },
    },
  ],
  exports: [AppointmentsService],
})
export class AppointmentsModule {}
