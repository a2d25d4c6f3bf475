"""EfficientNetV2 B0 to B3, S, M and L (Tan & Le, "EfficientNetV2: Smaller Models and Faster Training", 2021),
written here from the published structure: a 3×3 stride-2 stem, stages of Fused-MBConv blocks (a full 3×3
convolution in place of the expansion and the depthwise convolution, no squeeze-and-excitation) followed by
stages of MBConv blocks (squeeze-and-excitation at ratio 0.25), and a 1×1 head of 1280 filters. Every kernel
is 3×3. S, M and L have their own stage tables (Table 4 of the paper for S); B0 to B3 share a smaller table and
scale its width and depth like EfficientNet B0 to B3. With include_preprocessing the model starts with its own
preprocessing layers. Layer names are Keras'.

Runs after prelude.py (index.ts joins the two), which imports keras and layers and defines the helpers
every family uses.
"""

__all__ = ["EfficientNetV2B0", "EfficientNetV2B1", "EfficientNetV2B2", "EfficientNetV2B3", "EfficientNetV2S", "EfficientNetV2M", "EfficientNetV2L"]


def round_filters(filters, width_coefficient):
    # Channels scaled by the width coefficient and rounded to a multiple of 8 (at least 8).
    filters *= width_coefficient
    return int(max(8, int(filters + 4) // 8 * 8))


def mbconv(inputs, name, fused, input_filters, output_filters, expand_ratio, strides, survival_probability):
    # MBConv: 1×1 expansion, 3×3 depthwise convolution, squeeze-and-excitation, 1×1 projection.
    # Fused-MBConv: a 3×3 convolution does the expansion (and the stride), then the 1×1 projection; without
    # expansion the projection itself is the 3×3 convolution, followed by an activation.
    # Both add the input back (after drop-connect) when the shape is kept.
    activation = "swish"
    filters = input_filters * expand_ratio
    x = inputs
    if expand_ratio != 1:
        x = layers.Conv2D(filters, 3 if fused else 1, strides=strides if fused else 1, padding="same", use_bias=False, name=f"{name}expand_conv")(x)
        x = layers.BatchNormalization(axis=3, momentum=0.9, name=f"{name}expand_bn")(x)
        x = layers.Activation(activation, name=f"{name}expand_activation")(x)
    if not fused:
        x = layers.DepthwiseConv2D(3, strides=strides, padding="same", use_bias=False, name=f"{name}dwconv2")(x)
        x = layers.BatchNormalization(axis=3, momentum=0.9, name=f"{name}bn")(x)
        x = layers.Activation(activation, name=f"{name}activation")(x)
        x = squeeze_excite(x, name, filters, max(1, int(input_filters * 0.25)), activation)
    project_3x3 = fused and expand_ratio == 1
    x = layers.Conv2D(output_filters, 3 if project_3x3 else 1, strides=strides if project_3x3 else 1, padding="same", use_bias=False, name=f"{name}project_conv")(x)
    x = layers.BatchNormalization(axis=3, momentum=0.9, name=f"{name}project_bn")(x)
    if project_3x3:
        x = layers.Activation(activation, name=f"{name}project_activation")(x)
    if strides == 1 and input_filters == output_filters:
        x = drop_connect_add(x, inputs, survival_probability, name)
    return x


def stage_table(variant):
    # Stages: repeats, input and output filters, expansion ratio, stride, fused (Fused-MBConv, else MBConv).
    if variant == "s":
        return [(2, 24, 24, 1, 1, True), (4, 24, 48, 4, 2, True), (4, 48, 64, 4, 2, True), (6, 64, 128, 4, 2, False), (9, 128, 160, 6, 1, False), (15, 160, 256, 6, 2, False)]
    if variant == "m":
        return [(3, 24, 24, 1, 1, True), (5, 24, 48, 4, 2, True), (5, 48, 80, 4, 2, True), (7, 80, 160, 4, 2, False), (14, 160, 176, 6, 1, False), (18, 176, 304, 6, 2, False), (5, 304, 512, 6, 1, False)]
    if variant == "l":
        return [(4, 32, 32, 1, 1, True), (7, 32, 64, 4, 2, True), (7, 64, 96, 4, 2, True), (10, 96, 192, 4, 2, False), (19, 192, 224, 6, 1, False), (25, 224, 384, 6, 2, False), (7, 384, 640, 6, 1, False)]
    return [(1, 32, 16, 1, 1, True), (2, 16, 32, 4, 2, True), (2, 32, 48, 4, 2, True), (3, 48, 96, 4, 2, False), (5, 96, 112, 6, 1, False), (8, 112, 192, 6, 2, False)]


def efficientnet_v2(variant, width_coefficient, depth_coefficient, default_size, name, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, include_preprocessing):
    validate_weights(weights, include_top, classes, 'If using `weights="imagenet"` with `include_top` as true, `classes` should be 1000')
    input_shape = obtain_input_shape(input_shape, default_size, 32, include_top, weights)
    img_input = image_input(input_tensor, input_shape)
    x = img_input
    if include_preprocessing:
        if variant == "b" and input_shape[2] == 3:
            # B0 to B3: EfficientNet's preprocessing, to [0, 1] then ImageNet's mean and standard deviation.
            x = layers.Rescaling(scale=1.0 / 255)(x)
            x = layers.Normalization(mean=[0.485, 0.456, 0.406], variance=[0.229**2, 0.224**2, 0.225**2], axis=3)(x)
        else:
            # To [-1, 1].
            x = layers.Rescaling(scale=1.0 / 128.0, offset=-1)(x)

    stages = stage_table(variant)
    # Stem: 3×3 convolution, stride 2.
    x = layers.Conv2D(round_filters(stages[0][1], width_coefficient), 3, strides=2, padding="same", use_bias=False, name="stem_conv")(x)
    x = layers.BatchNormalization(axis=3, momentum=0.9, name="stem_bn")(x)
    x = layers.Activation("swish", name="stem_activation")(x)

    # The drop-connect rate grows with the index of the block, from 0 by 0.2 / (unscaled number of blocks).
    blocks = float(sum([stage[0] for stage in stages]))
    b = 0
    for i, (repeats, input_filters, output_filters, expand_ratio, strides, fused) in enumerate(stages):
        input_filters = round_filters(input_filters, width_coefficient)
        output_filters = round_filters(output_filters, width_coefficient)
        for j in range(round_repeats(repeats, depth_coefficient)):
            if j > 0:
                strides = 1
                input_filters = output_filters
            block_name = f"block{i + 1}" + "abcdefghijklmnopqrstuvwxyz"[j] + "_"
            x = mbconv(x, block_name, fused, input_filters, output_filters, expand_ratio, strides, 0.2 * b / blocks)
            b += 1

    # Head: 1×1 convolution to 1280 (scaled) channels, then the classifier or the pooling.
    x = layers.Conv2D(round_filters(1280, width_coefficient), 1, padding="same", use_bias=False, name="top_conv")(x)
    x = layers.BatchNormalization(axis=3, momentum=0.9, name="top_bn")(x)
    x = layers.Activation("swish", name="top_activation")(x)
    x = classifier_or_pooling(x, include_top, pooling, classes, classifier_activation, 0.2, "avg_pool", named_pooling=True)
    return keras.Model(img_input, x, name=name)


def EfficientNetV2B0(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", include_preprocessing=True, name="efficientnetv2-b0"):
    return efficientnet_v2("b", 1.0, 1.0, 224, name, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, include_preprocessing)


def EfficientNetV2B1(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", include_preprocessing=True, name="efficientnetv2-b1"):
    return efficientnet_v2("b", 1.0, 1.1, 240, name, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, include_preprocessing)


def EfficientNetV2B2(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", include_preprocessing=True, name="efficientnetv2-b2"):
    return efficientnet_v2("b", 1.1, 1.2, 260, name, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, include_preprocessing)


def EfficientNetV2B3(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", include_preprocessing=True, name="efficientnetv2-b3"):
    return efficientnet_v2("b", 1.2, 1.4, 300, name, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, include_preprocessing)


def EfficientNetV2S(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", include_preprocessing=True, name="efficientnetv2-s"):
    return efficientnet_v2("s", 1.0, 1.0, 384, name, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, include_preprocessing)


def EfficientNetV2M(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", include_preprocessing=True, name="efficientnetv2-m"):
    return efficientnet_v2("m", 1.0, 1.0, 480, name, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, include_preprocessing)


def EfficientNetV2L(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", include_preprocessing=True, name="efficientnetv2-l"):
    return efficientnet_v2("l", 1.0, 1.0, 480, name, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, include_preprocessing)
