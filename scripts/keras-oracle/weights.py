"""Writes a Keras 3 weight file whose layers carry names of their own, and what Keras computes with it:
test/fixtures/weights/named_layers.weights.h5 and named_layers.json (read by test/unit/weights.test.ts; CI has
no Python, so both are committed).

    KERAS_BACKEND=jax /path/kenv/bin/python scripts/keras-oracle/weights.py

Keras 3's `save_weights` (and the model.weights.h5 inside a `.keras` file) keys each layer by its class in snake
case, numbered in the model's order (`layers/dense`, `layers/batch_normalization`, `layers/dense_1`), whatever
`name=` says; HDF5 lists the keys alphabetically. The weights are set to fixed values so the output is stable.
"""
import json
import os

os.environ.setdefault("KERAS_BACKEND", "jax")
import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras import layers  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "test", "fixtures", "weights")

SOURCE = (
    "import keras\nfrom keras import layers\n\n"
    "model = keras.Sequential([\n"
    "    keras.Input(shape=(4,)),\n"
    "    layers.Dense(3, name='hidden'),\n"
    "    layers.BatchNormalization(),\n"
    "    layers.Dense(2, name='head'),\n"
    "])\n"
)
INPUT = [[1.0, 0.0, -1.0, 0.5]]

# A branching Functional model: the keys follow model.layers (Keras' order), numbered per class.
FUNCTIONAL = (
    "import keras\nfrom keras import layers\n\n"
    "a = keras.Input(shape=(8,))\n"
    "b1 = layers.Dense(4, name='left')(a)\n"
    "b2 = layers.Dense(5)(a)\n"
    "b2 = layers.Dense(4, name='deep')(b2)\n"
    "x = layers.add([b1, b2])\n"
    "y = layers.Dense(2)(x)\n"
    "model = keras.Model(a, y)\n"
)


def saved_keys(model, path):
    """The key save_weights gives each layer with weights, by layer name: each layer's variables are filled with
    its position in model.layers, and the file says which key holds which."""
    import h5py

    for i, layer in enumerate(model.layers):
        for w in layer.weights:
            w.assign(np.full(w.shape, i + 1, dtype="float32"))
    model.save_weights(path)
    keys = {}
    with h5py.File(path) as f:
        for key, group in f["layers"].items():
            if "vars" in group and "0" in group["vars"]:
                keys[model.layers[int(np.asarray(group["vars"]["0"]).flat[0]) - 1].name] = key
    os.remove(path)
    return keys


def main():
    namespace = {}
    exec(compile(SOURCE, "<model>", "exec"), namespace)
    model = namespace["model"]
    for i, w in enumerate(model.weights):
        size = int(np.prod(w.shape))
        values = (np.arange(size, dtype="float32") * 0.1 + 0.05 * (i + 1)).reshape(w.shape)
        if "variance" in w.path:
            values = values + 1.0
        w.assign(values)
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, "named_layers.weights.h5")
    model.save_weights(path)
    output = model.predict(np.array(INPUT, dtype="float32"), verbose=0)
    functional_ns = {}
    exec(compile(FUNCTIONAL, "<functional>", "exec"), functional_ns)
    doc = {
        "keras": keras.__version__,
        "source": SOURCE,
        "layers": [l.name for l in model.layers],
        "input": INPUT,
        "output": [[round(float(v), 6) for v in row] for row in output],
        "functional": {
            "source": FUNCTIONAL,
            "layers": [l.name for l in functional_ns["model"].layers],
            "keys": saved_keys(functional_ns["model"], os.path.join(OUT, "functional.tmp.weights.h5")),
        },
    }
    with open(os.path.join(OUT, "named_layers.json"), "w") as f:
        f.write(json.dumps(doc, indent=1) + "\n")
    print(f"{os.path.relpath(path)} ({os.path.getsize(path)} bytes), output {doc['output']}")


if __name__ == "__main__":
    main()
