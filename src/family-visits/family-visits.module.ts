import { Module } from '@nestjs/common';
import { AppointmentsModule } from '../appointments/appointments.module';
import { EstablishmentsModule } from '../establishments/establishments.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { UnitsStaysController } from './units-stays.controller';
import { UnitsController } from './units.controller';
import { UnitsService } from './units.service';

/**
 * Family visit units (UVF) and family parlours (PF): the double request (detainee's, each visitor's),
 * the SPIP instruction (case file, interviews, CPU opinion), the decision of the head of establishment
 * (or the magistrate for a prévenu), and the stays in the units.
 */
@Module({
  imports: [EstablishmentsModule, NotificationsModule, AppointmentsModule],
  controllers: [UnitsController, UnitsStaysController],
  providers: [UnitsService],
})
export class FamilyVisitsModule {}
