/**
 * The node setup as a library: observe, plan, apply, verify, undo. The `byz`
 * CLI, the node agent's API and the lab all go through these functions.
 */
import type { Host } from '../common/run.ts';
import { observeNode, probeAddressInUse } from '../observe/observe-node.ts';
import type { NodeState } from '../observe/state.ts';
import { planSetup } from '../plan/setup-plan.ts';
import type { SetupChoices } from '../plan/choices.ts';
import type { Plan } from '../plan/step.ts';
import { readJournal } from '../apply/journal.ts';
import { applyPlan, type ApplyOptions, type ApplyReport } from '../apply/apply.ts';

export type { Host } from '../common/run.ts';
export type { NodeState } from '../observe/state.ts';
export type { Plan, Step, Action, Expectation, Params } from '../plan/step.ts';
export type { SetupChoices, Paths } from '../plan/choices.ts';
export { DEFAULT_PATHS, DEFAULT_RADIO, DEFAULT_MESH_RANGE, DEFAULT_CLIENT_RANGE, checkChoices } from '../plan/choices.ts';
export { planSetup } from '../plan/setup-plan.ts';
export { MESSAGES, describe } from '../plan/messages.ts';
export { observeNode } from '../observe/observe-node.ts';
export { applyPlan, undoSetup, type ApplyReport, type StepReport, type UndoReport } from '../apply/apply.ts';
export { verifyPlan, type VerifyReport, type VerifyItem } from '../apply/verify.ts';
export { readJournal } from '../apply/journal.ts';

export function observeOptions(choices: SetupChoices) {
  return { babelSocket: `${choices.paths.runDir}/babeld.sock`, leaseFile: `${choices.paths.stateDir}/dnsmasq.leases` };
}

export interface ProbedPlan {
  readonly plan: Plan;
  readonly state: NodeState;
  /** Addresses the planner first drew but a neighbour already used. */
  readonly duplicates: string[];
  /** Why the one-hop check could not run, if it could not (arping missing, a link down); empty when it ran. */
  readonly unchecked: string[];
  /** The plan's "free:" steps whose address the planner's probe just found free. */
  readonly probedFree: string[];
}

/**
 * Observe, plan, then probe the mesh links for the drawn addresses (arping:
 * one hop) and plan again around any that answer. Addresses babeld already
 * knows (any number of hops) were avoided by the planner itself.
 */
export async function planWithProbes(host: Host, choices: SetupChoices, tries = 5, avoid: readonly string[] = []): Promise<ProbedPlan> {
  const observed = await observeNode(host, observeOptions(choices));
  let state: NodeState = { ...observed, inUse: [...observed.inUse, ...avoid] };
  const duplicates: string[] = [];
  for (let i = 0; ; i++) {
    const plan = planSetup(state, choices);
    const clientAddress = plan.clientPrefix.replace(/\.0\/24$/, '.1');
    const ownAddresses = new Set(state.addresses.map((a) => a.local));
    const found: string[] = [];
    const unchecked: string[] = [];
    const probedFree: string[] = [];
    if (state.programs.arping === false) {
      unchecked.push('arping is missing (install the Debian package "iputils-arping")');
    } else {
      for (const dev of choices.meshInterfaces) {
        for (const address of [plan.meshAddress, clientAddress]) {
          if (ownAddresses.has(address) || found.includes(address)) continue;
          const inUse = await probeAddressInUse(host, dev, address);
          if (inUse === false) probedFree.push(`free:${dev}:${address}`);
          if (inUse === undefined) unchecked.push(`arping could not probe ${address} on ${dev} (is the link up? is arping from iputils-arping?)`);
          if (inUse) found.push(address);
        }
      }
    }
    if (found.length === 0 || i >= tries) return { plan, state, duplicates, unchecked, probedFree };
    duplicates.push(...found);
    state = { ...state, inUse: [...state.inUse, ...found.map((a) => (a === clientAddress ? plan.clientPrefix : a))] };
  }
}

export interface SetupOutcome extends ProbedPlan {
  readonly report: ApplyReport;
}

/**
 * Plan and apply; when the duplicate check during apply (the radio has just
 * joined the mesh) finds a neighbour on a drawn address, the apply is taken
 * back and the node plans again around it, a few times at most.
 */
export async function planAndApply(host: Host, choices: SetupChoices, options: ApplyOptions = {}, attempts = 4): Promise<SetupOutcome> {
  const avoid: string[] = [];
  const duplicates: string[] = [];
  for (let i = 1; ; i++) {
    const probed = await planWithProbes(host, choices, 5, avoid);
    duplicates.push(...probed.duplicates);
    // Addresses the planner probed a moment ago on a link that was already in the mesh need no second probe.
    const report = await applyPlan(host, probed.plan, choices, { ...options, knownToHold: new Set(probed.probedFree) });
    if (report.ok || report.inUse === undefined || i >= attempts) return { ...probed, duplicates, report };
    duplicates.push(report.inUse);
    const clientAddress = probed.plan.clientPrefix.replace(/\.0\/24$/, '.1');
    avoid.push(report.inUse === clientAddress ? probed.plan.clientPrefix : report.inUse);
  }
}

/** Choices newer than the first journals (byz setup apply --again and gateway on|off reuse stored choices). */
type AddedLater = 'upstreamDns' | 'captive' | 'babelFilters';

/** The choices and plan of the setup applied last (undefined when none is). */
export async function appliedSetup(stateDir: string): Promise<{ choices: SetupChoices; plan: Plan } | undefined> {
  const journal = await readJournal(stateDir);
  if (!journal) return undefined;
  // A journal written before a choice existed lacks it: the default is what that version did.
  const stored: Omit<SetupChoices, AddedLater> & Partial<Pick<SetupChoices, AddedLater>> = journal.choices;
  const choices: SetupChoices = { ...stored, upstreamDns: stored.upstreamDns ?? [], captive: stored.captive ?? false, babelFilters: stored.babelFilters ?? [] };
  return { choices, plan: journal.plan };
}
