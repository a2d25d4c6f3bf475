"""DenseNet121, DenseNet169 and DenseNet201 (Huang et al., "Densely Connected Convolutional Networks", CVPR 2017),
written here from the published structure: a 7×7/2 convolution stem and a 3×3/2 max pooling, then four dense
blocks (6, 12, 24, 16 layers in DenseNet121; 6, 12, 32, 32 in DenseNet169; 6, 12, 48, 32 in DenseNet201) with
growth rate 32, separated by transition layers that halve the channels (compression 0.5) and the resolution.
Each dense layer is the bottleneck BN-ReLU-Conv1×1(4k)-BN-ReLU-Conv3×3(k) whose k new channels are concatenated
to its input. Layer names are Keras'.

Runs after prelude.py (index.ts joins the two), which imports keras and layers and defines the helpers
every family uses.
"""

__all__ = ["DenseNet121", "DenseNet169", "DenseNet201"]


def densenet_bn_relu(x, name):
    x = layers.BatchNormalization(axis=3, epsilon=1.001e-5, name=f"{name}_bn")(x)
    return layers.Activation("relu", name=f"{name}_relu")(x)


def densenet(blocks, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name):
    validate_weights(weights, include_top, classes, 'If using `weights` as `"imagenet"` with `include_top` as true, `classes` should be 1000')
    input_shape = obtain_input_shape(input_shape, 224, 32, include_top, weights)
    img_input = image_input(input_tensor, input_shape)

    # Stem: 7x7/2 convolution, then 3x3/2 max pooling
    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)))(img_input)
    x = layers.Conv2D(64, 7, strides=2, use_bias=False, name="conv1_conv")(x)
    x = densenet_bn_relu(x, "conv1")
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)))(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1")(x)
    channels = 64

    for stage, depth in enumerate(blocks):
        # Dense block: each layer adds 32 channels (growth rate) to the concatenation
        for i in range(depth):
            block = f"conv{stage + 2}_block{i + 1}"
            y = densenet_bn_relu(x, f"{block}_0")
            y = layers.Conv2D(4 * 32, 1, use_bias=False, name=f"{block}_1_conv")(y)
            y = densenet_bn_relu(y, f"{block}_1")
            y = layers.Conv2D(32, 3, padding="same", use_bias=False, name=f"{block}_2_conv")(y)
            x = layers.Concatenate(axis=3, name=f"{block}_concat")([x, y])
            channels += 32
        # Transition: halve the channels (compression 0.5) and the resolution
        if stage < len(blocks) - 1:
            pool = f"pool{stage + 2}"
            x = densenet_bn_relu(x, pool)
            channels = int(channels * 0.5)
            x = layers.Conv2D(channels, 1, use_bias=False, name=f"{pool}_conv")(x)
            x = layers.AveragePooling2D(2, strides=2, name=f"{pool}_pool")(x)

    x = layers.BatchNormalization(axis=3, epsilon=1.001e-5, name="bn")(x)
    x = layers.Activation("relu", name="relu")(x)
    x = classifier_or_pooling(x, include_top, pooling, classes, classifier_activation, top_pool_name="avg_pool", named_pooling=True)
    return keras.Model(img_input, x, name=name)


def DenseNet121(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="densenet121"):
    return densenet([6, 12, 24, 16], include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name)


def DenseNet169(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="densenet169"):
    return densenet([6, 12, 32, 32], include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name)


def DenseNet201(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="densenet201"):
    return densenet([6, 12, 48, 32], include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name)
