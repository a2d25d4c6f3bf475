"""Writes the ground truth for `keras.applications`: test/fixtures/applications/<Architecture>.json, one file per
architecture, built by real Keras 3 (JAX backend, CPU). LayerLens' unit tests compare with these files in CI, which
has no Python, so the files are committed.

    KERAS_BACKEND=jax /path/kenv/bin/python scripts/keras-oracle/applications.py                  # all architectures
    KERAS_BACKEND=jax /path/kenv/bin/python scripts/keras-oracle/applications.py --only VGG16,ResNet50
    KERAS_BACKEND=jax /path/kenv/bin/python scripts/keras-oracle/applications.py --missing        # resume

Options: --only A,B (these architectures), --missing (only those without a file yet), --out DIR (another folder),
--initialize (create the weights for real: very slow, see below), --list (print the architectures and exit).

Each file: {"keras": version, "architecture": name, "cases": [...]}. A case is
  {"args": the keyword arguments passed (tuples as lists), "output_shape": model.output.shape,
   "total_params", "trainable_params", "non_trainable_params", and for some cases
   "layers": [[name, class name, output shape, count_params()], ...] and "frozen_non_trainable_params" (the
   non-trainable count after `model.trainable = False`)}
or, for arguments Keras rejects before it would download anything, {"args": ..., "error": str(the ValueError)}.

Cases (weights=None unless said): the defaults (with layers); include_top=False at another size with
pooling="avg" (with layers and the frozen count); include_top=False, a non-square size with pooling="max";
include_top=True, classes=10 at a non-default size; include_top=False with a 1-channel input; the family's own
options; and the errors. Every model is built in a fresh session (`keras.backend.clear_session()` first), so that
the names Keras generates (`input_layer`, ...) are numbered as in a fresh script.

Speed: creating the weights compiles one XLA program per initializer and shape (minutes per model on a small CPU),
and the weights' values play no part here. So models are built inside `keras.StatelessScope(initialize_variables=
False)`: every variable gets its shape, none gets a value. Layers, shapes and counts are the same as with
`--initialize`: with it, the files of VGG16, ResNet50V2, InceptionV3, Xception, InceptionResNetV2, MobileNet,
MobileNetV2, DenseNet121, EfficientNetV2B0, ConvNeXtTiny and NASNetMobile came out byte for byte the same, and
the default models of ResNet50, MobileNetV3Small/Large and EfficientNetB0 had the same layers and counts.

Nothing is ever downloaded: `file_utils.get_file` is replaced by a function that raises, and a case with
weights="imagenet" that Keras does not reject stops the script instead of being recorded.
"""
import argparse
import json
import math
import os
import sys
import time

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402
from keras.src.utils import file_utils  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "test", "fixtures", "applications")


class DownloadAttempted(Exception):
    pass


def _no_download(*args, **kwargs):
    raise DownloadAttempted(f"keras tried to download {args[:1]} {kwargs.get('origin', '')}")


file_utils.get_file = _no_download
keras.utils.get_file = _no_download


# name: (default size, minimum size, family). Sizes from keras/src/applications/*.py (obtain_input_shape calls).
ARCHS = {
    "VGG16": (224, 32, "vgg"),
    "VGG19": (224, 32, "vgg"),
    "ResNet50": (224, 32, "resnet"),
    "ResNet101": (224, 32, "resnet"),
    "ResNet152": (224, 32, "resnet"),
    "ResNet50V2": (224, 32, "resnet_v2"),
    "ResNet101V2": (224, 32, "resnet_v2"),
    "ResNet152V2": (224, 32, "resnet_v2"),
    "InceptionV3": (299, 75, "inception_v3"),
    "Xception": (299, 71, "xception"),
    "InceptionResNetV2": (299, 75, "inception_resnet_v2"),
    "MobileNet": (224, 32, "mobilenet"),
    "MobileNetV2": (224, 32, "mobilenet_v2"),
    "MobileNetV3Small": (224, 32, "mobilenet_v3"),
    "MobileNetV3Large": (224, 32, "mobilenet_v3"),
    "DenseNet121": (224, 32, "densenet"),
    "DenseNet169": (224, 32, "densenet"),
    "DenseNet201": (224, 32, "densenet"),
    "EfficientNetB0": (224, 32, "efficientnet"),
    "EfficientNetB1": (240, 32, "efficientnet"),
    "EfficientNetB2": (260, 32, "efficientnet"),
    "EfficientNetB3": (300, 32, "efficientnet"),
    "EfficientNetB4": (380, 32, "efficientnet"),
    "EfficientNetB5": (456, 32, "efficientnet"),
    "EfficientNetB6": (528, 32, "efficientnet"),
    "EfficientNetB7": (600, 32, "efficientnet"),
    "EfficientNetV2B0": (224, 32, "efficientnet_v2"),
    "EfficientNetV2B1": (240, 32, "efficientnet_v2"),
    "EfficientNetV2B2": (260, 32, "efficientnet_v2"),
    "EfficientNetV2B3": (300, 32, "efficientnet_v2"),
    "EfficientNetV2S": (384, 32, "efficientnet_v2"),
    "EfficientNetV2M": (480, 32, "efficientnet_v2"),
    "EfficientNetV2L": (480, 32, "efficientnet_v2"),
    "ConvNeXtTiny": (224, 32, "convnext"),
    "ConvNeXtSmall": (224, 32, "convnext"),
    "ConvNeXtBase": (224, 32, "convnext"),
    "ConvNeXtLarge": (224, 32, "convnext"),
    "ConvNeXtXLarge": (224, 32, "convnext"),
    "NASNetMobile": (224, 32, "nasnet"),
    "NASNetLarge": (331, 32, "nasnet"),
}

# The family's own options (weights=None, the other arguments at their defaults): totals only.
OPTIONS = {
    "mobilenet": [
        {"alpha": 0.5, "depth_multiplier": 1},
        {"alpha": 0.75, "depth_multiplier": 1},
        {"alpha": 0.25, "depth_multiplier": 2, "include_top": False, "input_shape": (128, 128, 3)},
    ],
    "mobilenet_v2": [{"alpha": 0.35}, {"alpha": 0.75}, {"alpha": 1.4}],
    "mobilenet_v3": [
        {"minimalistic": True},
        {"include_preprocessing": False},
        {"alpha": 0.75},
        {"alpha": 0.75, "minimalistic": True, "include_top": False, "pooling": "avg", "input_shape": (160, 160, 3)},
    ],
    "efficientnet_v2": [{"include_preprocessing": False}],
    "convnext": [{"include_preprocessing": False}],
}

# Family-specific arguments that Keras rejects with weights="imagenet" before any download.
OPTION_ERRORS = {
    "mobilenet": [
        {"weights": "imagenet", "include_top": False, "depth_multiplier": 2},
        {"weights": "imagenet", "include_top": False, "alpha": 0.3},
    ],
    "mobilenet_v2": [{"weights": "imagenet", "include_top": False, "alpha": 0.6}],
    "mobilenet_v3": [
        {"weights": "imagenet", "include_top": False, "alpha": 0.5},
        {"weights": "imagenet", "include_top": False, "alpha": 0.75, "minimalistic": True},
    ],
    "nasnet": [{"weights": "imagenet", "include_top": False, "input_shape": (None, None, 3)}],
}


def cases_for(arch):
    default, minimum, family = ARCHS[arch]
    other = 150 if default != 150 else 160
    built = [
        ({"weights": None}, True),
        ({"weights": None, "include_top": False, "input_shape": (other, other, 3), "pooling": "avg"}, True),
        ({"weights": None, "include_top": False, "input_shape": (minimum, 2 * minimum + 1, 3), "pooling": "max"}, False),
        ({"weights": None, "include_top": True, "classes": 10, "input_shape": (160, 128, 3)}, False),
        ({"weights": None, "include_top": False, "input_shape": (128, 128, 1)}, False),
    ]
    for options in OPTIONS.get(family, []):
        built.append(({"weights": None, **options}, False))
    errors = [{"weights": "imagenet", "include_top": False, "input_shape": (16, 16, 3)}]
    if family != "mobilenet_v3":
        # MobileNetV3 checks neither the channels nor include_top's input shape: it would go on to download.
        errors += [
            {"weights": "imagenet", "include_top": False, "input_shape": (default, default, 1)},
            {"weights": "imagenet", "include_top": True, "input_shape": (150, 150, 3)},
        ]
    errors += [
        {"weights": "imagenet", "include_top": True, "classes": 10},
        {"weights": None, "include_top": False, "input_shape": (minimum - 1, default, 3)},
        {"weights": "no_such_weights_file.h5"},
    ]
    if family != "mobilenet_v3":  # MobileNetV3 accepts (None, None, 3) with include_top=True
        errors.append({"weights": None, "include_top": True, "input_shape": (None, None, 3)})
    errors += OPTION_ERRORS.get(family, [])
    return built, errors


def jsonable(value):
    if isinstance(value, (tuple, list)):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if value is None or isinstance(value, (bool, str, float)):
        return value
    if isinstance(value, int):
        return int(value)
    raise TypeError(f"not JSON: {value!r}")


def shape_of(tensors):
    if isinstance(tensors, (list, tuple)):
        return [shape_of(t) for t in tensors]
    return [None if d is None else int(d) for d in tensors.shape]


def layer_output_shape(layer):
    try:
        return shape_of(layer.output)
    except (AttributeError, ValueError):
        # A layer called more than once has no single output: one shape per call.
        return [shape_of(node.output_tensors if len(node.output_tensors) > 1 else node.output_tensors[0])
                for node in layer._inbound_nodes]


def count(weights):
    return sum(math.prod(int(d) for d in w.shape) for w in weights)


def build(arch, kwargs, initialize):
    keras.backend.clear_session()
    call = {k: tuple(v) if k == "input_shape" and v is not None else v for k, v in kwargs.items()}
    fn = getattr(keras.applications, arch)
    if initialize:
        return fn(**call)
    with keras.StatelessScope(initialize_variables=False):
        return fn(**call)


def run_case(arch, kwargs, with_layers, initialize):
    model = build(arch, kwargs, initialize)
    case = {
        "args": jsonable(kwargs),
        "output_shape": shape_of(model.output),
        "total_params": model.count_params(),
        "trainable_params": count(model.trainable_weights),
        "non_trainable_params": count(model.non_trainable_weights),
    }
    assert case["total_params"] == case["trainable_params"] + case["non_trainable_params"], case
    if with_layers:
        case["layers"] = [[layer.name, type(layer).__name__, layer_output_shape(layer), layer.count_params()]
                          for layer in model.layers]
        if kwargs.get("pooling") == "avg":
            model.trainable = False
            case["frozen_non_trainable_params"] = count(model.non_trainable_weights)
            assert count(model.trainable_weights) == 0
    return case


def error_case(arch, kwargs, initialize):
    try:
        build(arch, kwargs, initialize)
    except ValueError as e:
        return {"args": jsonable(kwargs), "error": str(e)}
    except DownloadAttempted as e:
        sys.exit(f"{arch} {kwargs}: Keras accepted these arguments and tried to download ({e}); not a case to record")
    sys.exit(f"{arch} {kwargs}: Keras raised no error")


def dump(doc):
    """Compact JSON: one line per case, except the layers, one per line."""
    lines = ["{", f'"keras":{json.dumps(doc["keras"])},', f'"architecture":{json.dumps(doc["architecture"])},', '"cases":[']
    for i, case in enumerate(doc["cases"]):
        tail = "," if i < len(doc["cases"]) - 1 else ""
        head = {k: v for k, v in case.items() if k != "layers"}
        text = json.dumps(head, separators=(",", ":"))
        if "layers" in case:
            rows = ",\n".join(json.dumps(row, separators=(",", ":")) for row in case["layers"])
            text = text[:-1] + ',"layers":[\n' + rows + "]}"
        lines.append(text + tail)
    lines += ["]", "}"]
    return "\n".join(lines) + "\n"


def generate(arch, out, initialize):
    built, errors = cases_for(arch)
    cases = []
    for kwargs, with_layers in built:
        cases.append(run_case(arch, kwargs, with_layers, initialize))
    for kwargs in errors:
        cases.append(error_case(arch, kwargs, initialize))
    doc = {"keras": keras.__version__, "architecture": arch, "cases": cases}
    text = dump(doc)
    assert json.loads(text) == json.loads(json.dumps(doc)), "dump() changed the content"
    path = os.path.join(out, f"{arch}.json")
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, path)
    return path, len(cases)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="comma-separated architectures")
    parser.add_argument("--missing", action="store_true", help="only architectures without a file yet")
    parser.add_argument("--out", default=OUT)
    parser.add_argument("--initialize", action="store_true", help="create the weights' values (slow)")
    parser.add_argument("--list", action="store_true")
    args = parser.parse_args()
    if args.list:
        print("\n".join(ARCHS))
        return
    archs = list(ARCHS)
    if args.only:
        archs = [a.strip() for a in args.only.split(",") if a.strip()]
        unknown = [a for a in archs if a not in ARCHS]
        if unknown:
            sys.exit(f"unknown architectures: {', '.join(unknown)}")
    if args.missing:
        archs = [a for a in archs if not os.path.exists(os.path.join(args.out, f"{a}.json"))]
    os.makedirs(args.out, exist_ok=True)
    for arch in archs:
        start = time.time()
        path, n = generate(arch, args.out, args.initialize)
        print(f"{arch}: {n} cases, {os.path.getsize(path):,} bytes, {time.time() - start:.0f}s -> {os.path.relpath(path)}",
              flush=True)


if __name__ == "__main__":
    main()
