// `npm test`: everything, in the order that fails fastest.
//   1. Chromium is present (the browser tests need it; nothing is downloaded)
//   2. type check (astro check: components, pages, tools, tests)
//   3. build the book and the bundled node tools, as a node would get them
//   4. vitest: unit, integration and browser projects
// On CI (CI=true, as root) the integration tests must run, not skip.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (!existsSync(chromium)) {
  console.error(
    `npm test: Chromium not found at ${chromium}; install it (Debian/Ubuntu: sudo apt-get install chromium) or set CHROMIUM_PATH`,
  );
  process.exit(1);
}

function step(title, command, args) {
  console.log(`\n▶ ${title}`);
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`npm test: ${title} failed`);
    process.exit(result.status ?? 1);
  }
}

// astro check type-checks the .astro components and every .ts file in tsconfig's scope.
step('type check', 'npm', ['run', '--silent', 'typecheck']);
step('build the book', 'npm', ['run', '--silent', 'build']);
step('bundle the node tools', 'npm', ['run', '--silent', 'build:tools']);

const report = 'test-results/vitest.json';
rmSync(report, { force: true });
step('tests (vitest)', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]);

// A skipped integration test on CI means a proof was never made: fail.
// The one allowed reason is a kernel that lacks a feature (vfat,
// device-mapper): no install step can add it, and such a test names the
// feature in its title ("… (needs vfat in the kernel)") and prints why.
if (process.env.CI) {
  const { testResults } = JSON.parse(readFileSync(report, 'utf8'));
  const skipped = testResults
    .filter((file) => file.name.includes('/test/integration/'))
    .flatMap((file) => file.assertionResults.filter((t) => t.status !== 'passed' && t.status !== 'failed'))
    .map((t) => t.fullName)
    .filter((name) => !/\(needs [\w -]+ in the kernel\)/.test(name));
  if (skipped.length > 0) {
    console.error(`npm test: ${skipped.length} integration test(s) did not run on CI:\n  ${skipped.join('\n  ')}`);
    process.exit(1);
  }
}
