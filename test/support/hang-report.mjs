// Preloaded into every test file's process by scripts/run-tests.mjs: a file still running
// shortly before the runner's 180 s timeout prints what keeps it alive (the runner's own
// timeout says only that it timed out), so a hang on CI can be diagnosed from its log.
const REPORT_AFTER_MS = 170_000;
// The runner process itself (it has --test) legitimately runs for minutes.
if (!process.execArgv.includes('--test'))
  setTimeout(() => {
    const counts = {};
    for (const r of process.getActiveResourcesInfo()) counts[r] = (counts[r] ?? 0) + 1;
    process.stderr.write(
      `[hang-report] ${process.argv.slice(1).join(' ')} still running after ${REPORT_AFTER_MS / 1000} s; ` +
        `active resources: ${JSON.stringify(counts)}\n`,
    );
  }, REPORT_AFTER_MS).unref();
