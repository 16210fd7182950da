import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { FamiliesModule } from '../families/families.module';
import { AuthController } from './auth.controller';
import { CsrfService } from './csrf.service';
import { OidcService } from './oidc.service';
import { PrincipalMiddleware } from './principal.middleware';
import { SignOutService } from './sign-out.service';

@Module({
  imports: [FamiliesModule, AgentsModule],
  controllers: [AuthController],
  providers: [OidcService, CsrfService, PrincipalMiddleware, SignOutService],
  exports: [CsrfService, PrincipalMiddleware, SignOutService],
})
export class AuthModule {}
