#!/usr/bin/env python3
"""Cuts the shipped Fashion-MNIST subset from the full Debian data set.

Keeps the first N training and M test images of every class, in file order, and writes them as gzipped
IDX files with the standard names, so Graft reads them exactly like the full set.
Usage: make_mini.py SRC_DIR DST_DIR [N_TRAIN_PER_CLASS] [N_TEST_PER_CLASS]
"""
import gzip, struct, sys, os

def read(path):
    with gzip.open(path, 'rb') as f:
        return f.read()

def cut(src, dst, prefix, per_class):
    images = read(os.path.join(src, prefix + '-images-idx3-ubyte.gz'))
    labels = read(os.path.join(src, prefix + '-labels-idx1-ubyte.gz'))
    _, n, rows, cols = struct.unpack('>IIII', images[:16])
    size = rows * cols
    counts = [0] * 10
    keep = []
    for i in range(n):
        y = labels[8 + i]
        if counts[y] < per_class:
            counts[y] += 1
            keep.append(i)
    img = bytearray(struct.pack('>IIII', 0x803, len(keep), rows, cols))
    lab = bytearray(struct.pack('>II', 0x801, len(keep)))
    for i in keep:
        img += images[16 + i * size:16 + (i + 1) * size]
        lab.append(labels[8 + i])
    for name, data in ((prefix + '-images-idx3-ubyte.gz', img), (prefix + '-labels-idx1-ubyte.gz', lab)):
        # mtime=0 keeps the files byte-for-byte reproducible
        with open(os.path.join(dst, name), 'wb') as raw, gzip.GzipFile(fileobj=raw, mode='wb', mtime=0) as f:
            f.write(bytes(data))

if __name__ == '__main__':
    src, dst = sys.argv[1], sys.argv[2]
    n_train = int(sys.argv[3]) if len(sys.argv) > 3 else 500
    n_test = int(sys.argv[4]) if len(sys.argv) > 4 else 100
    os.makedirs(dst, exist_ok=True)
    cut(src, dst, 'train', n_train)
    cut(src, dst, 't10k', n_test)
