"""ResNet50, ResNet101 and ResNet152 (He et al., "Deep Residual Learning for Image Recognition", 2015) and their
pre-activation versions ResNet50V2, ResNet101V2 and ResNet152V2 (He et al., "Identity Mappings in Deep Residual
Networks", 2016), written here from the published structure: a 7×7/2 stem convolution and a 3×3/2 max pooling,
then four stages of bottleneck blocks (1×1 reduce, 3×3, 1×1 expand to 4× the width) of widths 64, 128, 256, 512,
with 3, 4, 6, 3 blocks (50 layers), 3, 4, 23, 3 (101) or 3, 8, 36, 3 (152). Version 1 normalises and activates
after each convolution and after the addition; version 2 normalises and activates before each block (and once
after the last stage) and downsamples in the last block of a stage instead of the first. Layer names are Keras'.

Runs after prelude.py (index.ts joins the two), which imports keras and layers and defines the helpers
every family uses.
"""

__all__ = ["ResNet50", "ResNet101", "ResNet152", "ResNet50V2", "ResNet101V2", "ResNet152V2"]


def resnet_block_v1(x, filters, stride, conv_shortcut, name):
    # Projection shortcut (1x1 convolution) where the shape changes, identity otherwise.
    if conv_shortcut:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride, name=name + "_0_conv")(x)
        shortcut = layers.BatchNormalization(axis=3, epsilon=1.001e-5, name=name + "_0_bn")(shortcut)
    else:
        shortcut = x
    # Bottleneck: 1x1 (strided) reduce, 3x3, 1x1 expand; each normalised, ReLU after the first two.
    for i, (width, kernel, strides) in enumerate([(filters, 1, stride), (filters, 3, 1), (4 * filters, 1, 1)]):
        x = layers.Conv2D(width, kernel, strides=strides, padding="same" if kernel == 3 else "valid", name=f"{name}_{i + 1}_conv")(x)
        x = layers.BatchNormalization(axis=3, epsilon=1.001e-5, name=f"{name}_{i + 1}_bn")(x)
        if i < 2:
            x = layers.Activation("relu", name=f"{name}_{i + 1}_relu")(x)
    x = layers.Add(name=name + "_add")([shortcut, x])
    return layers.Activation("relu", name=name + "_out")(x)


def resnet_block_v2(x, filters, stride, conv_shortcut, name):
    # Pre-activation: the block's input is normalised and activated once, for the residual branch.
    preact = layers.BatchNormalization(axis=3, epsilon=1.001e-5, name=name + "_preact_bn")(x)
    preact = layers.Activation("relu", name=name + "_preact_relu")(preact)
    if conv_shortcut:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride, name=name + "_0_conv")(preact)
    elif stride > 1:
        shortcut = layers.MaxPooling2D(1, strides=stride)(x)
    else:
        shortcut = x
    # Bottleneck: 1x1 reduce, padded 3x3 (strided), 1x1 expand; no normalisation after the last.
    x = layers.Conv2D(filters, 1, strides=1, use_bias=False, name=name + "_1_conv")(preact)
    x = layers.BatchNormalization(axis=3, epsilon=1.001e-5, name=name + "_1_bn")(x)
    x = layers.Activation("relu", name=name + "_1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name=name + "_2_pad")(x)
    x = layers.Conv2D(filters, 3, strides=stride, use_bias=False, name=name + "_2_conv")(x)
    x = layers.BatchNormalization(axis=3, epsilon=1.001e-5, name=name + "_2_bn")(x)
    x = layers.Activation("relu", name=name + "_2_relu")(x)
    x = layers.Conv2D(4 * filters, 1, name=name + "_3_conv")(x)
    return layers.Add(name=name + "_out")([shortcut, x])


def resnet(preact, depths, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name):
    validate_weights(weights, include_top, classes)
    input_shape = obtain_input_shape(input_shape, 224, 32, include_top, weights)
    img_input = image_input(input_tensor, input_shape)
    # Stem: 7x7/2 convolution, 3x3/2 max pooling (both on explicitly zero-padded input).
    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)), name="conv1_pad")(img_input)
    x = layers.Conv2D(64, 7, strides=2, use_bias=True, name="conv1_conv")(x)
    if not preact:
        x = layers.BatchNormalization(axis=3, epsilon=1.001e-5, name="conv1_bn")(x)
        x = layers.Activation("relu", name="conv1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name="pool1_pad")(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1_pool")(x)
    # Stages conv2..conv5. v1 halves the size in the first block of conv3..conv5 (with a projection shortcut);
    # v2 projects in the first block of every stage and halves the size in the last block of conv2..conv4.
    for stage, (filters, blocks) in enumerate(zip([64, 128, 256, 512], depths)):
        for i in range(blocks):
            block = f"conv{stage + 2}_block{i + 1}"
            if preact:
                stride = 2 if i == blocks - 1 and stage < 3 else 1
                x = resnet_block_v2(x, filters, stride, i == 0, block)
            else:
                stride = 2 if i == 0 and stage > 0 else 1
                x = resnet_block_v1(x, filters, stride, i == 0, block)
    if preact:
        x = layers.BatchNormalization(axis=3, epsilon=1.001e-5, name="post_bn")(x)
        x = layers.Activation("relu", name="post_relu")(x)
    x = classifier_or_pooling(x, include_top, pooling, classes, classifier_activation, top_pool_name="avg_pool", named_pooling=True)
    return keras.Model(img_input, x, name=name)


def ResNet50(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="resnet50"):
    return resnet(False, [3, 4, 6, 3], include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name)


def ResNet101(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="resnet101"):
    return resnet(False, [3, 4, 23, 3], include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name)


def ResNet152(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="resnet152"):
    return resnet(False, [3, 8, 36, 3], include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name)


def ResNet50V2(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="resnet50v2"):
    return resnet(True, [3, 4, 6, 3], include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name)


def ResNet101V2(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="resnet101v2"):
    return resnet(True, [3, 4, 23, 3], include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name)


def ResNet152V2(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="resnet152v2"):
    return resnet(True, [3, 8, 36, 3], include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name)
