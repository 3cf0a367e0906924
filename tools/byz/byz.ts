#!/usr/bin/env -S node --max-semi-space-size=2
// Entry point of the `byz` program (bundled to dist-tools/byz.mjs by scripts/build-tools.mjs).
// The small V8 young generation keeps the long-running agent under 80 MB on a
// weak node (see tools/agent/README.md); the other commands lose nothing by it.
import { runAsProgram } from './cli.ts';

await runAsProgram(process.argv.slice(2));
