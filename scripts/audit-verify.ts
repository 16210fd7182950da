/**
 * `npm run audit:verify`: walks the audit chain with AUDIT_KEY (the same key as the app's); exits 1
 * and names the first entry whose link or HMAC does not match.
 */
import 'reflect-metadata';
import { auditKey, verifyAuditChain } from '../src/common/audit.service';
import { withDataSource } from './cli-data-source';

withDataSource(async (ds) => {
  const report = await verifyAuditChain((sql, params) => ds.query(sql, params), auditKey());
  if (report.ok) {
    const keyed = report.keyedFrom ? `; signed (HMAC-SHA256) from entry ${report.keyedFrom} on` : '';
    console.log(`Audit chain intact: ${report.checked} entries${keyed}; head ${report.head ?? '(empty)'}`);
    return 0;
  }
  console.error(`Audit chain BROKEN at entry ${report.brokenAt}: ${report.reason} (${report.checked} entries verified before it)`);
  return 1;
});
