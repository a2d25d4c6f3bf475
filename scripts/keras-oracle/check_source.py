"""Runs the Python that LayerLens interprets for a keras.applications family (src/core/applications/<family>.py,
after prelude.py) in real Keras, and compares the model it builds, layer by layer (name, class, output shape,
parameters), with keras.applications' own.

    python scripts/keras-oracle/check_source.py vgg VGG16 '{"include_top": false, "input_shape": [150, 150, 3]}'

Needs a venv with `pip install keras jax jaxlib` (KERAS_BACKEND=jax). Not run by CI: CI compares LayerLens with
the fixtures that applications.py writes. Exit 1 on the first difference.
"""
import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def rows(model):
    out = []
    for layer in model.layers:
        shape = layer.output.shape if not isinstance(layer.output, (list, tuple)) else [t.shape for t in layer.output]
        out.append((layer.name, type(layer).__name__, str(shape), layer.count_params()))
    return out


def main():
    family, arch = sys.argv[1], sys.argv[2]
    kwargs = json.loads(sys.argv[3]) if len(sys.argv) > 3 else {}
    kwargs.setdefault("weights", None)
    if "input_shape" in kwargs and kwargs["input_shape"] is not None:
        kwargs["input_shape"] = tuple(kwargs["input_shape"])
    # The very text LayerLens interprets: the prelude, then the family (src/core/applications/index.ts joins them so).
    applications = os.path.join(ROOT, "src", "core", "applications")
    with open(os.path.join(applications, "prelude.py"), encoding="utf-8") as f:
        prelude = f.read()
    with open(os.path.join(applications, family + ".py"), encoding="utf-8") as f:
        source = prelude + "\n" + f.read()
    namespace = {}
    exec(compile(source, f"<{family}>", "exec"), namespace)
    # Each model in a fresh session, so that names Keras generates (`input_layer`) are numbered alike.
    theirs = getattr(keras.applications, arch)(**kwargs)
    keras.backend.clear_session()
    ours = namespace[arch](**kwargs)
    a, b = rows(ours), rows(theirs)
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            print(f"layer {i}: ours {x} != keras {y}")
            sys.exit(1)
    if len(a) != len(b):
        print(f"ours has {len(a)} layers, keras {len(b)}; first extra: {(a if len(a) > len(b) else b)[min(len(a), len(b))]}")
        sys.exit(1)
    if ours.count_params() != theirs.count_params():
        print(f"params: ours {ours.count_params()} != keras {theirs.count_params()}")
        sys.exit(1)
    print(f"{arch} {kwargs}: {len(a)} layers, {ours.count_params():,} params, identical")


if __name__ == "__main__":
    main()
