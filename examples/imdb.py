# Deep Learning with Python, §3.4, §6.1 and §6.2: three models for IMDB reviews.
from keras import models
from keras import layers
from keras.models import Sequential
from keras.layers import Flatten, Dense, Embedding, LSTM

# §3.4: a stack of Dense layers on multi-hot vectors of the 10,000 most frequent words.
model = models.Sequential()
model.add(layers.Dense(16, activation='relu', input_shape=(10000,)))
model.add(layers.Dense(16, activation='relu'))
model.add(layers.Dense(1, activation='sigmoid'))

# §6.1: word embeddings learned with the model, flattened into a classifier.
max_features = 10000
maxlen = 20
embedding_model = Sequential()
embedding_model.add(Embedding(10000, 8, input_length=maxlen))
embedding_model.add(Flatten())
embedding_model.add(Dense(1, activation='sigmoid'))

# §6.2: an LSTM over 32-dimensional embeddings.
lstm_model = Sequential()
lstm_model.add(Embedding(max_features, 32))
lstm_model.add(LSTM(32))
lstm_model.add(Dense(1, activation='sigmoid'))
