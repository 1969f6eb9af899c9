import type { CopyColumn } from './copy-binary.js';
import type { Db } from './db.js';
import { decodeResults, encodeResults } from './evaluation-codec.js';
import type { EvaluationDraft, EvaluationRecord, EvaluationRepo } from './store.js';

interface EvaluationRow {
  deploy_id: string;
  at: number | string;
  stage_index: number;
  results: EvaluationRecord['results'];
  decision: EvaluationRecord['decision'];
}

const COLUMNS: readonly CopyColumn[] = [
  { name: 'deploy_id', type: 'text' },
  { name: 'at', type: 'int8' },
  { name: 'stage_index', type: 'int4' },
  { name: 'results', type: 'json' },
  { name: 'decision', type: 'json' },
];

/** A record's values in COLUMNS order, results encoded (when not already) and the decision as JSON text. */
function rowOf(r: EvaluationDraft): [string, number, number, string, string] {
  const results = Array.isArray(r.results) ? encodeResults(r.results) : r.results.encoded;
  return [r.deployId, r.at, r.stageIndex, results, JSON.stringify(r.decision)];
}

/** 5 parameters a row, well under PostgreSQL's 65,535 parameters a statement. */
const ROWS_PER_STATEMENT = 1000;

export function evaluationRepo(db: Db): EvaluationRepo {
  return {
    async insert(records) {
      if (!records.length) return;
      if (db.copyFrom) {
        await db.copyFrom('evaluations', COLUMNS, records.map(rowOf));
        return;
      }
      // A whole scheduler round in a few statements of multi-row VALUES: per-row round trips, a big JSON document
      // the server parses into rows, or array literals the client must escape would each dominate a large round.
      for (let i = 0; i < records.length; i += ROWS_PER_STATEMENT) {
        const chunk = records.slice(i, i + ROWS_PER_STATEMENT);
        const params: unknown[] = [];
        const rows = chunk.map((r) => {
          params.push(...rowOf(r));
          const n = params.length;
          return `($${n - 4}, $${n - 3}, $${n - 2}, $${n - 1}::json, $${n}::json)`;
        });
        await db.query(
          `INSERT INTO evaluations (${COLUMNS.map((c) => c.name).join(', ')}) VALUES ${rows.join(', ')}`,
          params,
        );
      }
    },
    encode: (results) => ({ encoded: encodeResults(results) }),
    async forDeploy(deployId, opts = {}) {
      const rows = await db.query<EvaluationRow>(
        `SELECT deploy_id, at, stage_index, results, decision FROM (
           SELECT * FROM evaluations WHERE deploy_id = $1 ORDER BY at DESC, id DESC LIMIT $2) e
         ORDER BY at, id`,
        [deployId, opts.limit ?? 100_000],
      );
      return rows.map((r) => ({
        deployId: r.deploy_id,
        at: Number(r.at),
        stageIndex: r.stage_index,
        results: decodeResults(r.results),
        decision: r.decision,
      }));
    },
  };
}
