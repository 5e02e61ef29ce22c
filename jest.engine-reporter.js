// Prints how many tests ran against each database engine, so a run with DATABASE_URL set can
// show that the PostgreSQL suites really ran (their describe titles end with "on postgres").
class EngineReporter {
  onRunComplete(_contexts, results) {
    const counts = { sqlite: 0, postgres: 0 };
    for (const file of results.testResults) {
      for (const test of file.testResults) {
        if (test.status !== 'passed') continue;
        const engine = test.ancestorTitles.map((t) => / on (sqlite|postgres)$/.exec(t)?.[1]).find(Boolean);
        if (engine) counts[engine] += 1;
      }
    }
    if (counts.sqlite + counts.postgres > 0) {
      process.stdout.write(`Database tests passed: sqlite ${counts.sqlite}, postgres ${counts.postgres}\n`);
    }
  }
}
module.exports = EngineReporter;
