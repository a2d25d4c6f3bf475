"""Xception (Chollet, "Xception: Deep Learning with Depthwise Separable Convolutions", 2017), written here from the
published structure: an entry flow (two 3×3 convolutions, then three blocks of two separable convolutions and a
strided max pooling, each added to a strided 1×1 convolution shortcut), a middle flow of eight residual blocks of
three 728-filter separable convolutions, and an exit flow (one more shortcut block, then separable convolutions
of 1536 and 2048 filters). Every convolution is followed by BatchNormalization; Keras leaves the shortcut
convolutions and their BatchNormalization unnamed. Layer names are Keras'.

Runs after prelude.py (index.ts joins the two), which imports keras and layers and defines the helpers
every family uses.
"""

__all__ = ["Xception"]


def sepconv_bn(x, filters, prefix, i, relu_first):
    # [ReLU] -> 3x3 separable conv (no bias) -> BN, named {prefix}_sepconv{i}
    if relu_first:
        x = layers.Activation("relu", name=f"{prefix}_sepconv{i}_act")(x)
    x = layers.SeparableConv2D(filters, (3, 3), padding="same", use_bias=False, name=f"{prefix}_sepconv{i}")(x)
    return layers.BatchNormalization(axis=-1, name=f"{prefix}_sepconv{i}_bn")(x)


def shortcut_block(x, filters1, filters2, block, relu_first):
    # two separable convs and a 3x3/2 max pooling, added to a 1x1/2 convolution of the block's input
    residual = layers.Conv2D(filters2, (1, 1), strides=(2, 2), padding="same", use_bias=False)(x)
    residual = layers.BatchNormalization(axis=-1)(residual)
    prefix = f"block{block}"
    x = sepconv_bn(x, filters1, prefix, 1, relu_first)
    x = sepconv_bn(x, filters2, prefix, 2, True)
    x = layers.MaxPooling2D((3, 3), strides=(2, 2), padding="same", name=f"{prefix}_pool")(x)
    return layers.Add()([x, residual])


def Xception(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="xception"):
    validate_weights(weights, include_top, classes, "If using `weights='imagenet'` with `include_top=True`, `classes` should be 1000.  Received classes=" + str(classes))
    input_shape = obtain_input_shape(input_shape, 299, 71, include_top, weights)
    img_input = image_input(input_tensor, input_shape)

    # Entry flow: two plain convolutions ("valid" padding), then three shortcut blocks
    x = img_input
    for i, (filters, strides) in enumerate([(32, (2, 2)), (64, (1, 1))]):
        x = layers.Conv2D(filters, (3, 3), strides=strides, use_bias=False, name=f"block1_conv{i + 1}")(x)
        x = layers.BatchNormalization(axis=-1, name=f"block1_conv{i + 1}_bn")(x)
        x = layers.Activation("relu", name=f"block1_conv{i + 1}_act")(x)
    for block, filters in [(2, 128), (3, 256), (4, 728)]:
        x = shortcut_block(x, filters, filters, block, block != 2)

    # Middle flow: eight identity-shortcut blocks of three ReLU-sepconv-BN
    for block in range(5, 13):
        residual = x
        for i in range(1, 4):
            x = sepconv_bn(x, 728, f"block{block}", i, True)
        x = layers.Add()([x, residual])

    # Exit flow
    x = shortcut_block(x, 728, 1024, 13, True)
    for i, filters in enumerate([1536, 2048]):
        x = layers.SeparableConv2D(filters, (3, 3), padding="same", use_bias=False, name=f"block14_sepconv{i + 1}")(x)
        x = layers.BatchNormalization(axis=-1, name=f"block14_sepconv{i + 1}_bn")(x)
        x = layers.Activation("relu", name=f"block14_sepconv{i + 1}_act")(x)

    x = classifier_or_pooling(x, include_top, pooling, classes, classifier_activation, top_pool_name="avg_pool")
    return keras.Model(img_input, x, name=name)
