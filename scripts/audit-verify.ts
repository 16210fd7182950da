/** `npm run audit:verify`: walks the audit hash chain; exits 1 and names the first broken row. */
import 'reflect-metadata';
import { verifyAuditChain } from '../src/common/audit.service';
import { withDataSource } from './cli-data-source';

withDataSource(async (ds) => {
  const report = await verifyAuditChain((sql, params) => ds.query(sql, params));
  if (report.ok) {
    console.log(`Audit chain intact: ${report.checked} entries; head ${report.head ?? '(empty)'}`);
    return 0;
  }
  console.error(`Audit chain BROKEN at entry ${report.brokenAt}: ${report.reason} (${report.checked} entries verified before it)`);
  return 1;
});
