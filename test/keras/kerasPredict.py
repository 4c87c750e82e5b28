# Loads .keras files with real Keras and prints its predictions for the given images as JSON: the integration
# test compares them with the engine's. Usage: KERAS_BACKEND=jax python kerasPredict.py IMAGES.json FILE.keras...
import json
import sys

import keras
import numpy as np

images = np.array(json.load(open(sys.argv[1])), dtype=np.float32)
results = {}
for path in sys.argv[2:]:
    model = keras.models.load_model(path)
    x = images.reshape((len(images),) + tuple(model.input_shape[1:]))
    results[path] = model.predict(x, verbose=0).tolist()
print(json.dumps({"keras": keras.__version__, "predictions": results}))
