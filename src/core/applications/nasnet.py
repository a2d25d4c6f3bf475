"""NASNetMobile and NASNetLarge (Zoph et al., "Learning Transferable Architectures for Scalable Image Recognition",
CVPR 2018), written here from the published NASNet-A structure: a 3×3/2 convolution stem, two reduction cells,
then three stacks of N normal cells separated by reduction cells (NASNet-A 4 @ 1056 for Mobile, 6 @ 4032 for
Large: N cells, P filters in the penultimate layer, filters doubling at each reduction). Each cell combines its
input and the previous cell's output (the "hidden states" h and p) through five pairs of operations (separable
convolutions, average and max poolings, identity) whose sums are concatenated; p is first brought to h's
resolution and width (factorized reduction or a 1×1 projection). Layer names are Keras', including the names
Keras generates for unnamed layers, which follow the order in which the layers are made.

Shapes are tracked here as (height, width, channels) triples because the graph depends on them: the padding
before each stride-2 window depends on the parity of the size (Keras' `correct_pad`), and p is reduced only when
its width differs from h's, which never happens when the size is unknown (None).

Runs after prelude.py (index.ts joins the two), which imports keras and layers and defines the helpers
every family uses.
"""

__all__ = ["NASNetMobile", "NASNetLarge"]


def nasnet_half(size):
    # size after a stride-2 window with the padding below: ceil(size / 2)
    return None if size is None else (size + 1) // 2


def nasnet_pad(shape, kernel):
    # zero padding before a stride-2 "valid" window: one less on the top/left for an even size
    if shape[0] is None:
        adjust = (1, 1)
    else:
        adjust = (1 - shape[0] % 2, 1 - shape[1] % 2)
    return ((kernel // 2 - adjust[0], kernel // 2), (kernel // 2 - adjust[1], kernel // 2))


def nasnet_bn(x, name):
    return layers.BatchNormalization(axis=-1, momentum=0.9997, epsilon=1e-3, name=name)(x)


def nasnet_conv1x1(x, filters, name, bn_name):
    # ReLU, 1x1 convolution, batch normalization
    x = layers.Activation("relu")(x)
    x = layers.Conv2D(filters, (1, 1), strides=(1, 1), padding="same", name=name, use_bias=False, kernel_initializer="he_normal")(x)
    return nasnet_bn(x, bn_name)


def nasnet_separable(x, shape, filters, kernel, strides, block_id):
    # two ReLU, separable convolution, batch normalization units; only the first may be strided
    x = layers.Activation("relu")(x)
    padding = "same"
    if strides == 2:
        x = layers.ZeroPadding2D(padding=nasnet_pad(shape, kernel), name=f"separable_conv_1_pad_{block_id}")(x)
        padding = "valid"
    x = layers.SeparableConv2D(filters, (kernel, kernel), strides=(strides, strides), name=f"separable_conv_1_{block_id}", padding=padding, use_bias=False)(x)
    x = nasnet_bn(x, f"separable_conv_1_bn_{block_id}")
    x = layers.Activation("relu")(x)
    x = layers.SeparableConv2D(filters, (kernel, kernel), name=f"separable_conv_2_{block_id}", padding="same", use_bias=False)(x)
    return nasnet_bn(x, f"separable_conv_2_bn_{block_id}")


def nasnet_adjust(p, p_shape, ip, ip_shape, filters, block_id):
    # brings the previous hidden state p to the resolution and width of the cell's input
    if p is None:
        return ip, ip_shape
    if p_shape[1] != ip_shape[1]:
        # factorized reduction: two 1x1 stride-2 paths, the second shifted by one pixel, concatenated
        p = layers.Activation("relu", name=f"adjust_relu_1_{block_id}")(p)
        p1 = layers.AveragePooling2D((1, 1), strides=(2, 2), padding="valid", name=f"adjust_avg_pool_1_{block_id}")(p)
        p1 = layers.Conv2D(filters // 2, (1, 1), padding="same", use_bias=False, name=f"adjust_conv_1_{block_id}", kernel_initializer="he_normal")(p1)
        p2 = layers.ZeroPadding2D(padding=((0, 1), (0, 1)))(p)
        p2 = layers.Cropping2D(cropping=((1, 0), (1, 0)))(p2)
        p2 = layers.AveragePooling2D((1, 1), strides=(2, 2), padding="valid", name=f"adjust_avg_pool_2_{block_id}")(p2)
        p2 = layers.Conv2D(filters // 2, (1, 1), padding="same", use_bias=False, name=f"adjust_conv_2_{block_id}", kernel_initializer="he_normal")(p2)
        p = layers.Concatenate(axis=-1)([p1, p2])
        p = nasnet_bn(p, f"adjust_bn_{block_id}")
        return p, (nasnet_half(p_shape[0]), nasnet_half(p_shape[1]), filters // 2 * 2)
    if p_shape[2] != filters:
        # 1x1 projection to the cell's width
        p = nasnet_conv1x1(p, filters, f"adjust_conv_projection_{block_id}", f"adjust_bn_{block_id}")
        return p, (p_shape[0], p_shape[1], filters)
    return p, p_shape


def nasnet_normal_cell(ip, ip_shape, p, p_shape, filters, block_id):
    # normal cell (NASNet-A): keeps the resolution; returns its output and its input (the next cell's p)
    p, p_shape = nasnet_adjust(p, p_shape, ip, ip_shape, filters, block_id)
    h = nasnet_conv1x1(ip, filters, f"normal_conv_1_{block_id}", f"normal_bn_1_{block_id}")
    h_shape = (ip_shape[0], ip_shape[1], filters)
    a = nasnet_separable(h, h_shape, filters, 5, 1, f"normal_left1_{block_id}")
    b = nasnet_separable(p, p_shape, filters, 3, 1, f"normal_right1_{block_id}")
    x1 = layers.Add(name=f"normal_add_1_{block_id}")([a, b])
    a = nasnet_separable(p, p_shape, filters, 5, 1, f"normal_left2_{block_id}")
    b = nasnet_separable(p, p_shape, filters, 3, 1, f"normal_right2_{block_id}")
    x2 = layers.Add(name=f"normal_add_2_{block_id}")([a, b])
    a = layers.AveragePooling2D((3, 3), strides=(1, 1), padding="same", name=f"normal_left3_{block_id}")(h)
    x3 = layers.Add(name=f"normal_add_3_{block_id}")([a, p])
    a = layers.AveragePooling2D((3, 3), strides=(1, 1), padding="same", name=f"normal_left4_{block_id}")(p)
    b = layers.AveragePooling2D((3, 3), strides=(1, 1), padding="same", name=f"normal_right4_{block_id}")(p)
    x4 = layers.Add(name=f"normal_add_4_{block_id}")([a, b])
    a = nasnet_separable(h, h_shape, filters, 3, 1, f"normal_left5_{block_id}")
    x5 = layers.Add(name=f"normal_add_5_{block_id}")([a, h])
    x = layers.Concatenate(axis=-1, name=f"normal_concat_{block_id}")([p, x1, x2, x3, x4, x5])
    return x, (ip_shape[0], ip_shape[1], p_shape[2] + 5 * filters), ip, ip_shape


def nasnet_reduction_cell(ip, ip_shape, p, p_shape, filters, block_id):
    # reduction cell (NASNet-A): halves the resolution; returns its output and its input
    p, p_shape = nasnet_adjust(p, p_shape, ip, ip_shape, filters, block_id)
    h = nasnet_conv1x1(ip, filters, f"reduction_conv_1_{block_id}", f"reduction_bn_1_{block_id}")
    h_shape = (ip_shape[0], ip_shape[1], filters)
    out_shape = (nasnet_half(ip_shape[0]), nasnet_half(ip_shape[1]), 4 * filters)
    h3 = layers.ZeroPadding2D(padding=nasnet_pad(h_shape, 3), name=f"reduction_pad_1_{block_id}")(h)
    a = nasnet_separable(h, h_shape, filters, 5, 2, f"reduction_left1_{block_id}")
    b = nasnet_separable(p, p_shape, filters, 7, 2, f"reduction_right1_{block_id}")
    x1 = layers.Add(name=f"reduction_add_1_{block_id}")([a, b])
    a = layers.MaxPooling2D((3, 3), strides=(2, 2), padding="valid", name=f"reduction_left2_{block_id}")(h3)
    b = nasnet_separable(p, p_shape, filters, 7, 2, f"reduction_right2_{block_id}")
    x2 = layers.Add(name=f"reduction_add_2_{block_id}")([a, b])
    a = layers.AveragePooling2D((3, 3), strides=(2, 2), padding="valid", name=f"reduction_left3_{block_id}")(h3)
    b = nasnet_separable(p, p_shape, filters, 5, 2, f"reduction_right3_{block_id}")
    x3 = layers.Add(name=f"reduction_add3_{block_id}")([a, b])
    a = layers.AveragePooling2D((3, 3), strides=(1, 1), padding="same", name=f"reduction_left4_{block_id}")(x1)
    x4 = layers.Add()([x2, a])
    a = nasnet_separable(x1, out_shape, filters, 3, 1, f"reduction_left4_{block_id}")
    b = layers.MaxPooling2D((3, 3), strides=(2, 2), padding="valid", name=f"reduction_right5_{block_id}")(h3)
    x5 = layers.Add(name=f"reduction_add4_{block_id}")([a, b])
    x = layers.Concatenate(axis=-1, name=f"reduction_concat_{block_id}")([x2, x3, x4, x5])
    return x, out_shape, ip, ip_shape


def nasnet(input_shape, penultimate_filters, num_blocks, stem_block_filters, skip_reduction, include_top, weights, input_tensor, pooling, classes, default_size, classifier_activation, name):
    validate_weights(weights, include_top, classes, 'If using `weights` as `"imagenet"` with `include_top` as true, `classes` should be 1000')
    # (Keras checks this for a tuple input_shape only)
    if input_shape is not None and None in input_shape and weights == "imagenet":
        raise ValueError("When specifying the input shape of a NASNet and loading `ImageNet` weights, the input_shape argument must be static (no None entries). Got: `input_shape=" + str(input_shape) + "`.")
    input_shape = obtain_input_shape(input_shape, default_size, 32, include_top, weights)
    img_input = image_input(input_tensor, input_shape)
    filters = penultimate_filters // 24

    # Stem: 3x3/2 convolution, then two reduction cells
    x = layers.Conv2D(stem_block_filters, (3, 3), strides=(2, 2), padding="valid", use_bias=False, name="stem_conv1", kernel_initializer="he_normal")(img_input)
    x = nasnet_bn(x, "stem_bn1")
    # (the size of an input_tensor is its own, which input_shape need not match)
    in_shape = input_shape if input_tensor is None else input_tensor.shape[1:]
    size = [None if s is None else (s - 3) // 2 + 1 for s in in_shape[:2]]
    x_shape = (size[0], size[1], stem_block_filters)
    p, p_shape = None, None
    x, x_shape, p, p_shape = nasnet_reduction_cell(x, x_shape, p, p_shape, filters // 4, "stem_1")
    x, x_shape, p, p_shape = nasnet_reduction_cell(x, x_shape, p, p_shape, filters // 2, "stem_2")

    # Three stacks of normal cells (filters doubling each time), separated by reduction cells; with
    # skip_reduction, the cell after a reduction takes as p the output of the cell before it
    for stack in range(3):
        if stack > 0:
            x, x_shape, p0, p0_shape = nasnet_reduction_cell(x, x_shape, p, p_shape, filters, f"reduce_{stack * num_blocks}")
            if not skip_reduction:
                p, p_shape = p0, p0_shape
        for i in range(num_blocks):
            x, x_shape, p, p_shape = nasnet_normal_cell(x, x_shape, p, p_shape, filters, f"{stack * num_blocks + i + min(stack, 1)}")
        filters = filters * 2

    x = layers.Activation("relu")(x)
    x = classifier_or_pooling(x, include_top, pooling, classes, classifier_activation)
    return keras.Model(img_input, x, name=name)


def NASNetMobile(input_shape=None, include_top=True, weights="imagenet", input_tensor=None, pooling=None, classes=1000, classifier_activation="softmax", name="nasnet_mobile"):
    # NASNet-A (4 @ 1056), 224x224 by default, also without the top
    if not include_top and input_shape is None:
        input_shape = (224, 224, 3)
    return nasnet(input_shape, 1056, 4, 32, False, include_top, weights, input_tensor, pooling, classes, 224, classifier_activation, name)


def NASNetLarge(input_shape=None, include_top=True, weights="imagenet", input_tensor=None, pooling=None, classes=1000, classifier_activation="softmax", name="nasnet_large"):
    # NASNet-A (6 @ 4032), 331x331
    return nasnet(input_shape, 4032, 6, 96, True, include_top, weights, input_tensor, pooling, classes, 331, classifier_activation, name)
