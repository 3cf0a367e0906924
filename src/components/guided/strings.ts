import { z } from 'astro/zod';
import { MESSAGES } from '../../../tools/plan/messages.ts';

/**
 * Every UI string of the guided setup (guided.*) and the operator's controls
 * (operate.*). `guided.step.<key>` translates the setup tools' step messages
 * (tools/plan/messages.ts), so a plan reads in the reader's language; a unit
 * test keeps the two lists in step.
 */
export const STEP_KEYS = Object.keys(MESSAGES).map((key) => `guided.step.${key}`);

export const GUIDED_KEYS = [
  'guided.absent',
  'guided.title',
  'guided.visitor',
  'guided.login.help',
  'guided.login.field',
  'guided.login.submit',
  'guided.login.bad',
  'guided.now.title',
  'guided.now.setUp',
  'guided.now.notSetUp',
  'guided.now.interface',
  'guided.now.link',
  'guided.now.addresses',
  'guided.now.wired',
  'guided.now.wireless',
  'guided.now.up',
  'guided.now.down',
  'guided.choices',
  'guided.choice.mesh',
  'guided.choice.wired',
  'guided.choice.mode',
  'guided.choice.mode.ibss',
  'guided.choice.mode.mesh',
  'guided.choice.channel',
  'guided.choice.essid',
  'guided.choice.clients',
  'guided.choice.accessPoint',
  'guided.plan.show',
  'guided.plan.title',
  'guided.plan.addresses',
  'guided.plan.refused',
  'guided.plan.write',
  'guided.plan.remove',
  'guided.plan.stop',
  'guided.plan.wait',
  'guided.plan.check',
  'guided.apply',
  'guided.verify',
  'guided.undo',
  'guided.job.running',
  'guided.job.succeeded',
  'guided.job.failed',
  'guided.verify.title',
  'guided.verify.ok',
  'guided.verify.notOk',
  'guided.verify.holds',
  'guided.verify.fails',
  'guided.verify.skipped',
] as const;

export const OPERATE_KEYS = [
  'operate.absent',
  'operate.title',
  'operate.directory.title',
  'operate.directory.none',
  'operate.directory.on',
  'operate.services.title',
  'operate.services.none',
  'operate.services.running',
  'operate.services.stopped',
  'operate.services.on',
  'operate.services.off',
  'operate.services.cascade',
  'operate.services.changed',
  'operate.gateway.title',
  'operate.gateway.isOn',
  'operate.gateway.isOff',
  'operate.gateway.unknown',
  'operate.gateway.on',
  'operate.gateway.off',
  'operate.clone.title',
  'operate.clone.help',
  'operate.clone.list',
  'operate.clone.target',
  'operate.clone.confirm',
  'operate.clone.start',
  'operate.clone.verified',
  'operate.clone.failed',
] as const;

export const ALL_GUIDED_KEYS: readonly string[] = [...GUIDED_KEYS, ...STEP_KEYS, ...OPERATE_KEYS];

export const guidedStringsSchema = z.object(Object.fromEntries(ALL_GUIDED_KEYS.map((key) => [key, z.string().optional()])));
