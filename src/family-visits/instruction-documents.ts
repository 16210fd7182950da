import { join, resolve } from 'node:path';
import type { Provider } from '@nestjs/common';
import { projectRoot } from '../common/project-root';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { PermitFileStore } from '../permits/permit-files';

/**
 * The encrypted store of UVF / PF documents (consents, signed rules): the permits' store, in a
 * sub-folder of the documents folder, with the same key. The requests slice writes there; the
 * instruction reads (served decrypted, like a permit's documents).
 */
export const FAMILY_VISIT_DOCUMENTS = Symbol('FAMILY_VISIT_DOCUMENTS');

export const FAMILY_VISIT_DOCUMENTS_DIR = 'family-visits';

export const familyVisitDocumentsProvider: Provider = {
  provide: FAMILY_VISIT_DOCUMENTS,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig) =>
    new PermitFileStore(join(resolve(projectRoot(), config.documents.dir), FAMILY_VISIT_DOCUMENTS_DIR), config.documents.key),
};
