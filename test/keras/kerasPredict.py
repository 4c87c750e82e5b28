# Loads .keras files with real Keras and prints, as JSON, its predictions for the given images and, with --test,
# how many of the MNIST test digits (IDX files, gzipped) each file classifies right: the integration test compares
# both with the engine's. Usage: KERAS_BACKEND=jax python kerasPredict.py IMAGES.json [--test IMAGES.gz LABELS.gz]
# FILE.keras...
import gzip
import json
import sys

import keras
import numpy as np


def idx(path, header):
    with gzip.open(path, "rb") as f:
        return np.frombuffer(f.read()[header:], dtype=np.uint8)


args = sys.argv[2:]
test = None
if args[:1] == ["--test"]:
    test = (idx(args[1], 16).reshape((-1, 28, 28)).astype(np.float32) / 255, idx(args[2], 8))
    args = args[3:]
images = np.array(json.load(open(sys.argv[1])), dtype=np.float32)
predictions, correct = {}, {}
for path in args:
    model = keras.models.load_model(path)
    shape = tuple(model.input_shape[1:])
    predictions[path] = model.predict(images.reshape((len(images),) + shape), verbose=0).tolist()
    if test is not None:
        x, labels = test
        guesses = model.predict(x.reshape((len(x),) + shape), batch_size=500, verbose=0).argmax(axis=1)
        correct[path] = int((guesses == labels).sum())
print(json.dumps({"keras": keras.__version__, "predictions": predictions, "correct": correct}))
