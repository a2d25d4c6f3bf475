"""Writes the ground truth for single Keras layers in Functional models: test/fixtures/layers.json, built by real
Keras 3 (JAX backend, CPU). LayerLens' unit test (test/unit/kerasLayers.test.ts) analyses each case's source and
compares; CI has no Python, so the file is committed.

    KERAS_BACKEND=jax /path/kenv/bin/python scripts/keras-oracle/layers.py
    KERAS_BACKEND=jax /path/kenv/bin/python scripts/keras-oracle/layers.py --only Dot,GroupNormalization
    KERAS_BACKEND=jax /path/kenv/bin/python scripts/keras-oracle/layers.py --update Augmentation,RMSNormalization

The file: {"keras": version, "cases": [...]}. A case is
  {"layer": the class under test, "source": the Python of the model, as LayerLens reads it,
   "layers": [[name, class name, output shape, count_params()], ...] (model.layers, inputs included),
   "total_params": model.count_params()}
or, where Keras rejects the model, {"layer", "source", "error": str(the exception), "error_type": its class,
"line": the source's line (1-based) that raised}. A case may also say "needs": what LayerLens must support
before the case can run (MULTI, COUNT below); the test skips a case whose need is not met yet.

Each source is run with exec() in a fresh namespace after `keras.backend.clear_session()`, so that generated names
(`input_layer`, `dot_1`, ...) are numbered as in a fresh script; the model is the variable `model`.
"""
import argparse
import json
import math
import os
import sys
import traceback
import warnings

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "test", "fixtures", "layers.json")

HEAD = "import keras\nfrom keras import layers\n\n"
# What a case may need of LayerLens beyond its layer rules (the test skips a case whose need is not met yet):
# the interpreter passing a call's several tensors (`mha(q, v)`) to the rule ...
MULTI = "multi-input calls"
# ... and the rule knowing how many tensors the call passed, and how: one tensor, which Keras refuses, and several
# of which one is unknown, which is no error, must not reach a rule alike (LayerContext.called).
COUNT = "the count of tensors a call passes"


def inputs(*shapes):
    """`a = keras.Input(shape=(4,))` lines, one per shape, named a, b, c, ..."""
    return "".join(f"{chr(97 + i)} = keras.Input(shape={shape})\n" for i, shape in enumerate(shapes))


def model(n):
    names = [chr(97 + i) for i in range(n)]
    return f"model = keras.Model({names[0] if n == 1 else '[' + ', '.join(names) + ']'}, out)\n"


def one(layer_src, shape):
    """A model of one layer on one input."""
    return HEAD + inputs(shape) + f"out = {layer_src}(a)\n" + model(1)


def typed(layer_src, shape, dtype="string"):
    """A model of one layer on one input of a given dtype (text and lookup layers)."""
    return HEAD + f"a = keras.Input(shape={shape}, dtype={dtype!r})\n" + f"out = {layer_src}(a)\n" + model(1)


def merged(layer_src, *shapes):
    """A layer called on the list of its inputs (merge layers, Attention)."""
    names = ", ".join(chr(97 + i) for i in range(len(shapes)))
    return HEAD + inputs(*shapes) + f"out = {layer_src}([{names}])\n" + model(len(shapes))


def called(layer_src, call_args, *shapes):
    """A layer called with several tensors as arguments (`mha(a, b)`)."""
    return HEAD + inputs(*shapes) + f"out = {layer_src}({call_args})\n" + model(len(shapes))


CASES = {
    "Dot": [
        merged("layers.Dot(axes=1)", "(4,)", "(4,)"),
        merged("layers.Dot(axes=-1)", "(3, 5)", "(4, 5)"),
        merged("layers.Dot(axes=(1, 2))", "(5, 3)", "(4, 5)"),
        merged("layers.Dot(axes=[2, 1])", "(6, 8)", "(8, 7)"),
        merged("layers.Dot(axes=2, normalize=True)", "(6, 8)", "(7, 8)"),
        merged("layers.Dot(axes=-1)", "(3, 5)", "(5,)"),
        merged("layers.Dot(axes=-1)", "(5,)", "(3, 5)"),
        merged("layers.Dot(axes=2)", "(None, 8)", "(None, 8)"),
        merged("layers.Dot(axes=(2, 3))", "(2, 3, 4)", "(5, 6, 3)"),
        merged("layers.Dot(1, name='similarity')", "(16,)", "(16,)"),
        HEAD + inputs("(4,)", "(4,)") + "out = layers.dot([a, b], axes=1)\n" + model(2),
        HEAD + inputs("(3, 4)", "(3, 4)") + "out = layers.dot([a, b], axes=1, normalize=True)\n" + model(2),
        HEAD + inputs("(3, 4)", "(5, 4)") + "out = layers.dot([a, b])\n" + model(2),
        HEAD + inputs("(10,)", "(10,)") + "x = layers.Dense(8)(a)\ny = layers.Dense(8)(b)\nout = layers.Dot(axes=1)([x, y])\n" + model(2),
        # Rejected
        merged("layers.Dot(axes=1)", "(4,)", "(5,)"),
        merged("layers.Dot(axes=(1, 1))", "(3, 5)", "(4, 5)"),
        merged("layers.Dot(axes=-1)", "(None,)", "(5,)"),
        merged("layers.Dot(axes=1)", "(4,)", "(4,)", "(4,)"),
        merged("layers.Dot(axes=(1, 2, 3))", "(4,)", "(4,)"),
        merged("layers.Dot(axes=[1, 'x'])", "(4,)", "(4,)"),
    ],
    "UnitNormalization": [
        one("layers.UnitNormalization()", "(8,)"),
        one("layers.UnitNormalization(axis=[1, 2])", "(4, 5)"),
        one("layers.UnitNormalization(axis=(-2, -1))", "(4, 5, 6)"),
        one("layers.UnitNormalization(axis=1)", "(None, 3)"),
        one("layers.UnitNormalization(-3)", "(4, 5)"),
        # Rejected
        one("layers.UnitNormalization(axis=3)", "(4, 5)"),
        one("layers.UnitNormalization(axis=[1, 3])", "(4, 5)"),
        one("layers.UnitNormalization(axis=-4)", "(4, 5)"),
    ],
    "GroupNormalization": [
        one("layers.GroupNormalization(groups=4)", "(8, 8, 16)"),
        one("layers.GroupNormalization()", "(10, 64)"),
        one("layers.GroupNormalization(groups=-1)", "(5, 6)"),
        one("layers.GroupNormalization(2, axis=1)", "(4, 6)"),
        one("layers.GroupNormalization(groups=2, axis=-2)", "(4, 6)"),
        one("layers.GroupNormalization(groups=4, center=False, scale=False)", "(8,)"),
        one("layers.GroupNormalization(groups=4, scale=False)", "(16,)"),
        one("layers.GroupNormalization(groups=8, epsilon=1e-5, center=False)", "(None, None, 32)"),
        one("layers.GroupNormalization(groups=1)", "(7,)"),
        # Rejected
        one("layers.GroupNormalization(groups=3)", "(8,)"),
        one("layers.GroupNormalization(groups=16)", "(8,)"),
        one("layers.GroupNormalization()", "(4, 48)"),
        one("layers.GroupNormalization(groups=2)", "(None,)"),
        one("layers.GroupNormalization(groups=0)", "(8,)"),
        one("layers.GroupNormalization(groups=-2)", "(8,)"),
        one("layers.GroupNormalization(groups=2, axis=3)", "(4, 6)"),
    ],
    "LayerNormalization": [
        one("layers.LayerNormalization(axis=[1, 2, 3])", "(4, 5, 6)"),
        one("layers.LayerNormalization(axis=(1, 2))", "(4, 5, 6)"),
        one("layers.LayerNormalization()", "(7, 3)"),
        one("layers.LayerNormalization(axis=[-2, -1])", "(5, 6)"),
        one("layers.LayerNormalization(axis=[3, 1])", "(4, 5, 6)"),
        one("layers.LayerNormalization(axis=1)", "(4, 5)"),
        one("layers.LayerNormalization(axis=(1, 2, 3), center=False)", "(2, 3, 4)"),
        one("layers.LayerNormalization(axis=-1, scale=False)", "(10,)"),
        one("layers.LayerNormalization(epsilon=1e-6)", "(None, 16)"),
        one("layers.LayerNormalization(axis=-1, rms_scaling=True)", "(10,)"),
        one("layers.LayerNormalization(axis=[1, -1])", "(4, 5, 6)"),
        one("layers.LayerNormalization(axis=1, center=False, scale=False)", "(None, 8)"),
        HEAD + inputs("(4, 5)") + "x = layers.LayerNormalization(axis=1)(a)\nout = layers.LayerNormalization(axis=[1, 2], name='ln')(x)\n" + model(1),
        # Rejected
        one("layers.LayerNormalization(axis=1)", "(None, 8)"),
        one("layers.LayerNormalization(axis=3)", "(4, 5)"),
        one("layers.LayerNormalization(axis=[1, 3])", "(4, 5)"),
        one("layers.LayerNormalization(axis=0)", "(4,)"),
        one("layers.LayerNormalization(axis=[1, 2], scale=False)", "(4, None)"),
        one("layers.LayerNormalization(axis=-3)", "(4, 5)"),
    ],
    "MultiHeadAttention": [
        called("layers.MultiHeadAttention(num_heads=2, key_dim=4)", "a, a", "(10, 16)"),
        called("layers.MultiHeadAttention(num_heads=2, key_dim=4, value_dim=8)", "a, b", "(5, 12)", "(7, 6)"),
        called("layers.MultiHeadAttention(4, 8)", "a, b, c", "(5, 12)", "(7, 6)", "(7, 10)"),
        called("layers.MultiHeadAttention(num_heads=3, key_dim=5, output_shape=20)", "a, b", "(6, 16)", "(9, 16)"),
        called("layers.MultiHeadAttention(num_heads=2, key_dim=3, output_shape=(4, 5))", "a, a", "(6, 16)"),
        called("layers.MultiHeadAttention(num_heads=2, key_dim=4, use_bias=False)", "a, b", "(5, 12)", "(7, 6)"),
        called("layers.MultiHeadAttention(num_heads=2, key_dim=2, attention_axes=(1, 2))", "a, a", "(4, 4, 8)"),
        called("layers.MultiHeadAttention(num_heads=2, key_dim=2, attention_axes=2)", "a, b", "(3, 4, 8)", "(3, 5, 6)"),
        called("layers.MultiHeadAttention(num_heads=8, key_dim=64, dropout=0.1)", "query=a, value=b", "(None, 512)", "(None, 512)"),
        called("layers.MultiHeadAttention(num_heads=2, key_dim=4)", "a, b, key=c", "(5, 12)", "(7, 6)", "(7, 3)"),
        called("layers.MultiHeadAttention(num_heads=2, key_dim=4)", "a, a", "(16,)"),
        HEAD + inputs("(10, 32)")
        + "mha = layers.MultiHeadAttention(num_heads=4, key_dim=8, name='self_attention')\n"
        + "x = mha(a, a)\nx = layers.Add()([a, x])\nout = layers.LayerNormalization()(x)\n" + model(1),
        # Rejected
        called("layers.MultiHeadAttention(num_heads=2, key_dim=4)", "a, b, c", "(5, 12)", "(7, 6)", "(8, 6)"),
        called("layers.MultiHeadAttention(num_heads=0, key_dim=4)", "a, a", "(5, 12)"),
        called("layers.MultiHeadAttention(num_heads=2, key_dim=0)", "a, a", "(5, 12)"),
        called("layers.MultiHeadAttention(num_heads=2, key_dim=4, value_dim=-1)", "a, a", "(5, 12)"),
        called("layers.MultiHeadAttention(num_heads=2, key_dim=4)", "a, b", "(5, None)", "(7, 6)"),
        called("layers.MultiHeadAttention(num_heads=2, key_dim=4)", "a, b", "(5, 6)", "(7, None)"),
        (called("layers.MultiHeadAttention(num_heads=2, key_dim=4)", "a", "(5, 12)"), COUNT),
        (called("layers.MultiHeadAttention(2, 8)", "query=a", "(5, 12)"), COUNT),
        (HEAD + "model = keras.Sequential([keras.Input(shape=(5, 12)), layers.MultiHeadAttention(2, 8)])\n", COUNT),
        # Constructor checks come first
        (called("layers.MultiHeadAttention(num_heads=0, key_dim=4)", "a", "(5, 12)"), COUNT),
    ],
    # Text and lookup layers (they need TensorFlow installed, whatever the backend). The output's last axis in a
    # counting mode is the vocabulary's size: cases here give it (a vocabulary list, or pad_to_max_tokens);
    # where adapt() decides it, LayerLens says it is unknown (test/unit/kerasLayers.test.ts checks that apart).
    "TextVectorization": [
        typed("layers.TextVectorization(max_tokens=100, output_sequence_length=10)", "(1,)"),
        typed("layers.TextVectorization(output_sequence_length=7)", "()"),
        typed("layers.TextVectorization(max_tokens=20000, output_mode='int', output_sequence_length=200)", "(1,)"),
        typed("layers.TextVectorization()", "(1,)"),
        typed("layers.TextVectorization(max_tokens=100, output_mode='multi_hot', pad_to_max_tokens=True)", "(1,)"),
        typed("layers.TextVectorization(max_tokens=50, output_mode='count', pad_to_max_tokens=True, split=None)", "(1,)"),
        typed("layers.TextVectorization(max_tokens=50, output_mode='one_hot', pad_to_max_tokens=True, split=None)", "(1,)"),
        typed("layers.TextVectorization(max_tokens=50, output_mode='binary', pad_to_max_tokens=True, split=None)", "()"),
        typed("layers.TextVectorization(output_mode='count', vocabulary=['a', 'b', 'c'])", "(1,)"),
        typed("layers.TextVectorization(output_mode='tf_idf', vocabulary=['a', 'b', 'c'], idf_weights=[0.1, 0.2, 0.3])", "(1,)"),
        typed("layers.TextVectorization(output_mode='multi_hot', vocabulary=['[UNK]', 'a', 'b'], split=None)", "(1,)"),
        typed("layers.TextVectorization(vocabulary=['the', 'cat', 'sat'], output_sequence_length=4)", "(1,)"),
        typed("layers.TextVectorization(max_tokens=100, output_mode='multi_hot', pad_to_max_tokens=True, name='bag')", "(2,)"),
        HEAD + "a = keras.Input(shape=(1,), dtype='string')\nx = layers.TextVectorization(max_tokens=1000, output_sequence_length=20)(a)\n"
        + "x = layers.Embedding(1000, 16)(x)\nout = layers.GlobalAveragePooling1D()(x)\n" + model(1),
        # Rejected
        typed("layers.TextVectorization(output_mode='multi_hot', output_sequence_length=10)", "(1,)"),
        typed("layers.TextVectorization(output_mode='bag')", "(1,)"),
        typed("layers.TextVectorization(max_tokens=1)", "(1,)"),
        typed("layers.TextVectorization(output_mode='count', pad_to_max_tokens=True)", "(1,)"),
        typed("layers.TextVectorization(max_tokens=3, output_mode='count', vocabulary=['a', 'b', 'c'])", "(1,)"),
        typed("layers.TextVectorization(output_mode='tf_idf', vocabulary=['a', 'b'])", "(1,)"),
    ],
    "StringLookup": [
        typed("layers.StringLookup(vocabulary=['a', 'b', 'c'])", "(1,)"),
        typed("layers.StringLookup(vocabulary=['a', 'b', 'c'], output_mode='one_hot')", "(3,)"),
        typed("layers.StringLookup(vocabulary=['a', 'b', 'c'], output_mode='one_hot')", "(1,)"),
        typed("layers.StringLookup(vocabulary=['a', 'b', 'c'], output_mode='multi_hot')", "(4,)"),
        typed("layers.StringLookup(vocabulary=['a', 'b', 'c'], output_mode='count', num_oov_indices=3)", "(4,)"),
        typed("layers.StringLookup(vocabulary=['a', 'b', 'c'], output_mode='multi_hot', mask_token='')", "(4,)"),
        typed("layers.StringLookup(vocabulary=['[UNK]', 'a', 'b'], output_mode='multi_hot')", "(4,)"),
        typed("layers.StringLookup(max_tokens=10, output_mode='multi_hot', pad_to_max_tokens=True)", "(4,)"),
        typed("layers.StringLookup(max_tokens=10, output_mode='one_hot', pad_to_max_tokens=True)", "(2, 3)"),
        typed("layers.StringLookup(vocabulary=['a', 'b'], invert=True)", "(5,)", "int64"),
        typed("layers.StringLookup(vocabulary=['a', 'b', 'c'], output_mode='tf_idf', idf_weights=[1.0, 2.0, 3.0])", "(6,)"),
        typed("layers.StringLookup(num_oov_indices=0, vocabulary=['a', 'b'], output_mode='count')", "(3,)"),
        # Rejected
        typed("layers.StringLookup(vocabulary=['a', 'b'], output_mode='one_hot', invert=True)", "(1,)"),
        typed("layers.StringLookup(max_tokens=1)", "(1,)"),
        typed("layers.StringLookup(num_oov_indices=-1)", "(1,)"),
        typed("layers.StringLookup(output_mode='onehot')", "(1,)"),
        typed("layers.StringLookup(max_tokens=3, vocabulary=['a', 'b', 'c'])", "(1,)"),
        typed("layers.StringLookup(vocabulary=[])", "(1,)"),
    ],
    "IntegerLookup": [
        typed("layers.IntegerLookup(vocabulary=[1, 2, 3])", "(4,)", "int64"),
        typed("layers.IntegerLookup(vocabulary=[1, 2, 3], output_mode='count')", "(4,)", "int64"),
        typed("layers.IntegerLookup(vocabulary=[1, 2, 3], output_mode='multi_hot', num_oov_indices=2)", "(4,)", "int64"),
        typed("layers.IntegerLookup(vocabulary=[1, 2, 3], output_mode='one_hot', mask_token=0)", "(4,)", "int64"),
        typed("layers.IntegerLookup(vocabulary=[0, -1, 5, 6], mask_token=0)", "(4,)", "int64"),
        typed("layers.IntegerLookup(vocabulary=[-1, 5, 6], output_mode='multi_hot')", "(4,)", "int64"),
        typed("layers.IntegerLookup(max_tokens=8, output_mode='multi_hot', pad_to_max_tokens=True)", "(4,)", "int64"),
        typed("layers.IntegerLookup(max_tokens=8)", "(None,)", "int64"),
        # Rejected
        typed("layers.IntegerLookup(max_tokens=1)", "(1,)", "int64"),
        typed("layers.IntegerLookup(num_oov_indices=-2)", "(1,)", "int64"),
        typed("layers.IntegerLookup(vocabulary=[1, 2, 3], max_tokens=3)", "(1,)", "int64"),
        typed("layers.IntegerLookup(output_mode='multi_hot', invert=True, vocabulary=[1, 2])", "(1,)", "int64"),
        typed("layers.IntegerLookup(vocabulary=[0, -1, 5, 6], output_mode='multi_hot', mask_token=0)", "(4,)", "int64"),
        typed("layers.StringLookup(vocabulary=['a', '', 'b'], mask_token='')", "(1,)"),
    ],
    # Merge layers called on one tensor, on a list of one, or a tuple: Keras 3 takes a list or tuple of one or more.
    "Merge": [
        (one("layers.Add()", "(5, 8)"), COUNT),
        (one("layers.Subtract()", "(5, 8)"), COUNT),
        (one("layers.Multiply()", "(4,)"), COUNT),
        (one("layers.Average()", "(None, 3)"), COUNT),
        (one("layers.Concatenate()", "(5, 8)"), COUNT),
        (one("layers.Dot(axes=1)", "(4,)"), COUNT),
        (merged("layers.Add()", "(5, 8)"), COUNT),
        (merged("layers.Concatenate()", "(5, 8)"), COUNT),
        (merged("layers.Maximum(name='only')", "(6,)"), COUNT),
        (merged("layers.Subtract()", "(5, 8)"), COUNT),
        (merged("layers.Dot(axes=1)", "(4,)"), COUNT),
        (HEAD + inputs("(4,)") + "out = layers.add([a])\n" + model(1), COUNT),
        (HEAD + inputs("(4,)") + "out = layers.concatenate([a], axis=1)\n" + model(1), COUNT),
        (HEAD + inputs("(4,)") + "out = layers.dot([a], axes=1)\n" + model(1), COUNT),
        (HEAD + inputs("(5, 8)", "(5, 8)") + "out = layers.Subtract()((a, b))\n" + model(2), COUNT),
        (HEAD + inputs("(3,)", "(4,)") + "out = layers.Concatenate()((a, b))\n" + model(2), COUNT),
        (HEAD + "model = keras.Sequential([keras.Input(shape=(8,)), layers.Add()])\n", COUNT),
        (HEAD + "model = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(4), layers.Concatenate()])\n", COUNT),
    ],
    "Attention": [
        merged("layers.Attention()", "(5, 8)", "(7, 8)"),
        merged("layers.Attention(use_scale=True)", "(5, 8)", "(7, 8)"),
        merged("layers.Attention(score_mode='concat')", "(5, 8)", "(7, 8)"),
        merged("layers.Attention(True, 'concat')", "(5, 8)", "(7, 8)"),
        merged("layers.Attention()", "(5, 8)", "(7, 6)", "(7, 8)"),
        merged("layers.Attention(dropout=0.2)", "(None, 16)", "(None, 16)"),
        merged("layers.Attention()", "(2, 5, 8)", "(2, 7, 8)"),
        # Rejected
        merged("layers.Attention(score_mode='additive')", "(5, 8)", "(7, 8)"),
        (merged("layers.Attention()", "(5, 8)"), COUNT),
        (one("layers.Attention()", "(5, 8)"), COUNT),
        (HEAD + inputs("(5, 8)", "(7, 8)") + "out = layers.Attention()((a, b))\n" + model(2), COUNT),
        merged("layers.Attention()", "(5, 8)", "(7, 8)", "(7, 8)", "(7, 8)"),
    ],
    "AdditiveAttention": [
        merged("layers.AdditiveAttention()", "(5, 8)", "(7, 8)"),
        merged("layers.AdditiveAttention(use_scale=False)", "(5, 8)", "(7, 8)"),
        merged("layers.AdditiveAttention()", "(5, 8)", "(7, 6)", "(7, 8)"),
        merged("layers.AdditiveAttention(False, dropout=0.1)", "(None, 4)", "(None, 4)"),
        merged("layers.AdditiveAttention()", "(3, 5, 8)", "(3, 7, 8)"),
        # Rejected
        merged("layers.AdditiveAttention()", "(5, None)", "(7, 8)"),
        (merged("layers.AdditiveAttention()", "(5, 8)"), COUNT),
        (one("layers.AdditiveAttention(use_scale=False)", "(4, 6)"), COUNT),
    ],
    # Keras 3's image augmentations keep their input's shape and have no weights; RandomColorDegeneration needs RGB.
    # Equalization is not here: Keras 3.15 cannot build it into a model ("... from operation 'equalization' is part
    # of a cycle": its symbolic call returns its input), and LayerLens lists it as unsized, saying why.
    "Augmentation": [
        one("layers.AugMix()", "(32, 32, 3)"),
        one("layers.AutoContrast(value_range=(0, 1))", "(None, None, 3)"),
        one("layers.ContrastLimitedAdaptiveHistogramEqualization()", "(64, 64, 1)"),
        one("layers.CutMix(factor=0.5)", "(32, 32, 3)"),
        one("layers.MaxNumBoundingBoxes(10)", "(32, 32, 3)"),
        one("layers.MixUp(alpha=0.4)", "(28, 28, 1)"),
        one("layers.RandAugment(num_ops=3)", "(32, 32, 3)"),
        one("layers.RandomColorDegeneration(0.5)", "(32, 32, 3)"),
        one("layers.RandomColorJitter(value_range=(0, 1), brightness_factor=0.2, hue_factor=0.1)", "(32, 32, 3)"),
        one("layers.RandomElasticTransform()", "(32, 32, 3)"),
        one("layers.RandomErasing(scale=(0.1, 0.2))", "(32, 32, 3)"),
        one("layers.RandomGaussianBlur(kernel_size=5)", "(32, 32, 3)"),
        one("layers.RandomGrayscale(factor=0.2)", "(32, 32, 3)"),
        one("layers.RandomHue(0.2)", "(32, 32, 3)"),
        one("layers.RandomInvert()", "(32, 32, 3)"),
        one("layers.RandomPerspective(scale=0.5)", "(32, 32, 3)"),
        one("layers.RandomPosterization(4)", "(32, 32, 3)"),
        one("layers.RandomSaturation(0.5)", "(32, 32, 3)"),
        one("layers.RandomSharpness(0.5)", "(32, 32, 3)"),
        one("layers.RandomShear(x_factor=0.2, y_factor=0.1)", "(32, 32, 3)"),
        one("layers.Solarization(threshold_factor=0.5)", "(32, 32, 3)"),
        HEAD + "a = keras.Input(shape=(64, 64, 3))\n"
        + "x = layers.RandomFlip('horizontal')(a)\nx = layers.RandomHue(0.1)(x)\nx = layers.RandomGrayscale()(x)\n"
        + "x = layers.Conv2D(8, 3)(x)\nout = layers.GlobalAveragePooling2D()(x)\n" + model(1),
        # Rejected
        one("layers.RandomColorDegeneration(0.5)", "(32, 32, 1)"),
    ],
    "AdaptivePooling": [
        one("layers.AdaptiveAveragePooling2D(7)", "(32, 32, 3)"),
        one("layers.AdaptiveMaxPooling2D((2, 3))", "(None, None, 16)"),
        one("layers.AdaptiveAveragePooling1D(4)", "(20, 8)"),
        one("layers.AdaptiveMaxPooling1D(output_size=5)", "(None, 3)"),
        one("layers.AdaptiveAveragePooling3D((2, 2, 2))", "(8, 8, 8, 4)"),
        one("layers.AdaptiveMaxPooling3D(3, data_format='channels_first')", "(4, 9, 9, 9)"),
        one("layers.AdaptiveAveragePooling2D(1, data_format='channels_first')", "(3, 16, 16)"),
        # Rejected
        one("layers.AdaptiveAveragePooling2D((2, 3, 4))", "(32, 32, 3)"),
        one("layers.AdaptiveMaxPooling1D((2, 3))", "(20, 8)"),
        one("layers.AdaptiveMaxPooling3D((2, 2))", "(8, 8, 8, 4)"),
        one("layers.AdaptiveAveragePooling2D(7)", "(32, 3)"),
    ],
    "RMSNormalization": [
        one("layers.RMSNormalization()", "(10, 64)"),
        one("layers.RMSNormalization(axis=[1, 2])", "(4, 5)"),
        one("layers.RMSNormalization(axis=1, epsilon=1e-5)", "(6, 7)"),
        one("layers.RMSNormalization(axis=(-2, -1))", "(3, 4, 5)"),
        # Rejected
        one("layers.RMSNormalization(axis=3)", "(4, 5)"),
        one("layers.RMSNormalization()", "(4, None)"),
    ],
    "CategoryEncoding": [
        typed("layers.CategoryEncoding(num_tokens=10)", "(3,)", "int32"),
        typed("layers.CategoryEncoding(num_tokens=10, output_mode='one_hot')", "(1,)", "int32"),
        typed("layers.CategoryEncoding(num_tokens=10, output_mode='one_hot')", "(3,)", "int32"),
        typed("layers.CategoryEncoding(num_tokens=10, output_mode='one_hot')", "()", "int32"),
        typed("layers.CategoryEncoding(5, output_mode='count')", "(4,)", "int32"),
        typed("layers.CategoryEncoding(5, 'binary')", "(2, 4)", "int32"),
        # Rejected
        typed("layers.CategoryEncoding(num_tokens=10, output_mode='tf_idf')", "(3,)", "int32"),
        typed("layers.CategoryEncoding()", "(3,)", "int32"),
        typed("layers.CategoryEncoding(num_tokens=0)", "(3,)", "int32"),
    ],
    "Discretization": [
        one("layers.Discretization(bin_boundaries=[0.0, 1.0, 2.0])", "(4,)"),
        one("layers.Discretization(bin_boundaries=[0.0, 1.0], output_mode='one_hot')", "(1,)"),
        one("layers.Discretization(bin_boundaries=[0.0, 1.0], output_mode='one_hot')", "(4,)"),
        one("layers.Discretization(bin_boundaries=[0.0, 1.0, 2.0], output_mode='multi_hot')", "(4,)"),
        one("layers.Discretization(bin_boundaries=[0.0, 1.0, 2.0], output_mode='count')", "(3, 4)"),
        one("layers.Discretization(num_bins=5)", "(4,)"),
        one("layers.Discretization(num_bins=5, output_mode='multi_hot')", "(4,)"),
        # Rejected
        one("layers.Discretization()", "(4,)"),
        one("layers.Discretization(bin_boundaries=[0.0], num_bins=3)", "(4,)"),
        one("layers.Discretization(num_bins=-1)", "(4,)"),
        one("layers.Discretization(bin_boundaries=[0.0], output_mode='bag')", "(4,)"),
    ],
    "ConvLSTM": [
        one("layers.ConvLSTM2D(16, 3)", "(10, 32, 32, 3)"),
        one("layers.ConvLSTM2D(filters=8, kernel_size=(3, 3), padding='same', return_sequences=True)", "(None, 16, 16, 1)"),
        one("layers.ConvLSTM2D(4, 5, strides=2, use_bias=False)", "(6, 21, 21, 2)"),
        one("layers.ConvLSTM2D(4, 3, dilation_rate=2)", "(6, 16, 16, 2)"),
        one("layers.ConvLSTM2D(4, 3, data_format='channels_first', return_sequences=True)", "(5, 2, 12, 12)"),
        one("layers.ConvLSTM1D(8, 3)", "(10, 20, 4)"),
        one("layers.ConvLSTM1D(8, 3, padding='same', return_sequences=True)", "(None, 20, 4)"),
        one("layers.ConvLSTM3D(4, (2, 3, 3))", "(5, 8, 10, 10, 1)"),
        HEAD + "a = keras.Input(shape=(None, 40, 40, 1))\n"
        + "x = layers.ConvLSTM2D(16, (5, 5), padding='same', return_sequences=True, activation='relu')(a)\n"
        + "x = layers.BatchNormalization()(x)\nx = layers.ConvLSTM2D(16, (3, 3), padding='same', return_sequences=True)(x)\n"
        + "out = layers.Conv3D(1, (3, 3, 3), activation='sigmoid', padding='same')(x)\n" + model(1),
        # Rejected
        one("layers.ConvLSTM2D(4, 3)", "(6, None, 16, 2)"),
        one("layers.ConvLSTM2D(4, 3)", "(6, 16, 16, None)"),
        one("layers.ConvLSTM2D(4, 5)", "(6, 3, 3, 2)"),
        one("layers.ConvLSTM2D(4, 3)", "(16, 16, 2)"),
        one("layers.ConvLSTM2D(4, 3, padding='causal')", "(6, 16, 16, 2)"),
    ],
    "SpectralNormalization": [
        one("layers.SpectralNormalization(layers.Dense(10))", "(8,)"),
        one("layers.SpectralNormalization(layers.Conv2D(4, 3, padding='same'))", "(8, 8, 3)"),
        one("layers.SpectralNormalization(layers.Conv2DTranspose(6, 3, strides=2))", "(8, 8, 3)"),
        one("layers.SpectralNormalization(layers.DepthwiseConv2D(3, depth_multiplier=2))", "(8, 8, 3)"),
        one("layers.SpectralNormalization(layers.Embedding(100, 16))", "(5,)"),
        one("layers.SpectralNormalization(layers.Dense(4, use_bias=False), power_iterations=3)", "(6, 8)"),
        HEAD + "a = keras.Input(shape=(28, 28, 1))\n"
        + "x = layers.SpectralNormalization(layers.Conv2D(32, 4, strides=2, padding='same'))(a)\nx = layers.LeakyReLU(0.2)(x)\n"
        + "x = layers.SpectralNormalization(layers.Conv2D(64, 4, strides=2, padding='same'))(x)\nx = layers.Flatten()(x)\n"
        + "out = layers.SpectralNormalization(layers.Dense(1))(x)\n" + model(1),
        # Rejected
        one("layers.SpectralNormalization(layers.LSTM(4))", "(5, 3)"),
        one("layers.SpectralNormalization(layers.SeparableConv2D(4, 3))", "(8, 8, 3)"),
    ],
    "ReversibleEmbedding": [
        one("layers.ReversibleEmbedding(100, 16)", "(5,)"),
        one("layers.ReversibleEmbedding(1000, 32, tie_weights=False)", "(None,)"),
        one("layers.ReversibleEmbedding(input_dim=50, output_dim=8, mask_zero=True)", "(4, 3)"),
    ],
    "EinsumDense": [
        one("layers.EinsumDense('ab,bc->ac', output_shape=64, bias_axes='c')", "(32,)"),
        one("layers.EinsumDense('abc,cd->abd', output_shape=(None, 64), bias_axes='d')", "(10, 32)"),
        one("layers.EinsumDense('abc,cd->abd', output_shape=(10, 64))", "(10, 32)"),
        one("layers.EinsumDense('abc,cde->abde', output_shape=(None, 4, 16), bias_axes='de')", "(10, 32)"),
        one("layers.EinsumDense('abcd,cde->abe', output_shape=(None, 24), bias_axes='e')", "(10, 4, 16)"),
        one("layers.EinsumDense('...b,bc->...c', output_shape=8, bias_axes='c')", "(5, 6, 12)"),
        one("layers.EinsumDense('ab...,bc->ac...', output_shape=8, bias_axes='c')", "(12, 5, 6)"),
        one("layers.EinsumDense('abc,cd->abd', output_shape=(None, 4), bias_axes='b', activation='relu')", "(6, 3)"),
        # Rejected
        one("layers.EinsumDense('abc,cd->abd', output_shape=(7, 64))", "(10, 32)"),
        one("layers.EinsumDense('ab,bc->ad', output_shape=8)", "(32,)"),
        one("layers.EinsumDense('ab,bcd->ac', output_shape=8)", "(32,)"),
        one("layers.EinsumDense('ab,bc->ac', output_shape=8, bias_axes='x')", "(32,)"),
        one("layers.EinsumDense('a b,bc->ac', output_shape=8)", "(32,)"),
        one("layers.EinsumDense('abc,cd->abd', output_shape=(None, 4), bias_axes='b')", "(None, 3)"),
    ],
    "GroupQueryAttention": [
        (called("layers.GroupQueryAttention(head_dim=8, num_query_heads=4, num_key_value_heads=2)", "a, b", "(10, 16)", "(12, 16)"), MULTI),
        (called("layers.GroupQueryAttention(8, 4, 2, use_bias=False)", "a, b, c", "(10, 16)", "(12, 16)", "(12, 6)"), MULTI),
        (called("layers.GroupQueryAttention(8, 4, 2, use_gate=True)", "a, a", "(10, 16)"), MULTI),
        (called("layers.GroupQueryAttention(16, 8, 1, dropout=0.1)", "query=a, value=a", "(None, 64)"), MULTI),
        (called("layers.GroupQueryAttention(8, 4, 4)", "a, b, key=c", "(5, 12)", "(7, 12)", "(7, 3)"), MULTI),
        # Self-attention without biases: every weight is a kernel used once per position (macs.test.ts reads these).
        (called("layers.GroupQueryAttention(8, 4, 2, use_bias=False)", "a, a", "(10, 16)"), MULTI),
        (called("layers.GroupQueryAttention(4, 6, 3, use_bias=False, use_gate=True)", "a, a", "(7, 12)"), MULTI),
        # Rejected
        (called("layers.GroupQueryAttention(8, 4, 3)", "a, b", "(10, 16)", "(12, 16)"), MULTI),
        (called("layers.GroupQueryAttention(8, 4, 2)", "a, b", "(10, 16)", "(12, 6)"), MULTI),
        (called("layers.GroupQueryAttention(8, 4, 2)", "a, b, c", "(10, 16)", "(12, 16)", "(9, 16)"), MULTI),
        (called("layers.GroupQueryAttention(8, 4, 2)", "a", "(10, 16)"), COUNT),
        (called("layers.GroupQueryAttention(8, 4, 2, sliding_window=0)", "a, a", "(10, 16)"), MULTI),
        (called("layers.GroupQueryAttention(8, 4, 2)", "a, a", "(10, None)"), MULTI),
    ],
    "Spectrogram": [
        one("layers.STFTSpectrogram()", "(16000, 1)"),
        one("layers.STFTSpectrogram(mode='stft', frame_length=200, frame_step=100, fft_length=256)", "(8000, 2)"),
        one("layers.STFTSpectrogram(mode='real', frame_length=64, padding='same')", "(None, 1)"),
        one("layers.STFTSpectrogram(mode='magnitude', frame_length=100, expand_dims=True)", "(4000, 3)"),
        one("layers.STFTSpectrogram(frame_length=64, data_format='channels_first')", "(2, 1000)"),
        one("layers.MelSpectrogram()", "(16000,)"),
        one("layers.MelSpectrogram(fft_length=1024, sequence_stride=256, num_mel_bins=80)", "(22050,)"),
        one("layers.MelSpectrogram(sequence_stride=160, sequence_length=400, fft_length=512)", "(None,)"),
        # Rejected
        one("layers.STFTSpectrogram(frame_length=64, frame_step=100)", "(1000, 1)"),
        one("layers.STFTSpectrogram(frame_length=256, fft_length=128)", "(1000, 1)"),
        one("layers.STFTSpectrogram(mode='power')", "(1000, 1)"),
        one("layers.STFTSpectrogram()", "(1000,)"),
        one("layers.MelSpectrogram(fft_length=256, sequence_length=400)", "(16000,)"),
    ],
    # Hashing needs TensorFlow installed, whatever the backend.
    "Hashing": [
        typed("layers.Hashing(num_bins=10)", "(1,)"),
        typed("layers.Hashing(num_bins=10, output_mode='one_hot')", "(1,)"),
        typed("layers.Hashing(num_bins=8, output_mode='multi_hot')", "(4,)"),
        typed("layers.Hashing(5, mask_value='', output_mode='count')", "(2, 3)"),
        typed("layers.Hashing(num_bins=3, salt=133)", "(None,)", "int64"),
        # Rejected
        typed("layers.Hashing(num_bins=0)", "(1,)"),
        typed("layers.Hashing(num_bins=4, output_mode='tf_idf')", "(1,)"),
        typed("layers.Hashing(num_bins=4, sparse=True)", "(1,)"),
    ],
    "HashedCrossing": [
        HEAD + "a = keras.Input(shape=(1,), dtype='int64')\nb = keras.Input(shape=(1,), dtype='int64')\n"
        + "out = layers.HashedCrossing(num_bins=5)((a, b))\n" + model(2),
        HEAD + "a = keras.Input(shape=(1,), dtype='int64')\nb = keras.Input(shape=(1,), dtype='int64')\n"
        + "out = layers.HashedCrossing(num_bins=5, output_mode='one_hot')((a, b))\n" + model(2),
        HEAD + "a = keras.Input(shape=(), dtype='string')\nb = keras.Input(shape=(), dtype='string')\n"
        + "out = layers.HashedCrossing(8, output_mode='one_hot')((a, b))\n" + model(2),
        HEAD + "a = keras.Input(shape=(3,), dtype='int64')\nb = keras.Input(shape=(3,), dtype='int64')\n"
        + "out = layers.HashedCrossing(7)([a, b])\n" + model(2),
        # Rejected
        HEAD + "a = keras.Input(shape=(1,), dtype='int64')\nb = keras.Input(shape=(2,), dtype='int64')\n"
        + "out = layers.HashedCrossing(num_bins=5)((a, b))\n" + model(2),
        HEAD + "a = keras.Input(shape=(1,), dtype='int64')\nb = keras.Input(shape=(1,), dtype='int64')\n"
        + "out = layers.HashedCrossing(num_bins=5, output_mode='multi_hot')((a, b))\n" + model(2),
        (HEAD + "a = keras.Input(shape=(1,), dtype='int64')\nb = keras.Input(shape=(1,), dtype='int64')\nc = keras.Input(shape=(1,), dtype='int64')\n"
        + "out = layers.HashedCrossing(num_bins=5)((a, b, c))\n" + model(3), COUNT),
    ],
    "RNN": [
        one("layers.RNN(layers.LSTMCell(8))", "(10, 4)"),
        one("layers.RNN(layers.GRUCell(6), return_sequences=True)", "(None, 3)"),
        one("layers.RNN(layers.SimpleRNNCell(5, use_bias=False))", "(7, 2)"),
        one("layers.RNN(cell=layers.GRUCell(4, reset_after=False), go_backwards=True)", "(7, 2)"),
        HEAD + "a = keras.Input(shape=(20, 3))\ncell = layers.LSTMCell(16)\nx = layers.RNN(cell, return_sequences=True)(a)\n"
        + "out = layers.Dense(1)(x)\n" + model(1),
        # Rejected
        one("layers.RNN(layers.LSTMCell(8))", "(4,)"),
        one("layers.LSTMCell(8)", "(4,)"),
        one("layers.GRUCell(8)", "(4,)"),
    ],
}

# Layers called with several tensors as arguments (`mha(q, v)`): every case needs the interpreter to pass them.
NEEDS = {"MultiHeadAttention": MULTI}


def shape_of(tensors):
    if isinstance(tensors, (list, tuple)):
        return [shape_of(t) for t in tensors]
    return [None if d is None else int(d) for d in tensors.shape]


def error_line(exc):
    """The line of the case's source that raised (the innermost frame of the exec'd code)."""
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == "<case>":
            line = frame.lineno
    return line


def run(layer, source):
    """One case: `source`, or (source, what it needs of LayerLens)."""
    source, needs = source if isinstance(source, tuple) else (source, NEEDS.get(layer))
    keras.backend.clear_session()
    case = {"layer": layer, "source": source}
    if needs:
        case["needs"] = needs
    namespace = {}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            exec(compile(source, "<case>", "exec"), namespace)
    except Exception as e:  # noqa: BLE001 - Keras' error, whatever its class, is the ground truth
        case.update({"error": str(e), "error_type": type(e).__name__, "line": error_line(e)})
        return case
    built = namespace["model"]
    case["layers"] = [[l.name, type(l).__name__, shape_of(l.output), l.count_params()] for l in built.layers]
    case["total_params"] = built.count_params()
    assert case["total_params"] == sum(math.prod(w.shape) for w in built.weights), source
    return case


def dump(doc):
    """Compact JSON: one line per case field, the layers one per line, so that diffs read well."""
    out = ["{", f'"keras": {json.dumps(doc["keras"])},', '"cases": [']
    for i, case in enumerate(doc["cases"]):
        fields = []
        for key, value in case.items():
            if key == "layers":
                rows = ",\n    ".join(json.dumps(r) for r in value)
                fields.append(f'  "layers": [\n    {rows}\n  ]')
            else:
                fields.append(f"  {json.dumps(key)}: {json.dumps(value)}")
        out.append("{\n" + ",\n".join(fields) + "\n}" + ("," if i < len(doc["cases"]) - 1 else ""))
    out += ["]", "}"]
    return "\n".join(out) + "\n"


def updated(path, groups):
    """The file's cases, with those of `groups` run again, in CASES' order (the text and lookup layers need
    TensorFlow; this reruns new cases without it). The Keras version must be the file's."""
    with open(path) as f:
        doc = json.load(f)
    assert doc["keras"] == keras.__version__, f"{path} was written by Keras {doc['keras']}: regenerate it all"
    unknown = [g for g in groups if g not in CASES]
    assert not unknown, f"no such case groups: {unknown}"
    cases = []
    for layer, sources in CASES.items():
        if layer in groups:
            cases += [run(layer, src) for src in sources]
        else:
            cases += [c for c in doc["cases"] if c["layer"] == layer]
    return cases


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="comma-separated layer classes (prints, writes nothing)")
    parser.add_argument("--update", help="comma-separated case groups to rerun; the file keeps the others' cases as they are")
    parser.add_argument("--out", default=OUT)
    args = parser.parse_args()
    only = [s.strip() for s in args.only.split(",")] if args.only else None
    update = [s.strip() for s in args.update.split(",")] if args.update else None
    if update:
        cases = updated(args.out, update)
    else:
        cases = [run(layer, src) for layer, sources in CASES.items() if not only or layer in only for src in sources]
    if only:
        for c in cases:
            print(json.dumps(c, indent=1))
        return
    doc = {"keras": keras.__version__, "cases": cases}
    text = dump(doc)
    assert json.loads(text) == doc, "dump() changed the content"
    with open(args.out + ".tmp", "w") as f:
        f.write(text)
    os.replace(args.out + ".tmp", args.out)
    errors = sum(1 for c in cases if "error" in c)
    print(f"{len(cases)} cases ({errors} rejected by Keras) -> {os.path.relpath(args.out)}")


if __name__ == "__main__":
    sys.exit(main())
