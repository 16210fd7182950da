import { Body, Controller, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/access.decorator';
import { actorOf, type Principal } from '../auth/principal';
import { attempt, type FieldError, validateForm } from '../common/forms';
import { CurrentEstablishment } from '../establishments/current-establishment';
import type { Establishment } from '../establishments/establishment.entity';
import { casePage } from './case-page';
import { FamilyVisitDecisionsService } from './decisions.service';
import { FamilyVisitInstructionService } from './instruction.service';
import { FamilyVisitLitigationForm } from './litigation.form';
import { FamilyVisitLitigationService } from './litigation.service';
import { REQUEST_STATUS_LABELS } from './instruction.rules';
import { IdParam } from '../common/params';

/** The form's fields as the case page names them (one hold form for the case's requests). */
const FIELDS: Record<string, string> = { note: 'litigationNote', requestId: 'litigationRequest' };

/**
 * The litigation hold of a UVF / PF request, from the case page (docs/retention.md): the head of
 * establishment (or a signature delegate, checked by the service) records that a recourse is formed
 * against one request's decision, or lifts it after reading back what the retention will then delete.
 * The route admits the roles that open the case page; the SPIP counsellor is refused by the service.
 */
@Controller('etablissements/:establishment/uvf/dossiers/:id/contentieux')
export class FamilyVisitLitigationController {
  constructor(
    private readonly litigation: FamilyVisitLitigationService,
    private readonly instruction: FamilyVisitInstructionService,
    private readonly decisions: FamilyVisitDecisionsService,
  ) {}

  @Post()
  @Roles('HEAD_OF_ESTABLISHMENT', 'SPIP_COUNSELLOR')
  async hold(
    @CurrentEstablishment() establishment: Establishment,
    @IdParam() id: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(FamilyVisitLitigationForm, body);
    if (!form.ok)
      return this.renderCase(
        res.status(400),
        establishment,
        id,
        principal,
        form.errors.map((e) => ({ ...e, field: FIELDS[e.field] ?? 'global' })),
        form.values,
      );
    const { action, note, requestId, confirme } = form.value;
    const fieldOf = (e: { code: string }) => (e.code === 'NOT_DECIDED' ? 'litigationRequest' : 'global');
    if (action === 'lever' && confirme !== 'oui') {
      const preview = await attempt(() => this.litigation.liftPreview(principal.id, establishment, id, requestId), fieldOf);
      if (!preview.ok) return this.renderCase(res.status(preview.status), establishment, id, principal, preview.errors, form.value);
      return res.status(200).render('family-visits/litigation-lift.njk', {
        establishment,
        caseId: id,
        r: preview.value,
        statusLabels: REQUEST_STATUS_LABELS,
      });
    }
    const done = await attempt(
      () => this.litigation.setHold(actorOf(principal), establishment, id, requestId, action === 'poser' ? note! : null),
      fieldOf,
    );
    if (!done.ok) return this.renderCase(res.status(done.status), establishment, id, principal, done.errors, form.value);
    res.redirect(303, `/etablissements/${establishment.code}/uvf/dossiers/${id}#contentieux`);
  }

  /** The case page again, with the hold form's errors and values: the whole page, as FamilyVisitInstructionController shows it. */
  private async renderCase(
    res: Response,
    establishment: Establishment,
    id: string,
    principal: Principal,
    errors: FieldError[],
    values: unknown,
  ) {
    const services = { instruction: this.instruction, decisions: this.decisions, litigation: this.litigation };
    res.render(
      'family-visits/instruction-case.njk',
      await casePage(services, establishment, id, principal, { errors, values, form: 'litigation' }),
    );
  }
}
