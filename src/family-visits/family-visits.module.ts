import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { AppointmentsModule } from '../appointments/appointments.module';
import { uploadMiddleware } from '../common/upload.middleware';
import { EstablishmentsModule } from '../establishments/establishments.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { MAX_UPLOAD_BYTES } from '../permits/uploads';
import { FamilyVisitDecisionsController } from './decisions.controller';
import { FamilyVisitDecisionsService } from './decisions.service';
import { EntitlementController } from './entitlement.controller';
import { EntitlementService } from './entitlement.service';
import { FamilyVisitHousekeeping } from './housekeeping.runner';
import { familyVisitDocumentsProvider } from './instruction-documents';
import { FamilyVisitInstructionController } from './instruction.controller';
import { FamilyVisitInstructionService } from './instruction.service';
import { FamilyVisitLitigationController } from './litigation.controller';
import { FamilyVisitLitigationService } from './litigation.service';
import { FamilyVisitRequestsFamilyController } from './requests-family.controller';
import { FamilyVisitRequestsStaffController } from './requests-staff.controller';
import { FamilyVisitRequestsService } from './requests.service';
import { FamilyStaysController } from './stays-family.controller';
import { FamilyVisitRetentionService } from './retention.service';
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
  controllers: [
    FamilyVisitRequestsStaffController,
    FamilyVisitRequestsFamilyController,
    FamilyVisitInstructionController,
    FamilyVisitDecisionsController,
    FamilyVisitLitigationController,
    UnitsController,
    UnitsStaysController,
    EntitlementController,
    FamilyStaysController,
  ],
  providers: [
    familyVisitDocumentsProvider,
    FamilyVisitRequestsService,
    FamilyVisitInstructionService,
    FamilyVisitDecisionsService,
    UnitsService,
    EntitlementService,
    FamilyVisitRetentionService,
    FamilyVisitLitigationService,
    FamilyVisitHousekeeping,
  ],
  exports: [UnitsService],
})
export class FamilyVisitsModule implements NestModule {
  configure(consumer: MiddlewareConsumer) {
    consumer
      .apply(uploadMiddleware('fichier', MAX_UPLOAD_BYTES))
      .forRoutes(
        { path: 'uvf/demandes/:requestId/documents', method: RequestMethod.POST },
        { path: 'etablissements/:establishment/uvf/dossiers/:caseId/documents', method: RequestMethod.POST },
      );
  }
}
