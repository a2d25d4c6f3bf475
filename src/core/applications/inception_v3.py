"""InceptionV3 (Szegedy et al., "Rethinking the Inception Architecture for Computer Vision", 2015), written here
from the published structure: a stem of five convolutions and two max poolings down to 35×35, three
Inception-A modules (mixed0–2), a grid reduction (mixed3), four Inception-B modules with factorised 1×7 / 7×1
convolutions (mixed4–7), a second reduction (mixed8) and two Inception-C modules with split 1×3 / 3×1 outputs
(mixed9–10). Every convolution is Conv2D (no bias) + BatchNormalization (no scale) + ReLU. Layer names are Keras'.

Runs after prelude.py (index.ts joins the two), which imports keras and layers and defines the helpers
every family uses.
"""

__all__ = ["InceptionV3"]


def conv2d_bn(x, filters, num_row, num_col, padding="same", strides=(1, 1), name=None):
    # Conv (no bias) + BN (no scale) + ReLU; only the stem's unnamed rows get Keras' generated names
    x = layers.Conv2D(filters, (num_row, num_col), strides=strides, padding=padding, use_bias=False, name=None if name is None else name + "_conv")(x)
    x = layers.BatchNormalization(axis=3, scale=False, name=None if name is None else name + "_bn")(x)
    return layers.Activation("relu", name=name)(x)


def tower(x, convs):
    # one branch of a module: a chain of (filters, rows, cols) convolutions, "same" padding
    for filters, num_row, num_col in convs:
        x = conv2d_bn(x, filters, num_row, num_col)
    return x


def pool_branch(x, filters):
    # 3x3 average pooling (stride 1) followed by a 1x1 projection
    x = layers.AveragePooling2D((3, 3), strides=(1, 1), padding="same")(x)
    return conv2d_bn(x, filters, 1, 1)


def InceptionV3(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="inception_v3"):
    validate_weights(weights, include_top, classes, 'If using `weights="imagenet"` with `include_top=True`, `classes` should be 1000. Received classes=' + str(classes))
    input_shape = obtain_input_shape(input_shape, 299, 75, include_top, weights)
    img_input = image_input(input_tensor, input_shape)

    # Stem: 299x299x3 -> 35x35x192
    x = conv2d_bn(img_input, 32, 3, 3, strides=(2, 2), padding="valid")
    x = conv2d_bn(x, 32, 3, 3, padding="valid")
    x = conv2d_bn(x, 64, 3, 3)
    x = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = conv2d_bn(x, 80, 1, 1, padding="valid")
    x = conv2d_bn(x, 192, 3, 3, padding="valid")
    x = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)

    # mixed0-2, Inception-A (35x35): 1x1 | 1x1-5x5 | 1x1-3x3-3x3 | avgpool-1x1
    for i, pool_filters in enumerate([32, 64, 64]):
        branches = [tower(x, [(64, 1, 1)]), tower(x, [(48, 1, 1), (64, 5, 5)]), tower(x, [(64, 1, 1), (96, 3, 3), (96, 3, 3)]), pool_branch(x, pool_filters)]
        x = layers.Concatenate(axis=3, name=f"mixed{i}")(branches)

    # mixed3, grid reduction to 17x17: 3x3/2 | 1x1-3x3-3x3/2 | maxpool/2
    branch3x3 = conv2d_bn(x, 384, 3, 3, strides=(2, 2), padding="valid")
    branch3x3dbl = tower(x, [(64, 1, 1), (96, 3, 3)])
    branch3x3dbl = conv2d_bn(branch3x3dbl, 96, 3, 3, strides=(2, 2), padding="valid")
    branch_pool = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = layers.Concatenate(axis=3, name="mixed3")([branch3x3, branch3x3dbl, branch_pool])

    # mixed4-7, Inception-B (17x17) with factorised 7x7 convolutions of c7 inner filters
    for i, c7 in enumerate([128, 160, 160, 192]):
        branch1x1 = tower(x, [(192, 1, 1)])
        branch7x7 = tower(x, [(c7, 1, 1), (c7, 1, 7), (192, 7, 1)])
        branch7x7dbl = tower(x, [(c7, 1, 1), (c7, 7, 1), (c7, 1, 7), (c7, 7, 1), (192, 1, 7)])
        x = layers.Concatenate(axis=3, name=f"mixed{4 + i}")([branch1x1, branch7x7, branch7x7dbl, pool_branch(x, 192)])

    # mixed8, grid reduction to 8x8: 1x1-3x3/2 | 1x1-1x7-7x1-3x3/2 | maxpool/2
    branch3x3 = conv2d_bn(tower(x, [(192, 1, 1)]), 320, 3, 3, strides=(2, 2), padding="valid")
    branch7x7x3 = conv2d_bn(tower(x, [(192, 1, 1), (192, 1, 7), (192, 7, 1)]), 192, 3, 3, strides=(2, 2), padding="valid")
    branch_pool = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = layers.Concatenate(axis=3, name="mixed8")([branch3x3, branch7x7x3, branch_pool])

    # mixed9-10, Inception-C (8x8): the 3x3 branches end in parallel 1x3 and 3x1 convolutions, concatenated
    for i in range(2):
        branch1x1 = tower(x, [(320, 1, 1)])
        branch3x3 = tower(x, [(384, 1, 1)])
        branch3x3 = layers.Concatenate(axis=3, name=f"mixed9_{i}")([tower(branch3x3, [(384, 1, 3)]), tower(branch3x3, [(384, 3, 1)])])
        branch3x3dbl = tower(x, [(448, 1, 1), (384, 3, 3)])
        branch3x3dbl = layers.Concatenate(axis=3)([tower(branch3x3dbl, [(384, 1, 3)]), tower(branch3x3dbl, [(384, 3, 1)])])
        x = layers.Concatenate(axis=3, name=f"mixed{9 + i}")([branch1x1, branch3x3, branch3x3dbl, pool_branch(x, 192)])

    x = classifier_or_pooling(x, include_top, pooling, classes, classifier_activation, top_pool_name="avg_pool")
    return keras.Model(img_input, x, name=name)
