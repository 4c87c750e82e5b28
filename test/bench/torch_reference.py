#!/usr/bin/env python3
"""PyTorch CPU reference for `npm run mnist -- bench --vs-torch`: the project's seed CNN, Adam, categorical
cross-entropy, on the same MNIST IDX files (gzip-compressed or not). Prints one JSON line.

Usage: torch_reference.py DATA_DIR [--threads 2] [--train-images 3200] [--warmup-batches 3] [--repeats 3] [--epoch]
"""
import argparse
import gzip
import json
import os
import statistics
import struct
import time

import numpy as np
import torch
from torch import nn


def read_idx(data_dir, name):
    path = os.path.join(data_dir, name)
    opener = gzip.open if os.path.exists(path + '.gz') else open
    with opener(path + '.gz' if opener is gzip.open else path, 'rb') as f:
        raw = f.read()
    dims = raw[3]
    shape = struct.unpack('>' + 'I' * dims, raw[4:4 + 4 * dims])
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(data_dir, prefix):
    images = read_idx(data_dir, f'{prefix}-images-idx3-ubyte').astype(np.float32) / 255.0
    labels = read_idx(data_dir, f'{prefix}-labels-idx1-ubyte').astype(np.int64)
    return torch.from_numpy(images).unsqueeze(1), torch.from_numpy(labels)  # N x 1 x 28 x 28


def seed_cnn():
    """Conv 32 3x3 relu, max-pool 2, conv 64 3x3 relu, max-pool 2, conv 64 3x3 relu, flatten, dense 64 relu, dense 10."""
    model = nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(64, 64, 3), nn.ReLU(), nn.Flatten(),
        nn.Linear(64 * 3 * 3, 64), nn.ReLU(), nn.Linear(64, 10),
    )
    for layer in model:
        if isinstance(layer, (nn.Conv2d, nn.Linear)):  # Keras defaults: Glorot-uniform weights, zero biases
            nn.init.xavier_uniform_(layer.weight)
            nn.init.zeros_(layer.bias)
    return model


def train_images_per_second(x, y, batch, images, warmup):
    """Images/s of training steps, timed after `warmup` batches (as the project's bench does)."""
    model = seed_cnn()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()  # softmax + categorical cross-entropy
    batches = -(-images // batch)
    order = torch.randperm(len(x))
    started = None
    for step in range(warmup + batches):
        if step == warmup:
            started = time.perf_counter()
        index = order[(step * batch) % len(x):][:batch]
        optimizer.zero_grad()
        loss = loss_fn(model(x[index]), y[index])
        loss.backward()
        optimizer.step()
    return batches * batch / (time.perf_counter() - started)


def inference_images_per_second(model, x, batch=256):
    model.eval()
    with torch.no_grad():
        model(x[:batch])  # warm-up
        started = time.perf_counter()
        for start in range(0, len(x), batch):
            model(x[start:start + batch])
    return len(x) / (time.perf_counter() - started)


def one_epoch(x, y, test_x, test_y, batch=32):
    """One epoch on all training images; seconds and test accuracy."""
    model = seed_cnn()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    started = time.perf_counter()
    for index in torch.randperm(len(x)).split(batch):
        optimizer.zero_grad()
        loss_fn(model(x[index]), y[index]).backward()
        optimizer.step()
    seconds = time.perf_counter() - started
    model.eval()
    with torch.no_grad():
        correct = sum(int((model(test_x[s:s + 500]).argmax(1) == test_y[s:s + 500]).sum()) for s in range(0, len(test_x), 500))
    return seconds, correct / len(test_x)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('data_dir')
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--train-images', type=int, default=3200)
    parser.add_argument('--warmup-batches', type=int, default=3)
    parser.add_argument('--repeats', type=int, default=3)
    parser.add_argument('--epoch', action='store_true', help='also train one full epoch and report test accuracy')
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(42)
    x, y = load(args.data_dir, 'train')
    test_x, test_y = load(args.data_dir, 't10k')
    median = lambda measure: statistics.median(measure() for _ in range(args.repeats))
    result = {
        'torch_version': torch.__version__,
        'torch_threads': torch.get_num_threads(),
        'torch_train_img_s_b32': round(median(lambda: train_images_per_second(x, y, 32, args.train_images, args.warmup_batches))),
        'torch_train_img_s_b128': round(median(lambda: train_images_per_second(x, y, 128, args.train_images, args.warmup_batches))),
        'torch_infer_img_s': round(median(lambda: inference_images_per_second(seed_cnn(), test_x))),
    }
    if args.epoch:
        seconds, accuracy = one_epoch(x, y, test_x, test_y)
        result.update(torch_epoch_seconds=round(seconds, 1), torch_epoch_test_accuracy=round(accuracy, 4))
    print(json.dumps(result))


if __name__ == '__main__':
    main()
