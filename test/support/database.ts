/** Database checks only the tests need. */
import type { Plan } from '../../src/plan/index.js';
import type { ComposeProject } from '../../src/verify/compose.js';
import { queryDatabase } from '../../src/verify/measure.js';

export async function tableExists(project: ComposeProject, plan: Plan, table: string): Promise<boolean> {
  const name = table.replace(/'/g, "''");
  const sql =
    plan.database.kind === 'file'
      ? `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '${name}'`
      : `SELECT COUNT(*) FROM information_schema.tables WHERE table_name = '${name}'`;
  const rows = await queryDatabase(project, plan, sql);
  return Number(rows[0]?.[0]) > 0;
}
