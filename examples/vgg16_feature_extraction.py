# Deep Learning with Python, §5.3.1: feature extraction with a pretrained convolutional base, VGG16.
# weights='imagenet' is named, but LayerLens downloads nothing: it reads the architecture, not the weights.
from keras.applications import VGG16
from keras import layers
from keras import models

conv_base = VGG16(weights='imagenet',
                  include_top=False,
                  input_shape=(150, 150, 3))

model = models.Sequential()
model.add(conv_base)
model.add(layers.Flatten())
model.add(layers.Dense(256, activation='relu'))
model.add(layers.Dense(1, activation='sigmoid'))

# Freeze the base: only the two Dense layers train (2,097,665 parameters).
conv_base.trainable = False
