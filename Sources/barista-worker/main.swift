// barista-worker: one stateless barista taking drinks from the brewing queue through a share
// group. Wiring only; see BaristaWorkerHost and BaristaWorker.
import BaristaWorker

BaristaWorkerHost.run()
