import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import type { DomainError } from '../common/domain-error';
import { attempt, FieldError, validateForm } from '../common/forms';
import { FamiliesService } from '../families/families.service';
import type { DocumentKind } from './permit-document.entity';
import {
  BIRTHDATE_MESSAGE,
  CommentStepForm,
  DetaineeStepForm,
  DocumentsListStepForm,
  IdDocumentStepForm,
  RelationshipStepForm,
  VisitorStepForm,
} from './permit-request.form';
import { PermitRequestsService, type FamilyActor, type UploadedFile } from './permit-requests.service';
import { tr } from '../common/translate';
import { idTypeAllowed } from './permit.rules';

/**
 * The 9 steps of "Demander un permis de visite", one class per step (after HMPPS
 * server/routes/visitJourney/): each reads its own form and makes its one change. The controller
 * shows the step's page and turns the outcome into a redirect or the page again with its errors.
 */

/** What the family sent on a step's page. */
export interface StepInput {
  family: FamilyActor;
  requestId: string;
  body: unknown;
  file?: UploadedFile;
}

export type StepOutcome =
  | { kind: 'next' }
  /** The request is sent (step 9). */
  | { kind: 'sent' }
  /** The detainee is a prévenu: the permit comes from the magistrate (step 1). */
  | { kind: 'prevenu' }
  | { kind: 'invalid'; status: number; errors: FieldError[]; values: Record<string, unknown> };

export interface WizardStep {
  /** Its title's key in the catalogs (permits:steps.<key>): « La personne détenue »… */
  readonly key: string;
  /** The step sends a file: a refusal is shown after a redirect (post/redirect/get, see step-errors.ts). */
  readonly sendsFile?: boolean;
  save(input: StepInput): Promise<StepOutcome>;
}

/** The fields as typed, for the page shown again (the CSRF token aside). */
function valuesOf(body: unknown): Record<string, unknown> {
  const values = { ...((body ?? {}) as Record<string, unknown>) };
  delete values._csrf;
  return values;
}

const invalid = (body: unknown, errors: FieldError[], status = 400): StepOutcome => ({
  kind: 'invalid',
  status,
  errors,
  values: valuesOf(body),
});

/** Runs the step's command: a rule's refusal shows on `field`, anything else goes on (404, 500). */
async function run(body: unknown, command: () => Promise<unknown>, field: string | ((e: DomainError) => string)): Promise<StepOutcome> {
  const result = await attempt(command, field);
  return result.ok ? { kind: 'next' } : { kind: 'invalid', status: result.status, errors: result.errors, values: valuesOf(body) };
}

// The messages are keys of the catalogs (permits.json): the page shows them in the family's language.
const NOT_VERIFIED = 'permits:errors.notVerified';
const TOO_MANY_TRIES = 'permits:errors.tooManyLookups';

/** 1. The detainee: establishment, numéro d'écrou and name, verified with one neutral message. */
class DetaineeStep implements WizardStep {
  readonly key = 'detainee';
  constructor(private readonly requests: PermitRequestsService) {}

  async save({ family, requestId, body }: StepInput): Promise<StepOutcome> {
    const form = await validateForm(DetaineeStepForm, body);
    if (!form.ok) return invalid(body, form.errors);
    const { establishment, ecrou, lastName } = form.value;
    const result = await this.requests.chooseDetainee(family, requestId, { establishmentCode: establishment, ecrou, lastName });
    if (result.ok) return { kind: 'next' };
    switch (result.reason) {
      case 'PREVENU':
        return { kind: 'prevenu' };
      case 'RATE_LIMITED':
        return invalid(body, [{ field: 'global', message: TOO_MANY_TRIES }], 429);
      case 'NOT_FOUND':
        return invalid(body, [{ field: 'global', message: NOT_VERIFIED }]);
    }
  }
}

/** 2. The documents to prepare: "J'ai compris". */
class DocumentsListStep implements WizardStep {
  readonly key = 'documents';
  constructor(private readonly requests: PermitRequestsService) {}

  async save({ family, requestId, body }: StepInput): Promise<StepOutcome> {
    const form = await validateForm(DocumentsListStepForm, body);
    if (!form.ok) return invalid(body, form.errors);
    await this.requests.saveAnswers(family, requestId, 3, { documentsUnderstood: true });
    return { kind: 'next' };
  }
}

/** 3. The visitor: the account holder (FranceConnect identity) or someone else, a minor perhaps. */
class VisitorStep implements WizardStep {
  readonly key = 'visitor';
  constructor(
    private readonly requests: PermitRequestsService,
    private readonly families: FamiliesService,
    private readonly clock: Clock,
  ) {}

  async save({ family, requestId, body }: StepInput): Promise<StepOutcome> {
    const form = await validateForm(VisitorStepForm, body);
    if (!form.ok) return invalid(body, form.errors);
    const visitor = form.value;
    if (visitor.forWhom === 'moi') {
      const account = await this.families.find(family.id);
      if (!account?.birthdate) {
        return invalid(body, [{ field: 'forWhom', message: 'permits:errors.noBirthdate' }]);
      }
      await this.requests.saveAnswers(family, requestId, 4, {
        forSelf: true,
        visitorGivenName: account.givenName,
        visitorFamilyName: account.familyName,
        visitorBirthdate: account.birthdate,
      });
      return { kind: 'next' };
    }
    if (visitor.birthdate! > this.clock.now().toISOString().slice(0, 10))
      return invalid(body, [{ field: 'birthdate', message: BIRTHDATE_MESSAGE }]);
    await this.requests.saveAnswers(family, requestId, 4, {
      forSelf: false,
      visitorGivenName: visitor.givenName!,
      visitorFamilyName: visitor.familyName!,
      visitorBirthdate: visitor.birthdate!,
    });
    return { kind: 'next' };
  }
}

/** 4. The relationship with the detainee. */
class RelationshipStep implements WizardStep {
  readonly key = 'relationship';
  constructor(private readonly requests: PermitRequestsService) {}

  async save({ family, requestId, body }: StepInput): Promise<StepOutcome> {
    const form = await validateForm(RelationshipStepForm, body);
    if (!form.ok) return invalid(body, form.errors);
    await this.requests.saveAnswers(family, requestId, 5, {
      relationship: form.value.relationship,
      relationshipDetail: form.value.detail ?? null,
    });
    return { kind: 'next' };
  }
}

/** A step that only sends a file (steps 5 and 7): no form fields, the file is checked by its content. */
abstract class FileStep implements WizardStep {
  abstract readonly key: string;
  readonly sendsFile = true;
  protected abstract readonly kind: DocumentKind;
  protected abstract readonly next: number;
  constructor(private readonly requests: PermitRequestsService) {}

  save({ family, requestId, body, file }: StepInput): Promise<StepOutcome> {
    return run(body, () => this.requests.upload(family, requestId, this.kind, file, this.next), 'fichier');
  }
}

/** 5. The identity photo. */
class PhotoStep extends FileStep {
  readonly key = 'photo';
  protected readonly kind = 'PHOTO';
  protected readonly next = 6;
}

const ADULT_ID_MESSAGE = 'permits:errors.adultId';

/** 6. The identity document: its type (for a minor, also the livret de famille or a birth certificate), and the file. */
class IdDocumentStep implements WizardStep {
  readonly key = 'idDocument';
  readonly sendsFile = true;
  constructor(private readonly requests: PermitRequestsService) {}

  async save({ family, requestId, body, file }: StepInput): Promise<StepOutcome> {
    const form = await validateForm(IdDocumentStepForm, body);
    if (!form.ok) return invalid(body, form.errors);
    const { minor } = await this.requests.stepPage(family.id, requestId);
    if (!idTypeAllowed(form.value.idType, minor)) return invalid(body, [{ field: 'idType', message: ADULT_ID_MESSAGE }]);
    await this.requests.saveAnswers(family, requestId, 6, { idDocumentType: form.value.idType });
    return run(body, () => this.requests.upload(family, requestId, 'ID_DOCUMENT', file, 7), 'fichier');
  }
}

/** 7. The proof of address. */
class ProofOfAddressStep extends FileStep {
  readonly key = 'proofOfAddress';
  protected readonly kind = 'PROOF_OF_ADDRESS';
  protected readonly next = 8;
}

/** 8. An optional comment. */
class CommentStep implements WizardStep {
  readonly key = 'comment';
  constructor(private readonly requests: PermitRequestsService) {}

  async save({ family, requestId, body }: StepInput): Promise<StepOutcome> {
    const form = await validateForm(CommentStepForm, body);
    if (!form.ok) return invalid(body, form.errors);
    await this.requests.saveAnswers(family, requestId, 9, { comment: form.value.comment?.trim() || null });
    return { kind: 'next' };
  }
}

/** 9. Check and send: nothing to fill in, what is missing is said. */
class SubmitStep implements WizardStep {
  readonly key = 'submit';
  constructor(private readonly requests: PermitRequestsService) {}

  async save({ family, requestId, body }: StepInput): Promise<StepOutcome> {
    const sent = await run(body, () => this.requests.submit(family, requestId), 'global');
    return sent.kind === 'next' ? { kind: 'sent' } : sent;
  }
}

/** The steps in their order (step n is `step(n)`). */
@Injectable()
export class PermitRequestWizard {
  private readonly steps: readonly WizardStep[];

  constructor(requests: PermitRequestsService, families: FamiliesService, clock: Clock) {
    this.steps = [
      new DetaineeStep(requests),
      new DocumentsListStep(requests),
      new VisitorStep(requests, families, clock),
      new RelationshipStep(requests),
      new PhotoStep(requests),
      new IdDocumentStep(requests),
      new ProofOfAddressStep(requests),
      new CommentStep(requests),
      new SubmitStep(requests),
    ];
  }

  /** The steps' titles in the request's language. */
  get titles(): string[] {
    return this.steps.map((s) => tr(`permits:steps.${s.key}`));
  }

  get count(): number {
    return this.steps.length;
  }

  /** Step `n` (1 to 9), or undefined. */
  step(n: number): WizardStep | undefined {
    return Number.isInteger(n) && n >= 1 ? this.steps[n - 1] : undefined;
  }
}
