/**
 * The architectures of `keras.applications` that LayerLens knows: each family's Python (written here from the
 * published structure, see vgg.ts) and the names of the architectures it defines.
 */
import { prelude } from './prelude';
import * as convnext from './convnext';
import * as densenet from './densenet';
import * as efficientnet from './efficientnet';
import * as efficientnet_v2 from './efficientnet_v2';
import * as inception_resnet_v2 from './inception_resnet_v2';
import * as inception_v3 from './inception_v3';
import * as mobilenet from './mobilenet';
import * as mobilenet_v3 from './mobilenet_v3';
import * as nasnet from './nasnet';
import * as resnet from './resnet';
import * as vgg from './vgg';
import * as xception from './xception';

interface Family {
  architectures: string[];
  source: string;
}

const FAMILIES: Record<string, Family> = {
  convnext,
  densenet,
  efficientnet,
  efficientnet_v2,
  inception_resnet_v2,
  inception_v3,
  mobilenet,
  mobilenet_v3,
  nasnet,
  resnet,
  vgg,
  xception,
};

const FAMILY_OF = new Map(Object.entries(FAMILIES).flatMap(([family, f]) => f.architectures.map((a) => [a, family] as const)));

/** Every architecture LayerLens analyses, by Keras' name (`VGG16`). */
export const APPLICATIONS: readonly string[] = [...FAMILY_OF.keys()];

/** Whether `name` is an architecture LayerLens analyses. */
export function isApplication(name: string): boolean {
  return FAMILY_OF.has(name);
}

/** The Python that defines an architecture (the prelude and its family's source), or null for one LayerLens does not know. */
export function applicationSource(architecture: string): { family: string; text: string } | null {
  const family = FAMILY_OF.get(architecture);
  return family ? { family, text: `${prelude}\n${FAMILIES[family].source}` } : null;
}
