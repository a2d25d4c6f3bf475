"""Python shared by every architecture of keras.applications written here: Keras' checks of the arguments (with
Keras' own messages, so that an invalid input size is a diagnostic in Keras' words), the input, and the classifier
or pooling on top. index.ts puts it before each family's source, both when LayerLens interprets it and when
scripts/keras-oracle/check_source.py runs it in real Keras.

Only channels_last is written: it is Keras' default image data format.
"""

import keras
from keras import layers


def validate_weights(weights, include_top, classes, message=None):
    # Keras also rejects a `weights` path that does not exist; whether it does is known only when the code runs.
    if weights == "imagenet" and include_top and classes != 1000:
        if message is None:
            message = "If using `weights='imagenet'` with `include_top=True`, `classes` should be 1000.  Received classes=" + str(classes)
        raise ValueError(message)


def obtain_input_shape(input_shape, default_size, min_size, require_flatten, weights=None):
    if weights != "imagenet" and input_shape and len(input_shape) == 3:
        default_shape = (default_size, default_size, input_shape[-1])
    else:
        default_shape = (default_size, default_size, 3)
    if weights == "imagenet" and require_flatten:
        if input_shape is not None:
            if tuple(input_shape) != default_shape:
                raise ValueError("When setting `include_top=True` and loading `imagenet` weights, `input_shape` should be " + str(default_shape) + ".  Received: input_shape=" + str(input_shape))
        return default_shape
    if input_shape:
        if len(input_shape) != 3:
            raise ValueError("`input_shape` must be a tuple of three integers.")
        if input_shape[-1] != 3 and weights == "imagenet":
            raise ValueError("The input must have 3 channels; Received `input_shape=" + str(input_shape) + "`")
        if (input_shape[0] is not None and input_shape[0] < min_size) or (input_shape[1] is not None and input_shape[1] < min_size):
            raise ValueError("Input size must be at least " + str(min_size) + "x" + str(min_size) + "; Received: input_shape=" + str(input_shape))
    else:
        if require_flatten:
            input_shape = default_shape
        else:
            input_shape = (None, None, 3)
    if require_flatten:
        if None in input_shape:
            raise ValueError("If `include_top` is True, you should specify a static `input_shape`. Received: input_shape=" + str(input_shape))
    return input_shape


def make_divisible(v, divisor=8):
    # a channel count rounded to a multiple of divisor, never more than 10% below v (MobileNet V2/V3)
    new_v = max(divisor, int(v + divisor / 2) // divisor * divisor)
    if new_v < 0.9 * v:
        new_v += divisor
    return new_v


def correct_pad(size, kernel_size):
    # the zero padding before a strided "valid" convolution that makes it match "same" (MobileNet, EfficientNet)
    adjust = (1, 1) if size[0] is None else (1 - size[0] % 2, 1 - size[1] % 2)
    c = kernel_size // 2
    return ((c - adjust[0], c), (c - adjust[1], c))


def downsample(size):
    # the spatial size after a stride-2 convolution padded to "same"
    return [None if n is None else (n + 1) // 2 for n in size]


def round_repeats(repeats, depth_coefficient):
    # EfficientNet's repeats scaled by the depth coefficient, rounded up (-(-x // 1) is the ceiling of x)
    return int(-(-(depth_coefficient * repeats) // 1))


def image_input(input_tensor, input_shape):
    if input_tensor is None:
        return keras.Input(shape=input_shape)
    return input_tensor


def global_pool(x, pooling):
    # Keras' pooling=, unnamed (the families whose own code does not name it): "avg", "max", or None for the map itself
    if pooling == "avg":
        return layers.GlobalAveragePooling2D()(x)
    if pooling == "max":
        return layers.GlobalMaxPooling2D()(x)
    return x


def classifier_or_pooling(x, include_top, pooling, classes, classifier_activation, dropout=None):
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        if dropout:
            x = layers.Dropout(dropout, name="top_dropout")(x)
        return layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    if pooling == "avg":
        return layers.GlobalAveragePooling2D(name="avg_pool")(x)
    if pooling == "max":
        return layers.GlobalMaxPooling2D(name="max_pool")(x)
    return x
