import { parentPort, workerData } from 'node:worker_threads'
import { readPlanFile, type PlanLimits } from './plan-import.files.js'

/** Reads one uploaded plan off the web process's main thread (started by `readPlanFileInThread`). */
const { bytes, limits } = workerData as { bytes: Uint8Array; limits: PlanLimits }
parentPort?.postMessage(await readPlanFile(bytes, limits))
