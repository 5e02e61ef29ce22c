// Loaded into a service by `bench --allocations` (node --import): between two SIGUSR2 it samples
// what the JavaScript heap allocates, with V8's sampling heap profiler keeping the objects already
// collected (what a request leaves behind is what makes the garbage collector work), and counts
// the HTTP requests begun. At the second signal it writes <ALLOCATIONS_DIR>/<pid>.json: the bytes
// sampled, the requests, and the functions that allocated most, by the bytes they allocated
// themselves.
import { subscribe } from 'node:diagnostics_channel';
import { renameSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

const dir = process.env.ALLOCATIONS_DIR;
const SAMPLING_INTERVAL_BYTES = 4096;
const TOP_SITES = 12;

let requests = 0;
subscribe('http.server.request.start', () => {
  requests += 1;
});
const session = new Session();
session.connect();

let requestsBefore;
process.on('SIGUSR2', () => {
  if (requestsBefore === undefined) {
    requestsBefore = requests;
    session.post('HeapProfiler.startSampling', {
      samplingInterval: SAMPLING_INTERVAL_BYTES,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
    return;
  }
  const counted = requests - requestsBefore;
  requestsBefore = undefined;
  session.post('HeapProfiler.stopSampling', (error, result) => {
    const bySite = new Map();
    let bytes = 0;
    const visit = (node) => {
      const { functionName, url, lineNumber } = node.callFrame;
      const site = `${functionName || '(anonymous)'} ${url.replace(/^.*\/(node_modules|dist)\//, '')}:${lineNumber + 1}`;
      bytes += node.selfSize;
      if (node.selfSize > 0) bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
      for (const child of node.children) visit(child);
    };
    if (result) visit(result.profile.head);
    const sites = [...bySite].sort((a, b) => b[1] - a[1]).slice(0, TOP_SITES);
    const summary = { requests: counted, bytes, sites: sites.map(([site, siteBytes]) => ({ site, bytes: siteBytes })), error: error?.message };
    if (!dir) return;
    // Whole or not at all: the bench reads the file as soon as it is there.
    writeFileSync(join(dir, `${process.pid}.part`), JSON.stringify(summary));
    renameSync(join(dir, `${process.pid}.part`), join(dir, `${process.pid}.json`));
  });
});
