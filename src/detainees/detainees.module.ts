import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import multer from 'multer';
import { EstablishmentsModule } from '../establishments/establishments.module';
import { DetaineesController, MAX_IMPORT_BYTES } from './detainees.controller';
import { DetaineesService } from './detainees.service';

declare module 'express-serve-static-core' {
  interface Request {
    uploadError?: string;
  }
}

const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 5 } }).single('fichier');

/** Parses the multipart form before the guard, so the guard can read its CSRF token; only for signed-in users. */
function importUpload(req: Request, res: Response, next: NextFunction) {
  if (!(req.session as unknown as { passport?: { user?: unknown } } | undefined)?.passport?.user) return next();
  upload(req, res, (err: unknown) => {
    if (err) {
      const code = (err as { code?: string }).code;
      req.uploadError = code === 'LIMIT_FILE_SIZE' ? `Le fichier dépasse ${MAX_IMPORT_BYTES / 1024 / 1024} Mo` : 'Le fichier n’a pas pu être lu';
      req.body = req.body ?? {};
    }
    next();
  });
}

@Module({
  imports: [EstablishmentsModule],
  controllers: [DetaineesController],
  providers: [DetaineesService],
})
export class DetaineesModule implements NestModule {
  configure(consumer: MiddlewareConsumer) {
    consumer.apply(importUpload).forRoutes({ path: 'etablissements/:establishment/detenus/import', method: RequestMethod.POST });
  }
}
