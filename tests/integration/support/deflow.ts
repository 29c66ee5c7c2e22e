/** The DeFlow deployment helpers for tests: the same code `npm start` deploys with. */
export { deflowActor, deflowWasm, deflowWasmPath, deployDeflow, upgradeDeflowCanister } from '../../../cli/deploy';
export type { DeflowDeployment } from '../../../cli/deploy';
