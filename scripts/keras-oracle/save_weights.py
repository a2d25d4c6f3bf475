"""Ground truth for LayerLens' writer of Keras 3 `.weights.h5` files (src/weights/writeWeights.ts), in two steps:

    KERAS_BACKEND=jax /path/kenv/bin/python scripts/keras-oracle/save_weights.py save
    npx tsx scripts/keras-oracle/write_weights.ts /tmp/layerlens-written
    KERAS_BACKEND=jax /path/kenv/bin/python scripts/keras-oracle/save_weights.py check /tmp/layerlens-written

`save` builds each model below from its source, gives it seeded weights, saves them with Keras' own
`model.save_weights` (test/fixtures/weights/<case>.weights.h5) and records what `predict` gives for a fixed input
(test/fixtures/weights/saved_by_keras.json). write_weights.ts reads those weights back with LayerLens' reader, as
the preview holds them (by layer name, for the model LayerLens analyses from the source), and writes them with
LayerLens' writer. `check` builds each model afresh (other weights), loads the writer's file with
`model.load_weights`, predicts the same input and records the result with the SHA-256 of the file it loaded
(test/fixtures/weights/loaded_by_keras.json). It fails when an output differs from Keras' own by 1e-4 or more, or
when keras.saving.KerasFileEditor finds other arrays in the written file than in Keras' own.
test/unit/writeWeights.test.ts checks that the writer still writes exactly the bytes Keras loaded: CI has no
Python.

The cases: the book's MNIST convnet (Sequential); a small Functional model with a branch and a BatchNormalization
(whose moving mean and variance are non-trainable variables, saved after the trainable ones); a Sequential model
used as a layer of another (its weights nested under `layers/sequential/layers/…`).
"""
import hashlib
import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")
import numpy as np  # noqa: E402
import keras  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "test", "fixtures", "weights")
SAVED = os.path.join(OUT, "saved_by_keras.json")
LOADED = os.path.join(OUT, "loaded_by_keras.json")
TOLERANCE = 1e-4

CASES = {
    "convnet": (
        "from tensorflow import keras\nfrom tensorflow.keras import layers\n\n"
        "inputs = keras.Input(shape=(28, 28, 1))\n"
        "model = keras.Sequential([\n"
        "    inputs,\n"
        "    layers.Conv2D(32, (3, 3), activation='relu'),\n"
        "    layers.MaxPooling2D((2, 2)),\n"
        "    layers.Conv2D(64, (3, 3), activation='relu'),\n"
        "    layers.MaxPooling2D((2, 2)),\n"
        "    layers.Conv2D(64, (3, 3), activation='relu'),\n"
        "    layers.Flatten(),\n"
        "    layers.Dense(64, activation='relu'),\n"
        "    layers.Dense(10, activation='softmax'),\n"
        "])\n"
    ),
    "branch_bn": (
        "import keras\nfrom keras import layers\n\n"
        "inputs = keras.Input(shape=(8, 8, 3))\n"
        "x = layers.Conv2D(8, 3, padding='same')(inputs)\n"
        "x = layers.BatchNormalization()(x)\n"
        "x = layers.Activation('relu')(x)\n"
        "shortcut = layers.Conv2D(8, 1)(inputs)\n"
        "x = layers.add([x, shortcut])\n"
        "x = layers.GlobalAveragePooling2D()(x)\n"
        "outputs = layers.Dense(4, activation='softmax', name='head')(x)\n"
        "model = keras.Model(inputs, outputs)\n"
    ),
    "nested": (
        "import keras\nfrom keras import layers\n\n"
        "features = keras.Sequential([keras.Input(shape=(6,)), layers.Dense(5, activation='relu'), layers.BatchNormalization()])\n"
        "model = keras.Sequential([keras.Input(shape=(6,)), features, layers.Dense(3, activation='softmax')])\n"
    ),
}
INPUT = "(sin(x / 3 + c) + cos(y / 5 - c)) / 4 + 0.5 at row y, column x, channel c"


def build(source):
    # `from tensorflow import keras` (the book's spelling) is Keras 3 here: TensorFlow is not installed.
    namespace = {}
    exec(compile(source.replace("from tensorflow import keras", "import keras").replace("tensorflow.keras", "keras"), "<model>", "exec"), namespace)
    return namespace["model"]


def model_input(model):
    """The INPUT pattern at the model's input shape, as a batch of one."""
    shape = model.input_shape[1:]
    if len(shape) == 1:  # a vector: the pattern's first row
        shape = (1,) + shape + (1,)
    h, w, channels = shape
    y, x, c = np.meshgrid(np.arange(h), np.arange(w), np.arange(channels), indexing="ij")
    return ((np.sin(x / 3.0 + c) + np.cos(y / 5.0 - c)) / 4.0 + 0.5).astype("float32").reshape((1,) + model.input_shape[1:])


def seed_weights(model, seed):
    """Kernels at the scale of He's initialisation, so that the softmax is not saturated; batch-norm variances
    positive."""
    rng = np.random.default_rng(seed)
    for w in model.weights:
        shape = tuple(w.shape)
        noise = rng.normal(0.0, 1.0, size=shape).astype("float32")
        if "kernel" in w.path:
            values = noise * np.sqrt(2.0 / np.prod(shape[:-1]))
        elif "gamma" in w.path:
            values = 1.0 + 0.2 * noise
        elif "variance" in w.path:
            values = 0.5 + np.abs(noise)
        else:
            values = 0.1 * noise
        w.assign(values.astype("float32"))


def predict(model):
    return [round(float(v), 7) for v in np.asarray(model.predict(model_input(model), verbose=0)).reshape(-1)]


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def save():
    record = {"keras": keras.__version__, "input": INPUT, "cases": {}}
    for i, (name, source) in enumerate(CASES.items()):
        model = build(source)
        seed_weights(model, seed=20 + i)
        path = os.path.join(OUT, name + ".weights.h5")
        model.save_weights(path)
        record["cases"][name] = {
            "source": source,
            "model": "model",
            "file": os.path.basename(path),
            "layers": [{"name": l.name, "class": type(l).__name__, "variables": len(l.weights)} for l in model.layers],
            "output": predict(model),
        }
        print(f"{os.path.relpath(path, ROOT)}: {os.path.getsize(path)} bytes, {model.count_params()} params")
    with open(SAVED, "w") as f:
        f.write(json.dumps(record, indent=1) + "\n")


def editor_view(path):
    """What Keras' own inspector of weight files (keras.saving.KerasFileEditor) finds in a file: each array's path
    and shape."""

    def flat(d, prefix=""):
        out = {}
        for k, v in d.items():
            out.update(flat(v, f"{prefix}{k}/") if isinstance(v, dict) else {prefix + k: list(v.shape)})
        return out

    return flat(keras.saving.KerasFileEditor(path).weights_dict)


def check(written):
    with open(SAVED) as f:
        saved = json.load(f)
    record = {"keras": keras.__version__, "cases": {}}
    worst = 0.0
    for name, case in saved["cases"].items():
        model = build(case["source"])
        seed_weights(model, seed=99)  # weights other than the saved ones, so that loading has to change them
        before = predict(model)
        path = os.path.join(written, name + ".weights.h5")
        model.load_weights(path)
        output = predict(model)
        diff = max(abs(a - b) for a, b in zip(output, case["output"]))
        worst = max(worst, diff)
        if editor_view(path) != editor_view(os.path.join(OUT, case["file"])):
            sys.exit(f"{name}: KerasFileEditor finds other arrays in the written file than in Keras' own")
        record["cases"][name] = {
            "sha256": sha256(path),
            "bytes": os.path.getsize(path),
            "before": before,
            "output": output,
            "maxDiff": diff,
            # KerasFileEditor found the same arrays, with the same shapes, as in Keras' own file.
            "editorAgrees": True,
        }
        print(f"{name}: loaded {os.path.getsize(path)} bytes, max |output - Keras' own| = {diff:.2e} (before loading: "
              f"{max(abs(a - b) for a, b in zip(before, case['output'])):.2e})")
    if worst >= TOLERANCE:
        sys.exit(f"an output differs from Keras' own by {worst} (tolerance {TOLERANCE}): nothing recorded")
    with open(LOADED, "w") as f:
        f.write(json.dumps(record, indent=1) + "\n")


if __name__ == "__main__":
    if sys.argv[1:2] == ["save"]:
        save()
    elif sys.argv[1:2] == ["check"] and len(sys.argv) == 3:
        check(sys.argv[2])
    else:
        sys.exit(__doc__)
