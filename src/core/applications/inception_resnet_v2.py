"""InceptionResNetV2 (Szegedy et al., "Inception-v4, Inception-ResNet and the Impact of Residual Connections on
Learning", 2016), written here from the published structure: the Inception stem down to 35×35, an Inception-A
module (mixed_5b), 10 Inception-ResNet-A blocks (block35, residual scale 0.17), a reduction (mixed_6a),
20 Inception-ResNet-B blocks (block17, scale 0.1), a reduction (mixed_7a), 10 Inception-ResNet-C blocks
(block8, scale 0.2, the last one 1.0 and without ReLU) and a final 1×1 convolution of 1536 filters (conv_7b).
In each residual block the concatenated branches are projected back to the block's width by a biased 1×1
convolution `up`, and Keras adds `x + scale * up` with its own layer class CustomScaleLayer (unnamed, so
Keras numbers it custom_scale_layer, custom_scale_layer_1, ...). Layer names are Keras'.

Runs after prelude.py (index.ts joins the two), which imports keras and layers and defines the helpers
every family uses.
"""

__all__ = ["InceptionResNetV2"]


def conv2d_bn(x, filters, kernel_size, strides=1, padding="same", activation="relu", use_bias=False, name=None):
    # Conv -> BN (no scale; only without bias) -> activation; names {name}, {name}_bn, {name}_ac when named
    x = layers.Conv2D(filters, kernel_size, strides=strides, padding=padding, use_bias=use_bias, name=name)(x)
    if not use_bias:
        x = layers.BatchNormalization(axis=3, scale=False, name=None if name is None else name + "_bn")(x)
    if activation is not None:
        x = layers.Activation(activation, name=None if name is None else name + "_ac")(x)
    return x


def tower(x, convs):
    # one branch: a chain of (filters, kernel_size) convolutions, "same" padding
    for filters, kernel_size in convs:
        x = conv2d_bn(x, filters, kernel_size)
    return x


def inception_resnet_block(x, scale, block_type, block_idx, activation="relu"):
    # branches of each block type, and the block's width (that of its input and output)
    if block_type == "block35":
        towers, channels = [[(32, 1)], [(32, 1), (32, 3)], [(32, 1), (48, 3), (64, 3)]], 320
    elif block_type == "block17":
        towers, channels = [[(192, 1)], [(128, 1), (160, [1, 7]), (192, [7, 1])]], 1088
    elif block_type == "block8":
        towers, channels = [[(192, 1)], [(192, 1), (224, [1, 3]), (256, [3, 1])]], 2080
    else:
        raise ValueError('Unknown Inception-ResNet block type. Expects "block35", "block17" or "block8", but got: ' + str(block_type))
    block_name = f"{block_type}_{block_idx}"
    mixed = layers.Concatenate(axis=3, name=f"{block_name}_mixed")([tower(x, convs) for convs in towers])
    up = conv2d_bn(mixed, channels, 1, activation=None, use_bias=True, name=f"{block_name}_conv")
    # x + scale * up, as Keras' own layer (the class name is part of the model's summary)
    from keras.src.applications.inception_resnet_v2 import CustomScaleLayer
    x = CustomScaleLayer(scale)([x, up])
    if activation is not None:
        x = layers.Activation(activation, name=f"{block_name}_ac")(x)
    return x


def InceptionResNetV2(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="inception_resnet_v2"):
    validate_weights(weights, include_top, classes, 'If using `weights="imagenet"` with `include_top=True`, `classes` should be 1000. Received classes=' + str(classes))
    input_shape = obtain_input_shape(input_shape, 299, 75, include_top, weights)
    img_input = image_input(input_tensor, input_shape)

    # Stem: 299x299x3 -> 35x35x192
    x = conv2d_bn(img_input, 32, 3, strides=2, padding="valid")
    x = conv2d_bn(x, 32, 3, padding="valid")
    x = conv2d_bn(x, 64, 3)
    x = layers.MaxPooling2D(3, strides=2)(x)
    x = conv2d_bn(x, 80, 1, padding="valid")
    x = conv2d_bn(x, 192, 3, padding="valid")
    x = layers.MaxPooling2D(3, strides=2)(x)

    # mixed_5b, Inception-A: 35x35x320
    branches = [tower(x, [(96, 1)]), tower(x, [(48, 1), (64, 5)]), tower(x, [(64, 1), (96, 3), (96, 3)])]
    branch_pool = conv2d_bn(layers.AveragePooling2D(3, strides=1, padding="same")(x), 64, 1)
    x = layers.Concatenate(axis=3, name="mixed_5b")(branches + [branch_pool])

    # 10 x block35 (Inception-ResNet-A)
    for block_idx in range(1, 11):
        x = inception_resnet_block(x, scale=0.17, block_type="block35", block_idx=block_idx)

    # mixed_6a, Reduction-A: 17x17x1088
    branch_0 = conv2d_bn(x, 384, 3, strides=2, padding="valid")
    branch_1 = conv2d_bn(tower(x, [(256, 1), (256, 3)]), 384, 3, strides=2, padding="valid")
    branch_pool = layers.MaxPooling2D(3, strides=2, padding="valid")(x)
    x = layers.Concatenate(axis=3, name="mixed_6a")([branch_0, branch_1, branch_pool])

    # 20 x block17 (Inception-ResNet-B)
    for block_idx in range(1, 21):
        x = inception_resnet_block(x, scale=0.1, block_type="block17", block_idx=block_idx)

    # mixed_7a, Reduction-B: 8x8x2080
    branch_0 = conv2d_bn(tower(x, [(256, 1)]), 384, 3, strides=2, padding="valid")
    branch_1 = conv2d_bn(tower(x, [(256, 1)]), 288, 3, strides=2, padding="valid")
    branch_2 = conv2d_bn(tower(x, [(256, 1), (288, 3)]), 320, 3, strides=2, padding="valid")
    branch_pool = layers.MaxPooling2D(3, strides=2, padding="valid")(x)
    x = layers.Concatenate(axis=3, name="mixed_7a")([branch_0, branch_1, branch_2, branch_pool])

    # 10 x block8 (Inception-ResNet-C); the last is unscaled and has no ReLU
    for block_idx in range(1, 10):
        x = inception_resnet_block(x, scale=0.2, block_type="block8", block_idx=block_idx)
    x = inception_resnet_block(x, scale=1.0, activation=None, block_type="block8", block_idx=10)

    # Final 1x1 convolution: 8x8x1536
    x = conv2d_bn(x, 1536, 1, name="conv_7b")

    x = classifier_or_pooling(x, include_top, pooling, classes, classifier_activation, top_pool_name="avg_pool")
    return keras.Model(img_input, x, name=name)
