import { holdsRole, type Principal } from '../auth/principal';
import type { FieldError } from '../common/forms';
import type { Establishment } from '../establishments/establishment.entity';
import { MAGISTRATE_ANSWER_LABELS, REFUSAL_GROUND_LABELS } from './decision.rules';
import type { FamilyVisitDecisionsService } from './decisions.service';
import {
  CASE_STATUS_LABELS,
  CHANNEL_LABELS,
  CPU_OPINION_LABELS,
  DOCUMENT_KIND_LABELS,
  INTERVIEW_STATUS_LABELS,
  JUDGE_OPINION_LABELS,
  KIND_LABELS,
  LEGAL_STATUS_LABELS,
  MODE_LABELS,
  RELATIONSHIP_LABELS,
  REQUEST_STATUS_LABELS,
} from './instruction.rules';
import type { FamilyVisitInstructionService } from './instruction.service';
import { CONSENT_CAPACITY_LABELS } from './requests.rules';
import type { FamilyVisitLitigationService } from './litigation.service';

/** What a form posted from the case page brings back to it. */
export interface CasePageForm {
  errors?: FieldError[];
  values?: unknown;
  /** Which form the errors are about. */
  form?: 'interview' | 'cpu' | 'litigation';
}

/**
 * The view model of the case page (`family-visits/instruction-case.njk`), the one place that builds
 * it: the case file, its decisions and its litigation holds, so that every form of the page
 * (interview, CPU opinion, litigation hold) sent back with an error shows the same whole page.
 */
export async function casePage(
  services: {
    instruction: FamilyVisitInstructionService;
    decisions: FamilyVisitDecisionsService;
    litigation: FamilyVisitLitigationService;
  },
  establishment: Establishment,
  id: string,
  principal: Principal,
  state: CasePageForm = {},
) {
  const file = await services.instruction.caseFile(establishment.id, id);
  const decision = await services.decisions.panel(establishment.id, id, principal.id);
  const litigation = await services.litigation.panel(establishment, id, principal.id);
  return {
    establishment,
    ...file,
    decision,
    litigation,
    c: file.case,
    canInstruct: holdsRole(principal, establishment.id, ['SPIP_COUNSELLOR']),
    // The greffe's page of the case's requests is theirs (adding a request, a document received): the head reads it all here.
    canEditRequests: holdsRole(principal, establishment.id, ['SPIP_COUNSELLOR', 'PERMITS_OFFICER']),
    errors: state.errors ?? [],
    values: state.values ?? {},
    errorForm: state.form ?? null,
    labels: {
      caseStatus: CASE_STATUS_LABELS,
      requestStatus: REQUEST_STATUS_LABELS,
      kind: KIND_LABELS,
      channel: CHANNEL_LABELS,
      legalStatus: LEGAL_STATUS_LABELS,
      relationship: RELATIONSHIP_LABELS,
      mode: MODE_LABELS,
      interviewStatus: INTERVIEW_STATUS_LABELS,
      cpuOpinion: CPU_OPINION_LABELS,
      documentKind: DOCUMENT_KIND_LABELS,
      consentCapacity: CONSENT_CAPACITY_LABELS,
      judgeOpinion: JUDGE_OPINION_LABELS,
      ground: REFUSAL_GROUND_LABELS,
      magistrateAnswer: MAGISTRATE_ANSWER_LABELS,
    },
  };
}
