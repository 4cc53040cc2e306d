import { describeEngines } from './engines.mjs';

/** Says once, before any test, which engines run and which are skipped (never counted as passing). */
export default function globalSetup(): void {
  console.log(describeEngines());
}
