import { join } from 'node:path';
import { Global, Module } from '@nestjs/common';
import { AuditService } from './audit.service';
import { Clock } from './clock';
import { Translations } from './i18n';
import { projectRoot } from './project-root';

@Global()
@Module({
  providers: [AuditService, Clock, { provide: Translations, useFactory: () => Translations.load(join(projectRoot(), 'locales')) }],
  exports: [AuditService, Clock, Translations],
})
export class CommonModule {}
