"""Python shared by every architecture of keras.applications written here: Keras' checks of the arguments (with
Keras' own messages, so that an invalid input size is a diagnostic in Keras' words), the input, the code several
families write alike (channel rounding, padding, EfficientNet's blocks' squeeze-and-excitation and residual), and
the classifier or pooling on top. index.ts puts it before each family's source, both when LayerLens interprets it
and when scripts/keras-oracle/check_source.py runs it in real Keras.

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


def spatial_size(input_tensor, input_shape):
    # the input's rows and columns: an input_tensor's own, which input_shape need not match (MobileNet V2/V3)
    if input_tensor is None:
        return [input_shape[0], input_shape[1]]
    return [input_tensor.shape[1], input_tensor.shape[2]]


def round_repeats(repeats, depth_coefficient):
    # EfficientNet's repeats scaled by the depth coefficient, rounded up (-(-x // 1) is the ceiling of x)
    return int(-(-(depth_coefficient * repeats) // 1))


def squeeze_excite(x, name, filters, filters_se, activation):
    # EfficientNet's and EfficientNetV2's squeeze-and-excitation: global pooling, a 1x1 reduction to filters_se,
    # a 1x1 expansion with a sigmoid, and the rescaling of x
    se = layers.GlobalAveragePooling2D(name=f"{name}se_squeeze")(x)
    se = layers.Reshape((1, 1, filters), name=f"{name}se_reshape")(se)
    se = layers.Conv2D(filters_se, 1, padding="same", activation=activation, name=f"{name}se_reduce")(se)
    se = layers.Conv2D(filters, 1, padding="same", activation="sigmoid", name=f"{name}se_expand")(se)
    return layers.Multiply(name=f"{name}se_excite")([x, se])


def drop_connect_add(x, inputs, drop_rate, name):
    # EfficientNet's and EfficientNetV2's residual: the block's output, dropped per sample (drop-connect) at
    # drop_rate, added to its input
    if drop_rate > 0:
        x = layers.Dropout(drop_rate, noise_shape=(None, 1, 1, 1), name=f"{name}drop")(x)
    return layers.Add(name=f"{name}add")([x, inputs])


def image_input(input_tensor, input_shape):
    if input_tensor is None:
        return keras.Input(shape=input_shape)
    return input_tensor


def global_pool(x, pooling, named=False):
    # Keras' pooling=: "avg", "max", or None for the map itself. The layer is named "avg_pool" or "max_pool" in the
    # families whose Keras code names it (named), else Keras generates its name (no name=, as their code writes it).
    if pooling == "avg":
        pool = layers.GlobalAveragePooling2D(name="avg_pool") if named else layers.GlobalAveragePooling2D()
        return pool(x)
    if pooling == "max":
        pool = layers.GlobalMaxPooling2D(name="max_pool") if named else layers.GlobalMaxPooling2D()
        return pool(x)
    return x


def classifier_or_pooling(x, include_top, pooling, classes, classifier_activation, dropout=None, top_pool_name=None, named_pooling=False):
    # The ending most families share. With include_top: global average pooling (named top_pool_name, else Keras
    # generates its name), a dropout where the family has one, and the classifier; without: pooling= (global_pool).
    if include_top:
        pool = layers.GlobalAveragePooling2D(name=top_pool_name) if top_pool_name else layers.GlobalAveragePooling2D()
        x = pool(x)
        if dropout:
            x = layers.Dropout(dropout, name="top_dropout")(x)
        return layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    return global_pool(x, pooling, named_pooling)
