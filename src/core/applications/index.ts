/**
 * The architectures of `keras.applications` that LayerLens knows: each family's Python (`<family>.py`, written here
 * from the published structure, see vgg.py) after the prelude every family shares (prelude.py), and the names of the
 * architectures each family defines (its `__all__`). The files are imported as text (python.d.ts).
 */
/// <reference path="./python.d.ts" />
import prelude from './prelude.py';
import convnext from './convnext.py';
import densenet from './densenet.py';
import efficientnet from './efficientnet.py';
import efficientnet_v2 from './efficientnet_v2.py';
import inception_resnet_v2 from './inception_resnet_v2.py';
import inception_v3 from './inception_v3.py';
import mobilenet from './mobilenet.py';
import mobilenet_v3 from './mobilenet_v3.py';
import nasnet from './nasnet.py';
import resnet from './resnet.py';
import vgg from './vgg.py';
import xception from './xception.py';

/** Each family's Python, by its file's name. */
export const FAMILY_SOURCES: Readonly<Record<string, string>> = {
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

/** The Python every family's runs after. */
export const PRELUDE_SOURCE: string = prelude;

/** The architectures a family's Python defines: the names of its `__all__ = ["VGG16", "VGG19"]` (one line). */
export function familyArchitectures(source: string): string[] {
  const all = /^__all__ = \[(.*)\]$/m.exec(source);
  return all ? [...all[1].matchAll(/"(\w+)"/g)].map((m) => m[1]) : [];
}

const FAMILY_OF = new Map(Object.entries(FAMILY_SOURCES).flatMap(([family, source]) => familyArchitectures(source).map((a) => [a, family] as const)));

/** Every architecture LayerLens analyses, by Keras' name (`VGG16`). */
export const APPLICATIONS: readonly string[] = [...FAMILY_OF.keys()];

/** Whether `name` is an architecture LayerLens analyses. */
export function isApplication(name: string): boolean {
  return FAMILY_OF.has(name);
}

/** The Python that defines an architecture (the prelude and its family's source), or null for one LayerLens does not know. */
export function applicationSource(architecture: string): { family: string; text: string } | null {
  const family = FAMILY_OF.get(architecture);
  return family ? { family, text: `${prelude}\n${FAMILY_SOURCES[family]}` } : null;
}
