import { Module } from '@nestjs/common';
import { AppointmentsModule } from '../appointments/appointments.module';
import { EstablishmentsModule } from '../establishments/establishments.module';
import { FamiliesModule } from '../families/families.module';
import { FamilyVisitsModule } from '../family-visits/family-visits.module';
import { PermitsModule } from '../permits/permits.module';
import { VisitsModule } from '../visits/visits.module';
import { FamilySpaceController } from './family-space.controller';
import { FamilySpaceService } from './family-space.service';

/**
 * The family's overview pages, composed of the exported reads of the modules that own the data
 * (families, permits, visits, family visits, appointments). It writes nothing and nothing imports it.
 */
@Module({
  imports: [EstablishmentsModule, FamiliesModule, AppointmentsModule, PermitsModule, VisitsModule, FamilyVisitsModule],
  controllers: [FamilySpaceController],
  providers: [FamilySpaceService],
})
export class FamilySpaceModule {}
