import { join } from 'node:path';
import { runBundle } from '@forum/code-cache';

// The image's entry (`node start.js`): the service's bundle, main.js beside it, compiled from V8's
// code cache made when the image was built (libs/code-cache). main.js alone runs the same service.
runBundle(join(__dirname, 'main.js'));
