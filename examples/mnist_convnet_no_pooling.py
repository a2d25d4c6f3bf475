# The §5.1 convnet without its pooling layers: the third convolution sees only 7×7 pixels,
# and the Dense(512) after Flatten holds almost all of the model's parameters.
from keras import layers
from keras import models

model_no_max_pool = models.Sequential()
model_no_max_pool.add(layers.Conv2D(32, (3, 3), activation='relu', input_shape=(28, 28, 1)))
model_no_max_pool.add(layers.Conv2D(64, (3, 3), activation='relu'))
model_no_max_pool.add(layers.Conv2D(64, (3, 3), activation='relu'))
model_no_max_pool.add(layers.Flatten())
model_no_max_pool.add(layers.Dense(512, activation='relu'))
model_no_max_pool.add(layers.Dense(10, activation='softmax'))
