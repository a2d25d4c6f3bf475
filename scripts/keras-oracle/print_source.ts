// Prints the Python that LayerLens interprets for one family of keras.applications (prelude included), so that
// check_source.py can run the very same text in real Keras. Usage: tsx scripts/keras-oracle/print_source.ts vgg
import { prelude } from '../../src/core/applications/prelude';

const family = process.argv[2];
const mod = require(`../../src/core/applications/${family}`) as { source: string };
process.stdout.write(prelude + '\n' + mod.source);
