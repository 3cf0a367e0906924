#!/usr/bin/env node
// Entry point of the `byz` program (bundled to dist-tools/byz.mjs by scripts/build-tools.mjs).
import { runAsProgram } from './cli.ts';

await runAsProgram(process.argv.slice(2));
