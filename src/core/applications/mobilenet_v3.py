"""MobileNetV3Small and MobileNetV3Large (Howard et al., "Searching for MobileNetV3", 2019), written here from the
published structure (Tables 1 and 2 of the paper): a strided 3×3 convolution, inverted residual bottlenecks
(1×1 expansion, 3×3 or 5×5 depthwise, optional squeeze-and-excite, linear 1×1 projection, a residual connection
where shapes allow) with ReLU or hard-swish, a 1×1 convolution to 6× the last width, and a head of global
pooling and two 1×1 convolutions. `minimalistic` drops squeeze-and-excite, hard-swish and 5×5 kernels. Layer
names, argument checks and their messages are Keras'. As in Keras, the hard sigmoid of squeeze-and-excite is
tensor arithmetic around a ReLU(6): `ReLU(6)(x + 3) * (1 / 6)`.

Runs after prelude.py (index.ts joins the two), which imports keras and layers and defines the helpers
every family uses.
"""

__all__ = ["MobileNetV3Small", "MobileNetV3Large"]


def activation(x, hard_swish):
    # the nonlinearity of a block: hard-swish ("HS" in the paper) or ReLU ("RE")
    if hard_swish:
        return layers.Activation("hard_swish")(x)
    return layers.ReLU()(x)


def se_block(inputs, filters, se_ratio, prefix):
    # Squeeze-and-excite: global pooling, 1x1 reduction with ReLU, 1x1 expansion with hard sigmoid, rescaling
    x = layers.GlobalAveragePooling2D(keepdims=True, name=prefix + "squeeze_excite_avg_pool")(inputs)
    x = layers.Conv2D(make_divisible(filters * se_ratio), kernel_size=1, padding="same", name=prefix + "squeeze_excite_conv")(x)
    x = layers.ReLU(name=prefix + "squeeze_excite_relu")(x)
    x = layers.Conv2D(filters, kernel_size=1, padding="same", name=prefix + "squeeze_excite_conv_1")(x)
    x = layers.ReLU(6.0)(x + 3.0) * (1.0 / 6.0)
    return layers.Multiply(name=prefix + "squeeze_excite_mul")([inputs, x])


def inverted_res_block(x, infilters, size, expansion, filters, kernel_size, stride, se_ratio, hard_swish, block_id):
    shortcut = x
    prefix = f"expanded_conv_{block_id}_" if block_id else "expanded_conv_"
    if block_id:
        x = layers.Conv2D(make_divisible(infilters * expansion), kernel_size=1, padding="same", use_bias=False, name=prefix + "expand")(x)
        x = layers.BatchNormalization(epsilon=1e-3, momentum=0.999, name=prefix + "expand_bn")(x)
        x = activation(x, hard_swish)
    if stride == 2:
        x = layers.ZeroPadding2D(padding=correct_pad(size, kernel_size), name=prefix + "depthwise_pad")(x)
    x = layers.DepthwiseConv2D(kernel_size, strides=stride, padding="same" if stride == 1 else "valid", use_bias=False, name=prefix + "depthwise")(x)
    x = layers.BatchNormalization(epsilon=1e-3, momentum=0.999, name=prefix + "depthwise_bn")(x)
    x = activation(x, hard_swish)
    if se_ratio:
        x = se_block(x, make_divisible(infilters * expansion), se_ratio, prefix)
    x = layers.Conv2D(filters, kernel_size=1, padding="same", use_bias=False, name=prefix + "project")(x)
    x = layers.BatchNormalization(epsilon=1e-3, momentum=0.999, name=prefix + "project_bn")(x)
    if stride == 1 and infilters == filters:
        x = layers.Add(name=prefix + "add")([shortcut, x])
    return x


def mobilenet_v3(blocks, last_point_ch, input_shape, alpha, minimalistic, include_top, weights, input_tensor, classes, pooling, dropout_rate, classifier_activation, include_preprocessing, name):
    if not (weights in ["imagenet", None] or weights == str(weights)):
        raise ValueError("The `weights` argument should be either `None` (random initialization), `imagenet` (pre-training on ImageNet), or the path to the weights file to be loaded.  Received weights=" + str(weights))
    validate_weights(weights, include_top, classes, 'If using `weights="imagenet"` with `include_top` as true, `classes` should be 1000.  Received classes=' + str(classes))
    if input_shape is not None and input_tensor is not None and input_tensor.shape[2] != input_shape[1]:
        raise ValueError("input_shape[1] must equal input_tensor.shape[2].  Received input_shape=" + str(input_shape) + ", input_tensor.shape=" + str(input_tensor.shape))
    if input_shape is None and input_tensor is not None:
        # Keras writes (cols, rows, 3) here
        input_shape = (input_tensor.shape[2], input_tensor.shape[1], 3)
    if input_shape is None:
        input_shape = (None, None, 3)
    rows, cols = input_shape[0], input_shape[1]
    if rows and cols and (rows < 32 or cols < 32):
        raise ValueError("Input size must be at least 32x32; Received `input_shape=" + str(input_shape) + "`")
    if weights == "imagenet" and (not minimalistic and alpha not in [0.75, 1.0] or minimalistic and alpha != 1.0):
        raise ValueError("If imagenet weights are being loaded, alpha can be one of `0.75`, `1.0` for non minimalistic or `1.0` for minimalistic only.")
    img_input = image_input(input_tensor, input_shape)
    # the spatial size of the input, tracked through the strides for the padding of strided blocks
    size = spatial_size(input_tensor, input_shape)
    se_ratio = None if minimalistic else 0.25
    x = img_input
    if include_preprocessing:
        # pixels from [0, 255] to [-1, 1]
        x = layers.Rescaling(scale=1.0 / 127.5, offset=-1.0)(x)
    # 3x3 convolution, stride 2, 16 channels
    x = layers.Conv2D(16, kernel_size=3, strides=(2, 2), padding="same", use_bias=False, name="conv")(x)
    x = layers.BatchNormalization(epsilon=1e-3, momentum=0.999, name="conv_bn")(x)
    x = activation(x, not minimalistic)
    size = downsample(size)
    # Bottlenecks: expansion, output channels, kernel, stride, squeeze-and-excite, nonlinearity
    # (minimalistic: 3x3 kernels, no squeeze-and-excite, ReLU)
    channels = 16
    for block_id, (expansion, filters, kernel, stride, se, nl) in enumerate(blocks):
        filters = make_divisible(filters * alpha)
        kernel = 3 if minimalistic else kernel
        hard_swish = nl == "HS" and not minimalistic
        x = inverted_res_block(x, channels, size, expansion, filters, kernel, stride, se_ratio if se else None, hard_swish, block_id)
        channels = filters
        if stride == 2:
            size = downsample(size)
    # 1x1 convolution to 6 times the last width
    x = layers.Conv2D(make_divisible(channels * 6), kernel_size=1, padding="same", use_bias=False, name="conv_1")(x)
    x = layers.BatchNormalization(epsilon=1e-3, momentum=0.999, name="conv_1_bn")(x)
    x = activation(x, not minimalistic)
    if alpha > 1.0:
        last_point_ch = make_divisible(last_point_ch * alpha)
    if include_top:
        # Head: global average pooling, 1x1 convolution (no batch normalization), dropout, 1x1 convolution to classes
        x = layers.GlobalAveragePooling2D(keepdims=True)(x)
        x = layers.Conv2D(last_point_ch, kernel_size=1, padding="same", use_bias=True, name="conv_2")(x)
        x = activation(x, not minimalistic)
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate)(x)
        x = layers.Conv2D(classes, kernel_size=1, padding="same", name="logits")(x)
        x = layers.Flatten()(x)
        x = layers.Activation(activation=classifier_activation, name="predictions")(x)
    else:
        x = global_pool(x, pooling, named=True)
    return keras.Model(img_input, x, name=name)


def MobileNetV3Small(input_shape=None, alpha=1.0, minimalistic=False, include_top=True, weights="imagenet", input_tensor=None, classes=1000, pooling=None, dropout_rate=0.2, classifier_activation="softmax", include_preprocessing=True, name="MobileNetV3Small"):
    # Table 2 of the paper; the head widens to 1024
    blocks = [
        (1, 16, 3, 2, True, "RE"),
        (72 / 16, 24, 3, 2, False, "RE"),
        (88 / 24, 24, 3, 1, False, "RE"),
        (4, 40, 5, 2, True, "HS"),
        (6, 40, 5, 1, True, "HS"),
        (6, 40, 5, 1, True, "HS"),
        (3, 48, 5, 1, True, "HS"),
        (3, 48, 5, 1, True, "HS"),
        (6, 96, 5, 2, True, "HS"),
        (6, 96, 5, 1, True, "HS"),
        (6, 96, 5, 1, True, "HS"),
    ]
    return mobilenet_v3(blocks, 1024, input_shape, alpha, minimalistic, include_top, weights, input_tensor, classes, pooling, dropout_rate, classifier_activation, include_preprocessing, name)


def MobileNetV3Large(input_shape=None, alpha=1.0, minimalistic=False, include_top=True, weights="imagenet", input_tensor=None, classes=1000, pooling=None, dropout_rate=0.2, classifier_activation="softmax", include_preprocessing=True, name="MobileNetV3Large"):
    # Table 1 of the paper; the head widens to 1280
    blocks = [
        (1, 16, 3, 1, False, "RE"),
        (4, 24, 3, 2, False, "RE"),
        (3, 24, 3, 1, False, "RE"),
        (3, 40, 5, 2, True, "RE"),
        (3, 40, 5, 1, True, "RE"),
        (3, 40, 5, 1, True, "RE"),
        (6, 80, 3, 2, False, "HS"),
        (2.5, 80, 3, 1, False, "HS"),
        (2.3, 80, 3, 1, False, "HS"),
        (2.3, 80, 3, 1, False, "HS"),
        (6, 112, 3, 1, True, "HS"),
        (6, 112, 3, 1, True, "HS"),
        (6, 160, 5, 2, True, "HS"),
        (6, 160, 5, 1, True, "HS"),
        (6, 160, 5, 1, True, "HS"),
    ]
    return mobilenet_v3(blocks, 1280, input_shape, alpha, minimalistic, include_top, weights, input_tensor, classes, pooling, dropout_rate, classifier_activation, include_preprocessing, name)
