"""ConvNeXt Tiny, Small, Base, Large and XLarge (Liu et al., "A ConvNet for the 2020s", CVPR 2022), written here
from the published structure: an optional ImageNet normalisation, a 4×4 stride-4 "patchify" stem, four stages
of ConvNeXt blocks (3, 3, 9, 3 blocks in Tiny, 3, 3, 27, 3 in the others) separated by LayerNorm + 2×2
stride-2 downsampling convolutions, and a head of global average pooling, LayerNorm and the classifier.
A block is a 7×7 depthwise convolution (a Conv2D with one group per channel), LayerNorm, an inverted
bottleneck of two pointwise Dense layers (4× expansion, GELU), layer scale, and stochastic depth (an identity
when its rate is 0) on the residual branch, added to the block's input. Layer names are Keras'.

Runs after prelude.py (index.ts joins the two), which imports keras and layers and defines the helpers
every family uses.
"""

__all__ = ["ConvNeXtTiny", "ConvNeXtSmall", "ConvNeXtBase", "ConvNeXtLarge", "ConvNeXtXLarge"]


def convnext_block(x, projection_dim, drop_path_rate, layer_scale_init_value, name):
    # 7x7 depthwise conv, LayerNorm, inverted bottleneck (4x, GELU), layer scale, stochastic depth, residual
    inputs = x
    x = layers.Conv2D(filters=projection_dim, kernel_size=7, padding="same", groups=projection_dim, name=f"{name}_depthwise_conv")(x)
    x = layers.LayerNormalization(epsilon=1e-6, name=f"{name}_layernorm")(x)
    x = layers.Dense(4 * projection_dim, name=f"{name}_pointwise_conv_1")(x)
    x = layers.Activation("gelu", name=f"{name}_gelu")(x)
    x = layers.Dense(projection_dim, name=f"{name}_pointwise_conv_2")(x)
    if layer_scale_init_value is not None:
        from keras.src.applications.convnext import LayerScale
        x = LayerScale(layer_scale_init_value, projection_dim, name=f"{name}_layer_scale")(x)
    if drop_path_rate:
        from keras.src.applications.convnext import StochasticDepth
        x = StochasticDepth(drop_path_rate, name=f"{name}_stochastic_depth")(x)
    else:
        x = layers.Activation("linear", name=f"{name}_identity")(x)
    return inputs + x


def ConvNeXt(depths, projection_dims, drop_path_rate=0.0, layer_scale_init_value=1e-6, default_size=224, name="convnext", include_preprocessing=True, include_top=True, weights=None, input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", weights_name=None):
    if not (weights in ["imagenet", None] or isinstance(weights, str)):
        raise ValueError("The `weights` argument should be either `None` (random initialization), `imagenet` (pre-training on ImageNet), or the path to the weights file to be loaded.")
    validate_weights(weights, include_top, classes, 'If using `weights="imagenet"` with `include_top=True`, `classes` should be 1000. Received classes=' + str(classes))
    input_shape = obtain_input_shape(input_shape, default_size, 32, include_top, weights)
    img_input = image_input(input_tensor, input_shape)
    x = img_input
    # ImageNet mean and variance of the 0-255 pixels (only for 3-channel inputs)
    if include_preprocessing and input_shape[2] == 3:
        mean = [0.485 * 255, 0.456 * 255, 0.406 * 255]
        variance = [(0.229 * 255) ** 2, (0.224 * 255) ** 2, (0.225 * 255) ** 2]
        x = layers.Normalization(mean=mean, variance=variance, name=f"{name}_prestem_normalization")(x)
    # stochastic depth rate rising linearly from 0 to drop_path_rate over all blocks
    total = sum(depths)
    rates = [drop_path_rate * k / (total - 1) for k in range(total)]
    cur = 0
    for i in range(4):
        if i == 0:
            # stem: 4x4 stride-4 patchify conv, LayerNorm
            x = keras.Sequential([
                layers.Conv2D(projection_dims[0], kernel_size=4, strides=4, name=f"{name}_stem_conv"),
                layers.LayerNormalization(epsilon=1e-6, name=f"{name}_stem_layernorm"),
            ], name=f"{name}_stem")(x)
        else:
            # downsampling between stages: LayerNorm, 2x2 stride-2 conv
            x = keras.Sequential([
                layers.LayerNormalization(epsilon=1e-6, name=f"{name}_downsampling_layernorm_{i - 1}"),
                layers.Conv2D(projection_dims[i], kernel_size=2, strides=2, name=f"{name}_downsampling_conv_{i - 1}"),
            ], name=f"{name}_downsampling_block_{i - 1}")(x)
        for j in range(depths[i]):
            x = convnext_block(x, projection_dims[i], rates[cur + j], layer_scale_init_value, f"{name}_stage_{i}_block_{j}")
        cur += depths[i]
    if include_top:
        # head: global average pooling, LayerNorm, classifier
        if weights is not None and classifier_activation not in [None, "softmax", "linear"]:
            raise ValueError("Only `None` and `softmax` activations are allowed for the `classifier_activation` argument when using pretrained weights, with `include_top=True`; Received: classifier_activation=" + str(classifier_activation))
        x = layers.GlobalAveragePooling2D(name=f"{name}_head_gap")(x)
        x = layers.LayerNormalization(epsilon=1e-6, name=f"{name}_head_layernorm")(x)
        x = layers.Dense(classes, activation=classifier_activation, name=f"{name}_head_dense")(x)
    else:
        x = global_pool(x, pooling)
        x = layers.LayerNormalization(epsilon=1e-6)(x)
    model = keras.Model(img_input, x, name=name)
    if weights == "imagenet" and weights_name not in name:
        suffix = weights_name[len("convnext_"):]
        raise ValueError(f'Model name "{name}" does not match weights variant "{weights_name}". When using imagenet weights, model name must contain the weights variant (e.g., "convnext_{suffix}").')
    return model


def ConvNeXtTiny(include_top=True, include_preprocessing=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="convnext_tiny"):
    return ConvNeXt([3, 3, 9, 3], [96, 192, 384, 768], 0.0, 1e-6, 224, name, include_preprocessing, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, "convnext_tiny")


def ConvNeXtSmall(include_top=True, include_preprocessing=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="convnext_small"):
    return ConvNeXt([3, 3, 27, 3], [96, 192, 384, 768], 0.0, 1e-6, 224, name, include_preprocessing, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, "convnext_small")


def ConvNeXtBase(include_top=True, include_preprocessing=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="convnext_base"):
    return ConvNeXt([3, 3, 27, 3], [128, 256, 512, 1024], 0.0, 1e-6, 224, name, include_preprocessing, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, "convnext_base")


def ConvNeXtLarge(include_top=True, include_preprocessing=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="convnext_large"):
    return ConvNeXt([3, 3, 27, 3], [192, 384, 768, 1536], 0.0, 1e-6, 224, name, include_preprocessing, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, "convnext_large")


def ConvNeXtXLarge(include_top=True, include_preprocessing=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="convnext_xlarge"):
    return ConvNeXt([3, 3, 27, 3], [256, 512, 1024, 2048], 0.0, 1e-6, 224, name, include_preprocessing, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, "convnext_xlarge")
