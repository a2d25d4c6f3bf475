"""EfficientNetB0 to B7 (Tan & Le, "EfficientNet: Rethinking Model Scaling for Convolutional Neural Networks",
2019), written here from the published structure: the B0 baseline (Table 1 of the paper) is a 3×3 stem of 32
filters, seven stages of mobile inverted bottlenecks (MBConv, with squeeze-and-excitation at ratio 0.25) and a
1×1 head of 1280 filters; B1 to B7 scale its width and depth by compound coefficients and take larger images.
The model starts with its own preprocessing (Rescaling to [0, 1] and a Normalization layer). Layer names are
Keras'.

Runs after prelude.py (index.ts joins the two), which imports keras and layers and defines the helpers
every family uses.
"""

__all__ = ["EfficientNetB0", "EfficientNetB1", "EfficientNetB2", "EfficientNetB3", "EfficientNetB4", "EfficientNetB5", "EfficientNetB6", "EfficientNetB7"]


def round_filters(filters, width_coefficient):
    # Channels scaled by the width coefficient, rounded to a multiple of 8, never more than 10% down (Keras'
    # EfficientNet rounds as MobileNet does).
    return make_divisible(filters * width_coefficient)


def mbconv(inputs, activation, drop_rate, name, filters_in, filters_out, kernel_size, strides, expand_ratio, se_ratio):
    # Mobile inverted bottleneck: 1×1 expansion, depthwise convolution, squeeze-and-excitation, 1×1 projection,
    # and a residual connection (with drop-connect) when the shape is kept.
    filters = filters_in * expand_ratio
    x = inputs
    if expand_ratio != 1:
        x = layers.Conv2D(filters, 1, padding="same", use_bias=False, name=f"{name}expand_conv")(x)
        x = layers.BatchNormalization(axis=3, name=f"{name}expand_bn")(x)
        x = layers.Activation(activation, name=f"{name}expand_activation")(x)
    if strides == 2:
        x = layers.ZeroPadding2D(padding=correct_pad(x.shape[1:3], kernel_size), name=f"{name}dwconv_pad")(x)
    x = layers.DepthwiseConv2D(kernel_size, strides=strides, padding="valid" if strides == 2 else "same", use_bias=False, name=f"{name}dwconv")(x)
    x = layers.BatchNormalization(axis=3, name=f"{name}bn")(x)
    x = layers.Activation(activation, name=f"{name}activation")(x)
    if 0 < se_ratio <= 1:
        x = squeeze_excite(x, name, filters, max(1, int(filters_in * se_ratio)), activation)
    x = layers.Conv2D(filters_out, 1, padding="same", use_bias=False, name=f"{name}project_conv")(x)
    x = layers.BatchNormalization(axis=3, name=f"{name}project_bn")(x)
    if strides == 1 and filters_in == filters_out:
        x = drop_connect_add(x, inputs, drop_rate, name)
    return x


def efficientnet(width_coefficient, depth_coefficient, default_size, dropout_rate, name, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation):
    validate_weights(weights, include_top, classes, 'If using `weights="imagenet"` with `include_top` as true, `classes` should be 1000')
    input_shape = obtain_input_shape(input_shape, default_size, 32, include_top, weights)
    img_input = image_input(input_tensor, input_shape)
    drop_connect_rate = 0.2
    activation = "swish"

    # Preprocessing inside the model: scale to [0, 1], then a Normalization layer.
    x = layers.Rescaling(1.0 / 255.0)(img_input)
    x = layers.Normalization(axis=3)(x)
    if weights == "imagenet":
        # The pretrained weights expect (input - mean) / variance: one more division by the standard deviation.
        x = layers.Rescaling([1.0 / s**0.5 for s in [0.229, 0.224, 0.225]])(x)

    # Stem: 3×3 convolution, stride 2.
    x = layers.ZeroPadding2D(padding=correct_pad(x.shape[1:3], 3), name="stem_conv_pad")(x)
    x = layers.Conv2D(round_filters(32, width_coefficient), 3, strides=2, padding="valid", use_bias=False, name="stem_conv")(x)
    x = layers.BatchNormalization(axis=3, name="stem_bn")(x)
    x = layers.Activation(activation, name="stem_activation")(x)

    # The seven MBConv stages of B0: kernel size, repeats, input and output filters, expansion ratio, stride.
    stages = [
        (3, 1, 32, 16, 1, 1),
        (3, 2, 16, 24, 6, 2),
        (5, 2, 24, 40, 6, 2),
        (3, 3, 40, 80, 6, 2),
        (5, 3, 80, 112, 6, 1),
        (5, 4, 112, 192, 6, 2),
        (3, 1, 192, 320, 6, 1),
    ]
    # Repeats are scaled by the depth coefficient and rounded up; the drop-connect rate grows linearly with the
    # index of the block, from 0 to drop_connect_rate.
    blocks = float(sum([round_repeats(stage[1], depth_coefficient) for stage in stages]))
    b = 0
    for i, (kernel_size, repeats, filters_in, filters_out, expand_ratio, strides) in enumerate(stages):
        filters_in = round_filters(filters_in, width_coefficient)
        filters_out = round_filters(filters_out, width_coefficient)
        for j in range(round_repeats(repeats, depth_coefficient)):
            if j > 0:
                strides = 1
                filters_in = filters_out
            block_name = f"block{i + 1}" + "abcdefghijklmnopqrstuvwxyz"[j] + "_"
            x = mbconv(x, activation, drop_connect_rate * b / blocks, block_name, filters_in, filters_out, kernel_size, strides, expand_ratio, 0.25)
            b += 1

    # Head: 1×1 convolution to 1280 (scaled) channels, then the classifier or the pooling.
    x = layers.Conv2D(round_filters(1280, width_coefficient), 1, padding="same", use_bias=False, name="top_conv")(x)
    x = layers.BatchNormalization(axis=3, name="top_bn")(x)
    x = layers.Activation(activation, name="top_activation")(x)
    x = classifier_or_pooling(x, include_top, pooling, classes, classifier_activation, dropout_rate, "avg_pool", named_pooling=True)
    return keras.Model(img_input, x, name=name)


def EfficientNetB0(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="efficientnetb0"):
    return efficientnet(1.0, 1.0, 224, 0.2, name, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation)


def EfficientNetB1(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="efficientnetb1"):
    return efficientnet(1.0, 1.1, 240, 0.2, name, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation)


def EfficientNetB2(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="efficientnetb2"):
    return efficientnet(1.1, 1.2, 260, 0.3, name, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation)


def EfficientNetB3(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="efficientnetb3"):
    return efficientnet(1.2, 1.4, 300, 0.3, name, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation)


def EfficientNetB4(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="efficientnetb4"):
    return efficientnet(1.4, 1.8, 380, 0.4, name, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation)


def EfficientNetB5(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="efficientnetb5"):
    return efficientnet(1.6, 2.2, 456, 0.4, name, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation)


def EfficientNetB6(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="efficientnetb6"):
    return efficientnet(1.8, 2.6, 528, 0.5, name, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation)


def EfficientNetB7(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="efficientnetb7"):
    return efficientnet(2.0, 3.1, 600, 0.5, name, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation)
