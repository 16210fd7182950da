import type { FieldError } from '../common/forms';
import type { Establishment } from '../establishments/establishment.entity';
import { notReadyForDecision } from './instruction.rules';
import { ASKABLE_DOCUMENTS } from './missing-pieces';
import type { PermitDecisionsService } from './permit-decisions.service';
import type { PermitInstructionService } from './permit-instruction.service';
import { ID_DOCUMENT_TYPES, RELATIONSHIPS, STATUS_LABELS } from './permit.rules';

const DATE = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: 'numeric', month: 'long', year: 'numeric' });

/** What a form posted from the instruction page brings back to it: its errors and values, or the notice of what was done. */
export interface InstructionPageForm {
  errors?: FieldError[];
  values?: unknown;
  done?: unknown;
}

/**
 * The view model of the instruction page (`permits/instruct.njk`), the one place that builds it: the request, its
 * documents and history, and the decision context (signatory or delegate in force, legal grounds, no-contact orders,
 * letters), so that every form of the page (decision, documents, notes, litigation hold…) shows it the same way,
 * errors included.
 */
export async function instructionPage(
  services: { instruction: PermitInstructionService; decisions: PermitDecisionsService },
  establishment: Establishment,
  id: string,
  agentId: string,
  form: InstructionPageForm = {},
) {
  const { request, documents, events, minor, deadline, open } = await services.instruction.requestPage(establishment.id, id);
  const decision = await services.decisions.context(establishment.id, request, agentId);
  const reviews = documents.map((d) => d.review);
  return {
    decision,
    askable: ASKABLE_DOCUMENTS,
    establishment,
    r: request,
    docs: documents,
    events,
    statusLabels: STATUS_LABELS,
    relationships: RELATIONSHIPS,
    idTypes: ID_DOCUMENT_TYPES,
    minor,
    deadline: deadline ? DATE.format(deadline) : null,
    open,
    // A sent request is marked ready only once its documents are examined: why not yet, in place of the button.
    notReady: request.status === 'SUBMITTED' ? notReadyForDecision(request.status, reviews) : null,
    canDecide: decision.signatory !== null,
    done: form.done,
    errors: form.errors ?? [],
    values: form.values ?? {},
  };
}
