/**
 * The TF Hub image models LayerLens sizes: each ImageNet architecture of TF Hub (tfhub.dev, now Kaggle Models)
 * whose architecture keras.applications has, as one `hub.KerasLayer` row. Its numbers are what tf.keras prints
 * for the layer: `features` (the feature vector's length, the output of a `feature_vector` handle), `params` (every
 * weight of the feature-vector model) and `movingStats` (its batch normalization moving means and variances,
 * non-trainable even with `trainable=True`); a `classification` handle adds a `classes`-way dense classifier on the
 * features (TF-Slim's ImageNet classifiers have 1001 classes, "background" first).
 *
 * Where the numbers come from, entry by entry:
 * - `keras`: the keras.applications model (`include_top=False, pooling="avg"`) the hub model is, built by
 *   LayerLens' own architectures (src/core/applications, checked against real Keras);
 * - `differs`: how the hub model's weights differ from that model's, where they do: `conv-bias` (TF-Slim's ResNet
 *   V1 has no convolution biases: Keras' ported Caffe ResNets have them), `normalization` (Keras' EfficientNet
 *   has a Normalization layer of 7 weights in front; the hub model has none), `top-conv` (the hub's MobileNetV3
 *   feature vector includes the 1×1 convolution with bias after pooling that Keras puts in its top: 1024 channels
 *   for Small, 1280 for Large);
 * - `printed`: the printed `model.summary()` tables (found in public notebooks and READMEs) that confirm the
 *   numbers; an entry without one is derived from the architecture alone.
 * test/unit/hub.test.ts rebuilds each entry from `keras` and `differs` and checks it equals the numbers here.
 *
 * `classes: null`: the classification handle's head is not known to LayerLens (Inception's TF-Slim classifiers
 * may carry their auxiliary logits; no printed table says), so it is left unknown, never guessed.
 */
export interface HubArchitecture {
  /** The keras.applications call (its name and arguments besides `include_top=False, pooling="avg"`). */
  keras: string;
  differs?: 'conv-bias' | 'normalization' | 'top-conv';
  features: number;
  params: number;
  movingStats: number;
  /** Classes of its ImageNet classification handle; null where that head is not known. */
  classes: number | null;
  /** The printed summaries that confirm it. */
  printed?: string;
}

const SLIM_CLASSES = 1001;

export const HUB_ARCHITECTURES: Readonly<Record<string, HubArchitecture>> = {
  resnet_v1_50: {
    keras: 'ResNet50()',
    differs: 'conv-bias',
    features: 2048,
    params: 23_561_152,
    movingStats: 53_120,
    classes: SLIM_CLASSES,
    printed: 'resnet_v1_50/feature_vector/5, frozen: (None, 2048) 23561152 (Intel Transfer Learning Tool docs)',
  },
  resnet_v1_101: { keras: 'ResNet101()', differs: 'conv-bias', features: 2048, params: 42_605_504, movingStats: 105_344, classes: SLIM_CLASSES },
  resnet_v1_152: { keras: 'ResNet152()', differs: 'conv-bias', features: 2048, params: 58_295_232, movingStats: 151_424, classes: SLIM_CLASSES },
  resnet_v2_50: {
    keras: 'ResNet50V2()',
    features: 2048,
    params: 23_564_800,
    movingStats: 45_440,
    classes: SLIM_CLASSES,
    printed: 'resnet_v2_50/feature_vector/5, frozen: (None, 2048) 23564800 (two notebooks)',
  },
  resnet_v2_101: { keras: 'ResNet101V2()', features: 2048, params: 42_626_560, movingStats: 97_664, classes: SLIM_CLASSES },
  resnet_v2_152: {
    keras: 'ResNet152V2()',
    features: 2048,
    params: 58_331_648,
    movingStats: 143_744,
    classes: SLIM_CLASSES,
    printed: 'ResNet V2 152 feature vector, frozen: (None, 2048) 58331648',
  },
  inception_v3: {
    keras: 'InceptionV3()',
    features: 2048,
    params: 21_802_784,
    movingStats: 34_432,
    classes: null,
    printed: 'kaggle google/inception-v3/TensorFlow2/feature-vector/2, trainable=True: (None, 2048) 21802784, non-trainable 34,432',
  },
  inception_resnet_v2: { keras: 'InceptionResNetV2()', features: 1536, params: 54_336_736, movingStats: 60_544, classes: null },
  mobilenet_v1_025: { keras: 'MobileNet(alpha=0.25)', features: 256, params: 218_544, movingStats: 5_472, classes: SLIM_CLASSES },
  mobilenet_v1_050: { keras: 'MobileNet(alpha=0.5)', features: 512, params: 829_536, movingStats: 10_944, classes: SLIM_CLASSES },
  mobilenet_v1_075: { keras: 'MobileNet(alpha=0.75)', features: 768, params: 1_832_976, movingStats: 16_416, classes: SLIM_CLASSES },
  mobilenet_v1_100: { keras: 'MobileNet(alpha=1.0)', features: 1024, params: 3_228_864, movingStats: 21_888, classes: SLIM_CLASSES },
  mobilenet_v2_035: { keras: 'MobileNetV2(alpha=0.35)', features: 1280, params: 410_208, movingStats: 14_080, classes: SLIM_CLASSES },
  mobilenet_v2_050: { keras: 'MobileNetV2(alpha=0.5)', features: 1280, params: 706_224, movingStats: 18_544, classes: SLIM_CLASSES },
  mobilenet_v2_075: { keras: 'MobileNetV2(alpha=0.75)', features: 1280, params: 1_382_064, movingStats: 26_640, classes: SLIM_CLASSES },
  mobilenet_v2_100: {
    keras: 'MobileNetV2(alpha=1.0)',
    features: 1280,
    params: 2_257_984,
    movingStats: 34_112,
    classes: SLIM_CLASSES,
    printed: 'tf2-preview/mobilenet_v2/feature_vector/4: (None, 1280) 2257984; tf2-preview/mobilenet_v2/classification/2 and /4: (None, 1001) 3540265',
  },
  mobilenet_v2_130: {
    keras: 'MobileNetV2(alpha=1.3)',
    features: 1664,
    params: 3_766_048,
    movingStats: 44_256,
    classes: SLIM_CLASSES,
    printed: 'imagenet/mobilenet_v2_130_224/classification/4 and /5: (None, 1001) 5432713 (three notebooks)',
  },
  mobilenet_v2_140: {
    keras: 'MobileNetV2(alpha=1.4)',
    features: 1792,
    params: 4_363_712,
    movingStats: 47_936,
    classes: SLIM_CLASSES,
    printed: 'imagenet/mobilenet_v2_140_224/classification/4: (None, 1001) 6158505',
  },
  mobilenet_v3_small_075: {
    keras: 'MobileNetV3Small(alpha=0.75)',
    differs: 'top-conv',
    features: 1024,
    params: 1_026_552,
    movingStats: 9_680,
    classes: SLIM_CLASSES,
  },
  mobilenet_v3_small_100: {
    keras: 'MobileNetV3Small(alpha=1.0)',
    differs: 'top-conv',
    features: 1024,
    params: 1_529_968,
    movingStats: 12_112,
    classes: SLIM_CLASSES,
    printed: 'MobileNetV3 Small feature vector, trainable: (None, 1024) 1529968, non-trainable 12,112',
  },
  mobilenet_v3_small_minimalistic_100: {
    keras: 'MobileNetV3Small(alpha=1.0, minimalistic=True)',
    differs: 'top-conv',
    features: 1024,
    params: 1_031_848,
    movingStats: 12_112,
    classes: SLIM_CLASSES,
  },
  mobilenet_v3_large_075: {
    keras: 'MobileNetV3Large(alpha=0.75)',
    differs: 'top-conv',
    features: 1280,
    params: 2_731_616,
    movingStats: 19_088,
    classes: SLIM_CLASSES,
  },
  mobilenet_v3_large_100: {
    keras: 'MobileNetV3Large(alpha=1.0)',
    differs: 'top-conv',
    features: 1280,
    params: 4_226_432,
    movingStats: 24_400,
    classes: SLIM_CLASSES,
  },
  mobilenet_v3_large_minimalistic_100: {
    keras: 'MobileNetV3Large(alpha=1.0, minimalistic=True)',
    differs: 'top-conv',
    features: 1280,
    params: 2_667_688,
    movingStats: 24_400,
    classes: SLIM_CLASSES,
  },
  efficientnet_b0: {
    keras: 'EfficientNetB0()',
    differs: 'normalization',
    features: 1280,
    params: 4_049_564,
    movingStats: 42_016,
    classes: 1000,
    printed: 'tensorflow/efficientnet/b0/feature-vector/1, frozen: (None, 1280) 4049564 (three documents)',
  },
  efficientnet_b1: { keras: 'EfficientNetB1()', differs: 'normalization', features: 1280, params: 6_575_232, movingStats: 62_048, classes: 1000 },
  efficientnet_b2: { keras: 'EfficientNetB2()', differs: 'normalization', features: 1408, params: 7_768_562, movingStats: 67_568, classes: 1000 },
  efficientnet_b3: { keras: 'EfficientNetB3()', differs: 'normalization', features: 1536, params: 10_783_528, movingStats: 87_296, classes: 1000 },
  efficientnet_b4: {
    keras: 'EfficientNetB4()',
    differs: 'normalization',
    features: 1792,
    params: 17_673_816,
    movingStats: 125_200,
    classes: 1000,
    printed: 'tensorflow/efficientnet/b4/feature-vector/1, frozen: (None, 1792) 17673816',
  },
  efficientnet_b5: { keras: 'EfficientNetB5()', differs: 'normalization', features: 2048, params: 28_513_520, movingStats: 172_736, classes: 1000 },
  efficientnet_b6: { keras: 'EfficientNetB6()', differs: 'normalization', features: 2304, params: 40_960_136, movingStats: 224_432, classes: 1000 },
  efficientnet_b7: { keras: 'EfficientNetB7()', differs: 'normalization', features: 2560, params: 64_097_680, movingStats: 310_720, classes: 1000 },
  efficientnet_v2_b0: { keras: 'EfficientNetV2B0()', features: 1280, params: 5_919_312, movingStats: 60_608, classes: 1000 },
  efficientnet_v2_b1: { keras: 'EfficientNetV2B1()', features: 1280, params: 6_931_124, movingStats: 71_072, classes: 1000 },
  efficientnet_v2_b2: { keras: 'EfficientNetV2B2()', features: 1408, params: 8_769_374, movingStats: 82_288, classes: 1000 },
  efficientnet_v2_b3: { keras: 'EfficientNetV2B3()', features: 1536, params: 12_930_622, movingStats: 109_216, classes: 1000 },
  efficientnet_v2_s: {
    keras: 'EfficientNetV2S()',
    features: 1280,
    params: 20_331_360,
    movingStats: 153_872,
    classes: 1000,
    printed: 'EfficientNetV2-S feature vector, frozen: (None, 1280) 20331360; trainable: non-trainable 153,872',
  },
  efficientnet_v2_m: {
    keras: 'EfficientNetV2M()',
    features: 1280,
    params: 53_150_388,
    movingStats: 292_032,
    classes: 1000,
    printed: 'imagenet/efficientnet_v2_imagenet21k_ft1k_m/feature_vector/2, frozen: (None, 1280) 53150388',
  },
  efficientnet_v2_l: { keras: 'EfficientNetV2L()', features: 1280, params: 117_746_848, movingStats: 512_576, classes: 1000 },
};
