# Loops and factory functions: LayerLens follows the source the way Python would run it.
import keras
from keras import layers

# A for loop over a list: each iteration adds its own Conv2D and pooling layer, so these two
# lines make six layers. The hint lists each iteration's output; the hover has one row each.
model = keras.Sequential([keras.Input(shape=(32, 32, 3))])
for filters in [32, 64, 128]:
    model.add(layers.Conv2D(filters, 3, padding="same", activation="relu"))
    model.add(layers.MaxPooling2D())
model.add(layers.GlobalAveragePooling2D())
model.add(layers.Dense(10, activation="softmax"))


# A factory: each call builds a model of its own, with that call's arguments.
# The code lens of each model sits above its call.
def build_model(input_shape=(28, 28, 1), num_classes=10):
    return keras.Sequential([
        keras.Input(shape=input_shape),
        layers.Conv2D(32, 3, activation="relu"),
        layers.MaxPooling2D(),
        layers.Conv2D(64, 3, activation="relu"),
        layers.GlobalAveragePooling2D(),
        layers.Dense(num_classes, activation="softmax"),
    ])


small = build_model((64, 64, 3), num_classes=5)
big = build_model()


# Nothing in this file calls this one: its numbers use the defaults of its parameters.
def build_mlp(widths=(512, 256, 128, 64, 32), num_classes=10):
    mlp = keras.Sequential([keras.Input(shape=(784,))])
    for width in widths:
        mlp.add(layers.Dense(width, activation="relu"))
    mlp.add(layers.Dense(num_classes, activation="softmax"))
    return mlp
