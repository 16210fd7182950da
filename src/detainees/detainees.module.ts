import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { uploadMiddleware } from '../common/upload.middleware';
import { EstablishmentsModule } from '../establishments/establishments.module';
import { DetaineesController, MAX_IMPORT_BYTES } from './detainees.controller';
import { DetaineesService } from './detainees.service';

@Module({
  imports: [EstablishmentsModule],
  controllers: [DetaineesController],
  providers: [DetaineesService],
  exports: [DetaineesService],
})
export class DetaineesModule implements NestModule {
  configure(consumer: MiddlewareConsumer) {
    consumer
      .apply(uploadMiddleware('fichier', MAX_IMPORT_BYTES))
      .forRoutes({ path: 'etablissements/:establishment/detenus/import', method: RequestMethod.POST });
  }
}
