package io.graft.runtime.config;

/**
 * Where the image data lives: a folder with the four files of the MNIST family
 * ({@code train-images-idx3-ubyte[.gz]}, {@code train-labels-idx1-ubyte[.gz]},
 * {@code t10k-images-idx3-ubyte[.gz]}, {@code t10k-labels-idx1-ubyte[.gz]}), gzipped or not.
 *
 * @param dir the folder; a relative path is resolved against the config file's folder
 */
public record DataConfig(String dir) {}
