"""MobileNet (Howard et al., "MobileNets: Efficient Convolutional Neural Networks for Mobile Vision Applications",
2017) and MobileNetV2 (Sandler et al., "MobileNetV2: Inverted Residuals and Linear Bottlenecks", 2018), written
here from the published structure. MobileNet: a strided 3×3 convolution, then 13 depthwise separable
convolutions (3×3 depthwise, 1×1 pointwise, each with batch normalization and ReLU6), widths scaled by the
width multiplier `alpha`. MobileNetV2: a strided 3×3 convolution, 17 inverted residual bottlenecks (1×1
expansion, 3×3 depthwise, linear 1×1 projection, a residual connection where shapes allow) and a 1×1
convolution to 1280 channels. Layer names, argument checks and their messages are Keras'.

Runs after prelude.py (index.ts joins the two), which imports keras and layers and defines the helpers
every family uses.
"""

__all__ = ["MobileNet", "MobileNetV2"]


def two_decimals(v):
    # v as Python's f"{v:0.2f}" writes it (halves to even), for the model's name
    cents = int(v * 100)
    rest = v * 100 - cents
    if rest > 0.5 or (rest == 0.5 and cents % 2 == 1):
        cents += 1
    return str(cents // 100) + "." + str(cents // 10 % 10) + str(cents % 10)


def size_with_weights(rows, cols, sizes):
    # Keras picks the default size from a square input of a size it has weights for, 224 otherwise
    if rows == cols and rows in sizes:
        return rows
    return 224


def MobileNet(input_shape=None, alpha=1.0, depth_multiplier=1, dropout=1e-3, include_top=True, weights="imagenet", input_tensor=None, pooling=None, classes=1000, classifier_activation="softmax", name=None):
    if not (weights in ["imagenet", None] or weights == str(weights)):
        raise ValueError("The `weights` argument should be either `None` (random initialization), 'imagenet' (pre-training on ImageNet), or the path to the weights file to be loaded. Received weights=" + str(weights))
    validate_weights(weights, include_top, classes, "If using `weights='imagenet'` with `include_top=True`, `classes` should be 1000.  Received classes=" + str(classes))
    sizes = [128, 160, 192, 224]
    default_size = 224 if input_shape is None else size_with_weights(input_shape[0], input_shape[1], sizes)
    input_shape = obtain_input_shape(input_shape, default_size, 32, include_top, weights)
    rows, cols = input_shape[0], input_shape[1]
    if weights == "imagenet":
        if depth_multiplier != 1:
            raise ValueError("If imagenet weights are being loaded, depth multiplier must be 1.  Received depth_multiplier=" + str(depth_multiplier))
        if alpha not in [0.25, 0.50, 0.75, 1.0]:
            raise ValueError("If imagenet weights are being loaded, alpha can be one of`0.25`, `0.50`, `0.75` or `1.0` only.  Received alpha=" + str(alpha))
        if rows != cols or rows not in sizes:
            rows = 224
    img_input = image_input(input_tensor, input_shape)
    # Standard 3x3 convolution, stride 2 (Table 1 of the paper)
    x = layers.Conv2D(int(32 * alpha), (3, 3), padding="same", use_bias=False, strides=(2, 2), name="conv1")(img_input)
    x = layers.BatchNormalization(name="conv1_bn")(x)
    x = layers.ReLU(6.0, name="conv1_relu")(x)
    # 13 depthwise separable convolutions: pointwise filters and stride of each
    blocks = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2), (512, 1), (512, 1), (512, 1), (512, 1), (512, 1), (1024, 2), (1024, 1)]
    for i, (filters, stride) in enumerate(blocks):
        block_id = i + 1
        if stride == 2:
            x = layers.ZeroPadding2D(((0, 1), (0, 1)), name=f"conv_pad_{block_id}")(x)
        x = layers.DepthwiseConv2D((3, 3), padding="same" if stride == 1 else "valid", depth_multiplier=depth_multiplier, strides=(stride, stride), use_bias=False, name=f"conv_dw_{block_id}")(x)
        x = layers.BatchNormalization(name=f"conv_dw_{block_id}_bn")(x)
        x = layers.ReLU(6.0, name=f"conv_dw_{block_id}_relu")(x)
        x = layers.Conv2D(int(filters * alpha), (1, 1), padding="same", use_bias=False, strides=(1, 1), name=f"conv_pw_{block_id}")(x)
        x = layers.BatchNormalization(name=f"conv_pw_{block_id}_bn")(x)
        x = layers.ReLU(6.0, name=f"conv_pw_{block_id}_relu")(x)
    if include_top:
        # Classifier: global average pooling, dropout and a 1x1 convolution to the classes
        x = layers.GlobalAveragePooling2D(keepdims=True)(x)
        x = layers.Dropout(dropout, name="dropout")(x)
        x = layers.Conv2D(classes, (1, 1), padding="same", name="conv_preds")(x)
        x = layers.Reshape((classes,), name="reshape_2")(x)
        x = layers.Activation(activation=classifier_activation, name="predictions")(x)
    else:
        x = global_pool(x, pooling)
    if name is None:
        name = f"mobilenet_{two_decimals(alpha)}_{rows}"
    return keras.Model(img_input, x, name=name)


def inverted_res_block(x, in_channels, size, expansion, stride, alpha, filters, block_id):
    # Bottleneck residual block (Table 1 of the MobileNetV2 paper): 1x1 expansion with ReLU6, 3x3 depthwise with
    # ReLU6, linear 1x1 projection; the input is added back when the shapes match
    pointwise_filters = make_divisible(int(filters * alpha), 8)
    inputs = x
    prefix = f"block_{block_id}_" if block_id else "expanded_conv_"
    if block_id:
        x = layers.Conv2D(expansion * in_channels, kernel_size=1, padding="same", use_bias=False, activation=None, name=prefix + "expand")(x)
        x = layers.BatchNormalization(epsilon=1e-3, momentum=0.999, name=prefix + "expand_BN")(x)
        x = layers.ReLU(6.0, name=prefix + "expand_relu")(x)
    if stride == 2:
        x = layers.ZeroPadding2D(padding=correct_pad(size, 3), name=prefix + "pad")(x)
    x = layers.DepthwiseConv2D(kernel_size=3, strides=stride, activation=None, use_bias=False, padding="same" if stride == 1 else "valid", name=prefix + "depthwise")(x)
    x = layers.BatchNormalization(epsilon=1e-3, momentum=0.999, name=prefix + "depthwise_BN")(x)
    x = layers.ReLU(6.0, name=prefix + "depthwise_relu")(x)
    x = layers.Conv2D(pointwise_filters, kernel_size=1, padding="same", use_bias=False, activation=None, name=prefix + "project")(x)
    x = layers.BatchNormalization(epsilon=1e-3, momentum=0.999, name=prefix + "project_BN")(x)
    if in_channels == pointwise_filters and stride == 1:
        return layers.Add(name=prefix + "add")([inputs, x])
    return x


def MobileNetV2(input_shape=None, alpha=1.0, include_top=True, weights="imagenet", input_tensor=None, pooling=None, classes=1000, classifier_activation="softmax", name=None):
    if not (weights in ["imagenet", None] or weights == str(weights)):
        raise ValueError("The `weights` argument should be either `None` (random initialization), `imagenet` (pre-training on ImageNet), or the path to the weights file to be loaded.  Received `weights=" + str(weights) + "`")
    validate_weights(weights, include_top, classes, 'If using `weights="imagenet"` with `include_top` as true, `classes` should be 1000. Received `classes=' + str(classes) + "`")
    if input_shape is not None and input_tensor is not None and input_tensor.shape[2] != input_shape[1]:
        raise ValueError("input_tensor.shape[2] must equal input_shape[1]; Received `input_tensor.shape=" + str(input_tensor.shape) + "`, `input_shape=" + str(input_shape) + "`")
    sizes = [96, 128, 160, 192, 224]
    if input_shape is not None:
        default_size = size_with_weights(input_shape[0], input_shape[1], sizes)
    elif input_tensor is not None:
        default_size = size_with_weights(input_tensor.shape[1], input_tensor.shape[2], sizes)
    else:
        default_size = 224
    input_shape = obtain_input_shape(input_shape, default_size, 32, include_top, weights)
    rows, cols = input_shape[0], input_shape[1]
    if weights == "imagenet":
        if alpha not in [0.35, 0.50, 0.75, 1.0, 1.3, 1.4]:
            raise ValueError("If imagenet weights are being loaded, alpha must be one of `0.35`, `0.50`, `0.75`, `1.0`, `1.3` or `1.4` only; Received `alpha=" + str(alpha) + "`")
        if rows != cols or rows not in sizes:
            rows = 224
    img_input = image_input(input_tensor, input_shape)
    # the spatial size of the input, tracked through the strides for the padding of strided blocks
    size = spatial_size(input_tensor, input_shape)
    # 3x3 convolution, stride 2
    channels = make_divisible(32 * alpha, 8)
    x = layers.Conv2D(channels, kernel_size=3, strides=(2, 2), padding="same", use_bias=False, name="Conv1")(img_input)
    x = layers.BatchNormalization(epsilon=1e-3, momentum=0.999, name="bn_Conv1")(x)
    x = layers.ReLU(6.0, name="Conv1_relu")(x)
    size = downsample(size)
    # Bottlenecks (Table 2 of the paper): expansion t, output channels c, repeats n, stride s of the first
    block_id = 0
    for t, c, n, s in [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]:
        for i in range(n):
            stride = s if i == 0 else 1
            x = inverted_res_block(x, channels, size, t, stride, alpha, c, block_id)
            channels = make_divisible(int(c * alpha), 8)
            if stride == 2:
                size = downsample(size)
            block_id += 1
    # 1x1 convolution to 1280 channels (more, never fewer, when alpha > 1)
    last_block_filters = make_divisible(1280 * alpha, 8) if alpha > 1.0 else 1280
    x = layers.Conv2D(last_block_filters, kernel_size=1, use_bias=False, name="Conv_1")(x)
    x = layers.BatchNormalization(epsilon=1e-3, momentum=0.999, name="Conv_1_bn")(x)
    x = layers.ReLU(6.0, name="out_relu")(x)
    x = classifier_or_pooling(x, include_top, pooling, classes, classifier_activation)
    if name is None:
        name = f"mobilenetv2_{two_decimals(alpha)}_{rows}"
    return keras.Model(img_input, x, name=name)
