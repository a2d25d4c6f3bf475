"""VGG16 and VGG19 (Simonyan & Zisserman, "Very Deep Convolutional Networks for Large-Scale Image Recognition",
2014), written here from the published structure: five blocks of 3×3 convolutions (64, 128, 256, 512, 512
filters; 2, 2, 3, 3, 3 of them in VGG16 and 2, 2, 4, 4, 4 in VGG19), each closed by a 2×2 max pooling, then
two Dense(4096) and the classifier. Layer names are Keras'.

Runs after prelude.py (index.ts joins the two), which imports keras and layers and defines the helpers
every family uses.
"""

__all__ = ["VGG16", "VGG19"]


def vgg(depths, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name):
    validate_weights(weights, include_top, classes)
    input_shape = obtain_input_shape(input_shape, 224, 32, include_top, weights)
    img_input = image_input(input_tensor, input_shape)
    x = img_input
    for block, (filters, depth) in enumerate(zip([64, 128, 256, 512, 512], depths)):
        for i in range(depth):
            x = layers.Conv2D(filters, (3, 3), activation="relu", padding="same", name=f"block{block + 1}_conv{i + 1}")(x)
        x = layers.MaxPooling2D((2, 2), strides=(2, 2), name=f"block{block + 1}_pool")(x)
    if include_top:
        x = layers.Flatten(name="flatten")(x)
        x = layers.Dense(4096, activation="relu", name="fc1")(x)
        x = layers.Dense(4096, activation="relu", name="fc2")(x)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = global_pool(x, pooling)
    return keras.Model(img_input, x, name=name)


def VGG16(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="vgg16"):
    return vgg([2, 2, 3, 3, 3], include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name)


def VGG19(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="vgg19"):
    return vgg([2, 2, 4, 4, 4], include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name)
