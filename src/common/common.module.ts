import { Global, Module } from '@nestjs/common';
import { AuditService } from './audit.service';
import { Clock } from './clock';

@Global()
@Module({ providers: [AuditService, Clock], exports: [AuditService, Clock] })
export class CommonModule {}
