"""Writes the ground truth for operations on Keras tensors that return several tensors or rearrange blocks, and for
Lambda layers called on a list of tensors: test/fixtures/ops.json. LayerLens' unit test (test/unit/ops.test.ts)
analyses each case and compares; CI has no Python, so the file is committed.

    KERAS_BACKEND=jax /path/kenv/bin/python scripts/keras-oracle/ops.py

Two kinds of case:
  - "keras": a Functional model built by real Keras 3 (JAX backend, CPU) from `source`, with `keras.ops` functions
    (split, take, unstack, depth_to_space, space_to_depth) or a Lambda on a list. "rows": one per operation of the
    model (`model.operations`, as its summary lists them, Inputs included): [name, class name, [the shape of each
    output], parameters]; or, where Keras rejects the model, "error": str(the exception).
  - "tf": a TensorFlow function (`call`, on the tensor `x` of shape `input`, batch None) traced by tf.function:
    "outputs": the static shape of each tensor it returns, as TensorFlow's shape functions give it; or "error".
    Keras 3 refuses TensorFlow functions on its symbolic tensors (they run inside a Lambda or a layer's call), and
    tf.keras 2.x wrapped them in TFOpLambda rows: either way the shape is TensorFlow's. Needs tensorflow-cpu.

Each Keras source runs after `keras.backend.clear_session()`, so that generated names are numbered as in a fresh
script; the model is the variable `model`.
"""
import json
import os
import warnings

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "test", "fixtures", "ops.json")

HEAD = "import keras\nfrom keras import layers, ops\n\n"


def model_of(body, *shapes):
    """Inputs a, b, ... of these shapes, the body's statements, and `model = keras.Model(inputs, out)`."""
    names = [chr(97 + i) for i in range(len(shapes))]
    inputs = "".join(f"{n} = keras.Input(shape={s})\n" for n, s in zip(names, shapes))
    given = names[0] if len(names) == 1 else "[" + ", ".join(names) + "]"
    return HEAD + inputs + body + f"model = keras.Model({given}, out)\n"


KERAS_CASES = [
    # split: an int splits into equal parts; a list gives the indices it cuts at (NumPy's split).
    model_of("left, right = ops.split(a, 2, axis=-1)\nout = layers.Concatenate()([right, left])\n", "(10, 8)"),
    model_of("first, mid, rest = ops.split(a, [2, 5], axis=1)\nout = layers.Dense(3)(rest)\n", "(10, 8)"),
    model_of("parts = ops.split(a, 4, axis=1)\nout = layers.Add()([parts[0], parts[3]])\n", "(12, 6)"),
    model_of("q, k = ops.split(a, 2, axis=1)\nout = layers.Concatenate(axis=1)([q, k])\n", "(None, 16)"),
    model_of("out = ops.split(a, 3, axis=1)[0]\n", "(10, 8)"),
    # take: constant indices replace the axis by their shape; without an axis, from the flattened tensor.
    model_of("out = ops.take(a, [0, 2, 4], axis=1)\n", "(10, 8)"),
    model_of("out = ops.take(a, [[0, 1], [2, 3]], axis=-1)\n", "(10, 8)"),
    model_of("out = ops.take(a, 3, axis=1)\n", "(10, 8)"),
    model_of("out = ops.take(a, [1, 2])\n", "(10, 8)"),
    # unstack: one tensor per item of the axis.
    model_of("steps = ops.unstack(a, axis=1)\nout = layers.Add()(steps)\n", "(4, 8)"),
    model_of("x0, x1, x2 = ops.unstack(a, axis=-1)\nout = layers.Multiply()([x0, x2])\n", "(5, 3)"),
    model_of("out = ops.unstack(a, axis=1)[0]\n", "(None, 8)"),
    # depth_to_space / space_to_depth (pixel shuffle).
    model_of("x = layers.Conv2D(9, 3, padding='same')(a)\nout = ops.depth_to_space(x, 3)\n", "(None, None, 1)"),
    model_of("x = layers.Conv2D(12, 3, padding='same')(a)\nout = ops.depth_to_space(x, 2)\n", "(16, 16, 3)"),
    model_of("out = ops.depth_to_space(a, 2, data_format='channels_first')\n", "(8, 5, 7)"),
    model_of("out = ops.depth_to_space(a, 2)\n", "(8, 8, 6)"),
    model_of("out = ops.depth_to_space(a, 1)\n", "(8, 8, 4)"),
    model_of("out = ops.space_to_depth(a, 2)\n", "(8, 8, 3)"),
    model_of("out = ops.space_to_depth(a, 4)\n", "(None, None, 3)"),
    model_of("out = ops.space_to_depth(a, 2)\n", "(7, 8, 3)"),
    # Lambda on a list or tuple of tensors: its function gets the list.
    model_of("out = layers.Lambda(lambda t: t[0] * t[1])([a, b])\n", "(8,)", "(8,)"),
    model_of("out = layers.Lambda(lambda xs: ops.concatenate(xs, axis=-1))([a, b])\n", "(4, 8)", "(4, 3)"),
    model_of(
        "def euclidean(pair):\n    x, y = pair\n    s = ops.sum(ops.square(x - y), axis=1, keepdims=True)\n"
        "    return ops.sqrt(ops.maximum(s, keras.backend.epsilon()))\n\n"
        "h = layers.Dense(16)\nout = layers.Lambda(euclidean)([h(a), h(b)])\n",
        "(10,)",
        "(10,)",
    ),
    model_of("l1 = layers.Lambda(lambda t: ops.abs(t[0] - t[1]))\nout = layers.Dense(1)(l1((a, b)))\n", "(32,)", "(32,)"),
    # A gated linear unit: a custom layer's call() splitting its Dense's output in two.
    model_of(
        "class GLU(layers.Layer):\n    def __init__(self, units, **kwargs):\n        super().__init__(**kwargs)\n"
        "        self.proj = layers.Dense(units * 2)\n\n    def call(self, x):\n"
        "        value, gate = ops.split(self.proj(x), 2, axis=-1)\n        return value * ops.sigmoid(gate)\n\n"
        "out = GLU(16)(a)\n",
        "(10, 8)",
    ),
]

TF_CASES = [
    ("tf.nn.depth_to_space(x, 3)", [None, None, None, 9]),
    ("tf.nn.depth_to_space(x, 3)", [None, 100, 100, 9]),
    ("tf.nn.depth_to_space(x, 2)", [None, 16, 16, 12]),
    ("tf.nn.depth_to_space(x, 2, data_format='NCHW')", [None, 12, 5, 7]),
    ("tf.nn.depth_to_space(x, 2)", [None, 8, 8, 6]),
    ("tf.nn.space_to_depth(x, 2)", [None, 8, 8, 3]),
    ("tf.nn.space_to_depth(x, 2)", [None, 7, 8, 3]),
    ("tf.split(x, 3, axis=3)", [None, 512, 512, 3]),
    ("tf.split(x, 2, axis=-1)", [None, 196, 8]),
    ("tf.split(x, [2, -1], axis=1)", [None, 10, 8]),
    ("tf.split(x, [2, 3, 5], 1)", [None, 10, 8]),
    ("tf.split(x, [2, 3], axis=1)", [None, 10, 8]),
    ("tf.split(x, 3, axis=1)", [None, 10, 8]),
    ("tf.split(x, num_or_size_splits=2, axis=1)", [None, None, 8]),
    ("tf.unstack(x, axis=1)", [None, 4, 8]),
    ("tf.unstack(x, axis=-1)", [None, 16, 6]),
    ("tf.unstack(x, axis=1)", [None, None, 8]),
    ("tf.gather(x, [0, 2, 4], axis=1)", [None, 10, 8]),
    ("tf.gather(x, [[0, 1], [2, 3]], axis=-1)", [None, 10, 8]),
    ("tf.gather(x, 3, axis=1)", [None, 10, 8]),
    ("tf.gather(x, [1, 2])", [None, 10, 8]),
]


def shapes(outputs):
    return [list(t.shape) for t in (outputs if isinstance(outputs, (list, tuple)) else [outputs])]


def keras_case(source):
    keras.backend.clear_session()
    namespace = {}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            exec(compile(source, "<case>", "exec"), namespace)
    except Exception as e:  # noqa: BLE001 - Keras' refusal is the truth
        return {"kind": "keras", "source": source, "error": str(e)}
    model = namespace["model"]
    rows = []
    for op in model.operations:
        node = op._inbound_nodes[0]
        params = op.count_params() if isinstance(op, keras.layers.Layer) else 0
        rows.append([op.name, type(op).__name__, shapes(node.output_tensors), params])
    return {"kind": "keras", "source": source, "rows": rows}


def tf_case(call, input_shape):
    import tensorflow as tf

    fn = eval("lambda x: " + call, {"tf": tf})  # noqa: S307 - the cases above
    try:
        traced = tf.function(fn).get_concrete_function(tf.TensorSpec(input_shape, tf.float32))
    except Exception as e:  # noqa: BLE001 - TensorFlow's refusal is the truth
        return {"kind": "tf", "call": call, "input": input_shape, "error": str(e).strip().splitlines()[0]}
    return {"kind": "tf", "call": call, "input": input_shape, "outputs": shapes(traced.structured_outputs)}


def main():
    import tensorflow as tf

    cases = [keras_case(s) for s in KERAS_CASES] + [tf_case(c, s) for c, s in TF_CASES]
    with open(OUT, "w") as f:
        json.dump({"keras": keras.__version__, "tensorflow": tf.__version__, "cases": cases}, f, indent=1)
        f.write("\n")
    print(f"wrote {len(cases)} cases to {OUT}")


if __name__ == "__main__":
    main()
