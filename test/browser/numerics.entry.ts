// Bundled by the numerics test for the page: the webview's own runner, run once on WebGL and once on the CPU.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import type { PreviewModel } from '../../src/protocol';
import { inputGeometry, patternPlane, toChannels } from '../../webview/tfjs/inputs';
import { ModelRunner } from '../../webview/tfjs/runner';

async function mapsOn(backend: string, model: PreviewModel): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const runner = new ModelRunner();
  runner.build(model);
  const g = inputGeometry(model.inputShape)!;
  const maps = runner.run(toChannels(patternPlane('digit', g.height, g.width), g), [g.height, g.width, g.channels]);
  runner.dispose();
  return maps.map((m) => m.values);
}

(window as unknown as { compareBackends: unknown }).compareBackends = async (model: PreviewModel) => {
  const gl = await mapsOn('webgl', model);
  const backend = tf.getBackend();
  const cpu = await mapsOn('cpu', model);
  return {
    backend,
    perLayer: gl.map((a, i) => {
      let max = 0;
      let scale = 0;
      for (let k = 0; k < a.length; k++) {
        max = Math.max(max, Math.abs(a[k] - cpu[i][k]));
        scale = Math.max(scale, Math.abs(cpu[i][k]));
      }
      return { maxAbsDiff: max, maxAbs: scale, size: a.length };
    }),
  };
};
