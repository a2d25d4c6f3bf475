"""Writes a keras.applications weight file in the format Keras caches under ~/.keras/models/ (the Keras 2 HDF5
layout of `save_weights`: a `layer_names` attribute, a group per layer with its `weight_names`), and what Keras
computes with it: test/fixtures/weights/mobilenet_2_5_32_tf_no_top.h5 and mobilenet_2_5_32_tf_no_top.json (read by
test/unit/applicationsPreview.test.ts; CI has no Python, so both are committed). Then a `.keras` save of a model
built on that base, `keras.Sequential([base, layers.Flatten(), layers.Dense(3)])` (the base's weights nested under
`layers/functional/layers/…` in its model.weights.h5), and its output: mobilenet_head.keras and mobilenet_head.json.

    KERAS_BACKEND=jax /path/kenv/bin/python scripts/keras-oracle/application_weights.py

The model is MobileNet(alpha=0.25, include_top=False, input_shape=(32, 32, 3)): 218,544 parameters, small enough
to commit (874 KB). Its weights are seeded random values (batch-norm variances positive), so that loading them in
the wrong place or order changes the output.
"""
import json
import os

os.environ.setdefault("KERAS_BACKEND", "jax")
import h5py  # noqa: E402
import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras.src.legacy.saving import legacy_h5_format  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "test", "fixtures", "weights")
NAME = "mobilenet_2_5_32_tf_no_top"
CALL = "MobileNet(weights=None, include_top=False, input_shape=(32, 32, 3), alpha=0.25)"


def main():
    model = keras.applications.MobileNet(weights=None, include_top=False, input_shape=(32, 32, 3), alpha=0.25)
    rng = np.random.default_rng(7)
    for w in model.weights:
        values = rng.normal(0.0, 0.2, size=tuple(w.shape)).astype("float32")
        if "variance" in w.path:
            values = np.abs(values) + 0.5
        w.assign(values)
    path = os.path.join(OUT, NAME + ".h5")
    with h5py.File(path, "w") as f:
        legacy_h5_format.save_weights_to_hdf5_group(f, model)
    # The input: a smooth pattern over the 32×32×3 image, in [0, 1].
    y, x, c = np.meshgrid(np.arange(32), np.arange(32), np.arange(3), indexing="ij")
    image = ((np.sin(x / 3.0 + c) + np.cos(y / 5.0 - c)) / 4.0 + 0.5).astype("float32")
    out = model.predict(image[None], verbose=0)
    with open(os.path.join(OUT, NAME + ".json"), "w") as f:
        json.dump(
            {
                "keras": keras.__version__,
                "call": CALL,
                "params": int(model.count_params()),
                "input": "((sin(x / 3 + c) + cos(y / 5 - c)) / 4 + 0.5) at row y, column x, channel c",
                "outputShape": list(out.shape[1:]),
                "output": [round(float(v), 6) for v in out.reshape(-1)],
            },
            f,
            indent=1,
        )
        f.write("\n")
    print(path, os.path.getsize(path), "bytes;", model.count_params(), "params; output", out.shape)

    head = keras.Sequential([model, keras.layers.Flatten(), keras.layers.Dense(3)])
    head.build((None, 32, 32, 3))
    for w in head.layers[-1].weights:
        w.assign(rng.normal(0.0, 0.2, size=tuple(w.shape)).astype("float32"))
    saved = os.path.join(OUT, "mobilenet_head.keras")
    head.save(saved)
    out = head.predict(image[None], verbose=0)
    with open(os.path.join(OUT, "mobilenet_head.json"), "w") as f:
        json.dump({"keras": keras.__version__, "params": int(head.count_params()), "output": [round(float(v), 6) for v in out.reshape(-1)]}, f, indent=1)
        f.write("\n")
    print(saved, os.path.getsize(saved), "bytes; output", out)


if __name__ == "__main__":
    main()
