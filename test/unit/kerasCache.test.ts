/** Which of Keras' cached application weight files the preview offers for a model. */
import { strict as assert } from 'node:assert';
import { cachedWeightFiles, kerasModelsDir } from '../../src/weights/kerasCache';

// File names as keras.applications downloads them (from each architecture's WEIGHTS_PATH / file_name in Keras 3).
const CACHE = [
  'vgg16_weights_tf_dim_ordering_tf_kernels.h5',
  'vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5',
  'vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5',
  'resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5',
  'resnet50v2_weights_tf_dim_ordering_tf_kernels_notop.h5',
  'inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5',
  'mobilenet_1_0_224_tf_no_top.h5',
  'mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224_no_top.h5',
  'weights_mobilenet_v3_small_224_1.0_float_no_top_v2.h5',
  'efficientnetv2-b0_notop.h5',
  'nasnet_mobile-no-top.h5',
  'imdb.npz',
];

describe("Keras' cached application weights", () => {
  it('offers the files of the architecture, without the classifier first for include_top=False', () => {
    assert.deepEqual(cachedWeightFiles(CACHE, ['VGG16'], false), [
      'vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5',
      'vgg16_weights_tf_dim_ordering_tf_kernels.h5',
    ]);
    assert.deepEqual(cachedWeightFiles(CACHE, ['VGG16'], true), [
      'vgg16_weights_tf_dim_ordering_tf_kernels.h5',
      'vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5',
    ]);
    assert.deepEqual(cachedWeightFiles(CACHE, ['InceptionV3'], false), ['inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5']);
    assert.deepEqual(cachedWeightFiles(CACHE, ['MobileNetV3Small'], false), ['weights_mobilenet_v3_small_224_1.0_float_no_top_v2.h5']);
    assert.deepEqual(cachedWeightFiles(CACHE, ['EfficientNetV2B0'], false), ['efficientnetv2-b0_notop.h5']);
    assert.deepEqual(cachedWeightFiles(CACHE, ['NASNetMobile'], false), ['nasnet_mobile-no-top.h5']);
    assert.deepEqual(cachedWeightFiles(CACHE, ['DenseNet121'], false), []);
  });

  it('a name that begins another (ResNet50, ResNet50V2; MobileNet, MobileNetV2) offers both: the file says which fits', () => {
    assert.deepEqual(cachedWeightFiles(CACHE, ['ResNet50'], false), [
      'resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5',
      'resnet50v2_weights_tf_dim_ordering_tf_kernels_notop.h5',
    ]);
    assert.deepEqual(cachedWeightFiles(CACHE, ['MobileNetV2'], false), ['mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224_no_top.h5']);
  });

  it('the folder: $KERAS_HOME/models, else ~/.keras/models', () => {
    assert.equal(kerasModelsDir({}, '/home/ada'), '/home/ada/.keras/models');
    assert.equal(kerasModelsDir({ KERAS_HOME: '/data/keras' }, '/home/ada'), '/data/keras/models');
  });
});
