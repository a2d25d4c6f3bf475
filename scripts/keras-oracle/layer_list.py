"""Writes the list of every layer class Keras 3 exports from `keras.layers`: test/fixtures/keras3-layers.json.
LayerLens' unit test (test/unit/layerCoverage.test.ts) checks that each one is either in the layer catalogue or
in its reasoned list of layers it names but cannot size, so that a layer a new Keras adds fails the test until
someone looks at it. CI has no Python, so the file is committed.

    KERAS_BACKEND=jax /path/kenv/bin/python scripts/keras-oracle/layer_list.py

The file: {"keras": version, "layers": {exported name: the class's own name}}. Aliases (`MaxPool2D`) map to the
class they name (`MaxPooling2D`); a public name is listed when it is a subclass of `keras.layers.Layer`.
"""
import inspect
import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "test", "fixtures", "keras3-layers.json")


def main():
    found = {}
    for name in sorted(dir(keras.layers)):
        if name.startswith("_"):
            continue
        obj = getattr(keras.layers, name)
        if inspect.isclass(obj) and issubclass(obj, keras.layers.Layer):
            found[name] = obj.__name__
    doc = {"keras": keras.__version__, "layers": found}
    with open(OUT, "w") as f:
        f.write(json.dumps(doc, indent=2) + "\n")
    print(f"{len(found)} layer names ({len(set(found.values()))} classes) -> {os.path.relpath(OUT, ROOT)}")


if __name__ == "__main__":
    sys.exit(main())
