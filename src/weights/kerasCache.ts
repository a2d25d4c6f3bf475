/**
 * The weight files Keras caches for `keras.applications` (`weights='imagenet'` downloads them once, into
 * `$KERAS_HOME/models`, else `~/.keras/models`): which of them belong to an architecture. Keras names them
 * `vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5`, `inception_v3_…`, `mobilenet_1_0_224_tf_no_top.h5`,
 * `efficientnetv2-b0_notop.h5`, `nasnet_mobile-no-top.h5`…: with separators removed, each starts with (or, for
 * MobileNetV3's `weights_mobilenet_v3_…`, follows `weights` with) the architecture's name in lower case. No vscode.
 */
import * as path from 'node:path';

/** Where Keras keeps downloaded weights. */
export function kerasModelsDir(env: Record<string, string | undefined>, home: string): string {
  return path.join(env.KERAS_HOME ?? path.join(home, '.keras'), 'models');
}

/**
 * The file names among `names` that hold weights of one of `architectures` (`VGG16`, `MobileNetV2`), those without
 * the classifier first when `includeTop` is false (the others first otherwise), then by name.
 */
export function cachedWeightFiles(names: readonly string[], architectures: readonly string[], includeTop: boolean): string[] {
  const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  const wanted = architectures.map(squash);
  const noTop = (n: string) => /no-?_?top/i.test(n);
  return names
    .filter(
      (n) =>
        /\.h5$/i.test(n) &&
        wanted.some((a) =>
          squash(n)
            .replace(/^weights/, '')
            .startsWith(a),
        ),
    )
    .sort((a, b) => Number(noTop(b) === !includeTop) - Number(noTop(a) === !includeTop) || a.localeCompare(b));
}
