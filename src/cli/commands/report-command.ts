import type { Command } from 'commander';
import { ReleasebotError } from '../../errors/releasebot-error.js';
import { REPORT_TABLES, type ReportTable } from '../../safety/report-csv.js';
import { PERIODS, type Period } from '../../safety/report-period.js';
import { reportText } from '../../safety/report-text.js';
import type { CommandContext } from '../command-context.js';
import { connect } from '../connect.js';

const FORMATS = ['table', 'json', 'csv'] as const;

/** `releasebot report [--period week|month|quarter] [--from] [--to] [--service] [--team] [--format table|json|csv]` */
export function registerReport(program: Command, ctx: CommandContext): void {
  program
    .command('report')
    .description('deploy safety: customer-impact hours, time to detect and remediate against the goals, DORA')
    .option('-p, --period <period>', `bucket by ${PERIODS.join(', ')}`, 'week')
    .option(
      '--from <time>',
      'start (ISO 8601 date, epoch ms, or a duration ago such as 12w); default 12 periods back',
    )
    .option('--to <time>', 'end, exclusive (default now)')
    .option('--service <name>', 'only this service')
    .option('--team <name>', 'only this team’s services')
    .option('-f, --format <format>', `output: ${FORMATS.join(', ')}`, 'table')
    .option('--table <table>', `which CSV table: ${REPORT_TABLES.join(', ')}`, 'periods')
    .action(
      async (o: {
        period: string;
        from?: string;
        to?: string;
        service?: string;
        team?: string;
        format: string;
        table: string;
      }) => {
        if (!PERIODS.includes(o.period as Period))
          throw new ReleasebotError('REQUEST_INVALID', `--period must be one of ${PERIODS.join(', ')}`);
        if (!(FORMATS as readonly string[]).includes(o.format))
          throw new ReleasebotError('REQUEST_INVALID', `--format must be one of ${FORMATS.join(', ')}`);
        if (!REPORT_TABLES.includes(o.table as ReportTable))
          throw new ReleasebotError('REQUEST_INVALID', `--table must be one of ${REPORT_TABLES.join(', ')}`);
        const q = { period: o.period as Period, from: o.from, to: o.to, service: o.service, team: o.team };
        const conn = await connect(ctx.io, ctx.logger, program.opts());
        try {
          if (o.format === 'csv') {
            ctx.io.stdout.write(await conn.client.safetyReportCsv({ ...q, table: o.table as ReportTable }));
          } else {
            const report = await conn.client.safetyReport(q);
            ctx.io.stdout.write(
              o.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : `${reportText(report)}\n`,
            );
          }
          ctx.exitCode = 0;
        } finally {
          await conn.client.close();
        }
      },
    );
}
