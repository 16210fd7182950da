import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { FamiliesModule } from '../families/families.module';
import { AuthController } from './auth.controller';
import { CsrfService } from './csrf.service';
import { OidcService } from './oidc.service';
import { PrincipalMiddleware } from './principal.middleware';

@Module({
  imports: [FamiliesModule, AgentsModule],
  controllers: [AuthController],
  providers: [OidcService, CsrfService, PrincipalMiddleware],
  exports: [CsrfService, PrincipalMiddleware],
})
export class AuthModule {}
